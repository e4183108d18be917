/** One polygon: a group's value on each axis, 0 to 1 (null: not shown for that group). */
export type RadarSeries = { key: string; name: string; colour: string; dashed?: boolean; values: (number | null)[]; labels: string[] };

/**
 * A radar across strands: one spoke per strand, 0 at the centre and 1 at the rim, one polygon
 * per group. Values are each strand's maturity index divided by its maximum, so strands with
 * different numbers of stages sit on one scale. A group with a hidden strand is drawn as points
 * only (a polygon through a gap would invent a value). Plain SVG; the figures follow in a table.
 */
export function RadarChart({ axes, series, caption, unit }: { axes: { code: string; label: string }[]; series: RadarSeries[]; caption: string; unit: string }) {
  const size = 460;
  const c = size / 2;
  const r = 150;
  const n = axes.length;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / n;
  const at = (i: number, v: number) => [c + r * v * Math.cos(angle(i)), c + r * v * Math.sin(angle(i))] as const;
  const ring = (v: number) =>
    axes
      .map((_, i) => at(i, v))
      .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
      .join(' ');
  return (
    <figure className="radar-chart" data-testid="radar-chart">
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${caption}: one spoke per strand`}>
        {[0.25, 0.5, 0.75, 1].map((v) => (
          <polygon key={v} points={ring(v)} className="radar-ring" />
        ))}
        {axes.map((a, i) => {
          const [x, y] = at(i, 1);
          const [lx, ly] = at(i, 1.16);
          const anchor = Math.abs(lx - c) < 8 ? 'middle' : lx > c ? 'start' : 'end';
          return (
            <g key={a.code}>
              <line x1={c} y1={c} x2={x} y2={y} className="chart-grid" />
              <text x={lx} y={ly + 4} textAnchor={anchor} className="chart-label">
                <title>{a.label}</title>
                {a.code}
              </text>
            </g>
          );
        })}
        {[0.5, 1].map((v) => {
          // Along the bisector of the first two spokes, where no spoke or point sits.
          const a = -Math.PI / 2 + Math.PI / n;
          return (
            <text key={v} x={c + r * v * Math.cos(a) + 4} y={c + r * v * Math.sin(a)} className="chart-tick">
              {v}
            </text>
          );
        })}
        {series.map((s) => {
          const points = s.values.map((v, i) => (v === null ? null : at(i, Math.max(0, Math.min(1, v)))));
          const complete = points.every((p) => p !== null);
          return (
            <g key={s.key} data-series={s.key}>
              {complete ? (
                <polygon
                  points={points.map((p) => `${p![0].toFixed(1)},${p![1].toFixed(1)}`).join(' ')}
                  fill={s.colour}
                  fillOpacity={s.dashed ? 0 : 0.18}
                  stroke={s.colour}
                  strokeWidth={2}
                  strokeDasharray={s.dashed ? '5 4' : undefined}
                />
              ) : null}
              {points.map((p, i) =>
                p ? (
                  <circle key={axes[i]?.code ?? i} cx={p[0]} cy={p[1]} r={3.5} fill={s.colour}>
                    <title>{`${s.name}, ${axes[i]?.label ?? ''}: ${s.labels[i] ?? ''}`}</title>
                  </circle>
                ) : null,
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.key}>
              <span className={`legend-line${s.dashed ? ' legend-line-dashed' : ''}`} style={{ borderColor: s.colour }} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="chart-figures">
        <summary>The figures</summary>
        <div className="table-wrap">
          <table className="data-table compact-table">
            <caption>
              {caption} ({unit})
            </caption>
            <thead>
              <tr>
                <th scope="col">Strand</th>
                {series.map((s) => (
                  <th scope="col" className="num" key={s.key}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {axes.map((a, i) => (
                <tr key={a.code}>
                  <th scope="row">
                    {a.code} {a.label}
                  </th>
                  {series.map((s) => (
                    <td className="num" key={s.key}>
                      {s.labels[i] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
