import type { Change } from '../../api/surveys.ts';
import { formatNumber, formatPercent } from '../../components/format.ts';

/** The kernel's warnings (analytics/surveys/wave-comparison.ts), in words a reader acts on. */
export const warningText: Record<Change['warnings'][number], string> = {
  'small-denominator': 'fewer than 10 respondents in a round: one answer moves the percentage by more than 10 points',
  'unequal-denominators': 'one round had over 1.5 times the respondents of the other: who answered changed as much as what',
  'count-and-percent-disagree': 'the count and the percentage moved in opposite directions',
};

export type ChangeRow = { code: string; text: string; change: Change | null };

/** A round bound for the axis: 23 → 30, 4 → 10; never beyond 100 points. */
function niceBound(n: number): number {
  return Math.min(100, Math.max(10, Math.ceil(n / 10) * 10));
}

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toLocaleString('en-GB', { maximumFractionDigits: 1 })}`;

/** "12 of 31 (38.7%) → 20 of 49 (40.8%)": the counts beside the percentages. */
export const beforeAfter = (c: Change) =>
  `${formatNumber(c.before.count)} of ${formatNumber(c.before.n)} (${formatPercent(c.before.pct)}) → ${formatNumber(c.after.count)} of ${formatNumber(c.after.n)} (${formatPercent(c.after.pct)})`;

/**
 * Change since the earlier round, one row per statement: the dot is the change in percentage
 * points, the whisker its 95% interval (Newcombe's hybrid score interval: rounds treated as
 * independent samples, since forms cannot be paired; for the same staff answering twice it is
 * conservative). A whisker crossing zero means the data cannot tell a rise from a fall. Rows
 * with a warning are marked "!" and say why; the counts before and after sit beside each row.
 */
export function ChangeChart({ rows, caption }: { rows: ChangeRow[]; caption: string }) {
  const shown = rows.filter((r): r is ChangeRow & { change: Change } => r.change !== null);
  const bound = niceBound(Math.max(0, ...shown.flatMap((r) => [Math.abs(r.change.lower), Math.abs(r.change.upper)])));
  const width = 780;
  const rowH = 22;
  const top = 24;
  const x0 = 100;
  const x1 = 470;
  const x = (v: number) => x0 + ((v + bound) / (2 * bound)) * (x1 - x0);
  const height = top + rows.length * rowH + 10;
  const ticks = [-bound, -bound / 2, 0, bound / 2, bound];
  return (
    <figure className="change-chart" data-testid="change-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${caption}: change in percentage points with 95% intervals`}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={top - 6} y2={height - 6} className={t === 0 ? 'chart-zero' : 'chart-grid'} />
            <text x={x(t)} y={top - 10} textAnchor="middle" className="chart-tick">
              {t === 0 ? '0' : signed(t)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH + rowH / 2;
          const c = r.change;
          return (
            <g key={r.code} data-item={r.code} data-warnings={c?.warnings.join(' ') ?? ''}>
              <title>
                {c
                  ? `${r.code} ${r.text}\n${signed(c.change)} points (95% interval ${signed(c.lower)} to ${signed(c.upper)}); ${beforeAfter(c)}${c.warnings.length ? `\nCaution: ${c.warnings.map((w) => warningText[w]).join('; ')}` : ''}`
                  : `${r.code}: not comparable (a group hidden or empty in one of the rounds)`}
              </title>
              <text x={x0 - 26} y={y + 4} textAnchor="end" className="chart-label">
                {r.code}
              </text>
              {c ? (
                <>
                  {c.warnings.length > 0 ? (
                    <text x={x0 - 12} y={y + 4} textAnchor="middle" className="chart-warning">
                      !
                    </text>
                  ) : null}
                  <line x1={x(c.lower)} x2={x(c.upper)} y1={y} y2={y} className="ci-whisker" />
                  <line x1={x(c.lower)} x2={x(c.lower)} y1={y - 4} y2={y + 4} className="ci-whisker" />
                  <line x1={x(c.upper)} x2={x(c.upper)} y1={y - 4} y2={y + 4} className="ci-whisker" />
                  <circle cx={x(c.change)} cy={y} r={4} className={c.warnings.length ? 'change-dot change-dot-warned' : 'change-dot'} />
                  <text x={x1 + 12} y={y + 4} className="chart-label">
                    {signed(c.change)} pts · {formatNumber(c.before.count)}/{formatNumber(c.before.n)} → {formatNumber(c.after.count)}/{formatNumber(c.after.n)}
                  </text>
                </>
              ) : (
                <text x={x0} y={y + 4} className="chart-label muted-label">
                  not comparable
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="small">
        Dot: change in percentage points; whisker: 95% interval; right: the count of respondents endorsing before → after, out of all respondents. <strong>!</strong> marks a
        change to read with caution.
      </figcaption>
      <details className="chart-figures">
        <summary>The figures</summary>
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Statement</th>
                <th scope="col">Before → after</th>
                <th scope="col" className="num">
                  Change (points)
                </th>
                <th scope="col">95% interval</th>
                <th scope="col">Caution</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <th scope="row">
                    {r.code} <span className="sub">{r.text}</span>
                  </th>
                  {r.change ? (
                    <>
                      <td className="nowrap">{beforeAfter(r.change)}</td>
                      <td className="num">{signed(r.change.change)}</td>
                      <td className="nowrap">
                        {signed(r.change.lower)} to {signed(r.change.upper)}
                      </td>
                      <td>{r.change.warnings.map((w) => warningText[w]).join('; ')}</td>
                    </>
                  ) : (
                    <td colSpan={4} className="muted">
                      Not comparable: the group is hidden or empty in one of the rounds.
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
