import { lazy, Suspense } from 'react';
import { FederationForm, Formation, GovernanceMode, MembershipRole, Phase } from '../../../../common/vocabulary.ts';
import { type MembershipView, type NetworkDetail, registry } from '../../api/registry.ts';
import { usePaged } from '../../api/use-paged.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, isIsoDate, labelOf, plural, today } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { NetworkCollaboration } from '../activities/collaboration-panels.tsx';
import { useMe } from '../access/session.tsx';
import { KindBadge } from './badges.tsx';
import { NetworkMap } from './network-map.tsx';
import { NetworkResults } from './network-results.tsx';

// The typology panel carries the Zod contract for its form; load it only when a network is shown.
const TypologyPanel = lazy(() => import('./typology-panel.tsx').then((m) => ({ default: m.TypologyPanel })));

export function NetworkPage({ id }: { id: number }) {
  const location = useLocation();
  const requested = location.searchParams.get('on');
  const now = today();
  const on = isIsoDate(requested) ? requested : now;
  const network = useResource(`network:${id}`, (signal) => registry.network(id, signal));
  const me = useMe();
  // The network's brokers (honest brokers, coordinators) allocate support across its schools (docs/brokering.md).
  const brokers = me.isAdmin || me.posts.some((p) => p.current && p.networkId === id && (p.role === 'honest_broker' || p.role === 'network_coordinator'));
  useDocumentTitle(network.data?.name ?? (network.state === 'error' ? 'Network not found' : 'Network'));

  if (network.state === 'loading') {
    return (
      <>
        <h1 className="placeholder-heading">Network</h1>
        <Loading label="Loading the network…" />
      </>
    );
  }
  if (network.state === 'error') {
    return (
      <>
        <h1>Network</h1>
        <ErrorNotice error={network.error} onRetry={network.reload} />
        <p>
          <Link to="/networks">Browse networks</Link>
        </p>
      </>
    );
  }
  const n = network.data;
  const setOn = (value: string) => navigate(withQuery(location.pathname, { on: value === now ? undefined : value }), { replace: true, keepScroll: true });

  return (
    <article className="network">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> <span aria-current="page">{n.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{n.name}</h1>
          <p className="lede">
            <KindBadge kind={n.kind} /> {plural(n.memberCount, 'member')} today
            {n.closedOn ? ` · closed ${formatDate(n.closedOn)}` : n.openedOn ? ` · since ${formatDate(n.openedOn)}` : ''}
          </p>
        </div>
        <div className="page-head-side">
          <Link to={`/networks/${n.id}/plan`} className="button button-secondary button-small">
            Partnership plan
          </Link>
          <Link to={`/networks/${n.id}/analysis`} className="button button-secondary button-small">
            Network analysis
          </Link>
          <Link to={`/networks/${n.id}/surveys`} className="button button-secondary button-small">
            Surveys
          </Link>
          <Link to={`/networks/${n.id}/benchmark`} className="button button-secondary button-small">
            Benchmark
          </Link>
          <Link to={`/evaluations/new?networkId=${n.id}`} className="button button-secondary button-small">
            Evaluate impact
          </Link>
          {brokers ? (
            <Link to={`/brokering/allocation?networkId=${n.id}`} className="button button-secondary button-small">
              Brokering
            </Link>
          ) : null}
          <Link to={`/networks/${n.id}/peer-reviews`} className="button button-secondary button-small">
            Peer reviews
          </Link>
          <Link to={`/networks/${n.id}/communities`} className="button button-secondary button-small">
            Communities
          </Link>
        </div>
      </div>
      <NetworkFacts network={n} />

      <div className="date-bar">
        <label htmlFor="members-on">
          Members on
        </label>
        <input
          id="members-on"
          type="date"
          value={on}
          max="2100-12-31"
          min="1900-01-01"
          onChange={(e) => {
            if (isIsoDate(e.target.value)) setOn(e.target.value);
          }}
        />
        {on !== now ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setOn(now)}>
            Today
          </button>
        ) : (
          <span className="muted">today</span>
        )}
      </div>

      <div className="network-body">
        <MapPanel networkId={n.id} on={on} />
        <MembersPanel networkId={n.id} on={on} />
      </div>
      <NetworkCollaboration networkId={n.id} />
      <NetworkResults networkId={n.id} />
      <Suspense fallback={<Loading label="Loading the classification…" />}>
        <TypologyPanel networkId={n.id} on={on} />
      </Suspense>
    </article>
  );
}

