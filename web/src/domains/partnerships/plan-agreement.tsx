import { type FormEvent, useState } from 'react';
import { DataClass, dataClasses } from '../../../../common/access.ts';
import { FundingModel, FundingPeriod, FundingRounding, MeetingFrequency } from '../../../../common/partnerships.ts';
import { type Agreement, type AgreementInput, type Plan, partnerships } from '../../api/partnerships.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { blanks, FormError, linesOf, type Submission, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatDateTime, labelOf, today } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading } from '../../components/states.tsx';
import { describeFunding, type FundingDraft, fundingDraftOf, fundingTermsOf } from './funding-terms.ts';

/**
 * The written agreement: the version in force with who has agreed to it, each school's leaders
 * agreeing for their school, the earlier versions, and the coordinator's form for a new version
 * (a change never edits a version: it writes the next one, which every school agrees to again).
 */
export function AgreementSection({ plan, editable, onChanged }: { plan: Plan; editable: boolean; onChanged: () => Promise<void> }) {
  const [writing, setWriting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const a = plan.agreement;
  return (
    <section id="plan-agreement" aria-labelledby="agreement-heading" className="panel" data-testid="plan-agreement">
      <div className="panel-head">
        <h2 id="agreement-heading">Written agreement</h2>
        {editable && !writing ? (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setWriting(true);
              setMessage(null);
            }}
          >
            {a ? 'Write a new version' : 'Write the agreement'}
          </button>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {writing ? (
        <AgreementForm
          plan={plan}
          onCancel={() => setWriting(false)}
          onSaved={async (saved) => {
            setWriting(false);
            await onChanged();
            setMessage(`Version ${saved.version} of the agreement saved. Each member school’s leaders now agree to it.`);
          }}
        />
      ) : null}
      {!a && !writing ? (
        <p className="empty-title">No written agreement yet.</p>
      ) : null}
      {a && !writing ? (
        <>
          <AgreementStatus plan={plan} agreement={a} onSigned={async (school) => {
            await onChanged();
            setMessage(`${school} has agreed to version ${a.version}.`);
          }} />
          <AgreementTerms agreement={a} plan={plan} />
          <AgreementVersions plan={plan} />
        </>
      ) : null}
    </section>
  );
}

function AgreementStatus({ plan, agreement: a, onSigned }: { plan: Plan; agreement: Agreement; onSigned: (school: string) => Promise<void> }) {
  const mine = a.awaiting.filter((s) => plan.viewer.canSignFor.includes(s.schoolId));
  return (
    <div className="agreement-status" data-testid="agreement-status" data-version={a.version} data-agreed={a.agreed}>
      <p>
        <strong>Version {a.version}</strong>, in force from {formatDate(a.effectiveFrom)}
        {a.createdBy ? `, written by ${a.createdBy}` : ''} on {formatDateTime(a.createdAt)}.
        {a.changeNote ? ` What changed: ${a.changeNote}` : ''}
      </p>
      {a.agreed ? (
        <p className="notice notice-success">Every member school has agreed to version {a.version}.</p>
      ) : (
        <p className="notice notice-warning">Awaiting agreement from {a.awaiting.map((s) => s.name).join(', ')}.</p>
      )}
      {mine.map((s) => (
        <SignButton key={s.schoolId} plan={plan} agreement={a} school={s} onSigned={onSigned} />
      ))}
      {a.signatures.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>Who has agreed to version {a.version}</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col">On</th>
                <th scope="col">By</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {a.signatures.map((s) => (
                <tr key={s.schoolId}>
                  <td>{s.name}</td>
                  <td className="nowrap">{formatDate(s.signedOn)}</td>
                  <td>
                    {s.signedBy} <span className="sub">{s.role}</span>
                  </td>
                  <td>{s.note ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/** A school leader agrees to the version they have read, for their school. */
function SignButton({ plan, agreement, school, onSigned }: { plan: Plan; agreement: Agreement; school: { schoolId: number; name: string }; onSigned: (school: string) => Promise<void> }) {
  const submission = useSubmission();
  const sign = async () => {
    const done = await submission.run(() => partnerships.sign(plan.id, { schoolId: school.schoolId, version: agreement.version }));
    if (done) await onSigned(school.name);
  };
  return (
    <div className="sign-row">
      <FormError submission={submission} title="The agreement was not recorded" />
      <button
        type="button"
        className="button"
        disabled={submission.busy}
        onClick={() => {
          sign().catch(() => undefined);
        }}
      >
        {submission.busy ? 'Recording…' : `Agree to version ${agreement.version} for ${school.name}`}
      </button>
    </div>
  );
}

export function AgreementTerms({ agreement: a, plan }: { agreement: Agreement; plan: Plan }) {
  const intended = a.dataSharing.filter((t) => t.intended);
  return (
    <div className="agreement-terms">
      <h3>Principles</h3>
      <ol>
        {a.principles.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ol>
      {a.roles.length > 0 ? (
        <>
          <h3>Roles and responsibilities</h3>
          <div className="table-wrap">
            <table className="data-table compact-table">
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">School</th>
                  <th scope="col">Responsible for</th>
                </tr>
              </thead>
              <tbody>
                {a.roles.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: roles are a list in the agreement's own order; no id
                  <tr key={i}>
                    <td>{r.who}</td>
                    <td>{r.schoolName ?? <span className="muted">—</span>}</td>
                    <td>{r.responsibility}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h3>Meetings and attendance</h3>
      <Facts
        items={[
          ['How often', labelOf(MeetingFrequency.labels, a.meetings.frequency)],
          ['Each school attends at least', a.meetings.minAttendancePct === null ? '' : `${a.meetings.minAttendancePct}% of meetings`],
          ['If a school attends less', a.meetings.consequence],
        ]}
      />
      <h3>Data sharing</h3>
      {intended.length === 0 ? (
        <p className="muted">The agreement asks the schools to share no data with the network.</p>
      ) : (
        <ul>
          {intended.map((t) => (
            <li key={t.dataClass}>
              {DataClass[t.dataClass]}
              {t.purpose ? `: ${t.purpose}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">Each school’s leaders decide what it actually shares; the data-sharing section compares the two.</p>
      <h3>Resolving disagreements</h3>
      <p>{a.conflictResolution}</p>
      <h3>Funding</h3>
      <p>{describeFunding(a.funding, plan.members)}</p>
    </div>
  );
}

function AgreementVersions({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState(false);
  const all = useResource(open ? `agreements:${plan.id}:${plan.agreement?.version ?? 0}` : null, (signal) => partnerships.agreements(plan.id, signal));
  if (plan.agreementVersions.length < 2) return null;
  return (
    <div className="agreement-versions" data-testid="agreement-versions">
      <h3>Versions</h3>
      <div className="table-wrap">
        <table className="data-table compact-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">In force from</th>
              <th scope="col">Written</th>
              <th scope="col">Schools agreed</th>
            </tr>
          </thead>
          <tbody>
            {plan.agreementVersions.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{formatDate(v.effectiveFrom)}</td>
                <td>{formatDateTime(v.createdAt)}</td>
                <td>
                  {v.signatures}
                  {v.agreed ? <span className="badge badge-open">All agreed</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!open ? (
        <button type="button" className="button button-secondary button-small" onClick={() => setOpen(true)}>
          Read the earlier versions
        </button>
      ) : null}
      {all.state === 'loading' && open ? <Loading label="Loading the earlier versions…" /> : null}
      {all.state === 'error' ? <ErrorNotice error={all.error} onRetry={all.reload} /> : null}
      {all.state === 'ready'
        ? all.data.items
            .filter((v) => !v.current)
            .map((v) => (
              <details key={v.version} className="agreement-version">
                <summary>
                  Version {v.version}, from {formatDate(v.effectiveFrom)}
                  {v.changeNote ? ` (${v.changeNote})` : ''}
                </summary>
                <AgreementTerms agreement={v} plan={plan} />
              </details>
            ))
        : null}
    </div>
  );
}

// ---- The form ----------------------------------------------------------------------------------

type RoleDraft = { key: number; who: string; schoolId: string; responsibility: string };
type AgreementDraft = {
  effectiveFrom: string;
  principles: string;
  roles: RoleDraft[];
  frequency: Agreement['meetings']['frequency'];
  minAttendancePct: string;
  consequence: string;
  sharing: Record<string, { intended: boolean; purpose: string }>;
  conflictResolution: string;
  funding: FundingDraft;
  changeNote: string;
};

let roleKey = 0;

function draftOf(a: Agreement | null): AgreementDraft {
  return {
    effectiveFrom: today(),
    principles: a ? a.principles.join('\n') : '',
    roles: (a?.roles ?? []).map((r) => ({ key: ++roleKey, who: r.who, schoolId: r.schoolId === null ? '' : String(r.schoolId), responsibility: r.responsibility })),
    frequency: a?.meetings.frequency ?? 'half_termly',
    minAttendancePct: a ? (a.meetings.minAttendancePct === null ? '' : String(a.meetings.minAttendancePct)) : '75',
    consequence: a?.meetings.consequence ?? '',
    sharing: Object.fromEntries(
      dataClasses.map((c) => {
        const term = a?.dataSharing.find((t) => t.dataClass === c);
        return [c, { intended: term?.intended ?? false, purpose: term?.purpose ?? '' }];
      }),
    ),
    conflictResolution: a?.conflictResolution ?? '',
    funding: fundingDraftOf(a?.funding ?? null),
    changeNote: '',
  };
}

function bodyOf(d: AgreementDraft): AgreementInput {
  const pct = d.minAttendancePct.trim();
  return {
    effectiveFrom: d.effectiveFrom,
    principles: linesOf(d.principles),
    roles: d.roles
      .filter((r) => r.who.trim() || r.responsibility.trim())
      .map((r) => ({ who: r.who, schoolId: r.schoolId ? Number(r.schoolId) : null, responsibility: r.responsibility })),
    meetings: { frequency: d.frequency, minAttendancePct: pct === '' ? null : Number(pct), consequence: d.consequence.trim() || null },
    dataSharing: dataClasses
      .filter((c) => d.sharing[c]?.intended)
      .map((c) => ({ dataClass: c, intended: true, purpose: d.sharing[c]?.purpose.trim() || null })),
    conflictResolution: d.conflictResolution,
    funding: fundingTermsOf(d.funding),
    changeNote: d.changeNote.trim() || null,
  };
}

function AgreementForm({ plan, onCancel, onSaved }: { plan: Plan; onCancel: () => void; onSaved: (a: Agreement) => Promise<void> }) {
  const [draft, setDraft] = useState<AgreementDraft>(() => draftOf(plan.agreement));
  const submission = useSubmission();
  const set = (patch: Partial<AgreementDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const schoolOptions = [{ value: '', label: 'Not one school' }, ...plan.members.map((m) => ({ value: String(m.schoolId), label: m.name }))];
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const f = draft.funding;
    const missing = blanks([
      ...(f.model === 'equal' || f.model === 'by_size' ? [['funding.totalPence', f.total, 'give the total to raise, in pounds'] as [string, string, string]] : []),
      ...(f.model === 'percent_of_budget' ? [['funding.percent', f.percent, 'give the share of each budget, as a percentage'] as [string, string, string]] : []),
    ]);
    if (missing.length > 0) return submission.refuse(missing);
    const saved = await submission.run(() => partnerships.writeAgreement(plan.id, bodyOf(draft)));
    if (saved) await onSaved(saved);
  };
  const next = (plan.agreement?.version ?? 0) + 1;
  return (
    <form className="agreement-form" onSubmit={submit} noValidate aria-label="Write the agreement">
      <h3>Version {next}</h3>
      {plan.agreement ? (
        <p className="muted">Starts from version {plan.agreement.version}. Saving writes version {next}; every member school then agrees to it afresh.</p>
      ) : null}
      <FormError submission={submission} title="The agreement was not saved" />
      <div className="form-stack">
        <TextField id="agreement-effective" label="In force from" type="date" value={draft.effectiveFrom} onChange={(effectiveFrom) => set({ effectiveFrom })} error={submission.fieldError('effectiveFrom')} />
        <TextAreaField
          id="agreement-principles"
          label="Principles"
          hint="One a line: how the partners will work together."
          rows={4}
          value={draft.principles}
          onChange={(principles) => set({ principles })}
          error={submission.fieldError('principles')}
        />
        <fieldset className="form-section">
          <legend>Roles and responsibilities</legend>
          {draft.roles.map((r, i) => (
            <div key={r.key} className="repeat-row">
              <TextField
                id={`agreement-role-${r.key}-who`}
                label="Who"
                value={r.who}
                onChange={(who) => set({ roles: draft.roles.map((x) => (x.key === r.key ? { ...x, who } : x)) })}
                error={submission.fieldError(`roles.${i}.who`)}
              />
              <SelectField
                id={`agreement-role-${r.key}-school`}
                label="School"
                value={r.schoolId}
                options={schoolOptions}
                onChange={(schoolId) => set({ roles: draft.roles.map((x) => (x.key === r.key ? { ...x, schoolId } : x)) })}
                error={submission.fieldError(`roles.${i}.schoolId`)}
              />
              <TextField
                id={`agreement-role-${r.key}-what`}
                label="Responsible for"
                value={r.responsibility}
                onChange={(responsibility) => set({ roles: draft.roles.map((x) => (x.key === r.key ? { ...x, responsibility } : x)) })}
                error={submission.fieldError(`roles.${i}.responsibility`)}
              />
              <button type="button" className="button button-secondary button-small" onClick={() => set({ roles: draft.roles.filter((x) => x.key !== r.key) })}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="button button-secondary button-small" onClick={() => set({ roles: [...draft.roles, { key: ++roleKey, who: '', schoolId: '', responsibility: '' }] })}>
            Add a role
          </button>
        </fieldset>
        <fieldset className="form-section">
          <legend>Meetings and attendance</legend>
          <div className="form-grid">
            <SelectField
              id="agreement-frequency"
              label="How often the partners meet"
              value={draft.frequency}
              onChange={(frequency) => set({ frequency: frequency as AgreementDraft['frequency'] })}
              options={MeetingFrequency.codes.map((c) => ({ value: c, label: MeetingFrequency.labels[c] }))}
              error={submission.fieldError('meetings.frequency')}
            />
            <TextField
              id="agreement-attendance"
              label="Each school attends at least (%)"
              type="number"
              min={0}
              max={100}
              step={1}
              value={draft.minAttendancePct}
              onChange={(minAttendancePct) => set({ minAttendancePct })}
              error={submission.fieldError('meetings.minAttendancePct')}
            />
          </div>
          <TextField
            id="agreement-consequence"
            label="If a school attends less (optional)"
            hint="e.g. it has no call on the shared fund that year"
            value={draft.consequence}
            onChange={(consequence) => set({ consequence })}
            error={submission.fieldError('meetings.consequence')}
          />
        </fieldset>
        <fieldset className="form-section">
          <legend>Data the partners agree to share with the network</legend>
          <p className="hint">Each school’s leaders still decide what it shares; the plan shows where they differ from this.</p>
          {submission.fieldError('dataSharing') ? <span className="field-error">{submission.fieldError('dataSharing')}</span> : null}
          {dataClasses.map((c) => (
            <div key={c} className="repeat-row">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.sharing[c]?.intended ?? false}
                  onChange={(e) => set({ sharing: { ...draft.sharing, [c]: { intended: e.target.checked, purpose: draft.sharing[c]?.purpose ?? '' } } })}
                />
                {DataClass[c]}
              </label>
              {draft.sharing[c]?.intended ? (
                <TextField
                  id={`agreement-sharing-${c}`}
                  label="What for (optional)"
                  value={draft.sharing[c]?.purpose ?? ''}
                  onChange={(purpose) => set({ sharing: { ...draft.sharing, [c]: { intended: true, purpose } } })}
                />
              ) : null}
            </div>
          ))}
        </fieldset>
        <TextAreaField
          id="agreement-conflict"
          label="How disagreements are resolved"
          rows={3}
          value={draft.conflictResolution}
          onChange={(conflictResolution) => set({ conflictResolution })}
          error={submission.fieldError('conflictResolution')}
        />
        <FundingFields plan={plan} draft={draft.funding} set={(funding) => set({ funding })} submission={submission} />
        {plan.agreement ? (
          <TextField id="agreement-change" label="What changed from the last version (optional)" value={draft.changeNote} onChange={(changeNote) => set({ changeNote })} error={submission.fieldError('changeNote')} />
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
          {submission.busy ? 'Saving…' : `Save version ${next}`}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function FundingFields({ plan, draft, set, submission }: { plan: Plan; draft: FundingDraft; set: (d: FundingDraft) => void; submission: Submission }) {
  const e = (path: string) => submission.fieldError(`funding.${path}`);
  const exemptable = draft.model !== 'ad_hoc';
  return (
    <fieldset className="form-section">
      <legend>Funding</legend>
      {submission.fieldError('funding') && !e('totalPence') && !e('percent') ? <span className="field-error">{submission.fieldError('funding')}</span> : null}
      <div className="form-grid">
        <SelectField
          id="funding-model"
          label="How costs are shared"
          value={draft.model}
          onChange={(model) => set({ ...draft, model: model as FundingDraft['model'], period: model === 'ad_hoc' ? 'one_off' : draft.period === 'one_off' ? 'per_year' : draft.period })}
          options={FundingModel.codes.map((c) => ({ value: c, label: FundingModel.labels[c] }))}
          error={e('model')}
        />
        {draft.model === 'equal' || draft.model === 'by_size' ? (
          <TextField id="funding-total" label="Total to raise (£)" type="number" min={0} step="0.01" value={draft.total} onChange={(total) => set({ ...draft, total })} error={e('totalPence')} />
        ) : null}
        {draft.model === 'percent_of_budget' ? (
          <TextField id="funding-percent" label="Share of each budget (%)" type="number" min={0} step="0.01" value={draft.percent} onChange={(percent) => set({ ...draft, percent })} error={e('percent')} />
        ) : null}
        <SelectField
          id="funding-period"
          label="Paid"
          value={draft.period}
          onChange={(period) => set({ ...draft, period: period as FundingDraft['period'] })}
          options={FundingPeriod.codes.map((c) => ({ value: c, label: FundingPeriod.labels[c] }))}
          error={e('period')}
        />
        {draft.model !== 'ad_hoc' ? (
          <SelectField
            id="funding-rounding"
            label="Rounded"
            value={draft.rounding}
            onChange={(rounding) => set({ ...draft, rounding: rounding as FundingDraft['rounding'] })}
            options={FundingRounding.codes.map((c) => ({ value: c, label: FundingRounding.labels[c] }))}
            error={e('rounding')}
          />
        ) : null}
      </div>
      {draft.model === 'percent_of_budget' || draft.model === 'ad_hoc' ? (
        <div className="form-grid">
          {plan.members.map((m) =>
            draft.model === 'percent_of_budget' ? (
              <TextField
                key={m.schoolId}
                id={`funding-budget-${m.schoolId}`}
                label={`Budget of ${m.name} (£)`}
                type="number"
                min={0}
                step="0.01"
                value={draft.budgets[m.schoolId] ?? ''}
                onChange={(text) => set({ ...draft, budgets: { ...draft.budgets, [m.schoolId]: text } })}
              />
            ) : (
              <TextField
                key={m.schoolId}
                id={`funding-amount-${m.schoolId}`}
                label={`${m.name} pays (£)`}
                hint="Blank: meets its own costs."
                type="number"
                min={0}
                step="0.01"
                value={draft.amounts[m.schoolId]?.amount ?? ''}
                onChange={(amount) => set({ ...draft, amounts: { ...draft.amounts, [m.schoolId]: { amount, note: draft.amounts[m.schoolId]?.note ?? '' } } })}
              />
            ),
          )}
        </div>
      ) : null}
      {e('budgets') || e('amounts') || e('exemptSchoolIds') ? <span className="field-error">{e('budgets') ?? e('amounts') ?? e('exemptSchoolIds')}</span> : null}
      {exemptable && plan.members.length > 0 ? (
        <fieldset className="checkbox-field">
          <legend className="sub-label">Excused from paying (optional)</legend>
          {plan.members.map((m) => (
            <label key={m.schoolId} className="checkbox">
              <input
                type="checkbox"
                checked={draft.exempt.includes(m.schoolId)}
                onChange={(ev) => set({ ...draft, exempt: ev.target.checked ? [...draft.exempt, m.schoolId] : draft.exempt.filter((x) => x !== m.schoolId) })}
              />
              {m.name}
            </label>
          ))}
        </fieldset>
      ) : null}
    </fieldset>
  );
}
