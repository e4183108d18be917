import { type FormEvent, useEffect, useState } from 'react';
import { Direction, Recurrence, StaffLevel, staffLevels } from '../../../../common/activities.ts';
import type { Activity, ActivityCatalogue, NewActivity, Staff } from '../../api/activities.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { blanks, FormError, linesOf, numberOf, type Submission, useSubmission } from '../../components/form-state.tsx';
import { plural, today } from '../../components/format.ts';
import { ErrorNotice } from '../../components/states.tsx';
import { directionShort } from './activity-view.tsx';
import type { Place } from './my-places.ts';

type DirectionCode = keyof typeof Direction.labels;
type RecurrenceCode = keyof typeof Recurrence.labels;

export type SchoolDraft = { schoolId: number; name: string; direction: DirectionCode; staff: Partial<Record<(typeof staffLevels)[number], string>> };
export type ActivityDraft = {
  type: string;
  title: string;
  networkId: string;
  schools: SchoolDraft[];
  startOn: string;
  endOn: string;
  recurrence: RecurrenceCode;
  occurrences: string;
  hours: string;
  focus: string;
  outcomeNotes: string;
  evidence: string;
};

export const emptyActivity = (networkId: number | null): ActivityDraft => ({
  type: '',
  title: '',
  networkId: networkId === null ? '' : String(networkId),
  schools: [],
  startOn: today(),
  endOn: '',
  recurrence: 'once',
  occurrences: '1',
  hours: '',
  focus: '',
  outcomeNotes: '',
  evidence: '',
});

/** An activity as the form edits it; null when a school in it is hidden from the reader (it cannot be sent back). */
export function draftOfActivity(a: Activity): ActivityDraft | null {
  if (a.schools.some((s) => s.school === null)) return null;
  return {
    type: a.type.code,
    title: a.title,
    networkId: a.network ? String(a.network.id) : '',
    schools: a.schools.map((s) => ({
      schoolId: s.school!.id,
      name: s.school!.name,
      direction: s.direction,
      staff: Object.fromEntries(staffLevels.filter((l) => (s.staff?.[l] ?? 0) > 0).map((l) => [l, String(s.staff?.[l])])),
    })),
    startOn: a.startOn,
    endOn: a.recurrence === 'once' && a.endOn !== a.startOn ? a.endOn : '',
    recurrence: a.recurrence,
    occurrences: String(a.occurrences),
    hours: a.hoursPerOccurrence === null ? '' : String(a.hoursPerOccurrence),
    focus: a.focus ?? '',
    outcomeNotes: a.outcomeNotes ?? '',
    evidence: a.evidence.join('\n'),
  };
}

export function activityBody(d: ActivityDraft): NewActivity {
  const once = d.recurrence === 'once';
  return {
    type: d.type,
    title: d.title,
    networkId: d.networkId ? Number(d.networkId) : null,
    schools: d.schools.map((s) => ({
      schoolId: s.schoolId,
      direction: s.direction,
      staff: Object.fromEntries(
        staffLevels.filter((l) => (s.staff[l] ?? '').trim() !== '').map((l) => [l, /^\d+$/.test(s.staff[l]!.trim()) ? Number(s.staff[l]) : Number.NaN]),
      ) as Staff,
    })),
    startOn: d.startOn,
    ...(once && d.endOn ? { endOn: d.endOn } : {}),
    recurrence: d.recurrence,
    occurrences: once ? 1 : numberOf(d.occurrences),
    ...(d.hours.trim() ? { hoursPerOccurrence: numberOf(d.hours) } : {}),
    ...(d.focus.trim() ? { focus: d.focus.trim() } : {}),
    ...(d.outcomeNotes.trim() ? { outcomeNotes: d.outcomeNotes.trim() } : {}),
    evidence: linesOf(d.evidence),
  };
}

type Props = {
  initial: ActivityDraft;
  catalogue: ActivityCatalogue;
  networks: Place[];
  ownSchools: Place[];
  submitLabel: string;
  /** Sends the draft; a refusal is shown above the form. */
  send: (draft: ActivityDraft) => Promise<Activity>;
  onSaved: (activity: Activity) => void;
  onCancel?: () => void;
};

/**
 * Quick entry of an activity between schools: its type from the catalogue, the schools with
 * what each gave or received and who took part, when and how often, and what came of it.
 */
