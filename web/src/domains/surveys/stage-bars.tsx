import type { Profile, ResultStrand } from '../../api/surveys.ts';
import { formatPercent } from '../../components/format.ts';

/** Light to dark with the stage: Beginning pale, Leading the darkest (one hue, so order reads without a legend). */
const stagePalette = ['#b8e0cd', '#6cbf9b', '#1f8a6a', '#0a5042', '#062e26', '#031a15'];
export const stageColour = (index: number): string => stagePalette[Math.min(index, stagePalette.length - 1)] ?? '#1f8a6a';

/** What one row shows: a strand's profile in one group, or why there is none. */
export type StageRow = { strand: ResultStrand; profile: Profile; hidden: string | null };

/** "Beginning reached", "no stage reached", "fewer than 3". */
export function reachedText(row: StageRow): string {
  if (row.hidden) return row.hidden;
  switch (row.profile.status) {
    case 'reached':
      return row.profile.reached?.label ?? '';
    case 'none':
      return 'no stage reached';
    case 'no-data':
      return 'no respondents';
    default: {
      const unknown: never = row.profile.status;
      return String(unknown);
    }
  }
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Stacked stage bars: one bar per strand, one segment per stage, each segment as long as the
 * share of the group endorsing that stage's statements (a full stage is one unit; deficit
 * statements read in reverse), so a bar runs from 0 to the number of stages. The tick is the
 * maturity index (analytics/surveys/stage-profile.ts), which counts each stage at most as much as
 * every stage below it: where the tick falls short of the bar's end, later stages were endorsed
 * more than earlier ones. Plain SVG, with the figures in a table after it.
 */
export function StageBars({ rows, stages, caption, compact = false }: { rows: StageRow[]; stages: { code: string; label: string }[]; caption: string; compact?: boolean }) {
  const units = Math.max(1, stages.length);
  // Compact (the by-group panels, a third of the page wide): strand codes only, the index alone at the right.
  const width = compact ? 400 : 780;
  const rowH = compact ? 26 : 32;
  const barH = compact ? 16 : 18;
  const top = 8;
  const x0 = compact ? 52 : 250;
  const x1 = compact ? 340 : 660;
  const unit = (x1 - x0) / units;
  const height = top + rows.length * rowH + 30;
  const ticks = Array.from({ length: units + 1 }, (_, u) => u);
  return (
    <figure className="stage-bars" data-testid="stage-bars">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${caption}: for each strand, the share endorsing each stage’s statements, stacked`}>
        {ticks.map((u) => (
          <g key={u}>
            <line x1={x0 + u * unit} x2={x0 + u * unit} y1={top - 4} y2={top + rows.length * rowH} className="chart-grid" />
            <text x={x0 + u * unit} y={top + rows.length * rowH + 16} textAnchor="middle" className="chart-tick">
              {u}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = top + i * rowH + (rowH - barH) / 2;
          let x = x0;
          return (
            <g key={row.strand.code} data-strand={row.strand.code}>
              <title>{`${row.strand.label}: ${reachedText(row)}${row.hidden || row.profile.index === null ? '' : `, maturity index ${row.profile.index} of ${row.strand.maxIndex}`}`}</title>
              <text x={x0 - 10} y={y + barH / 2 + 4} textAnchor="end" className="chart-label">
                <tspan fontWeight={600}>{row.strand.code}</tspan>
                {compact ? '' : ` ${shorten(row.strand.label, 30)}`}
              </text>
              <rect x={x0} y={y} width={x1 - x0} height={barH} className="stage-track" />
              {row.hidden ? (
                <text x={x0 + 8} y={y + barH / 2 + 4} className="chart-label suppressed-label">
                  {row.hidden}: not shown
                </text>
              ) : (
                row.profile.stageRates.map((rate, k) => {
                  if (rate === null || rate <= 0) return null;
                  const w = (rate / 100) * unit;
                  const seg = (
                    <rect key={stages[k]?.code ?? k} x={x} y={y} width={w} height={barH} fill={stageColour(k)} className="stage-segment">
                      <title>{`${stages[k]?.label ?? `Stage ${k + 1}`}: ${formatPercent(rate)} endorsing`}</title>
                    </rect>
                  );
                  x += w;
                  return seg;
                })
              )}
              {!row.hidden && row.profile.index !== null ? (
                <line x1={x0 + row.profile.index * unit} x2={x0 + row.profile.index * unit} y1={y - 4} y2={y + barH + 4} className="index-tick" />
              ) : null}
              <text x={x1 + 10} y={y + barH / 2 + 4} className="chart-label">
                {row.hidden ? '' : row.profile.index === null ? '—' : compact ? row.profile.index.toFixed(2) : `${row.profile.index.toFixed(2)} · ${reachedText(row)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className={compact ? 'visually-hidden' : undefined}>
        <ul className="chart-legend">
          {stages.map((s, k) => (
            <li key={s.code}>
              <span className="legend-swatch" style={{ background: stageColour(k) }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
          <li>
            <span className="legend-tick" aria-hidden="true" />
            Maturity index (right: index · stage reached)
          </li>
        </ul>
      </figcaption>
      <details className="chart-figures">
        <summary>The figures</summary>
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>{caption}: share endorsing each stage’s statements</caption>
            <thead>
              <tr>
                <th scope="col">Strand</th>
                {stages.map((s) => (
                  <th scope="col" className="num" key={s.code}>
                    {s.label}
                  </th>
                ))}
                <th scope="col">Stage reached</th>
                <th scope="col" className="num">
                  Maturity index
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.strand.code}>
                  <th scope="row">
                    {row.strand.code} {row.strand.label}
                  </th>
                  {stages.map((s, k) => (
                    <td className="num" key={s.code}>
                      {row.hidden ? '' : formatPercent(row.profile.stageRates[k]) || '—'}
                    </td>
                  ))}
                  <td>{reachedText(row)}</td>
                  <td className="num">{row.hidden || row.profile.index === null ? '' : `${row.profile.index.toFixed(2)} of ${row.strand.maxIndex}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
