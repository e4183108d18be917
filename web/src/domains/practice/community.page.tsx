import { type FormEvent, useState } from 'react';
import { MeetingFrequency } from '../../../../common/partnerships.ts';
import { CommunityKind, Participation } from '../../../../common/practice.ts';
import { registry } from '../../api/registry.ts';
import { useEditableResource, useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, plural, today } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { practiceSchoolsOf } from './my-schools.ts';
import { type Community, communities, library } from './practice.api.ts';
import './practice.css';

type Member = Community['members'][number];

/**
 * /communities/:id: a community of practice: its domain and rhythm (and whether it is kept),
 * members by level of participation with their attendance over the year, meetings, and outputs
 * (linked to the practice library); anyone who works at a member school may join or leave.
 */
export function CommunityPage({ id }: { id: number }) {
  const { loaded, value: community, setValue: setCommunity } = useEditableResource(`community:${id}`, (signal) => communities.get(id, signal));
  useDocumentTitle(community ? `${community.name} · Community of practice` : 'Community of practice');
  if (!community) {
    return (
      <article className="community-page">
        <h1 className="placeholder-heading">Community of practice</h1>
        {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : <Loading label="Loading the community…" />}
      </article>
    );
  }
  const c = community;
  const current = c.members.filter((m) => m.leftOn === null);
  const check = c.rhythmCheck;
  return (
    <article className="community-page" data-testid="community" data-community={c.id}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/networks/${c.network.id}`}>{c.network.name}</Link> <span aria-hidden="true">›</span> <Link to={`/networks/${c.network.id}/communities`}>Communities</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{c.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <p className="kicker">Community of practice · {CommunityKind.labels[c.kind]}</p>
          <h1>{c.name}</h1>
          <p className="lede">{c.domain}</p>
        </div>
      </div>
      <section className="panel" aria-labelledby="rhythm-heading" data-testid="rhythm">
        <h2 id="rhythm-heading">Rhythm</h2>
        <Facts
          items={[
            ['Means to meet', labelOf(MeetingFrequency.labels, c.rhythm)],
            ['Since', formatDate(c.startedOn)],
            ['Closed', formatDate(c.closedOn)],
            ['Members', `${plural(current.length, 'member')} from ${plural(c.schools, 'school')}`],
            ['Last twelve months', `${plural(check.heldLastYear, 'meeting')} held of about ${check.expectedLastYear} the rhythm implies`],
          ]}
        />
        <p className={`notice ${check.kept ? 'notice-success' : 'notice-warning'}`} data-kept={check.kept}>
          {check.kept ? 'The rhythm is kept: at least three quarters of the meetings it implies were held.' : 'The rhythm is not kept: fewer than three quarters of the meetings it implies were held.'}
        </p>
      </section>
      <MembersSection community={c} onChanged={setCommunity} />
      <MeetingsSection community={c} onChanged={setCommunity} />
      <OutputsSection community={c} onChanged={setCommunity} />
    </article>
  );
}

function MembersSection({ community: c, onChanged }: { community: Community; onChanged: (c: Community) => void }) {
  const me = useMe();
  const members = useResource(`members-today:${c.network.id}`, (signal) => registry.members(c.network.id, today(), undefined, signal));
  const memberIds = new Set((members.data?.items ?? []).map((m) => m.school.id));
  const mySchools = practiceSchoolsOf(me).filter((s) => memberIds.has(s.id));
  const mine = c.members.find((m) => m.personId === me.id && m.leftOn === null);
  const [schoolId, setSchoolId] = useState('');
  const [level, setLevel] = useState<Member['participation']>('peripheral');
  const submission = useSubmission();
  const join = () =>
    submission
      .run(() => communities.putMember(c.id, me.id, { schoolId: Number(schoolId || mySchools[0]?.id), participation: level }))
      .then((next) => next && onChanged(next))
      .catch(() => undefined);
  const leave = () =>
    submission
      .run(() => communities.removeMember(c.id, me.id))
      .then((next) => next && onChanged(next))
      .catch(() => undefined);
  const past = c.members.filter((m) => m.leftOn !== null);
  return (
    <section className="panel" aria-labelledby="members-heading" data-testid="community-members">
      <h2 id="members-heading">Members</h2>
      <p className="hint">Every level of participation is welcome: the core leads and shapes it, active members take part regularly, peripheral members follow and join now and then.</p>
      <div className="participation-levels">
        {Participation.codes.map((level) => {
          const at = c.members.filter((m) => m.leftOn === null && m.participation === level);
          return (
            <div key={level} className={`participation participation-${level}`} data-level={level}>
              <h3>{Participation.labels[level].split(' (')[0]}</h3>
              <p className="small muted">{Participation.labels[level].match(/\((.*)\)/)?.[1] ?? ''}</p>
              {at.length === 0 ? <p className="muted small">Nobody.</p> : null}
              <ul className="member-list">
                {at.map((m) => (
                  <li key={m.personId} data-person={m.personId}>
                    <strong>{m.name}</strong>
                    {m.facilitator ? <span className="badge badge-kind">Facilitator</span> : null}
                    <span className="sub">
                      {m.school.name} · came to {plural(m.attendedLastYear, 'meeting')} in the last year
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {past.length > 0 ? <p className="small muted">Former members: {past.map((m) => `${m.name} (left ${formatDate(m.leftOn)})`).join(', ')}.</p> : null}
      <FormError submission={submission} title={mine ? 'You did not leave' : 'You did not join'} />
      {c.status === 'active' && mine ? (
        <button type="button" className="button button-secondary button-small" disabled={submission.busy} onClick={leave}>
          Leave the community
        </button>
      ) : null}
      {c.status === 'active' && !mine && mySchools.length > 0 ? (
        <div className="inline-form join-form">
          {mySchools.length > 1 ? (
            <SelectField id="join-school" label="From my school" value={schoolId || String(mySchools[0]!.id)} onChange={setSchoolId} options={mySchools.map((s) => ({ value: String(s.id), label: s.name }))} />
          ) : null}
          <SelectField
            id="join-level"
            label="Taking part as"
            value={level}
            onChange={(v) => setLevel(v as Member['participation'])}
            options={Participation.codes.map((p) => ({ value: p, label: Participation.labels[p] }))}
          />
          <button type="button" className="button button-small" disabled={submission.busy} onClick={join}>
            Join the community
          </button>
        </div>
      ) : null}
    </section>
  );
}

function MeetingsSection({ community: c, onChanged }: { community: Community; onChanged: (c: Community) => void }) {
  const [recording, setRecording] = useState(false);
  return (
    <section className="panel" aria-labelledby="meetings-heading" data-testid="community-meetings">
      <div className="panel-head">
        <h2 id="meetings-heading">Meetings</h2>
        {c.viewer.canEdit && c.status === 'active' && !recording ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setRecording(true)}>
            Record a meeting
          </button>
        ) : null}
      </div>
      {recording ? (
        <MeetingForm
          community={c}
          onCancel={() => setRecording(false)}
          onSaved={(next) => {
            setRecording(false);
            onChanged(next);
          }}
        />
      ) : null}
      {c.meetings.length === 0 ? <p className="muted">No meetings recorded yet.</p> : null}
      <ul className="meeting-list">
        {c.meetings.map((m) => (
          <li key={m.id} className="meeting">
            <p className="meeting-title">
              <strong>{m.title}</strong> <span className="muted">{formatDate(m.heldOn)}</span>
            </p>
            {m.notes ? <p>{m.notes}</p> : null}
            <p className="small">Present: {m.attendees.map((a) => `${a.name} (${a.schoolName})`).join(', ')}.</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MeetingForm({ community: c, onCancel, onSaved }: { community: Community; onCancel: () => void; onSaved: (c: Community) => void }) {
  const [heldOn, setHeldOn] = useState(today());
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const [attendees, setAttendees] = useState<number[]>([]);
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => communities.addMeeting(c.id, { heldOn, title, notes: notes.trim() || null, attendees }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Record a meeting">
      <FormError submission={submission} title="The meeting was not recorded" />
      <div className="form-grid">
        <TextField id="meeting-on" type="date" label="Held on" value={heldOn} onChange={setHeldOn} error={submission.fieldError('heldOn')} />
        <TextField id="meeting-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      </div>
      <TextAreaField id="meeting-notes" label="Notes (optional)" value={notes} onChange={setNotes} />
      <fieldset className="form-section">
        <legend>Who came</legend>
        {submission.fieldError('attendees') ? <span className="field-error">{submission.fieldError('attendees')}</span> : null}
        {c.members
          .filter((m) => m.leftOn === null)
          .map((m) => (
            <label key={m.personId} className="checkbox">
              <input type="checkbox" checked={attendees.includes(m.personId)} onChange={(e) => setAttendees((a) => (e.target.checked ? [...a, m.personId] : a.filter((x) => x !== m.personId)))} />
              {m.name} ({m.school.name})
            </label>
          ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Record the meeting
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function OutputsSection({ community: c, onChanged }: { community: Community; onChanged: (c: Community) => void }) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="panel" aria-labelledby="outputs-heading" data-testid="community-outputs">
      <div className="panel-head">
        <h2 id="outputs-heading">What it has made</h2>
        {c.viewer.canEdit && c.status === 'active' && !adding ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setAdding(true)}>
            Record an output
          </button>
        ) : null}
      </div>
      {adding ? (
        <OutputForm
          community={c}
          onCancel={() => setAdding(false)}
          onSaved={(next) => {
            setAdding(false);
            onChanged(next);
          }}
        />
      ) : null}
      {c.outputs.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
      <ul className="link-list">
        {c.outputs.map((o) => (
          <li key={o.id}>
            <strong>{o.title}</strong> <span className="muted small">{formatDate(o.producedOn)}</span>
            {o.description ? <p className="small">{o.description}</p> : null}
            {o.practice ? (
              <p className="small">
                In the library: <Link to={`/practices/${o.practice.id}`}>{o.practice.title}</Link>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function OutputForm({ community: c, onCancel, onSaved }: { community: Community; onCancel: () => void; onSaved: (c: Community) => void }) {
  const practices = useResource(`practices:network:${c.network.id}`, (signal) => library.search({ networkId: c.network.id, limit: 100 }, signal));
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [practiceId, setPracticeId] = useState('');
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = await submission.run(() => communities.addOutput(c.id, { title, description: description.trim() || null, practiceId: practiceId ? Number(practiceId) : null }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="practice-form" onSubmit={submit} noValidate aria-label="Record an output">
      <FormError submission={submission} title="The output was not recorded" />
      <TextField id="output-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      <TextAreaField id="output-description" label="Description (optional)" value={description} onChange={setDescription} />
      <SelectField
        id="output-practice"
        label="A practice in the library (optional)"
        value={practiceId}
        onChange={setPracticeId}
        options={[{ value: '', label: 'None' }, ...(practices.data?.items ?? []).map((p) => ({ value: String(p.id), label: `${p.title} — ${p.school.name}` }))]}
        error={submission.fieldError('practiceId')}
      />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          Record the output
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