export function ActivityForm({ initial, catalogue, networks, ownSchools, submitLabel, send, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useState<ActivityDraft>(initial);
  const submission = useSubmission();
  const set = (patch: Partial<ActivityDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const networkId = draft.networkId ? Number(draft.networkId) : null;
  const add = (p: Place) => {
    if (draft.schools.some((s) => s.schoolId === p.id)) return;
    set({ schools: [...draft.schools, { schoolId: p.id, name: p.name, direction: 'mutual', staff: {} }] });
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing = [
      ...blanks([
        ['type', draft.type, 'choose the type of activity'],
        ['title', draft.title, 'give the activity a short title'],
        ['startOn', draft.startOn, 'give the day it started'],
        ...(draft.recurrence === 'once' ? [] : [['occurrences', draft.occurrences, 'say how many times it happened'] as [string, string, string]]),
      ]),
      ...(draft.schools.length < 2 ? [{ path: 'schools', message: 'add at least two schools: an activity between schools involves two or more' }] : []),
    ];
    if (missing.length > 0) return submission.refuse(missing);
    const saved = await submission.run(() => send(draft));
    if (saved) onSaved(saved);
  };
  const typeGroups = catalogue.categories
    .map((c) => ({ label: c.label, options: c.types.filter((t) => !t.retiredOn || t.code === initial.type).map((t) => ({ value: t.code, label: t.label })) }))
    .filter((g) => g.options.length > 0);
  const description = catalogue.categories.flatMap((c) => c.types).find((t) => t.code === draft.type)?.description;
  const networkOptions = networks.some((n) => n.id === networkId) || networkId === null ? networks : [...networks, { id: networkId, name: `Network ${networkId}` }];

  return (
    <form className="activity-form" onSubmit={submit} noValidate aria-label="Record an activity">
      <FormError submission={submission} title="The activity was not saved" />
      <div className="form-grid">
        <SelectField
          id="activity-type"
          label="Type of activity"
          value={draft.type}
          onChange={(type) => set({ type })}
          options={[{ value: '', label: 'Choose a type' }]}
          groups={typeGroups}
          hint={description ?? undefined}
          error={submission.fieldError('type')}
        />
        <TextField id="activity-title" label="Title" hint="e.g. Year 6 writing moderation" value={draft.title} onChange={(title) => set({ title })} error={submission.fieldError('title')} />
        <SelectField
          id="activity-network"
          label="Network (optional)"
          hint="The network the activity was done in. A coordinator records activities among its members."
          value={draft.networkId}
          onChange={(value) => set({ networkId: value })}
          options={[{ value: '', label: 'No network' }, ...networkOptions.map((n) => ({ value: String(n.id), label: n.name }))]}
          error={submission.fieldError('networkId')}
        />
      </div>

      <fieldset className="form-section" aria-describedby="activity-schools-hint">
        <legend>Schools involved</legend>
        <p className="hint" id="activity-schools-hint">
          At least two. For each, its direction (giving: it provided expertise, staff or places; receiving: it benefited from a partner; mutual:
          both) and how many people of each level took part.
        </p>
        {submission.exactError('schools') ? <span className="field-error">{submission.exactError('schools')}</span> : null}
        {draft.schools.length > 0 ? (
          <SchoolsTable draft={draft} set={set} submission={submission} />
        ) : (
          <p className="muted">No schools yet: add them below.</p>
        )}
        <AddSchools networkId={networkId} ownSchools={ownSchools} chosen={draft.schools.map((s) => s.schoolId)} onAdd={add} />
      </fieldset>

      <fieldset className="form-section">
        <legend>When</legend>
        <div className="form-grid">
          <TextField id="activity-start" label="Started on" type="date" value={draft.startOn} onChange={(startOn) => set({ startOn })} error={submission.fieldError('startOn')} />
          <SelectField
            id="activity-recurrence"
            label="How often"
            value={draft.recurrence}
            onChange={(recurrence) => set({ recurrence: recurrence as RecurrenceCode, occurrences: recurrence === 'once' ? '1' : draft.occurrences === '1' ? '' : draft.occurrences })}
            options={Recurrence.codes.map((c) => ({ value: c, label: Recurrence.labels[c] }))}
            error={submission.fieldError('recurrence')}
          />
          {draft.recurrence === 'once' ? (
            <TextField id="activity-end" label="Last day (optional)" hint="For an activity over several days." type="date" value={draft.endOn} onChange={(endOn) => set({ endOn })} error={submission.fieldError('endOn')} />
          ) : (
            <TextField id="activity-occurrences" label="How many times" type="number" min={1} max={500} step={1} value={draft.occurrences} onChange={(occurrences) => set({ occurrences })} error={submission.fieldError('occurrences')} />
          )}
          <TextField id="activity-hours" label={draft.recurrence === 'once' ? 'Hours (optional)' : 'Hours each time (optional)'} type="number" min={0} step="0.25" value={draft.hours} onChange={(hours) => set({ hours })} error={submission.fieldError('hoursPerOccurrence')} />
        </div>
      </fieldset>

      <div className="form-stack">
        <TextField id="activity-focus" label="Focus (optional)" hint="The subject or aspect, e.g. early reading, SEND, attendance." value={draft.focus} onChange={(focus) => set({ focus })} error={submission.fieldError('focus')} />
        <TextAreaField id="activity-notes" label="What came of it (optional)" rows={3} value={draft.outcomeNotes} onChange={(outcomeNotes) => set({ outcomeNotes })} error={submission.fieldError('outcomeNotes')} />
        <TextAreaField
          id="activity-evidence"
          label="Evidence links (optional)"
          hint="One web address a line, starting https://"
          rows={2}
          value={draft.evidence}
          onChange={(evidence) => set({ evidence })}
          error={submission.fieldError('evidence')}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy} aria-busy={submission.busy}>
          {submission.busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function SchoolsTable({ draft, set, submission }: { draft: ActivityDraft; set: (patch: Partial<ActivityDraft>) => void; submission: Submission }) {
  const change = (schoolId: number, patch: Partial<SchoolDraft>) => set({ schools: draft.schools.map((s) => (s.schoolId === schoolId ? { ...s, ...patch } : s)) });
  return (
    <div className="table-wrap">
      <table className="data-table involved-table" data-testid="involved-schools">
        <caption className="visually-hidden">Schools involved, their direction and the people who took part</caption>
        <thead>
          <tr>
            <th scope="col">School</th>
            <th scope="col">Direction</th>
            {staffLevels.map((l) => (
              <th scope="col" key={l} className="num">
                {StaffLevel.labels[l]}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.schools.map((s, i) => {
            const error = submission.fieldError(`schools.${i}`);
            return (
              <tr key={s.schoolId} data-school-id={s.schoolId} className={error ? 'has-error-row' : undefined}>
                <th scope="row">
                  {s.name}
                  {error ? <span className="field-error">{error}</span> : null}
                </th>
                <td>
                  <select aria-label={`Direction of ${s.name}`} value={s.direction} onChange={(e) => change(s.schoolId, { direction: e.target.value as DirectionCode })}>
                    {Direction.codes.map((c) => (
                      <option key={c} value={c}>
                        {directionShort[c]}
                      </option>
                    ))}
                  </select>
                </td>
                {staffLevels.map((l) => (
                  <td key={l} className="num">
                    <input
                      className="count-input"
                      type="number"
                      min={1}
                      step={1}
                      inputMode="numeric"
                      aria-label={`${StaffLevel.labels[l]} from ${s.name}`}
                      value={s.staff[l] ?? ''}
                      onChange={(e) => change(s.schoolId, { staff: { ...s.staff, [l]: e.target.value } })}
                    />
                  </td>
                ))}
                <td>
                  <button type="button" className="button button-secondary button-small" onClick={() => set({ schools: draft.schools.filter((x) => x.schoolId !== s.schoolId) })} aria-label={`Remove ${s.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Ways to add a school: the chosen network's members, the person's own schools, or a search of the registry. */
function AddSchools({ networkId, ownSchools, chosen, onAdd }: { networkId: number | null; ownSchools: Place[]; chosen: number[]; onAdd: (p: Place) => void }) {
  const members = useResource(networkId === null ? null : `form-members:${networkId}`, async (signal) => {
    const page = await registry.members(networkId!, today(), undefined, signal);
    return page.items.map((m) => ({ id: m.school.id, name: m.school.name }));
  });
  const quick = [...(members.data ?? []), ...ownSchools.filter((o) => !(members.data ?? []).some((m) => m.id === o.id))].filter((p) => !chosen.includes(p.id));
  return (
    <div className="add-schools">
      {quick.length > 0 ? (
        <fieldset className="quick-add">
          <legend className="sub-label">
            {networkId !== null ? `Add a member of the network${ownSchools.length > 0 ? ', or one of your schools' : ''}` : 'Add one of your schools'}
          </legend>
          <ul className="chip-list">
            {quick.map((p) => (
              <li key={p.id}>
                <button type="button" className="chip" onClick={() => onAdd(p)} aria-label={`Add ${p.name}`}>
                  + {p.name}
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      {members.state === 'error' ? <ErrorNotice error={members.error} onRetry={members.reload} /> : null}
      <SchoolFinder chosen={chosen} onAdd={onAdd} />
    </div>
  );
}

function SchoolFinder({ chosen, onAdd }: { chosen: number[]; onAdd: (p: Place) => void }) {
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);
  const found = useResource(debounced.length >= 2 ? `finder:${debounced}` : null, (signal) => registry.schools({ q: debounced, limit: 8 }, signal));
  const results = debounced.length >= 2 && found.state === 'ready' ? found.data.items.filter((s) => !chosen.includes(s.id)) : [];
  return (
    <div className="field school-finder">
      <label htmlFor="activity-find-school">Find another school</label>
      <input id="activity-find-school" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or URN" autoComplete="off" aria-describedby="activity-find-status" />
      <span className="hint" id="activity-find-status" role="status">
        {debounced.length < 2 ? 'Type at least two letters of the name, or the URN.' : found.state === 'loading' ? 'Searching…' : found.state === 'ready' ? `${plural(results.length, 'match', 'matches')}` : ''}
      </span>
      {results.length > 0 ? (
        <ul className="chip-list">
          {results.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="chip"
                onClick={() => {
                  onAdd({ id: s.id, name: s.name });
                  setQuery('');
                }}
                aria-label={`Add ${s.name}`}
              >
                + {s.name}
                <span className="sub">{[s.urn ? `URN ${s.urn}` : null, s.laName].filter(Boolean).join(', ')}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
