import { useState } from 'react';
import { PartnershipStage } from '../../../../common/partnerships.ts';
import { type NextStep, type Plan, partnerships } from '../../api/partnerships.ts';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatDateTime, labelOf } from '../../components/format.ts';

/** The lifecycle as people read it: the usual path, with Renewed and Ending as its two turnings. */
const path: Plan['stage'][] = ['forming', 'active', 'under_review', 'renewed', 'ending', 'ended'];

/** Where the partnership stands and where it may go next, each move with what it still needs. */
export function StageSection({ plan, editable, onMoved }: { plan: Plan; editable: boolean; onMoved: (plan: Plan) => void }) {
  return (
    <section id="plan-stage" aria-labelledby="stage-heading" className="panel" data-testid="plan-stage" data-stage={plan.stage}>
      <h2 id="stage-heading">Stage</h2>
      <ol className="lifecycle" aria-label="The lifecycle of a partnership">
        {path.map((s) => (
          <li key={s} className={s === plan.stage ? 'is-current' : undefined} aria-current={s === plan.stage ? 'step' : undefined}>
            {labelOf(PartnershipStage.labels, s)}
          </li>
        ))}
      </ol>
      <p>
        The partnership is <strong data-testid="plan-stage-label">{labelOf(PartnershipStage.labels, plan.stage)}</strong>.
        {plan.nextSteps.length === 0 ? ' It has ended and is kept as a record.' : ''}
      </p>
      {plan.nextSteps.length > 0 ? (
        <>
          <h3>What can happen next</h3>
          <ul className="next-steps">
            {plan.nextSteps.map((step) => (
              <NextStepItem key={step.to} plan={plan} step={step} editable={editable} onMoved={onMoved} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function NextStepItem({ plan, step, editable, onMoved }: { plan: Plan; step: NextStep; editable: boolean; onMoved: (plan: Plan) => void }) {
  const [note, setNote] = useState('');
  const submission = useSubmission();
  const label = labelOf(PartnershipStage.labels, step.to);
  const noteId = `move-note-${step.to}`;
  const move = async () => {
    const trimmed = note.trim();
    const next = await submission.run(() => partnerships.transition(plan.id, { to: step.to, ...(trimmed ? { note: trimmed } : {}) }));
    if (next) onMoved(next);
  };
  return (
    <li className={`next-step${step.allowed ? ' is-allowed' : ''}`} data-to={step.to}>
      <p className="next-step-title">
        <strong>{label}</strong>: {step.meaning}.
      </p>
      {step.missing.length > 0 ? (
        <div className="still-needed">
          <p>Still needed:</p>
          <ul>
            {step.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {editable ? (
        <>
          <FormError submission={submission} title={`The partnership was not moved to ${label}`} />
          {step.allowed ? (
            <div className="field note-field">
              <label htmlFor={noteId}>{step.needsNote ? 'Why (needed for this move)' : 'Note for the history (optional)'}</label>
              <input id={noteId} type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          ) : null}
          <button
            type="button"
            className="button button-small"
            disabled={!step.allowed || submission.busy || (step.needsNote && note.trim() === '')}
            aria-busy={submission.busy}
            onClick={() => {
              move().catch(() => undefined);
            }}
          >
            {submission.busy ? 'Moving…' : `Move to ${label}`}
          </button>
        </>
      ) : null}
    </li>
  );
}

/** Every change of stage, oldest first: who moved it, when and why. */
export function HistorySection({ plan }: { plan: Plan }) {
  return (
    <section id="plan-history" aria-labelledby="history-heading" className="panel" data-testid="plan-history">
      <h2 id="history-heading">History</h2>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Every change of stage, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {plan.history.map((h) => (
              <tr key={h.id}>
                <td className="nowrap" title={formatDateTime(h.at)}>
                  {formatDate(h.on)}
                </td>
                <td>{h.from ? `${labelOf(PartnershipStage.labels, h.from)} → ${labelOf(PartnershipStage.labels, h.to)}` : `Formed (${labelOf(PartnershipStage.labels, h.to)})`}</td>
                <td>{h.by ?? <span className="muted">—</span>}</td>
                <td>{h.note ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
