import { useId, useMemo, useState } from 'react';
import type { MetricInfo, NetworkAnalysis } from '../../api/network.ts';
import { formatNumber, plural } from '../../components/format.ts';
import type { ExactBetweenness } from './betweenness-panel.tsx';
import { type ColourBy, colourSchools, type Legend, sizeSchools } from './colour-scales.ts';
import { GeoMap } from './geo-map.tsx';
import { type BuiltGraph, tiesWhileMoving } from './graph-model.ts';
import { formatMetric } from './metric-term.tsx';
import { NetworkGraph } from './network-graph.tsx';
import { SchoolCard } from './school-card.tsx';
import { SchoolFinder } from './school-finder.tsx';

type Props = {
  data: NetworkAnalysis;
  built: BuiltGraph;
  metrics: readonly MetricInfo[];
  communityLabels: ReadonlyMap<number, string>;
  exact: ExactBetweenness | null;
  selectedId: number | null;
  /** A school was chosen; `focus` moves the camera to it (chosen from outside the drawing). */
  onSelect: (id: number | null, focus?: boolean) => void;
  focusToken: number;
};

/** The colour select's value (`community`, `phase`, `metric:degree`) as a colouring. */
function colourByOf(choice: string): ColourBy {
  if (choice === 'phase') return { kind: 'phase' };
  if (choice.startsWith('metric:')) return { kind: 'metric', key: choice.slice('metric:'.length) };
  return { kind: 'community' };
}

/** A metric to size schools by at first: degree when there is one (how many partners), else none. */
function defaultSize(metrics: readonly MetricInfo[]): string {
  return metrics.find((m) => m.key === 'degree')?.key ?? metrics.find((m) => /degree/i.test(m.key))?.key ?? '';
}

/**
 * The map section: the network drawn by its ties (sigma, laid out by ForceAtlas2) or by
 * geography, coloured and sized as chosen, with a finder and the chosen school's card.
 */
