import { plural } from '../../components/format.ts';
import type { GroupFigure } from './evaluation.api.ts';
import { fixed } from './stats-format.ts';

export type GroupBar = { key: string; label: string; figure: GroupFigure; highlight?: boolean };

const rowHeight = 34;
const labelWidth = 190;
const barWidth = 380;
const valueWidth = 170;

/**
 * Horizontal bars of a few group means (the network, similar schools, its authorities, the
 * country) from a common zero, so progress scores below zero read the right way. A group too
 * small to show is drawn as a note, never a bar. The figures are also printed beside the bars.
 */
export function GroupBars({ bars, title }: { bars: GroupBar[]; title: string }) {
  const values = bars.map((b) => b.figure.mean).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values, lo + 1e-9);
  const x = (v: number) => labelWidth + ((v - lo) / (hi - lo)) * barWidth;
  const height = bars.length * rowHeight + 8;
  const width = labelWidth + barWidth + valueWidth;
  const describe = bars.map((b) => `${b.label} ${b.figure.mean === null ? 'withheld' : fixed(b.figure.mean)}`).join('; ');
  return (
    <figure className="group-bars" data-testid="group-bars">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${title}: ${describe}`}>
        <line x1={x(0)} x2={x(0)} y1={2} y2={height - 2} className="bars-zero" />
        {bars.map((b, i) => {
          const y = 4 + i * rowHeight;
          const v = b.figure.mean;
          return (
            <g key={b.key} data-group={b.key}>
              <text x={labelWidth - 8} y={y + rowHeight / 2 + 4} textAnchor="end" className="bars-label">
                {b.label}
              </text>
              {v !== null ? (
                <rect x={Math.min(x(0), x(v))} y={y + 6} width={Math.max(1, Math.abs(x(v) - x(0)))} height={rowHeight - 12} className={b.highlight ? 'bar is-highlight' : 'bar'} rx={2} />
              ) : null}
              <text x={labelWidth + barWidth + 8} y={y + rowHeight / 2 + 4} className="bars-value">
                {v !== null ? `${fixed(v)} (${plural(b.figure.schools, 'school')})` : `withheld (${plural(b.figure.schools, 'school')})`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
