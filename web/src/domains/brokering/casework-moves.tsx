import { useState } from 'react';
import { SupportOutcome } from '../../../../common/brokering.ts';
import { SelectField, TextAreaField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { brokering, type RequestView } from './brokering.api.ts';

type Move = { key: string; title: string; meaning: string; button: string; note?: { label: string; required: boolean }; outcome?: true; send: (note: string, outcome: string) => Promise<RequestView> };

/**
 * The moves the casework allows from here, for whoever may make them: the broker starts,
 * reviews, continues and closes the support; the broker or the requesting school's leaders
 * withdraw a request before a match. The server checks every move again (409 with the reason).
 */
export function CaseworkMoves({ view, isBroker, onMoved }: { view: RequestView; isBroker: boolean; onMoved: (v: RequestView) => void }) {
  const id = view.id;
  const moves: Move[] = [];
  if (isBroker && view.status === 'matched') {
    moves.push({
      key: 'start',
      title: 'Start the support',
      meaning: 'The support partnership becomes active; both schools must have signed its agreement first.',
      button: 'Start the support',
      send: () => brokering.start(id),
    });
  }
  if (isBroker && view.status === 'in_support') {
    moves.push({
      key: 'review',
      title: 'Record a review',
      meaning: 'What the two schools found when they reviewed the support with you.',
      button: 'Record the review',
      note: { label: 'Summary of the review', required: true },
      send: (note) => brokering.review(id, { note }),
    });
  }
  if (isBroker && view.status === 'reviewed') {
    moves.push({
      key: 'continue',
      title: 'Carry on',
      meaning: 'The review found the support worth continuing.',
      button: 'Carry on with the support',
      note: { label: 'Note (optional)', required: false },
      send: (note) => brokering.continue(id, note ? { note } : {}),
    });
    moves.push({
      key: 'close',
      title: 'Close with the outcome',
      meaning: 'Ends the request; the supporter’s days are freed.',
      button: 'Close the request',
      note: { label: 'Note on the outcome (optional)', required: false },
      outcome: true,
      send: (note, outcome) => brokering.close(id, { outcome, ...(note ? { note } : {}) }),
    });
  }
  if ((isBroker || view.viewer.requester) && (view.status === 'open' || view.status === 'shortlisted' || view.status === 'introduced')) {
    moves.push({
      key: 'withdraw',
      title: 'Withdraw the request',
      meaning: 'Before a match only; a waiting introduction is withdrawn with it.',
      button: 'Withdraw the request',
      note: { label: 'Why it is withdrawn', required: true },
      send: (reason) => brokering.withdraw(id, { reason }),
    });
  }
  if (moves.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="moves-heading" data-testid="casework-moves">
      <h2 id="moves-heading">Move the casework on</h2>
      <ul className="next-steps">
        {moves.map((m) => (
          <MoveItem key={m.key} move={m} onMoved={onMoved} />
        ))}
      </ul>
    </section>
  );
}

function MoveItem({ move, onMoved }: { move: Move; onMoved: (v: RequestView) => void }) {
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<string>(SupportOutcome.codes[0]);
  const submission = useSubmission();
  const run = async () => {
    const v = await submission.run(() => move.send(note.trim(), outcome));
    if (v) onMoved(v);
  };
  return (
    <li className="next-step is-allowed" data-move={move.key}>
      <p className="next-step-title">
        <strong>{move.title}</strong>: {move.meaning}
      </p>
      <FormError submission={submission} title={`${move.title}: not done`} />
      {move.outcome ? (
        <SelectField
          id={`move-outcome-${move.key}`}
          label="Outcome"
          value={outcome}
          onChange={setOutcome}
          options={SupportOutcome.codes.map((c) => ({ value: c, label: SupportOutcome.labels[c] }))}
          error={submission.fieldError('outcome')}
        />
      ) : null}
      {move.note ? <TextAreaField id={`move-note-${move.key}`} label={move.note.label} value={note} onChange={setNote} rows={2} error={submission.fieldError('note') ?? submission.fieldError('reason')} /> : null}
      <button
        type="button"
        className={`button button-small${move.key === 'withdraw' ? ' button-secondary' : ''}`}
        disabled={submission.busy || (move.note?.required === true && note.trim() === '')}
        aria-busy={submission.busy}
        onClick={() => run().catch(() => undefined)}
      >
        {move.button}
      </button>
    </li>
  );
}
