import { type FormEvent, useState } from 'react';
import { RespondentRole } from '../../../../common/instruments.ts';
import { type IssuedInvitation, type NewInvitations, type Role, surveys, type Wave } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, linesOf, numberOf, useSubmission } from '../../components/form-state.tsx';
import { formatDate, formatNumber, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading } from '../../components/states.tsx';
import { IssuedList, roleLabel } from './issued-list.tsx';

type Kind = NewInvitations['kind'];

const kindText: Record<Kind, { label: string; hint: string; button: string }> = {
  links: { label: 'Personal links', hint: 'One link each, for one school and role; a label says who it is for (for reminders). Answers are never linked to it.', button: 'Issue the links' },
  code: { label: 'A shared code', hint: 'One code for a number of people, to put on a staffroom board or in a briefing; respondents choose what the code leaves open.', button: 'Create the code' },
  paper: { label: 'Paper forms', hint: 'A batch of printed forms handed out at a school; key in the returned ones below.', button: 'Record the batch' },
};

export const roleOptions = RespondentRole.codes.map((code) => ({ value: code, label: RespondentRole.labels[code] }));

/**
 * Invitations of a round: issue personal links, a shared code or a batch of paper forms for a
 * school and role; the links and codes appear once, to copy; the list below says what has come
 * back against each.
 */
