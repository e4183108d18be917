import { type ReactNode, useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import { Phase } from '../../../../common/vocabulary.ts';
import type { MetricInfo, NetworkAnalysis } from '../../api/network.ts';
import { formatNumber, labelOf, plural } from '../../components/format.ts';
import { Link } from '../../router.ts';
import { EXACT_BETWEENNESS, type ExactBetweenness } from './betweenness-panel.tsx';
import { formatMetric, MetricTip } from './metric-term.tsx';

/** Row height in pixels; the stylesheet fixes every row to it, which is what lets the table draw only the rows in view. */
const ROW_HEIGHT = 40;
const VIEW_HEIGHT = 520;
/** Rows drawn beyond the visible ones on each side, so a fast scroll does not show blank rows. */
const OVERSCAN = 8;
/** One collator for every comparison: localeCompare with a locale builds one per call, which sorting 24,000 names feels. */
const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });

type Column = {
  key: string;
  label: string;
  info: MetricInfo | null;
  numeric: boolean;
  /** The value to sort by (null sorts last whichever the direction). */
  sortValue: (i: number) => number | string | null;
  cell: (i: number) => ReactNode;
};

type Props = {
  data: NetworkAnalysis;
  metrics: readonly MetricInfo[];
  exact: ExactBetweenness | null;
  communityLabels: ReadonlyMap<number, string>;
  csvUrl: string;
  /** Shows a school on the map (and its card). */
  onShow: (id: number) => void;
  /** Controls shown above the table (the exact-betweenness job). */
  tools?: ReactNode;
};

type Sort = { key: string; direction: 'ascending' | 'descending' };

/**
 * Every school with every school-level metric. Sorting is by a column's header, the search
 * matches name, URN or local authority. Only the rows in view are in the page (about twenty of
 * 24,000), laid between two spacer rows that keep the scroll height true.
 */
