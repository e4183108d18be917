import { type FormEvent, useEffect, useState } from 'react';
import { NetworkKind } from '../../../../common/vocabulary.ts';
import { type NetworkSummary, registry } from '../../api/registry.ts';
import { usePaged } from '../../api/use-paged.ts';
import { formatDate, formatNumber } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { KindBadge } from './badges.tsx';

export function NetworkListPage() {
  const location = useLocation();
  const q = location.searchParams.get('q')?.trim() ?? '';
  const kindParam = location.searchParams.get('kind') ?? '';
  const kind = NetworkKind.codes.find((c) => c === kindParam);
  const la = location.searchParams.get('la')?.trim() ?? '';
  const [draft, setDraft] = useState({ q, la });
  useDocumentTitle(q ? `Networks matching “${q}”` : 'Networks');

  useEffect(() => {
    setDraft({ q, la });
  }, [q, la]);

  const query = { q: q || undefined, kind, la: la || undefined, limit: 50 };
  const list = usePaged<NetworkSummary>(JSON.stringify(query), (cursor, signal) => registry.networks({ ...query, cursor }, signal));
  const apply = (next: { q: string; kind: string; la: string }) => navigate(withQuery('/networks', next), { keepScroll: true });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply({ q: draft.q.trim(), kind: kind ?? '', la: draft.la.trim() });
  };

  return (
    <>
      <h1>Networks</h1>
      <p className="lede">Federations, trusts, clusters, alliances and the other groups schools form, with how many schools belong to each today.</p>
      <search aria-label="Networks">
        <form className="search-form" onSubmit={submit}>
        <div className="search-row">
          <label htmlFor="network-q" className="visually-hidden">
            Network name
          </label>
          <input
            id="network-q"
            type="search"
            name="q"
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            placeholder="Network name, e.g. federation"
            autoComplete="off"
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <fieldset className="filters">
          <legend>Filters</legend>
          <div className="field">
            <label htmlFor="network-kind">Kind</label>
            <select id="network-kind" value={kind ?? ''} onChange={(e) => apply({ q: draft.q.trim(), kind: e.target.value, la: draft.la.trim() })}>
              <option value="">Any kind</option>
              {Object.entries(NetworkKind.labels).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="network-la">With a school in local authority</label>
            <input id="network-la" value={draft.la} onChange={(e) => setDraft({ ...draft, la: e.target.value })} placeholder="e.g. Norfolk" />
          </div>
          {q || kind || la ? (
            <Link className="clear-link" to="/networks">
              Clear all
            </Link>
          ) : null}
        </fieldset>
      </form>
      </search>
      <section aria-label="Results" className="results" aria-busy={list.state === 'loading'} data-q={q}>
        {list.state === 'loading' ? <Loading label="Searching networks…" /> : null}
        {list.state === 'error' && list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.items.length === 0 ? (
          <Empty title={q ? `No network matches “${q}”.` : 'No network matches these filters.'}>
            <p>Search by part of the name, or choose another kind.</p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.items.length > 0 ? (
          <>
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">Networks found</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col" className="num">
                      Members today
                    </th>
                    <th scope="col">Opened</th>
                    <th scope="col">Closed</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((n) => (
                    <tr key={n.id}>
                      <td>
                        <Link to={`/networks/${n.id}`} className="strong-link">
                          {n.name}
                        </Link>
                      </td>
                      <td>
                        <KindBadge kind={n.kind} />
                      </td>
                      <td className="num">{formatNumber(n.memberCount)}</td>
                      <td>{formatDate(n.openedOn) || <span className="muted">—</span>}</td>
                      <td>{formatDate(n.closedOn) || <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore list={list} noun={['network', 'networks']} />
          </>
        ) : null}
      </section>
    </>
  );
}
