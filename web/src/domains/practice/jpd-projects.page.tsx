import { type FormEvent, useState } from 'react';
import { JpdRole, JpdStatus, jpdSchools } from '../../../../common/practice.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMyPlaces } from '../activities/my-places.ts';
import { useMe } from '../access/session.tsx';
import { communities, type JpdParticipant, jpd } from './practice.api.ts';
import './practice.css';

export function JpdStatusBadge({ status }: { status: keyof typeof JpdStatus.labels }) {
  return (
    <span className={`badge jpd-status jpd-${status}`} data-status={status}>
      {JpdStatus.labels[status]}
    </span>
  );
}

/**
 * /practice/projects: joint practice development projects the reader takes part in or runs
 * (optionally of one network), and the form that starts one: a problem of practice, a pair or
 * triad of a network's schools, and who takes part.
 */
export function JpdProjectsPage() {
  const me = useMe();
  const location = useLocation();
  const networkParam = Number(location.searchParams.get('networkId'));
  const networkId = Number.isInteger(networkParam) && networkParam > 0 ? networkParam : null;
  const list = useResource(`jpd-projects:${networkId ?? ''}`, (signal) => jpd.list(networkId ? { networkId } : {}, signal));
  const places = useMyPlaces(me);
  const [creating, setCreating] = useState(false);
  useDocumentTitle('Joint practice development');
  return (
    <article className="jpd-projects" data-testid="jpd-projects" aria-busy={list.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/practice">Practice</Link> <span aria-hidden="true">›</span> <span aria-current="page">JPD projects</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Joint practice development</h1>
          <p className="lede">
            Pairs and triads of schools working on a problem of practice together, in cycles: plan together, teach and observe, reflect with a coach, refine. What they develop goes
            to the library.
          </p>
        </div>
        {places.networks.length > 0 && !creating ? (
          <div className="page-head-side">
            <button type="button" className="button button-small" onClick={() => setCreating(true)}>
              Start a project
            </button>
          </div>
        ) : null}
      </div>
      {places.networks.length > 1 ? (
        <p>
          Show:{' '}
          <Link to="/practice/projects" aria-current={networkId === null ? 'page' : undefined}>
            all
          </Link>
          {places.networks.map((n) => (
            <span key={n.id}>
              {' · '}
              <Link to={withQuery('/practice/projects', { networkId: n.id })} aria-current={networkId === n.id ? 'page' : undefined}>
                {n.name}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
      {creating ? <NewProjectForm networks={places.networks} initialNetwork={networkId} onCancel={() => setCreating(false)} /> : null}
      <section className="panel" aria-labelledby="projects-heading">
        <h2 id="projects-heading">Projects</h2>
        {list.state === 'loading' ? <Loading label="Loading the projects…" /> : null}
        {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.data.items.length === 0 ? <Empty title="No projects you can open." /> : null}
        {list.state === 'ready' && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="jpd-list">
              <caption className="visually-hidden">Joint practice development projects, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Schools</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Cycles
                  </th>
                  <th scope="col">Started</th>
                  <th scope="col">In the library</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id} data-project={p.id}>
                    <th scope="row">
                      <Link to={`/jpd-projects/${p.id}`}>{p.title}</Link>
                      {p.network ? <span className="sub">{p.network.name}</span> : null}
                    </th>
                    <td>{p.schools.map((s) => s.name).join(' · ')}</td>
                    <td>
                      <JpdStatusBadge status={p.status} />
                    </td>
                    <td className="num">
                      {p.completedCycles}/{p.cycles}
                    </td>
                    <td className="nowrap">{formatDate(p.startedOn)}</td>
                    <td>{p.practiceId ? <Link to={`/practices/${p.practiceId}`}>Published</Link> : <span className="muted">Not yet</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </article>
  );
}

type Row = { key: number; personId: string; role: JpdParticipant['role'] };

function NewProjectForm({ networks, initialNetwork, onCancel }: { networks: { id: number; name: string }[]; initialNetwork: number | null; onCancel: () => void }) {
  const [networkId, setNetworkId] = useState(String(initialNetwork ?? networks[0]?.id ?? ''));
  const members = useResource(networkId ? `members-today:${networkId}` : null, (signal) => registry.members(Number(networkId), today(), undefined, signal));
  const people = useResource(networkId ? `practitioners:${networkId}` : null, (signal) => communities.practitioners(Number(networkId), undefined, signal));
  const [title, setTitle] = useState('');
  const [problem, setProblem] = useState('');
  const [schoolIds, setSchoolIds] = useState<number[]>([]);
  const [rows, setRows] = useState<Row[]>([{ key: 0, personId: '', role: 'coach' }]);
  const submission = useSubmission();
  const schools = (members.data?.items ?? []).map((m) => ({ id: m.school.id, name: m.school.name }));
  const candidates = (people.data?.items ?? []).filter((x) => schoolIds.includes(x.schoolId));
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const participants = rows
      .filter((r) => r.personId)
      .map((r) => {
        const [personId, schoolId] = r.personId.split(':').map(Number);
        return { personId: personId!, schoolId: schoolId!, role: r.role };
      });
    const created = await submission.run(() => jpd.create({ title, problem, networkId: networkId ? Number(networkId) : null, schoolIds, participants }));
    if (created) navigate(`/jpd-projects/${created.id}`);
  };
  return (
    <form className="panel practice-form" onSubmit={submit} noValidate aria-label="Start a project">
      <h2>Start a joint practice development project</h2>
      <FormError submission={submission} title="The project was not started" />
      <TextField id="jpd-title" label="Title" value={title} onChange={setTitle} error={submission.fieldError('title')} />
      <TextAreaField id="jpd-problem" label="The problem of practice" hint="What the partners will work on together, in a sentence or two" value={problem} onChange={setProblem} error={submission.fieldError('problem')} />
      <SelectField
        id="jpd-network"
        label="Network"
        value={networkId}
        onChange={(v) => {
          setNetworkId(v);
          setSchoolIds([]);
        }}
        options={networks.map((n) => ({ value: String(n.id), label: n.name }))}
        error={submission.fieldError('networkId')}
      />
      <fieldset className="form-section" data-testid="jpd-schools">
        <legend>
          Schools (a pair or a triad: {jpdSchools.min} or {jpdSchools.max})
        </legend>
        {submission.fieldError('schoolIds') ? <span className="field-error">{submission.fieldError('schoolIds')}</span> : null}
        {members.state === 'loading' ? <Loading label="Loading the member schools…" /> : null}
        {schools.map((s) => (
          <label key={s.id} className="checkbox">
            <input
              type="checkbox"
              name="jpd-school"
              value={s.id}
              checked={schoolIds.includes(s.id)}
              disabled={!schoolIds.includes(s.id) && schoolIds.length >= jpdSchools.max}
              onChange={(e) => setSchoolIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((x) => x !== s.id)))}
            />
            {s.name}
          </label>
        ))}
      </fieldset>
      <ParticipantRows rows={rows} setRows={setRows} candidates={candidates} fieldError={submission.fieldError} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Starting…' : 'Start the project'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Rows of "person (of a project school) as coach / practitioner / facilitator", with the server's refusal per row. */
export function ParticipantRows({
  rows,
  setRows,
  candidates,
  fieldError,
}: {
  rows: Row[];
  setRows: (update: (rows: Row[]) => Row[]) => void;
  candidates: { personId: number; name: string; schoolId: number; schoolName: string; role: string }[];
  fieldError: (path: string) => string | undefined;
}) {
  return (
    <fieldset className="form-section" data-testid="jpd-participants">
      <legend>Who takes part</legend>
      {candidates.length === 0 ? <p className="hint">Choose the schools first: their teachers and leaders are listed.</p> : null}
      {rows.map((r, i) => (
        <div key={r.key} className="repeat-row">
          <SelectField
            id={`participant-${r.key}-person`}
            label={`Participant ${i + 1}`}
            value={r.personId}
            onChange={(v) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, personId: v } : x)))}
            options={[{ value: '', label: 'Choose someone' }, ...candidates.map((c) => ({ value: `${c.personId}:${c.schoolId}`, label: `${c.name} — ${c.schoolName}` }))]}
            error={fieldError(`participants.${i}.personId`) ?? fieldError(`participants.${i}.schoolId`)}
          />
          <SelectField
            id={`participant-${r.key}-role`}
            label={`Participant ${i + 1}: as`}
            value={r.role}
            onChange={(v) => setRows((all) => all.map((x) => (x.key === r.key ? { ...x, role: v as Row['role'] } : x)))}
            options={JpdRole.codes.map((c) => ({ value: c, label: JpdRole.labels[c] }))}
          />
          {rows.length > 1 ? (
            <button type="button" className="button button-secondary button-small" onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}>
              Remove
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="button button-secondary button-small" onClick={() => setRows((all) => [...all, { key: Math.max(-1, ...all.map((x) => x.key)) + 1, personId: '', role: 'practitioner' }])}>
        Add a participant
      </button>
    </fieldset>
  );
}

export type { Row as ParticipantRow };
