import { useEffect, useRef, useState } from 'react';
import { Phase } from '../../../../common/vocabulary.ts';
import type { MapPoint, NetworkMap as NetworkMapData } from '../../api/registry.ts';
import { labelOf, plural } from '../../components/format.ts';
import { navigate } from '../../router.ts';
import { formatKm, niceDistance, projectKm } from './map-projection.ts';

const PAD = 36;
/** Up to this many members, every point is named on the map; beyond it, names show on hover/focus. */
const NAME_ALL_UP_TO = 8;

/** The rendered width in CSS pixels, so dots and text keep their size whatever the column width. */
function useWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(260, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** Phase groups, each with a colour that stays apart from the others for colour-blind readers. */
const phaseGroups = [
  { key: 'early', label: 'Nursery, infant, junior, primary, first', phases: ['nursery', 'infant', 'junior', 'primary', 'first'], colour: '#0b7a75' },
  { key: 'secondary', label: 'Middle, secondary, high, post-16', phases: ['middle', 'secondary', 'high', 'post_16'], colour: '#c2410c' },
  { key: 'through', label: 'All-through', phases: ['all_through'], colour: '#7c3aed' },
  { key: 'special', label: 'Special, alternative provision', phases: ['special', 'alternative_provision'], colour: '#b91c8c' },
  { key: 'other', label: 'Phase not known', phases: [], colour: '#52606d' },
] as const;

function groupOf(phase: MapPoint['phase']) {
  return phaseGroups.find((g) => (g.phases as readonly string[]).includes(phase ?? '')) ?? phaseGroups[phaseGroups.length - 1]!;
}

/**
 * The members drawn where they are, on a blank ground: no tiles, so nothing leaves the browser.
 * Points are links (Tab reaches each one); hovering or focusing one names it.
 */
export function NetworkMap({ data, on }: { data: NetworkMapData; on: string }) {
  const [frame, width] = useWidth<HTMLDivElement>(640);
  return (
    <div ref={frame} className="map-frame">
      <MapDrawing data={data} on={on} WIDTH={width} />
    </div>
  );
}

function MapDrawing({ data, on, WIDTH }: { data: NetworkMapData; on: string; WIDTH: number }) {
  const [active, setActive] = useState<number | null>(null);
  const projected = projectKm(data.points);
  const missing = data.withoutLocation;

  if (projected.length === 0) {
    return (
      <div className="map-empty">
        <p>{data.points.length === 0 && missing === 0 ? 'No members on this date to map.' : 'None of the members on this date has a recorded location.'}</p>
        {missing > 0 ? <p className="muted">{plural(missing, 'member')} without a location.</p> : null}
      </div>
    );
  }

  const xs = projected.map((p) => p.x);
  const ys = projected.map((p) => p.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  // At least 2 km across, so schools on one site do not fill the frame.
  const spanX = Math.max(maxX - minX, 2);
  const spanY = Math.max(maxY - minY, 2);
  const height = Math.round(Math.min(Math.max((WIDTH * spanY) / spanX, 280), Math.max(WIDTH * 0.9, 320), 560));
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (height - 2 * PAD - 24) / spanY);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const toSvg = (x: number, y: number) => ({ sx: WIDTH / 2 + (x - cx) * scale, sy: (height - 24) / 2 - (y - cy) * scale });
  const barKm = niceDistance((WIDTH * 0.25) / scale);
  const barPx = barKm * scale;
  const groups = phaseGroups.filter((g) => projected.some((p) => groupOf(p.point.phase).key === g.key));
  const placed = spreadColocated(projected.map((p) => ({ ...p, ...toSvg(p.x, p.y) })));
  const nameAll = projected.length <= NAME_ALL_UP_TO;
  const shown = placed.find((p) => p.point.schoolId === active);

  return (
    <figure className="network-map">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="map-svg">
        <title>{`Map of ${plural(projected.length, 'member')} on ${on}. Each point links to the school.`}</title>
        <rect x="0" y="0" width={WIDTH} height={height} className="map-ground" />
        <Graticule width={WIDTH} height={height - 24} scale={scale} barKm={barKm} />
        {placed.map(({ point, sx, sy, siteX, siteY, siteIndex, siteSize }) => {
          const g = groupOf(point.phase);
          const isActive = point.schoolId === active;
          return (
            <a
              key={point.schoolId}
              href={`/schools/${point.schoolId}`}
              className="map-point"
              aria-label={`${point.name}, ${labelOf(Phase.labels, point.phase) || 'phase not known'}`}
              onMouseEnter={() => setActive(point.schoolId)}
              onMouseLeave={() => setActive((a) => (a === point.schoolId ? null : a))}
              onFocus={() => setActive(point.schoolId)}
              onBlur={() => setActive((a) => (a === point.schoolId ? null : a))}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                navigate(`/schools/${point.schoolId}`);
              }}
            >
              <circle cx={sx} cy={sy} r={isActive ? 9 : 7} fill={g.colour} className="map-dot" />
              <circle cx={sx} cy={sy} r={14} className="map-hit" />
              {nameAll && !isActive && siteIndex === 0 ? (
                <text x={siteX > WIDTH * 0.62 ? siteX - (siteSize > 1 ? 26 : 12) : siteX + (siteSize > 1 ? 26 : 12)} y={siteY + 4} textAnchor={siteX > WIDTH * 0.62 ? 'end' : 'start'} className="map-name">
                  {siteSize > 1 ? `${siteSize} schools on one site` : shortName(point.name)}
                </text>
              ) : null}
            </a>
          );
        })}
        {shown ? <MapLabel sx={shown.sx} sy={shown.sy} text={shown.point.name} width={WIDTH} /> : null}
        <g className="map-scale" transform={`translate(${PAD}, ${height - 18})`}>
          <rect x="-6" y="-16" width={barPx + 70} height="26" rx="3" className="map-scale-bg" />
          <path d={`M0 -6 V0 H${barPx} V-6`} className="map-scale-bar" />
          <text x={barPx + 8} y="0" className="map-scale-text">
            {formatKm(barKm)}
          </text>
        </g>
        <text x={WIDTH - 12} y={height - 10} textAnchor="end" className="map-north">
          ↑ N
        </text>
      </svg>
      <figcaption className="map-caption">
        <ul className="map-legend" aria-label="Phases">
          {groups.map((g) => (
            <li key={g.key}>
              <svg width="12" height="12" aria-hidden="true">
                <circle cx="6" cy="6" r="5" fill={g.colour} />
              </svg>
              {g.label}
            </li>
          ))}
        </ul>
        <p className="muted" data-testid="map-summary">
          {plural(projected.length, 'member')} mapped
          {missing > 0 ? `; ${plural(missing, 'member has', 'members have')} no recorded location and ${missing === 1 ? 'is' : 'are'} not shown` : ''}.
        </p>
      </figcaption>
    </figure>
  );
}

