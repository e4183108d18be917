import { type FormEvent, useState } from 'react';
import { KeptKind } from '../../../../common/partnerships.ts';
import { type Ending, type Plan, partnerships } from '../../api/partnerships.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatDateTime, labelOf, today } from '../../components/format.ts';
import { Facts } from '../../components/states.tsx';

/** The agreed ending: recorded once the partnership is Ending, correctable until it has ended. */
export function EndingSection({ plan, editable, onChanged }: { plan: Plan; editable: boolean; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const e = plan.ending;
  const canRecord = editable && plan.stage === 'ending';
  return (
    <section id="plan-ending" aria-labelledby="ending-heading" className="panel" data-testid="plan-ending">
      <div className="panel-head">
        <h2 id="ending-heading">Ending</h2>
        {canRecord && !editing ? (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setEditing(true);
              setMessage(null);
            }}
          >
            {e ? 'Correct the ending' : 'Record the agreed ending'}
          </button>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {editing ? (
        <EndingForm
          plan={plan}
          ending={e}
          onCancel={() => setEditing(false)}
          onSaved={async () => {
            setEditing(false);
            await onChanged();
            setMessage('Ending recorded.');
          }}
        />
      ) : null}
      {!e && !editing ? (
        <p className="muted">
          {plan.stage === 'ending'
            ? 'The partnership is ending. Record when the partners agreed it, the end date, why, and what they keep.'
            : 'A partnership ends by agreement: after a review decides so (or, while forming, when it will not go ahead), the coordinator records the ending.'}
        </p>
      ) : null}
      {e && !editing ? (
        <>
          <Facts
            items={[
              ['Agreed on', formatDate(e.agreedOn)],
              ['Ends on', formatDate(e.endsOn)],
              ['Why', e.reason],
              ['Agreed by', e.agreedBy],
              ['Recorded', `${formatDateTime(e.recordedAt)}${e.recordedBy ? ` by ${e.recordedBy}` : ''}`],
            ]}
          />
          {e.kept.length > 0 ? (
            <>
              <h3>What the partners keep</h3>
              <ul>
                {e.kept.map((k) => (
                  <li key={`${k.kind}:${k.what}`}>
                    <span className="badge badge-kind">{labelOf(KeptKind.labels, k.kind)}</span> {k.what}
                    {k.keptBy ? <span className="muted"> (kept going by {k.keptBy})</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

type KeptDraft = { key: number; kind: Ending['kept'][number]['kind']; what: string; keptBy: string };
let keptKey = 0;

function EndingForm({ plan, ending, onCancel, onSaved }: { plan: Plan; ending: Ending | null; onCancel: () => void; onSaved: () => Promise<void> }) {
  const [agreedOn, setAgreedOn] = useState(ending?.agreedOn ?? today());
  const [endsOn, setEndsOn] = useState(ending?.endsOn ?? '');
  const [reason, setReason] = useState(ending?.reason ?? '');
  const [agreedBy, setAgreedBy] = useState(ending?.agreedBy ?? '');
  const [kept, setKept] = useState<KeptDraft[]>(() => (ending?.kept ?? []).map((k) => ({ key: ++keptKey, kind: k.kind, what: k.what, keptBy: k.keptBy ?? '' })));
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() =>
      partnerships.recordEnding(plan.id, {
        agreedOn,
        endsOn,
        reason,
        agreedBy,
        kept: kept.filter((k) => k.what.trim()).map((k) => ({ kind: k.kind, what: k.what, keptBy: k.keptBy.trim() || null })),
      }),
    );
    if (saved) await onSaved();
  };
  const change = (key: number, patch: Partial<KeptDraft>) => setKept((list) => list.map((k) => (k.key === key ? { ...k, ...patch } : k)));
  return (
    <form className="ending-form" onSubmit={submit} noValidate aria-label="Record the agreed ending">
      <FormError submission={submission} title="The ending was not recorded" />
      <div className="form-grid">
        <TextField id="ending-agreed-on" label="Agreed on" type="date" value={agreedOn} onChange={setAgreedOn} error={submission.fieldError('agreedOn')} />
        <TextField id="ending-ends-on" label="Ends on" type="date" value={endsOn} onChange={setEndsOn} error={submission.fieldError('endsOn')} />
        <TextField id="ending-agreed-by" label="Agreed by" hint="e.g. the four heads, at the summer review" value={agreedBy} onChange={setAgreedBy} error={submission.fieldError('agreedBy')} />
      </div>
      <TextAreaField id="ending-reason" label="Why it ends" value={reason} onChange={setReason} error={submission.fieldError('reason')} />
      <fieldset className="form-section">
        <legend>What the partners keep</legend>
        {kept.map((k) => (
          <div key={k.key} className="repeat-row">
            <SelectField
              id={`kept-${k.key}-kind`}
              label="Kind"
              value={k.kind}
              onChange={(kind) => change(k.key, { kind: kind as KeptDraft['kind'] })}
              options={KeptKind.codes.map((c) => ({ value: c, label: KeptKind.labels[c] }))}
            />
            <TextField id={`kept-${k.key}-what`} label="What" value={k.what} onChange={(what) => change(k.key, { what })} />
            <TextField id={`kept-${k.key}-by`} label="Kept going by (optional)" value={k.keptBy} onChange={(keptBy) => change(k.key, { keptBy })} />
            <button type="button" className="button button-secondary button-small" onClick={() => setKept((list) => list.filter((x) => x.key !== k.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="button button-secondary button-small" onClick={() => setKept((list) => [...list, { key: ++keptKey, kind: 'practice', what: '', keptBy: '' }])}>
          Add something kept
        </button>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Save the ending'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
