import { fixed } from './stats-format.ts';

export type ForestRow = { key: string; label: string; sub?: string; estimate: number | null; low: number | null; high: number | null; muted?: boolean };

const rowHeight = 26;
const labelWidth = 118;
const plotWidth = 420;
const valueWidth = 150;
const top = 8;
const axisHeight = 30;

/** Round-number ticks (1, 2 or 5 × a power of ten) covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/**
 * A forest plot: one row per year, the difference as a square and its 95% interval as a line,
 * against a line at no difference. The same figures are in the table beside it, so the picture
 * carries a one-sentence description for screen readers rather than repeating every number.
 */
export function ForestPlot({ rows, title, unit }: { rows: ForestRow[]; title: string; unit: string }) {
  const values = rows.flatMap((r) => [r.estimate, r.low, r.high]).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return null;
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  const pad = (hi - lo || 1) * 0.06;
  lo -= pad;
  hi += pad;
  const x = (v: number) => labelWidth + ((v - lo) / (hi - lo)) * plotWidth;
  const height = top + rows.length * rowHeight + axisHeight;
  const width = labelWidth + plotWidth + valueWidth;
  const tickValues = ticks(lo, hi);
  return (
    <figure className="forest-plot">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${title}: the difference each year with its 95% confidence interval, in ${unit}; the vertical line marks no difference.`}>
        {tickValues.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top} y2={height - axisHeight} className={t === 0 ? 'forest-zero' : 'forest-grid'} />
            <text x={x(t)} y={height - axisHeight + 14} textAnchor="middle" className="forest-tick">
              {fixed(t, Math.abs(t) < 10 && t % 1 !== 0 ? 1 : 0)}
            </text>
          </g>
        ))}
        <text x={labelWidth + plotWidth / 2} y={height - 3} textAnchor="middle" className="forest-axis-label">
          Network − comparison ({unit})
        </text>
        {rows.map((r, i) => {
          const y = top + i * rowHeight + rowHeight / 2;
          const drawn = r.estimate !== null && Number.isFinite(r.estimate);
          return (
            <g key={r.key} className={r.muted ? 'forest-row is-muted' : 'forest-row'}>
              <text x={4} y={y + 4} className="forest-label">
                {r.label}
                {r.sub ? <tspan className="forest-sub"> {r.sub}</tspan> : null}
              </text>
              {drawn && r.low !== null && r.high !== null ? <line x1={x(r.low)} x2={x(r.high)} y1={y} y2={y} className="forest-ci" /> : null}
              {drawn ? <rect x={x(r.estimate!) - 4.5} y={y - 4.5} width={9} height={9} className="forest-point" /> : null}
              <text x={labelWidth + plotWidth + 10} y={y + 4} className="forest-value">
                {drawn ? `${fixed(r.estimate)} [${fixed(r.low)}, ${fixed(r.high)}]` : 'no estimate'}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="small muted">Squares: the difference between the network’s schools and their comparators; lines: 95% confidence intervals. Grey rows are baseline years.</figcaption>
    </figure>
  );
}
