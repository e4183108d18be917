import { type ReactNode, useId, useMemo, useState } from 'react';
import { activities } from '../../api/activities.ts';
import { type MetricInfo, type NetworkChange, networkAnalysis, type TieChange } from '../../api/network.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatNumber, humanise, isIsoDate, plural, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { AnalysisFilterBar } from './analysis-filters.tsx';
import { type AnalysisFilters, type AnalysisScope, analysisPath, daysBefore, filterParams, queryKey, readFilters, snapshotQuery } from './analysis-query.ts';
import { changeSign, formatChange, formatMetric } from './metric-term.tsx';
import './network-analysis.css';

/** /networks/:id/analysis/changes */
export function NetworkChangePage({ networkId }: { networkId: number }) {
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `What changed · ${name}` : 'What changed');
  return (
    <ChangeView
      scope={{ kind: 'network', networkId }}
      title={name ? `What changed: ${name}` : 'What changed'}
      breadcrumb={
        <>
          <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
          <span aria-hidden="true">›</span> <Link to={`/networks/${networkId}/analysis`}>Analysis</Link> <span aria-hidden="true">›</span>{' '}
          <span aria-current="page">What changed</span>
        </>
      }
    />
  );
}

/** /analysis/changes */
export function AreaChangePage() {
  useDocumentTitle('What changed');
  return (
    <ChangeView
      scope={{ kind: 'area' }}
      title="What changed"
      breadcrumb={
        <>
          <Link to="/analysis">Network analysis</Link> <span aria-hidden="true">›</span> <span aria-current="page">What changed</span>
        </>
      }
    />
  );
}

function ChangeView({ scope, title, breadcrumb }: { scope: AnalysisScope; title: string; breadcrumb: ReactNode }) {
  const id = useId();
  const location = useLocation();
  const filters = readFilters(location.searchParams, scope);
  const toParam = location.searchParams.get('to');
  const fromParam = location.searchParams.get('from');
  const to = isIsoDate(toParam) ? toParam : today();
  const from = isIsoDate(fromParam) ? fromParam : daysBefore(to, 365);
  const base = snapshotQuery(scope, { ...filters, at: null });
  const key = `${queryKey(base)}:${from}:${to}`;
  const change = useResource(from < to ? `change:${key}` : null, (signal) => networkAnalysis.change({ ...base, from, to }, signal));
  const catalogue = useResource('activity-types', (signal) => activities.catalogue(signal));
  const go = (next: { filters?: AnalysisFilters; from?: string; to?: string }) =>
    navigate(withQuery(location.pathname, { ...filterParams({ ...(next.filters ?? filters), at: null }), from: next.from ?? from, to: next.to ?? to }), { replace: true, keepScroll: true });

  return (
    <article className="network-analysis network-change" data-testid="network-change">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        {breadcrumb}
      </nav>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="lede">The network on two dates side by side: ties that began, ended, strengthened or weakened, and the schools whose position moved most.</p>
        </div>
        <div className="page-head-side">
          <Link to={withQuery(analysisPath(scope), { ...filterParams({ ...filters, at: to === today() ? null : to }) })} className="button button-secondary button-small">
            Back to the analysis
          </Link>
        </div>
      </div>
      <div className="date-bar">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={from} max={to} onChange={(e) => isIsoDate(e.target.value) && go({ from: e.target.value })} />
        <label htmlFor={`${id}-to`}>to</label>
        <input id={`${id}-to`} type="date" value={to} min={from} onChange={(e) => isIsoDate(e.target.value) && go({ to: e.target.value })} />
      </div>
      <AnalysisFilterBar scope={scope} filters={filters} onChange={(next) => go({ filters: next })} catalogue={catalogue} localAuthorities={[]} withoutDate />
      <div aria-busy={change.state === 'loading'} data-testid="change-body" data-state={from < to ? change.state : 'invalid'}>
        {from >= to ? <ErrorNotice error={new Error('The first date must come before the second.')} title="Pick two dates in order" /> : null}
        {from < to && change.state === 'loading' ? <Loading label={`Comparing ${formatDate(from)} with ${formatDate(to)}…`} /> : null}
        {from < to && change.state === 'error' ? <ErrorNotice error={change.error} onRetry={change.reload} /> : null}
        {from < to && change.state === 'ready' ? <ChangeResult data={change.data} /> : null}
      </div>
    </article>
  );
}

