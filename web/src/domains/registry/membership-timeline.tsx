import { MembershipRole, NetworkKind } from '../../../../common/vocabulary.ts';
import type { MembershipView } from '../../api/registry.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { Link } from '../../router.ts';

const DAY = 86_400_000;
const toTime = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

/**
 * The span the timeline shows: from a little before the earliest date we know (a membership's
 * start or end, or the school's opening) to today. Memberships that began before our records
 * start at the left edge, drawn fading in.
 */
export function timelineSpan(memberships: MembershipView[], todayIso: string, openedOn: string | null): { start: number; end: number } {
  const end = Math.max(toTime(todayIso), ...memberships.flatMap((m) => (m.leftOn ? [toTime(m.leftOn)] : [])));
  const known = [
    ...memberships.flatMap((m) => [m.joinedOn, m.leftOn]).filter((d): d is string => d !== null),
    ...(openedOn ? [openedOn] : []),
  ].map(toTime);
  const earliest = known.length > 0 ? Math.min(...known) : end - 5 * 365 * DAY;
  const unknownStarts = memberships.some((m) => m.joinedOn === null);
  // leave room on the left for "before records" bars, and never show less than two years
  const span = Math.max(end - earliest, 2 * 365 * DAY);
  const start = Math.min(earliest, end - span) - (unknownStarts ? span * 0.15 : span * 0.03);
  return { start, end };
}

function yearTicks(start: number, end: number): { year: number; at: number }[] {
  const first = new Date(start).getUTCFullYear() + 1;
  const last = new Date(end).getUTCFullYear();
  const count = last - first + 1;
  const step = count > 24 ? 5 : count > 12 ? 2 : 1;
  const ticks: { year: number; at: number }[] = [];
  for (let year = first; year <= last; year++) {
    if (year % step !== 0) continue;
    ticks.push({ year, at: Date.UTC(year, 0, 1) });
  }
  return ticks;
}

/** One bar per membership on a shared time axis; the table below carries the same facts. */
export function MembershipTimeline({ memberships, today, openedOn }: { memberships: MembershipView[]; today: string; openedOn: string | null }) {
  const { start, end } = timelineSpan(memberships, today, openedOn);
  const pct = (t: number) => `${(((t - start) / (end - start)) * 100).toFixed(3)}%`;
  const length = (from: number, to: number) => `max(4px, ${(((to - from) / (end - start)) * 100).toFixed(3)}%)`;
  const ordered = [...memberships].sort(
    (a, b) => (a.joinedOn ? toTime(a.joinedOn) : 0) - (b.joinedOn ? toTime(b.joinedOn) : 0) || a.network.name.localeCompare(b.network.name),
  );
  return (
    <figure className="timeline" aria-label="Network memberships over time">
      <div className="timeline-axis" aria-hidden="true">
        {yearTicks(start, end).map((t) => (
          <span key={t.year} className="timeline-tick" style={{ left: pct(t.at) }}>
            {t.year}
          </span>
        ))}
        <span className="timeline-today" style={{ left: pct(toTime(today)) }}>
          Today
        </span>
      </div>
      <ol className="timeline-rows">
        {ordered.map((m) => {
          const from = m.joinedOn ? toTime(m.joinedOn) : start;
          const to = m.leftOn ? toTime(m.leftOn) : toTime(today);
          const current = m.leftOn === null;
          const when = `${m.joinedOn ? `from ${formatDate(m.joinedOn)}` : 'since before our records'}${m.leftOn ? ` to ${formatDate(m.leftOn)}` : ', still a member'}`;
          return (
            <li key={m.id} className="timeline-row">
              <div className="timeline-label">
                <Link to={`/networks/${m.network.id}`}>{m.network.name}</Link>
                <span className="sub">
                  {labelOf(MembershipRole.labels, m.role)} · {labelOf(NetworkKind.labels, m.network.kind)}
                </span>
              </div>
              <div className="timeline-track">
                {yearTicks(start, end).map((t) => (
                  <span key={t.year} className="timeline-grid" style={{ left: pct(t.at) }} aria-hidden="true" />
                ))}
                <span
                  className={`timeline-bar${current ? ' is-current' : ' is-past'}${m.joinedOn ? '' : ' is-open-start'}`}
                  style={{ left: pct(from), width: length(from, to) }}
                  title={`${m.network.name}: ${when}`}
                >
                  <span className="visually-hidden">{when}</span>
                </span>
              </div>
            </li>
          );
        })}
      </ol>
      <figcaption className="timeline-legend">
        <span className="legend-item">
          <span className="legend-swatch is-current" aria-hidden="true" /> Current
        </span>
        <span className="legend-item">
          <span className="legend-swatch is-past" aria-hidden="true" /> Ended
        </span>
        <span className="legend-item">
          <span className="legend-swatch is-open-start" aria-hidden="true" /> Began before our records
        </span>
      </figcaption>
    </figure>
  );
}
