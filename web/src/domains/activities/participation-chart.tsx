import { StaffLevel, staffLevels } from '../../../../common/activities.ts';
import type { ParticipationPeriod } from '../../api/activities.ts';
import { formatNumber } from '../../components/format.ts';

/** One colour per level, from governance (purple) through staff (greens, blues) to home (warm). */
export const levelColours: Record<(typeof staffLevels)[number], string> = {
  governors: '#6b4c9a',
  heads: '#0a5042',
  senior_leaders: '#1f8a6a',
  middle_leaders: '#72c3a0',
  teachers: '#1d5fa8',
  support_staff: '#86b7e3',
  pupils: '#c2650a',
  parents: '#9c2a1f',
};

/** A round upper bound for the axis: 37 → 40, 180 → 200. */
function niceMax(n: number): number {
  if (n <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= n) return m * step;
  return 10 * step;
}

/**
 * Participation over time as stacked columns, one per period, one colour per level of people
 * (how far into each school community the collaboration reaches). Drawn as plain SVG; the same
 * figures follow in a table for screen readers and for reading exact numbers.
 */
export function ParticipationChart({ periods, caption }: { periods: ParticipationPeriod[]; caption: string }) {
  const present = staffLevels.filter((l) => periods.some((p) => p.people[l] > 0));
  const max = niceMax(Math.max(0, ...periods.map((p) => p.total)));
  const width = 720;
  const height = 240;
  const left = 44;
  const bottom = 46;
  const top = 10;
  const plotH = height - top - bottom;
  const slot = (width - left - 8) / Math.max(1, periods.length);
  const bar = Math.min(56, slot * 0.64);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const short = (label: string) => label.replace(/^(\w{3})\w*\s/, '$1 ');
  return (
    <figure className="participation-chart" data-testid="participation-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${caption}: stacked columns of people by level in each period`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - 4} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="chart-tick">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {periods.map((p, i) => {
          const x = left + i * slot + (slot - bar) / 2;
          let base = 0;
          return (
            <g key={p.period} data-period={p.period}>
              <title>{`${p.label}: ${formatNumber(p.total)} participations in ${formatNumber(p.activities)} activities`}</title>
              {present.map((l) => {
                const v = p.people[l];
                if (v <= 0) return null;
                const y0 = y(base);
                base += v;
                return <rect key={l} x={x} width={bar} y={y(base)} height={Math.max(0.5, y0 - y(base))} fill={levelColours[l]} />;
              })}
              <text x={x + bar / 2} y={height - bottom + 16} textAnchor="middle" className="chart-label">
                {short(p.label).split(' ')[0]}
              </text>
              <text x={x + bar / 2} y={height - bottom + 30} textAnchor="middle" className="chart-label chart-label-sub">
                {short(p.label).split(' ').slice(1).join(' ')}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {present.map((l) => (
            <li key={l}>
              <span className="legend-swatch" style={{ background: levelColours[l] }} aria-hidden="true" />
              {StaffLevel.labels[l]}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="chart-figures">
        <summary>The figures</summary>
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Activities
                </th>
                {present.map((l) => (
                  <th scope="col" className="num" key={l}>
                    {StaffLevel.labels[l]}
                  </th>
                ))}
                <th scope="col" className="num">
                  Levels
                </th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{p.label}</th>
                  <td className="num">{formatNumber(p.activities)}</td>
                  {present.map((l) => (
                    <td className="num" key={l}>
                      {formatNumber(p.people[l])}
                    </td>
                  ))}
                  <td className="num">{p.levels}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