export function MetricsTable({ data, metrics, exact, communityLabels, csvUrl, onShow, tools }: Props) {
  const id = useId();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [sort, setSort] = useState<Sort>({ key: 'name', direction: 'ascending' });
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLElement>(null);
  const scrollFrame = useRef(0);
  const schools = data.schools;

  const columns = useMemo<Column[]>(() => {
    const metricColumn = (info: MetricInfo, value: (i: number) => number | null): Column => ({
      key: info.key,
      label: info.label,
      info,
      numeric: true,
      sortValue: value,
      cell: (i) => formatMetric(value(i)),
    });
    return [
      {
        key: 'name',
        label: 'School',
        info: null,
        numeric: false,
        sortValue: (i) => schools[i]!.name,
        cell: (i) => {
          const s = schools[i]!;
          return (
            <>
              <Link to={`/schools/${s.id}`} className="strong-link" title={s.name}>
                {s.name}
              </Link>{' '}
              <button type="button" className="link-button small" onClick={() => onShow(s.id)} aria-label={`Show ${s.name} on the map`}>
                map
              </button>
            </>
          );
        },
      },
      { key: 'phase', label: 'Phase', info: null, numeric: false, sortValue: (i) => labelOf(Phase.labels, schools[i]!.phase) || null, cell: (i) => labelOf(Phase.labels, schools[i]!.phase) || '—' },
      { key: 'la', label: 'Local authority', info: null, numeric: false, sortValue: (i) => schools[i]!.la, cell: (i) => schools[i]!.la ?? '—' },
      {
        key: 'community',
        label: 'Community',
        info: null,
        numeric: true,
        sortValue: (i) => schools[i]!.community,
        cell: (i) => communityLabels.get(schools[i]!.community) ?? formatNumber(schools[i]!.community + 1),
      },
      {
        key: 'isolation',
        label: 'Isolation',
        info: null,
        numeric: false,
        sortValue: (i) => schools[i]!.isolation,
        cell: (i) => (schools[i]!.isolation === 'isolated' ? 'Isolated' : schools[i]!.isolation === 'weak-only' ? 'Weak ties only' : ''),
      },
      ...metrics.map((m) => metricColumn(m, (i) => schools[i]!.metrics[m.key] ?? null)),
      ...(exact
        ? EXACT_BETWEENNESS.map((m) =>
            metricColumn(m, (i) => {
              const r = exact.get(schools[i]!.id);
              return r ? (m.key === 'exactBetweenness' ? r.betweenness : r.weighted) : null;
            }),
          )
        : []),
    ];
  }, [schools, metrics, exact, communityLabels, onShow]);

  // The search text of each school, built once per answer.
  const haystack = useMemo(() => schools.map((s) => `${s.name} ${s.urn} ${s.la ?? ''}`.toLowerCase()), [schools]);

  const order = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    const rows: number[] = [];
    for (let i = 0; i < schools.length; i++) if (!needle || haystack[i]!.includes(needle)) rows.push(i);
    const column = columns.find((c) => c.key === sort.key) ?? columns[0]!;
    const values = new Array<number | string | null>(schools.length);
    for (const i of rows) values[i] = column.sortValue(i);
    const sign = sort.direction === 'ascending' ? 1 : -1;
    rows.sort((a, b) => {
      const va = values[a] ?? null;
      const vb = values[b] ?? null;
      if (va === null || vb === null || (typeof va === 'number' && Number.isNaN(va)) || (typeof vb === 'number' && Number.isNaN(vb))) {
        const na = va === null || (typeof va === 'number' && Number.isNaN(va));
        const nb = vb === null || (typeof vb === 'number' && Number.isNaN(vb));
        return na === nb ? a - b : na ? 1 : -1;
      }
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : byName.compare(String(va), String(vb));
      return c === 0 ? a - b : sign * c;
    });
    return rows;
  }, [schools, haystack, deferredSearch, columns, sort]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const visible = order.slice(first, last);

  const sortBy = (key: string, numeric: boolean) => {
    setSort((old) =>
      old.key === key ? { key, direction: old.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: numeric ? 'descending' : 'ascending' },
    );
    scroller.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  };

  return (
    <div className="metrics-table-block">
      <div className="table-tools">
        <div className="field table-search">
          <label htmlFor={`${id}-search`}>Search schools in the table</label>
          <input id={`${id}-search`} type="search" value={search} placeholder="Name, URN or local authority" onChange={(e) => setSearch(e.target.value)} />
        </div>
        <a className="button button-secondary button-small" href={csvUrl} download data-testid="csv-download">
          Download CSV
        </a>
      </div>
      {tools}
      <p className="muted small" aria-live="polite" data-testid="table-count">
        {deferredSearch.trim() ? `${plural(order.length, 'school')} of ${formatNumber(schools.length)} match “${deferredSearch.trim()}”` : `${plural(schools.length, 'school')}`}
        {' · '}sorted by {columns.find((c) => c.key === sort.key)?.label ?? 'name'}, {sort.direction === 'ascending' ? 'lowest first' : 'highest first'}
      </p>
      <section
        ref={scroller}
        className="table-window"
        // Room for every row up to the window's height, plus a horizontal scroll bar's.
        style={{ height: Math.min(VIEW_HEIGHT + ROW_HEIGHT, (order.length + 1) * ROW_HEIGHT + 18) }}
        aria-labelledby={`${id}-caption`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it
        tabIndex={0}
        onScroll={(e) => {
          const top = e.currentTarget.scrollTop;
          if (scrollFrame.current) return;
          scrollFrame.current = requestAnimationFrame(() => {
            scrollFrame.current = 0;
            setScrollTop(scroller.current?.scrollTop ?? top);
          });
        }}
      >
        <table className="data-table metrics-table" aria-rowcount={order.length + 1} data-testid="metrics-table">
          <caption id={`${id}-caption`} className="visually-hidden">
            Metrics of each school; the column headers sort the table
          </caption>
          <thead>
            <tr aria-rowindex={1}>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? sort.direction : undefined}
                  data-column={c.key}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => sortBy(c.key, c.numeric)}
                    aria-describedby={c.info ? `${id}-tip-${c.key}` : undefined}
                  >
                    {c.label}
                    <span aria-hidden="true" className="sort-mark">
                      {sort.key === c.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                  {c.info ? <MetricTip id={`${id}-tip-${c.key}`} info={c.info} /> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first > 0 ? (
              <tr className="spacer-row" style={{ height: first * ROW_HEIGHT }}>
                <td colSpan={columns.length} />
              </tr>
            ) : null}
            {visible.map((i, k) => (
              <tr key={schools[i]!.id} aria-rowindex={first + k + 2} data-school={schools[i]!.id}>
                {columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.key} scope="row" className="school-cell">
                      {c.cell(i)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {c.cell(i)}
                    </td>
                  ),
                )}
              </tr>
            ))}
            {last < order.length ? (
              <tr className="spacer-row" style={{ height: (order.length - last) * ROW_HEIGHT }}>
                <td colSpan={columns.length} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </div>
  );
}