function NetworkFacts({ network: n }: { network: NetworkDetail }) {
  const known = [n.purpose, n.federationForm, n.formation, n.governanceMode, n.legalStatus, n.companiesHouseNo, n.groupCode, n.openedOn, n.closedOn, n.sourceKey];
  if (known.every((v) => v === null || v === '')) return null;
  return (
    <section aria-label="About this network" className="panel panel-compact">
      {n.purpose ? <p className="purpose">{n.purpose}</p> : null}
      <Facts
        items={[
          ['Federation form', labelOf(FederationForm.labels, n.federationForm)],
          ['Formed', labelOf(Formation.labels, n.formation)],
          ['Governance', labelOf(GovernanceMode.labels, n.governanceMode)],
          ['Legal status', n.legalStatus],
          ['Companies House number', n.companiesHouseNo],
          ['Group code', n.groupCode],
          ['Opened', formatDate(n.openedOn)],
          ['Closed', formatDate(n.closedOn)],
          ['Source', n.sourceKey],
        ]}
      />
    </section>
  );
}

function MapPanel({ networkId, on }: { networkId: number; on: string }) {
  const map = useResource(`map:${networkId}:${on}`, (signal) => registry.map(networkId, on, signal));
  return (
    <section aria-labelledby="map-heading" className="panel" data-testid="network-map" data-on={on} aria-busy={map.state === 'loading'}>
      <h2 id="map-heading">Map</h2>
      {map.state === 'loading' ? <Loading label="Drawing the map…" /> : null}
      {map.state === 'error' ? <ErrorNotice error={map.error} onRetry={map.reload} /> : null}
      {map.state === 'ready' ? <NetworkMap data={map.data} on={formatDate(on)} /> : null}
    </section>
  );
}

function MembersPanel({ networkId, on }: { networkId: number; on: string }) {
  const members = usePaged<MembershipView>(`members:${networkId}:${on}`, (cursor, signal) => registry.members(networkId, on, cursor, signal));
  // On a past date some members may have left since; the column is shown only then.
  const anyLeft = members.items.some((m) => m.leftOn !== null);
  return (
    <section aria-labelledby="members-heading" className="panel" data-testid="members" data-on={on} aria-busy={members.state === 'loading'}>
      <h2 id="members-heading">Members on {formatDate(on)}</h2>
      {members.state === 'loading' ? <Loading label="Loading members…" /> : null}
      {members.state === 'error' && members.error ? <ErrorNotice error={members.error} onRetry={members.reload} /> : null}
      {members.state === 'ready' && members.items.length === 0 ? (
        <Empty title={`No members on ${formatDate(on)}.`}>
          <p>Pick a later date, or check when the schools joined on their own pages.</p>
        </Empty>
      ) : null}
      {members.state === 'ready' && members.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Member schools on {formatDate(on)}</caption>
              <thead>
                <tr>
                  <th scope="col">School</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  {anyLeft ? <th scope="col">Left</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.items.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/schools/${m.school.id}`} className="strong-link">
                        {m.school.name}
                      </Link>
                      <span className="sub">{[m.school.urn ? `URN ${m.school.urn}` : null, m.school.laName].filter(Boolean).join(' · ')}</span>
                    </td>
                    <td>{labelOf(Phase.labels, m.school.phase) || '—'}</td>
                    <td>{labelOf(MembershipRole.labels, m.role)}</td>
                    <td className="nowrap">{m.joinedOn ? formatDate(m.joinedOn) : <span className="muted">Before records</span>}</td>
                    {anyLeft ? <td className="nowrap">{m.leftOn ? formatDate(m.leftOn) : <span className="muted">—</span>}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore list={members} noun={['member', 'members']} />
        </>
      ) : null}
    </section>
  );
}
