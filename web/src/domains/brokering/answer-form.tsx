import { useState } from 'react';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { type AnswerInput, brokering, type Introduction, type RequestView } from './brokering.api.ts';

/**
 * One side's answer to an introduction: accept or decline, with a note both the broker and the
 * other school read. The server decides which side the viewer answers for (`viewerAnswers`).
 */
export function AnswerForm({ introduction, onAnswered }: { introduction: Introduction; onAnswered: (view: RequestView, answer: AnswerInput['answer']) => void }) {
  const [note, setNote] = useState('');
  const submission = useSubmission();
  const side = introduction.viewerAnswers;
  if (!side) return null;
  const noteId = `answer-note-${introduction.id}`;
  const send = async (answer: AnswerInput['answer']) => {
    const trimmed = note.trim();
    const view = await submission.run(() => brokering.answer(introduction.id, { answer, side, ...(trimmed ? { note: trimmed } : {}) }));
    if (view) onAnswered(view, answer);
  };
  return (
    <form
      className="answer-form"
      aria-label={`Answer for the ${side === 'requester' ? 'requesting' : 'supporting'} school`}
      onSubmit={(e) => {
        e.preventDefault();
        send('accepted').catch(() => undefined);
      }}
    >
      <FormError submission={submission} title="Your answer was not recorded" />
      <p className="hint">
        You answer for the {side === 'requester' ? 'school that asked for support' : `supporting side (${introduction.offer?.person ? introduction.offer.person.name : introduction.supporter.name})`}.
        The match is made once both sides accept; a decline sends the request back to the broker’s shortlist.
      </p>
      <div className="field">
        <label htmlFor={noteId}>Note to the broker and the other school (optional)</label>
        <textarea id={noteId} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <div className="button-row">
        <button type="submit" className="button button-small" disabled={submission.busy} aria-busy={submission.busy}>
          Accept
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={submission.busy}
          onClick={() => {
            send('declined').catch(() => undefined);
          }}
        >
          Decline
        </button>
      </div>
    </form>
  );
}