const CHANGE_LABELS: Record<TieChange['change'], string> = { new: 'New ties', ended: 'Ended', strengthened: 'Strengthened', weakened: 'Weakened' };

function ChangeResult({ data }: { data: NetworkChange }) {
  const from = formatDate(data.from.at);
  const to = formatDate(data.to.at);
  const joined = data.schools.filter((s) => s.joined).length;
  const left = data.schools.filter((s) => s.left).length;
  if (data.schools.length === 0) {
    return <Empty title={`No schools on either date with these filters.`} />;
  }
  return (
    <>
      <section className="panel" aria-labelledby="change-summary-heading" data-testid="change-summary">
        <h2 id="change-summary-heading">The network as a whole</h2>
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Network metrics on {from} and {to}</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col" className="num">
                  {from}
                </th>
                <th scope="col" className="num">
                  {to}
                </th>
                <th scope="col" className="num">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {data.summary.map((m) => (
                <tr key={m.key} data-metric={m.key}>
                  <th scope="row">{m.label}</th>
                  <td className="num">{formatMetric(m.from)}</td>
                  <td className="num">{formatMetric(m.to)}</td>
                  <td className={`num change-${changeSign(m.from, m.to)}`}>{formatChange(m.from, m.to)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          {plural(joined, 'school')} in scope on {to} only, {plural(left, 'school')} on {from} only.
        </p>
      </section>
      <TieChanges ties={data.ties} />
      <Movers data={data} />
      <NewlyIsolated data={data} />
    </>
  );
}

const SHOWN = 50;

function TieChanges({ ties }: { ties: NetworkChange['ties'] }) {
  const [all, setAll] = useState<Record<string, boolean>>({});
  const groups = (['new', 'ended', 'strengthened', 'weakened'] as const).map((change) => ({ change, items: ties.filter((t) => t.change === change) }));
  return (
    <section className="panel" aria-labelledby="tie-changes-heading" data-testid="tie-changes">
      <h2 id="tie-changes-heading">Ties</h2>
      <dl className="stat-tiles">
        {groups.map((g) => (
          <div key={g.change} data-change={g.change}>
            <dt>{CHANGE_LABELS[g.change]}</dt>
            <dd>{formatNumber(g.items.length)}</dd>
          </div>
        ))}
      </dl>
      {ties.length === 0 ? <p className="empty-title">No tie changed between the two dates.</p> : null}
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <div key={g.change} className="tie-change-group">
            <h3>{CHANGE_LABELS[g.change]}</h3>
            <ul className="network-ties">
              {(all[g.change] ? g.items : g.items.slice(0, SHOWN)).map((t) => (
                <li key={`${t.a}-${t.b}`} data-change={t.change}>
                  <span className="pair">
                    <Link to={`/schools/${t.a}/collaboration`}>{t.aName}</Link> and <Link to={`/schools/${t.b}/collaboration`}>{t.bName}</Link>
                  </span>
                  <span className="small muted">
                    {t.before ? humanise(t.before) : 'no tie'} → {t.after ? humanise(t.after) : 'no tie'}
                  </span>
                </li>
              ))}
            </ul>
            {g.items.length > SHOWN && !all[g.change] ? (
              <button type="button" className="button button-secondary button-small" onClick={() => setAll((a) => ({ ...a, [g.change]: true }))}>
                Show all {formatNumber(g.items.length)}
              </button>
            ) : null}
          </div>
        ))}
    </section>
  );
}

/**
 * The names of the school metrics. The change contract carries only the network metrics' labels;
 * when it also carries the metric documentation (`metrics`, as the snapshot does) that is used,
 * otherwise the key is made readable.
 */
function metricNames(data: NetworkChange): (key: string) => string {
  const labels = new Map(hasMetricDocs(data) ? data.metrics.map((m) => [m.key, m.label] as const) : []);
  return (key) => labels.get(key) ?? humanise(key);
}

function hasMetricDocs(data: object): data is { metrics: MetricInfo[] } {
  return 'metrics' in data && Array.isArray(data.metrics);
}

/** The schools whose chosen metric moved most (by the size of the change), in either direction. */
function Movers({ data }: { data: NetworkChange }) {
  const id = useId();
  const nameOf = metricNames(data);
  const keys = useMemo(() => [...new Set(data.schools.flatMap((s) => Object.keys(s.metrics)))].sort(), [data.schools]);
  const [metric, setMetric] = useState(() => (keys.includes('degree') ? 'degree' : (keys[0] ?? '')));
  const movers = useMemo(
    () =>
      data.schools
        .flatMap((s) => {
          const pair = s.metrics[metric];
          if (!pair || pair[0] === null || pair[1] === null || changeSign(pair[0], pair[1]) === 0) return [];
          return [{ school: s, from: pair[0], to: pair[1], delta: pair[1] - pair[0] }];
        })
        .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.school.name.localeCompare(b.school.name))
        .slice(0, 20),
    [data.schools, metric],
  );
  return (
    <section className="panel" aria-labelledby="movers-heading" data-testid="movers">
      <div className="panel-head">
        <h2 id="movers-heading">Schools that moved most</h2>
        {keys.length > 0 ? (
          <div className="field inline-field">
            <label htmlFor={`${id}-metric`}>Metric</label>
            <select id={`${id}-metric`} value={metric} onChange={(e) => setMetric(e.target.value)}>
              {keys.map((k) => (
                <option key={k} value={k}>
                  {nameOf(k)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {movers.length === 0 ? (
        <p className="empty-title">No school’s {nameOf(metric).toLowerCase()} changed.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">The 20 largest changes in {nameOf(metric).toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">School</th>
                <th scope="col" className="num">
                  {formatDate(data.from.at)}
                </th>
                <th scope="col" className="num">
                  {formatDate(data.to.at)}
                </th>
                <th scope="col" className="num">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {movers.map((m) => (
                <tr key={m.school.id}>
                  <th scope="row">
                    <Link to={`/schools/${m.school.id}/collaboration`}>{m.school.name}</Link>
                  </th>
                  <td className="num">{formatMetric(m.from)}</td>
                  <td className="num">{formatMetric(m.to)}</td>
                  <td className={`num change-${changeSign(m.from, m.to)}`}>{formatChange(m.from, m.to)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewlyIsolated({ data }: { data: NetworkChange }) {
  const isolated = data.schools.filter((s) => !s.joined && s.isolation[1] === 'isolated' && s.isolation[0] !== 'isolated');
  const weakOnly = data.schools.filter((s) => !s.joined && s.isolation[1] === 'weak-only' && s.isolation[0] === null);
  return (
    <section className="panel" aria-labelledby="isolated-heading" data-testid="newly-isolated">
      <h2 id="isolated-heading">Newly isolated schools</h2>
      {isolated.length === 0 && weakOnly.length === 0 ? (
        <p className="empty-title">No school became isolated between the two dates.</p>
      ) : (
        <>
          {isolated.length > 0 ? (
            <>
              <p>No tie with another school on {formatDate(data.to.at)}, where there was one on {formatDate(data.from.at)}:</p>
              <ul className="link-list">
                {isolated.map((s) => (
                  <li key={s.id}>
                    <Link to={`/schools/${s.id}/collaboration`}>{s.name}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {weakOnly.length > 0 ? (
            <>
              <p>Only weak or dormant ties left (a strong partnership ended or faded):</p>
              <ul className="link-list">
                {weakOnly.map((s) => (
                  <li key={s.id}>
                    <Link to={`/schools/${s.id}/collaboration`}>{s.name}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