/**
 * Schools on one site (a federation's infant and junior schools, say) share coordinates: set
 * them round a small ring so each stays visible and reachable, keeping the site's centre.
 */
function spreadColocated<T extends { sx: number; sy: number }>(points: T[]) {
  const sites = new Map<string, number[]>();
  points.forEach((p, i) => {
    const key = `${Math.round(p.sx / 8)}:${Math.round(p.sy / 8)}`;
    sites.set(key, [...(sites.get(key) ?? []), i]);
  });
  const out = points.map((p) => ({ ...p, siteX: p.sx, siteY: p.sy, siteIndex: 0, siteSize: 1 }));
  for (const members of sites.values()) {
    if (members.length < 2) continue;
    const radius = 9 + members.length;
    members.forEach((pointIndex, k) => {
      const p = out[pointIndex]!;
      const angle = (2 * Math.PI * k) / members.length - Math.PI / 2;
      const [cx, cy] = [points[members[0]!]!.sx, points[members[0]!]!.sy];
      Object.assign(p, { sx: cx + radius * Math.cos(angle), sy: cy + radius * Math.sin(angle), siteX: cx, siteY: cy, siteIndex: k, siteSize: members.length });
    });
  }
  return out;
}

/** "Seaton Primary School" → "Seaton Primary": keeps map names short; the full name shows on focus. */
function shortName(name: string): string {
  const short = name.replace(/\s+(School|Academy|Community School)$/i, '');
  return short.length > 34 ? `${short.slice(0, 32)}…` : short;
}

/** Faint grid lines every scale-bar length, so distances can be read across the map. */
function Graticule({ width, height, scale, barKm }: { width: number; height: number; scale: number; barKm: number }) {
  const step = barKm * scale;
  if (step < 24) return null;
  const lines: string[] = [];
  for (let x = width / 2 - Math.floor(width / 2 / step) * step; x <= width; x += step) lines.push(`M${x.toFixed(1)} 0V${height}`);
  for (let y = height / 2 - Math.floor(height / 2 / step) * step; y <= height; y += step) lines.push(`M0 ${y.toFixed(1)}H${width}`);
  return <path d={lines.join('')} className="map-grid" />;
}

function MapLabel({ sx, sy, text, width }: { sx: number; sy: number; text: string; width: number }) {
  const estimate = Math.min(text.length * 7.4 + 16, width - 8);
  const left = Math.min(Math.max(sx - estimate / 2, 4), width - estimate - 4);
  const top = sy - 42 < 4 ? sy + 14 : sy - 42;
  return (
    <g className="map-label" pointerEvents="none">
      <rect x={left} y={top} width={estimate} height="26" rx="4" />
      <text x={left + estimate / 2} y={top + 17} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}
