import { type FormEvent, useState } from 'react';
import { MeetingFrequency } from '../../../../common/partnerships.ts';
import { type Meeting, type Plan, partnerships } from '../../api/partnerships.ts';
import { useResource } from '../../api/use-resource.ts';
import { TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, linesOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatPercent, labelOf, plural, today } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';

/** "Ann Lee (head), Bo Chan" → people with roles. */
function peopleOf(text: string): { name: string; role: string | null }[] {
  return text
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(t);
      return m ? { name: m[1]?.trim() ?? t, role: m[2]?.trim() || null } : { name: t, role: null };
    });
}

const person = (p: { name: string; role: string | null }) => (p.role ? `${p.name} (${p.role})` : p.name);

/** Meetings and attendance against the agreement's expectation; schools below it are flagged. */
export function MeetingsSection({ plan, editable, onChanged }: { plan: Plan; editable: boolean; onChanged: () => Promise<void> }) {
  const [recording, setRecording] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const all = useResource(showAll ? `meetings:${plan.id}:${plan.meetingCount}` : null, (signal) => partnerships.meetings(plan.id, signal));
  const a = plan.attendance;
  const flagged = a.schools.filter((s) => s.belowExpectation);
  const meetings = showAll && all.state === 'ready' ? all.data.items : plan.recentMeetings;
  return (
    <section id="plan-meetings" aria-labelledby="meetings-heading" className="panel" data-testid="plan-meetings">
      <div className="panel-head">
        <h2 id="meetings-heading">Meetings and attendance</h2>
        {editable && !recording ? (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setRecording(true);
              setMessage(null);
            }}
          >
            Record a meeting
          </button>
        ) : null}
      </div>
      <p>
        {plural(a.meetingsHeld, 'meeting')} from {formatDate(a.from)} to {formatDate(a.to)}
        {a.frequency && a.meetingsExpected ? `; meeting ${labelOf(MeetingFrequency.labels, a.frequency).toLowerCase()} would make about ${a.meetingsExpected}` : ''}.
        {a.minAttendancePct !== null ? ` Each school is expected at ${a.minAttendancePct}% of meetings or more.` : ' The agreement sets no minimum attendance.'}
        {a.consequence ? ` Below that: ${a.consequence}` : ''}
      </p>
      {flagged.length > 0 ? (
        <p className="notice notice-warning" data-testid="attendance-flagged">
          Below the agreed attendance: {flagged.map((s) => s.name).join(', ')}.
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {message ? <p className="notice notice-success">{message}</p> : null}
      </div>
      {recording ? (
        <MeetingForm
          plan={plan}
          onCancel={() => setRecording(false)}
          onSaved={async (m) => {
            setRecording(false);
            await onChanged();
            setMessage(`Meeting recorded: ${m.title}, ${formatDate(m.heldOn)}.`);
          }}
        />
      ) : null}
      {a.schools.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="attendance">
            <caption>Attendance by school</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col" className="num">
                  Expected at
                </th>
                <th scope="col" className="num">
                  Attended
                </th>
                <th scope="col" className="num">
                  Rate
                </th>
              </tr>
            </thead>
            <tbody>
              {a.schools.map((s) => (
                <tr key={s.schoolId} className={s.belowExpectation ? 'is-flagged' : undefined} data-below={s.belowExpectation}>
                  <th scope="row">
                    {s.name}
                    {s.belowExpectation ? <span className="badge badge-warning">Below the agreed attendance</span> : null}
                  </th>
                  <td className="num">{s.expected}</td>
                  <td className="num">{s.attended}</td>
                  <td className="num">{s.ratePct === null ? '—' : formatPercent(s.ratePct)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h3>{showAll ? 'Every meeting' : 'Latest meetings'}</h3>
      {meetings.length === 0 ? <p className="muted">No meetings recorded yet.</p> : null}
      <ul className="meeting-list">
        {meetings.map((m) => (
          <MeetingItem key={m.id} meeting={m} />
        ))}
      </ul>
      {showAll && all.state === 'loading' ? <Loading label="Loading every meeting…" /> : null}
      {showAll && all.state === 'error' ? <ErrorNotice error={all.error} onRetry={all.reload} /> : null}
      {!showAll && plan.meetingCount > plan.recentMeetings.length ? (
        <button type="button" className="button button-secondary button-small" onClick={() => setShowAll(true)}>
          Show all {plan.meetingCount} meetings
        </button>
      ) : null}
    </section>
  );
}

function MeetingItem({ meeting: m }: { meeting: Meeting }) {
  return (
    <li className="meeting">
      <p className="meeting-title">
        <strong>{m.title}</strong> <span className="muted">{formatDate(m.heldOn)}</span>
      </p>
      {m.notes ? <p>{m.notes}</p> : null}
      <p className="small">
        Present:{' '}
        {m.attendance.length === 0
          ? 'no member school'
          : m.attendance.map((a) => `${a.name} (${a.attendees.map(person).join(', ')})`).join('; ')}
        {m.otherAttendees.length > 0 ? `; also ${m.otherAttendees.map(person).join(', ')}` : ''}.
      </p>
      {m.absent.length > 0 ? <p className="small muted">Absent: {m.absent.map((s) => s.name).join(', ')}.</p> : null}
    </li>
  );
}

function MeetingForm({ plan, onCancel, onSaved }: { plan: Plan; onCancel: () => void; onSaved: (m: Meeting) => Promise<void> }) {
  const [heldOn, setHeldOn] = useState(today());
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const [present, setPresent] = useState<Record<number, string>>({});
  const [others, setOthers] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() =>
      partnerships.recordMeeting(plan.id, {
        heldOn,
        title,
        notes: notes.trim() || null,
        attendance: Object.entries(present).map(([schoolId, text]) => ({ schoolId: Number(schoolId), attendees: peopleOf(text) })),
        otherAttendees: linesOf(others).flatMap(peopleOf),
      }),
    );
    if (saved) await onSaved(saved);
  };
  return (
    <form className="meeting-form" onSubmit={submit} noValidate aria-label="Record a meeting">
      <FormError submission={submission} title="The meeting was not recorded" />
      <div className="form-grid">
        <TextField id="meeting-date" label="Held on" type="date" value={heldOn} onChange={setHeldOn} error={submission.fieldError('heldOn')} />
        <TextField id="meeting-title" label="Title" hint="e.g. Heads’ meeting" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      </div>
      <TextAreaField id="meeting-notes" label="Notes (optional)" value={notes} onChange={setNotes} error={submission.fieldError('notes')} />
      <fieldset className="form-section">
        <legend>Which schools were represented, and by whom</legend>
        {submission.fieldError('attendance') ? <span className="field-error">{submission.fieldError('attendance')}</span> : null}
        {plan.members.map((m) => {
          const here = m.schoolId in present;
          return (
            <div key={m.schoolId} className="repeat-row">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={here}
                  onChange={(e) =>
                    setPresent((p) => {
                      const next = { ...p };
                      if (e.target.checked) next[m.schoolId] = '';
                      else delete next[m.schoolId];
                      return next;
                    })
                  }
                />
                {m.name}
              </label>
              {here ? (
                <TextField
                  id={`meeting-people-${m.schoolId}`}
                  label={`Who came for ${m.name}`}
                  hint="Names, separated by commas; a role in brackets, e.g. Ann Lee (head)"
                  value={present[m.schoolId] ?? ''}
                  onChange={(text) => setPresent((p) => ({ ...p, [m.schoolId]: text }))}
                />
              ) : null}
            </div>
          );
        })}
        <p className="hint">A school not ticked counts as absent, if it was a member on the day.</p>
      </fieldset>
      <TextAreaField id="meeting-others" label="Others present (optional)" hint="One a line, e.g. Sam Reid (coordinator)" value={others} onChange={setOthers} error={submission.fieldError('otherAttendees')} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Saving…' : 'Record the meeting'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
