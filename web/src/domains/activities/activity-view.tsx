import { Direction, Recurrence, type StaffLevel, staffLevels } from '../../../../common/activities.ts';
import type { Activity, Staff } from '../../api/activities.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { Link } from '../../router.ts';

/** How a school the reader may not see is named wherever it appears. */
export const hiddenSchool = 'A school that does not share its activity records with you';

/** People of each level, one and many: "1 head teacher", "3 teachers". */
export const levelNames: Record<StaffLevel, [one: string, many: string]> = {
  governors: ['governor', 'governors'],
  heads: ['head teacher', 'head teachers'],
  senior_leaders: ['senior leader', 'senior leaders'],
  middle_leaders: ['middle leader', 'middle leaders'],
  teachers: ['teacher', 'teachers'],
  support_staff: ['member of support staff', 'support staff'],
  pupils: ['pupil', 'pupils'],
  parents: ['parent', 'parents'],
};

export const directionShort: Record<keyof typeof Direction.labels, string> = { giving: 'Giving', receiving: 'Receiving', mutual: 'Mutual' };

export function staffText(staff: Staff | null): string {
  if (!staff) return '';
  return staffLevels
    .filter((l) => (staff[l] ?? 0) > 0)
    .map((l) => {
      const n = staff[l] ?? 0;
      return `${n} ${levelNames[l][n === 1 ? 0 : 1]}`;
    })
    .join(', ');
}

/** When an activity happened: a day, a span of days, or a series. */
export function whenText(a: Pick<Activity, 'startOn' | 'endOn' | 'recurrence' | 'occurrences'>): string {
  if (a.recurrence === 'once') return a.endOn && a.endOn !== a.startOn ? `${formatDate(a.startOn)} to ${formatDate(a.endOn)}` : formatDate(a.startOn);
  return `${labelOf(Recurrence.labels, a.recurrence)}, ${a.occurrences} time${a.occurrences === 1 ? '' : 's'} from ${formatDate(a.startOn)} to ${formatDate(a.endOn)}`;
}

export function DirectionBadge({ direction }: { direction: keyof typeof Direction.labels }) {
  return (
    <span className={`badge direction direction-${direction}`} title={Direction.labels[direction]}>
      {directionShort[direction]}
    </span>
  );
}

/** One activity as a card: what, when, where, who took part from each school, notes and evidence. */
export function ActivityCard({ activity: a, headingLevel = 3, link = true }: { activity: Activity; headingLevel?: 2 | 3; link?: boolean }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const hours = a.hoursPerOccurrence === null ? null : `${a.hoursPerOccurrence.toLocaleString('en-GB', { maximumFractionDigits: 2 })} h${a.recurrence === 'once' ? '' : ' each time'}`;
  return (
    <article className="activity" data-testid="activity" data-activity-id={a.id}>
      <div className="activity-head">
        <Heading className="activity-title">{link ? <Link to={`/activities/${a.id}`}>{a.title}</Link> : a.title}</Heading>
        <span className="badge badge-kind">{a.type.label}</span>
      </div>
      <p className="activity-meta">
        {[whenText(a), hours, a.focus ? `Focus: ${a.focus}` : null].filter(Boolean).join(' · ')}
        {a.network ? (
          <>
            {' · '}in <Link to={`/networks/${a.network.id}`}>{a.network.name}</Link>
          </>
        ) : null}
      </p>
      <ul className="activity-schools">
        {a.schools.map((s, i) => (
          <li key={s.school?.id ?? `hidden-${i}`} data-hidden={s.school === null}>
            {s.school ? (
              <Link to={`/schools/${s.school.id}/collaboration`}>{s.school.name}</Link>
            ) : (
              <span className="hidden-school">{hiddenSchool}</span>
            )}{' '}
            <DirectionBadge direction={s.direction} />
            {s.staff && staffText(s.staff) ? <span className="sub">{staffText(s.staff)}</span> : null}
          </li>
        ))}
      </ul>
      {a.outcomeNotes ? <p className="activity-notes">{a.outcomeNotes}</p> : null}
      {a.evidence.length > 0 ? (
        <p className="small">
          Evidence:{' '}
          {a.evidence.map((url, i) => (
            <span key={url}>
              {i > 0 ? ', ' : ''}
              <a href={url} rel="noopener noreferrer nofollow" target="_blank">
                {url.replace(/^https?:\/\//, '').slice(0, 60)}
              </a>
            </span>
          ))}
        </p>
      ) : null}
    </article>
  );
}
