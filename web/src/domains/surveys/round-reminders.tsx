import { type FormEvent, useState } from 'react';
import { type ReminderRound, surveys, type Wave } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatNumber, plural } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { IssuedList, roleLabel } from './issued-list.tsx';

/**
 * Who has not returned, and a reminder: the coordinator ticks whom to remind, Trellis records it
 * and issues a fresh link or code for each to resend (earlier ones keep working). Trellis sends
 * no email itself.
 */
export function RemindersSection({ wave, version, onChanged }: { wave: Wave; version: number; onChanged: () => void }) {
  const reminders = useResource(`survey-reminders:${wave.id}:${version}`, (signal) => surveys.reminders(wave.id, signal));
  const [unticked, setUnticked] = useState<Set<number>>(new Set());
  const [note, setNote] = useState('');
  const [round, setRound] = useState<ReminderRound | null>(null);
  const submission = useSubmission();
  const outstanding = reminders.data?.outstanding ?? [];
  const chosen = outstanding.filter((i) => !unticked.has(i.id));
  const open = wave.status === 'open';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const made = await submission.run(() =>
      surveys.remind(wave.id, { invitationIds: chosen.map((i) => i.id), note: note.trim() || null }),
    );
    if (made) {
      setRound(made);
      setNote('');
      setUnticked(new Set());
      onChanged();
    }
  };

  return (
    <section id="round-reminders" aria-labelledby="reminders-heading" className="panel" data-testid="round-reminders" aria-busy={reminders.state === 'loading'}>
      <h2 id="reminders-heading">Reminders</h2>
      {reminders.state === 'loading' ? <Loading label="Finding who has not returned…" /> : null}
      {reminders.state === 'error' ? <ErrorNotice error={reminders.error} onRetry={reminders.reload} /> : null}
      {round ? (
        <IssuedList
          items={round.items}
          testId="reminder-links"
          title={`Reminder recorded on ${formatDate(round.remindedOn)}: resend ${round.items.length === 1 ? 'this' : 'these'} (earlier links still work).`}
        />
      ) : null}
      {reminders.data ? (
        outstanding.length === 0 ? (
          <p className="muted">Every invitation has been returned in full{wave.status === 'draft' ? ', or none has been issued yet' : ''}.</p>
        ) : (
          <form onSubmit={submit} noValidate aria-label="Send a reminder">
            <FormError submission={submission} title="The reminder was not recorded" />
            <div className="table-wrap">
              <table className="data-table compact-table" data-testid="outstanding">
                <caption>Not yet returned ({plural(outstanding.length, 'invitation')})</caption>
                <thead>
                  <tr>
                    <th scope="col">Remind</th>
                    <th scope="col">For</th>
                    <th scope="col">School</th>
                    <th scope="col">Role</th>
                    <th scope="col" className="num">
                      Returned
                    </th>
                    <th scope="col">Reminded</th>
                  </tr>
                </thead>
                <tbody>
                  {outstanding.map((i) => {
                    const who = i.label ?? (i.kind === 'code' ? 'Shared code' : 'Paper forms');
                    return (
                      <tr key={i.id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Remind ${who}`}
                            checked={!unticked.has(i.id)}
                            disabled={!open}
                            onChange={(e) =>
                              setUnticked((u) => {
                                const next = new Set(u);
                                if (e.target.checked) next.delete(i.id);
                                else next.add(i.id);
                                return next;
                              })
                            }
                          />
                        </td>
                        <th scope="row">{who}</th>
                        <td>{i.school?.name ?? <span className="muted">any school</span>}</td>
                        <td>{roleLabel(i.role)}</td>
                        <td className="num">
                          {formatNumber(i.returned)} of {formatNumber(i.capacity)}
                        </td>
                        <td className="nowrap">{i.reminders > 0 ? `${plural(i.reminders, 'time')}, last ${formatDate(i.lastRemindedOn)}` : <span className="muted">not yet</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {open ? (
              <>
                <TextField id="reminder-note" label="Note for the record (optional)" hint="e.g. Reminder after the staff briefing" value={note} onChange={setNote} error={submission.fieldError('note')} />
                <div className="form-actions">
                  <button type="submit" className="button" disabled={submission.busy || chosen.length === 0}>
                    {submission.busy ? 'Recording…' : `Remind ${plural(chosen.length, 'invitation')} and get fresh links`}
                  </button>
                </div>
              </>
            ) : (
              <p className="hint">Reminders are sent while the round is open.</p>
            )}
          </form>
        )
      ) : null}
      {reminders.data && reminders.data.history.length > 0 ? (
        <>
          <h3>Reminders sent</h3>
          <ul className="reminder-history">
            {reminders.data.history.map((h) => (
              <li key={h.id}>
                {formatDate(h.remindedOn)}: {plural(h.invitations, 'invitation')}
                {h.by ? `, by ${h.by}` : ''}
                {h.note ? ` — ${h.note}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
