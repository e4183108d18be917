import { type FormEvent, useState } from 'react';
import { MeetingFrequency } from '../../../../common/partnerships.ts';
import { CommunityKind } from '../../../../common/practice.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { SelectField, TextAreaField, TextField } from '../../components/fields.tsx';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { formatDate, labelOf, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { practiceSchoolsOf } from './my-schools.ts';
import { communities, type NewCommunity } from './practice.api.ts';
import './practice.css';

/**
 * /networks/:id/communities: the network's communities of practice (year groups, subject leads,
 * early-career teachers, transition), with how many belong and when each last met; a teacher or
 * leader of a member school, or a coordinator, starts one.
 */
export function CommunitiesPage({ networkId }: { networkId: number }) {
  const me = useMe();
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const list = useResource(`communities:${networkId}`, (signal) => communities.list(networkId, signal));
  const members = useResource(`members-today:${networkId}`, (signal) => registry.members(networkId, today(), undefined, signal));
  const [creating, setCreating] = useState(false);
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `Communities · ${name}` : 'Communities of practice');
  const memberIds = new Set((members.data?.items ?? []).map((m) => m.school.id));
  const mine = practiceSchoolsOf(me).filter((s) => memberIds.has(s.id));
  const coordinates = me.isAdmin || me.posts.some((p) => p.current && p.role === 'network_coordinator' && p.networkId === networkId);
  return (
    <article className="communities" data-testid="communities" aria-busy={list.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Communities of practice</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Communities of practice</h1>
          <p className="lede">Staff of {name ?? 'the network’s schools'} who meet around a shared concern, at every level of participation.</p>
        </div>
        <div className="page-head-side">
          {(mine.length > 0 || coordinates) && !creating ? (
            <button type="button" className="button button-small" onClick={() => setCreating(true)}>
              Start a community
            </button>
          ) : null}
          <Link to={`/networks/${networkId}/peer-reviews`} className="button button-secondary button-small">
            Peer reviews
          </Link>
        </div>
      </div>
      {creating ? <NewCommunityForm networkId={networkId} mine={mine} onCancel={() => setCreating(false)} /> : null}
      <section className="panel" aria-labelledby="communities-heading">
        <h2 id="communities-heading">Communities</h2>
        {list.state === 'loading' ? <Loading label="Loading the communities…" /> : null}
        {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.data.items.length === 0 ? <Empty title="No communities yet." /> : null}
        {list.state === 'ready' && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table" data-testid="community-list">
              <caption className="visually-hidden">Communities of practice</caption>
              <thead>
                <tr>
                  <th scope="col">Community</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Meets</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col" className="num">
                    Schools
                  </th>
                  <th scope="col">Last met</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} data-community={c.id}>
                    <th scope="row">
                      <Link to={`/communities/${c.id}`}>{c.name}</Link>
                      {c.status === 'closed' ? <span className="badge badge-muted">Closed</span> : null}
                    </th>
                    <td>{CommunityKind.labels[c.kind]}</td>
                    <td>{labelOf(MeetingFrequency.labels, c.rhythm)}</td>
                    <td className="num">{c.members}</td>
                    <td className="num">{c.schools}</td>
                    <td className="nowrap">{c.lastMetOn ? formatDate(c.lastMetOn) : <span className="muted">not yet</span>}</td>
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

function NewCommunityForm({ networkId, mine, onCancel }: { networkId: number; mine: { id: number; name: string }[]; onCancel: () => void }) {
  const me = useMe();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<NewCommunity['kind']>('year_group');
  const [domain, setDomain] = useState('');
  const [rhythm, setRhythm] = useState<NewCommunity['rhythm']>('half_termly');
  const [join, setJoin] = useState(mine.length > 0);
  const [schoolId, setSchoolId] = useState(String(mine[0]?.id ?? ''));
  const submission = useSubmission();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const members = join && schoolId ? [{ personId: me.id, schoolId: Number(schoolId), participation: 'core' as const, facilitator: true }] : [];
    const created = await submission.run(() => communities.create(networkId, { name, kind, domain, rhythm, members }));
    if (created) navigate(`/communities/${created.id}`);
  };
  return (
    <form className="panel practice-form" onSubmit={submit} noValidate aria-label="Start a community">
      <h2>Start a community of practice</h2>
      <FormError submission={submission} title="The community was not started" />
      <TextField id="community-name" label="Name" hint="e.g. Year 6 teachers" value={name} onChange={setName} error={submission.fieldError('name')} />
      <SelectField id="community-kind" label="Kind" value={kind} onChange={(v) => setKind(v as NewCommunity['kind'])} options={CommunityKind.codes.map((c) => ({ value: c, label: CommunityKind.labels[c] }))} />
      <TextAreaField id="community-domain" label="What it cares about" hint="The shared concern that brings members together" value={domain} onChange={setDomain} error={submission.fieldError('domain')} />
      <SelectField id="community-rhythm" label="Means to meet" value={rhythm} onChange={(v) => setRhythm(v as NewCommunity['rhythm'])} options={MeetingFrequency.codes.map((c) => ({ value: c, label: MeetingFrequency.labels[c] }))} />
      {mine.length > 0 ? (
        <>
          <label className="checkbox">
            <input type="checkbox" checked={join} onChange={(e) => setJoin(e.target.checked)} /> Join it myself, as its facilitator (a core member)
          </label>
          {join && mine.length > 1 ? <SelectField id="community-school" label="From my school" value={schoolId} onChange={setSchoolId} options={mine.map((s) => ({ value: String(s.id), label: s.name }))} /> : null}
        </>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={submission.busy}>
          {submission.busy ? 'Starting…' : 'Start the community'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={submission.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
