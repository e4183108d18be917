import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { activities } from '../../api/activities.ts';
import { type MetricInfo, type NetworkAnalysis, networkAnalysis, networkCsvUrl, type SnapshotQuery } from '../../api/network.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatDateTime, formatNumber, plural, today } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { AnalysisFilterBar } from './analysis-filters.tsx';
import { type AnalysisFilters, type AnalysisScope, changesPath, filterParams, queryKey, readFilters, snapshotQuery } from './analysis-query.ts';
import { BetweennessPanel, type ExactBetweenness } from './betweenness-panel.tsx';
import { buildGraph } from './graph-model.ts';
import { MapPanel } from './map-panel.tsx';
import { formatMetric, MetricTerm } from './metric-term.tsx';
import { MetricsTable } from './metrics-table.tsx';
import './network-analysis.css';

/** /networks/:id/analysis: the network of one network's member schools. */
export function NetworkAnalysisPage({ networkId }: { networkId: number }) {
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `Network analysis · ${name}` : 'Network analysis');
  return (
    <AnalysisView
      scope={{ kind: 'network', networkId }}
      breadcrumb={
        <>
          <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
          <span aria-hidden="true">›</span> <span aria-current="page">Analysis</span>
        </>
      }
      title={name ? `Network analysis: ${name}` : 'Network analysis'}
      lede="Who collaborates with whom among the network’s schools: brokers, isolated schools, and whether one member dominates."
    />
  );
}

/** /analysis: every school the reader may see, by collaboration or by shared membership. */
export function AreaAnalysisPage() {
  useDocumentTitle('Network analysis');
  return (
    <AnalysisView
      scope={{ kind: 'area' }}
      breadcrumb={<span aria-current="page">Network analysis</span>}
      title="Network analysis"
      lede="The schools you may see and the ties between them: recorded collaboration, or shared trusts and federations. Narrow it by phase, local authority or activity type."
    />
  );
}

type ViewProps = { scope: AnalysisScope; breadcrumb: ReactNode; title: string; lede: string };

function AnalysisView({ scope, breadcrumb, title, lede }: ViewProps) {
  const location = useLocation();
  const filters = readFilters(location.searchParams, scope);
  const query = snapshotQuery(scope, filters);
  const key = queryKey(query);
  const analysis = useResource(`analysis:${key}`, (signal) => networkAnalysis.snapshot(query, signal));
  const catalogue = useResource('activity-types', (signal) => activities.catalogue(signal));
  const setFilters = (next: AnalysisFilters) => navigate(withQuery(location.pathname, filterParams(next)), { replace: true, keepScroll: true });
  const changes = withQuery(changesPath(scope), { ...filterParams({ ...filters, at: null }), to: filters.at ?? undefined });
  const localAuthorities = useLocalAuthorities(analysis.data);

  return (
    <article className="network-analysis" data-testid="network-analysis">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        {breadcrumb}
      </nav>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="lede">{lede}</p>
        </div>
        <div className="page-head-side">
          <Link to={changes} className="button button-secondary button-small">
            What changed
          </Link>
          {scope.kind === 'network' ? (
            <Link to="/analysis" className="button button-secondary button-small">
              All schools
            </Link>
          ) : null}
        </div>
      </div>
      <AnalysisFilterBar scope={scope} filters={filters} onChange={setFilters} catalogue={catalogue} localAuthorities={localAuthorities} />
      <div aria-busy={analysis.state === 'loading'} data-testid="analysis-body" data-state={analysis.state}>
        {analysis.state === 'loading' ? <Loading label={`Computing the network on ${formatDate(filters.at ?? today())}…`} /> : null}
        {analysis.state === 'error' ? <ErrorNotice error={analysis.error} onRetry={analysis.reload} /> : null}
        {analysis.state === 'ready' ? <AnalysisResult key={key} data={analysis.data} query={query} scope={scope} /> : null}
      </div>
    </article>
  );
}

/** The local authorities of the schools shown, for the filter's suggestions. */
function useLocalAuthorities(data: NetworkAnalysis | undefined): string[] {
  return useMemo(() => [...new Set(data?.schools.flatMap((s) => (s.la ? [s.la] : [])) ?? [])].sort(), [data]);
}