export function MapPanel({ data, built, metrics, communityLabels, exact, selectedId, onSelect, focusToken }: Props) {
  const id = useId();
  const [view, setView] = useState<'network' | 'geography'>('network');
  const [colourChoice, setColourChoice] = useState('community');
  const [sizeChoice, setSizeChoice] = useState(() => defaultSize(metrics));
  const [showTies, setShowTies] = useState(true);
  const metricLabel = (key: string) => metrics.find((m) => m.key === key)?.label ?? key;
  const colouring = useMemo(
    () => colourSchools(data.schools, colourByOf(colourChoice), { communities: data.communities, metricLabel: (key) => metrics.find((m) => m.key === key)?.label ?? key }),
    [data, colourChoice, metrics],
  );
  const big = data.schools.length > 3000;
  const sizes = useMemo(() => sizeSchools(data.schools, sizeChoice || null, big ? { min: 1.5, max: 9 } : { min: 4, max: 16 }), [data.schools, sizeChoice, big]);
  const selected = selectedId === null ? null : (data.schools[built.indexById.get(selectedId) ?? -1] ?? null);
  const schoolsWithTies = useMemo(() => {
    const linked = new Set<string>();
    for (const t of built.ties) {
      linked.add(t.source);
      linked.add(t.target);
    }
    return linked.size;
  }, [built]);

  return (
    <section className="panel map-panel" aria-labelledby={`${id}-heading`} data-testid="analysis-map">
      <div className="panel-head">
        <h2 id={`${id}-heading`}>Map</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Map view</legend>
          <button type="button" aria-pressed={view === 'network'} onClick={() => setView('network')}>
            Network
          </button>
          <button type="button" aria-pressed={view === 'geography'} onClick={() => setView('geography')}>
            Geography
          </button>
        </fieldset>
      </div>
      <p className="map-counts" data-testid="map-counts" data-schools={data.schools.length} data-ties={built.tieCount}>
        <strong>{plural(data.schools.length, 'school')}</strong> · <strong>{plural(built.tieCount, 'tie')}</strong>
        {data.schools.length > 0 ? <span className="muted"> · {formatNumber(schoolsWithTies)} with at least one tie</span> : null}
      </p>
      <div className="map-controls">
        <div className="field">
          <label htmlFor={`${id}-colour`}>Colour by</label>
          <select id={`${id}-colour`} value={colourChoice} onChange={(e) => setColourChoice(e.target.value)}>
            <option value="community">Community</option>
            <option value="phase">Phase</option>
            <optgroup label="Metric">
              {metrics.map((m) => (
                <option key={m.key} value={`metric:${m.key}`}>
                  {m.label}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        {view === 'network' ? (
          <div className="field">
            <label htmlFor={`${id}-size`}>Size by</label>
            <select id={`${id}-size`} value={sizeChoice} onChange={(e) => setSizeChoice(e.target.value)}>
              <option value="">All the same size</option>
              {metrics.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {view === 'network' ? (
          <label className="checkbox show-ties">
            <input type="checkbox" checked={showTies} onChange={(e) => setShowTies(e.target.checked)} />
            Show ties{tiesWhileMoving(built) ? '' : ' (once the layout stops)'}
          </label>
        ) : null}
        <SchoolFinder schools={data.schools} onChoose={(schoolId) => onSelect(schoolId, true)} />
      </div>
      <div className="map-body">
        <div className="map-main">
          {view === 'network' ? (
            <NetworkGraph
              built={built}
              colours={colouring.colours}
              sizes={sizes}
              selectedId={selectedId}
              focusToken={focusToken}
              onSelect={(schoolId) => onSelect(schoolId)}
              showTies={showTies}
              label={`Network of ${plural(data.schools.length, 'school')} and ${plural(built.tieCount, 'tie')}, coloured by ${colouring.legend.title.toLowerCase()}. Use “Find a school” or the table to reach a school by keyboard.`}
            />
          ) : (
            <GeoMap data={data} colours={colouring.colours} selectedId={selectedId} onSelect={(schoolId) => onSelect(schoolId)} />
          )}
          <LegendView legend={colouring.legend} />
          {view === 'network' ? (
            <p className="muted small">
              Schools close together share many ties (ForceAtlas2, starting from {built.geographic ? 'where the schools are' : 'a circle'}). Hover for a name, click
              for its metrics; scroll to zoom, drag to move.
              {sizeChoice ? ` Size shows ${metricLabel(sizeChoice).toLowerCase()}.` : ''}
            </p>
          ) : null}
        </div>
        <div className="map-side">
          {selected ? (
            <SchoolCard
              school={selected}
              metrics={metrics}
              communityLabel={communityLabels.get(selected.community) ?? null}
              exact={exact}
              onClose={() => onSelect(null)}
            />
          ) : (
            <div className="empty card-placeholder">
              <p className="empty-title">No school chosen</p>
              <p>Click a school on the map, find one by name, or use “map” in the table to see its metrics here.</p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function LegendView({ legend }: { legend: Legend }) {
  if (legend.kind === 'categories') {
    return (
      <ul className="map-legend analysis-legend" aria-label={`Colours: ${legend.title}`} data-testid="legend">
        {legend.items.map((item) => (
          <li key={item.label}>
            <svg width="12" height="12" aria-hidden="true">
              <circle cx="6" cy="6" r="5" fill={item.colour} />
            </svg>
            {item.label} <span className="muted">({formatNumber(item.count)})</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="scale-legend" data-testid="legend">
      <p className="small">
        <strong>{legend.title}</strong> <span className="muted">(colour by rank: darkest lowest, yellow highest)</span>
      </p>
      <div className="scale-bar" style={{ background: legend.gradient }} aria-hidden="true" />
      <ol className="scale-ticks">
        {legend.ticks.map((t) => (
          <li key={t.at} style={{ left: `${t.at * 100}%` }}>
            <span className="visually-hidden">{t.at === 0 ? 'Lowest' : t.at === 1 ? 'Highest' : `${t.at * 100}th percentile`}: </span>
            {formatMetric(t.value)}
          </li>
        ))}
      </ol>
      {legend.missing > 0 ? <p className="small muted">Grey: no value ({formatNumber(legend.missing)} schools).</p> : null}
    </div>
  );
}