export function InvitationsSection({ wave, version, onChanged }: { wave: Wave; version: number; onChanged: () => void }) {
  const invitations = useResource(`survey-invitations:${wave.id}:${version}`, (signal) => surveys.invitations(wave.id, signal));
  const [issued, setIssued] = useState<IssuedInvitation[] | null>(null);
  const closed = wave.status === 'closed';
  return (
    <section id="round-invitations" aria-labelledby="invitations-heading" className="panel" data-testid="round-invitations" aria-busy={invitations.state === 'loading'}>
      <h2 id="invitations-heading">Invitations</h2>
      {closed ? null : (
        <InviteForm
          wave={wave}
          onIssued={(items) => {
            setIssued(items);
            onChanged();
          }}
        />
      )}
      {issued ? (
        <IssuedList
          items={issued}
          testId="issued-invitations"
          title={issued[0]?.kind === 'paper' ? 'The batch of paper forms is recorded.' : issued.length === 1 ? 'Issued: send it now.' : `${issued.length} links issued: send them now.`}
        />
      ) : null}
      <h3>Issued so far</h3>
      {invitations.state === 'loading' ? <Loading label="Loading the invitations…" /> : null}
      {invitations.state === 'error' ? <ErrorNotice error={invitations.error} onRetry={invitations.reload} /> : null}
      {invitations.state === 'ready' && invitations.data.items.length === 0 ? (
        <Empty title="Nobody is invited yet.">
          <p>Issue personal links, a shared code or a batch of paper forms for each school taking part.</p>
        </Empty>
      ) : null}
      {invitations.state === 'ready' && invitations.data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table compact-table" data-testid="invitation-table">
            <caption className="visually-hidden">Invitations and their returns</caption>
            <thead>
              <tr>
                <th scope="col">For</th>
                <th scope="col">School</th>
                <th scope="col">Role</th>
                <th scope="col" className="num">
                  Returned
                </th>
                <th scope="col">Issued</th>
                <th scope="col">Reminded</th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.items.map((i) => (
                <tr key={i.id} data-kind={i.kind}>
                  <th scope="row">{i.label ?? (i.kind === 'code' ? 'Shared code' : 'Paper forms')}</th>
                  <td>{i.school?.name ?? <span className="muted">any school</span>}</td>
                  <td>{roleLabel(i.role)}</td>
                  <td className="num">
                    {formatNumber(i.returned)} of {formatNumber(i.capacity)}
                  </td>
                  <td className="nowrap">{formatDate(i.createdOn)}</td>
                  <td className="nowrap">{i.reminders > 0 ? `${plural(i.reminders, 'time')}, last ${formatDate(i.lastRemindedOn)}` : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function InviteForm({ wave, onIssued }: { wave: Wave; onIssued: (items: IssuedInvitation[]) => void }) {
  const [kind, setKind] = useState<Kind>('links');
  const [schoolId, setSchoolId] = useState(String(wave.schools[0]?.schoolId ?? ''));
  const [role, setRole] = useState<string>('teacher');
  const [labels, setLabels] = useState('');
  const [capacity, setCapacity] = useState('');
  const submission = useSubmission();
  const any = kind !== 'links';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const school = schoolId === '' ? null : Number(schoolId);
    const chosenRole = role === '' ? null : (role as Role);
    let body: NewInvitations;
    switch (kind) {
      case 'links':
        if (school === null || chosenRole === null) {
          submission.refuse([{ path: school === null ? 'schoolId' : 'role', message: 'a personal link is for one school and one role' }]);
          return;
        }
        body = { kind, schoolId: school, role: chosenRole, labels: linesOf(labels) };
        break;
      case 'code':
        body = { kind, schoolId: school, role: chosenRole, capacity: numberOf(capacity) };
        break;
      case 'paper':
        if (school === null) {
          submission.refuse([{ path: 'schoolId', message: 'paper forms are handed out at one school' }]);
          return;
        }
        body = { kind, schoolId: school, role: chosenRole, capacity: numberOf(capacity) };
        break;
      default: {
        const unknown: never = kind;
        throw new Error(`unknown kind ${String(unknown)}`);
      }
    }
    const made = await submission.run(() => surveys.invite(wave.id, body));
    if (made) {
      setLabels('');
      setCapacity('');
      onIssued(made.items);
    }
  };

  return (
    <form className="invite-round-form" onSubmit={submit} noValidate aria-label="Invite staff">
      <FormError submission={submission} title="Nothing was issued" />
      <fieldset className="field kind-choice">
        <legend>How</legend>
        {(Object.keys(kindText) as Kind[]).map((k) => (
          <label key={k} className="checkbox">
            <input
              type="radio"
              name="invite-kind"
              value={k}
              checked={kind === k}
              onChange={() => {
                setKind(k);
                submission.clear();
                if (k === 'links' && schoolId === '') setSchoolId(String(wave.schools[0]?.schoolId ?? ''));
                if (k === 'links' && role === '') setRole('teacher');
              }}
            />
            {kindText[k].label}
          </label>
        ))}
        <span className="hint">{kindText[kind].hint}</span>
      </fieldset>
      <div className="form-grid">
        <SelectField
          id="invite-school"
          label="School"
          value={schoolId}
          onChange={setSchoolId}
          options={[...(kind === 'code' ? [{ value: '', label: 'Any school (respondents choose)' }] : []), ...wave.schools.map((s) => ({ value: String(s.schoolId), label: s.name }))]}
          error={submission.fieldError('schoolId')}
        />
        <SelectField
          id="invite-role"
          label="Role"
          value={role}
          onChange={setRole}
          options={[...(any ? [{ value: '', label: kind === 'paper' ? 'Any role (each form says)' : 'Any role (they choose)' }] : []), ...roleOptions]}
          error={submission.fieldError('role')}
        />
        {kind === 'links' ? null : (
          <TextField
            id="invite-capacity"
            label={kind === 'code' ? 'How many people it is given to' : 'How many forms were handed out'}
            type="number"
            min={1}
            step={1}
            value={capacity}
            onChange={setCapacity}
            error={submission.fieldError('capacity')}
          />
        )}
      </div>
      {kind === 'links' ? (
        <TextAreaField
          id="invite-labels"
          label="Who each link is for, one a line"
          hint="A name, an email or “Teacher 3”: it lets you remind people, and is never joined to their answers"
          value={labels}
          onChange={setLabels}
          rows={4}
          error={submission.fieldError('labels')}
        />
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Issuing…' : kindText[kind].button}
        </button>
      </div>
    </form>
  );
}