function AnalysisResult({ data, query, scope }: { data: NetworkAnalysis; query: SnapshotQuery; scope: AnalysisScope }) {
  const built = useMemo(() => buildGraph(data), [data]);
  const schoolMetrics = useMemo(() => data.metrics.filter((m) => m.level === 'school'), [data.metrics]);
  const networkMetrics = useMemo(() => data.metrics.filter((m) => m.level === 'network'), [data.metrics]);
  const communityLabels = useMemo(() => new Map(data.communities.map((c) => [c.index, c.label])), [data.communities]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [focusToken, setFocusToken] = useState(0);
  const [exact, setExact] = useState<ExactBetweenness | null>(null);
  const select = useCallback((id: number | null, focus?: boolean) => {
    setSelectedId(id);
    if (focus && id !== null) setFocusToken((t) => t + 1);
  }, []);
  const showOnMap = useCallback(
    (id: number) => {
      select(id, true);
      document.querySelector('[data-testid="analysis-map"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
    [select],
  );

  if (data.schools.length === 0) {
    return (
      <Empty title={`No schools on ${formatDate(data.snapshot.at)} with these filters.`}>
        <p>Pick another date, or widen the phase or local authority.</p>
      </Empty>
    );
  }
  const noTies = data.ties.length === 0;
  return (
    <>
      <SnapshotLine data={data} />
      {noTies ? (
        <div className="notice notice-info" data-testid="no-ties">
          <p className="notice-title">No ties yet among these {plural(data.schools.length, 'school')}.</p>
          <p>
            Ties appear once activities between schools are recorded
            {data.snapshot.filters.types.length > 0 ? ' (of the activity types chosen)' : ''}.{' '}
            <Link to={withQuery('/activities/new', scope.kind === 'network' ? { networkId: scope.networkId } : {})}>Record an activity</Link> or{' '}
            <Link to="/activities/import">upload a file of them</Link>; every school below is isolated until then.
          </p>
        </div>
      ) : null}
      <SummaryPanel metrics={networkMetrics} summary={data.summary} />
      <MapPanel
        data={data}
        built={built}
        metrics={schoolMetrics}
        communityLabels={communityLabels}
        exact={exact}
        selectedId={selectedId}
        onSelect={select}
        focusToken={focusToken}
      />
      <section className="panel" aria-labelledby="metrics-heading" data-testid="metrics">
        <h2 id="metrics-heading">Every school’s metrics</h2>
        <MetricsTable
          data={data}
          metrics={schoolMetrics}
          exact={exact}
          communityLabels={communityLabels}
          csvUrl={networkCsvUrl(query)}
          onShow={showOnMap}
          tools={noTies ? null : <BetweennessPanel query={query} onResult={setExact} />}
        />
      </section>
    </>
  );
}

function SnapshotLine({ data }: { data: NetworkAnalysis }) {
  const s = data.snapshot;
  return (
    <p className="muted small snapshot-line" data-testid="snapshot">
      {s.basis === 'membership' ? 'Schools linked by shared trusts, federations and clusters' : 'Ties from recorded collaboration'} on {formatDate(s.at)}
      {s.filters.types.length > 0 ? ` (activity types: ${s.filters.types.join(', ')})` : ''}
      {s.filters.directed ? ', directed' : ''}. Computed {formatDateTime(s.computedAt)}
      {s.cached ? ' (from the cache)' : ` in ${formatNumber(Math.round(s.seconds * 10) / 10)} s`}.
    </p>
  );
}

function SummaryPanel({ metrics, summary }: { metrics: readonly MetricInfo[]; summary: Record<string, number | null> }) {
  if (metrics.length === 0) return null;
  return (
    <section className="panel panel-compact" aria-labelledby="summary-heading" data-testid="network-summary">
      <h2 id="summary-heading">The network as a whole</h2>
      <dl className="stat-tiles summary-tiles">
        {metrics.map((m) => (
          <div key={m.key} data-metric={m.key}>
            <dt>
              <MetricTerm info={m} />
            </dt>
            <dd>{formatMetric(summary[m.key])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
