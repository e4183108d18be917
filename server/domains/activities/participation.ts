import { type Period, recurrenceStep, type Recurrence, type StaffLevel, staffLevels } from '../../../common/activities.ts';
import { dayNumber, isoDay, occurrenceDay } from '../../../analytics/ties/index.ts';
import type { ParticipationPeriod } from './activities.schema.ts';

/**
 * Participation over time: how many people of each level take part, period by period, the
 * "penetration" of NFER's review (how far into each school community the collaboration reaches:
 * Atkinson et al. 2007, dimension two) and the staff-involvement "density" of Muijs et al.
 * (2011, ch. 5). Counts are participations: the people an activity involved, counted once in
 * each period in which it had an occurrence (a weekly group of six teachers is six teachers that
 * term, not sixty); two activities with the same people count them twice, since Trellis records
 * numbers, not names. A one-off activity over several days counts in every period it spans.
 */

export type ParticipationItem = {
  startOn: string;
  endOn: string;
  count: number;
  everyDays: number;
  everyMonths: number;
  staff: Partial<Record<StaffLevel, number>>;
};

type Slot = { period: string; label: string; startOn: string; endOn: string; startDay: number; endDay: number };

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const terms = ['autumn', 'spring', 'summer'] as const;
const termLabel = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

/** Ordinal of the month or term containing `iso` (months since year 0; terms: academic year × 3 + term). */
function ordinal(iso: string, by: Period): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  if (by === 'month') return y * 12 + (m - 1);
  // Terms as schools keep them, approximately: autumn September–December, spring January–March, summer April–August.
  if (m >= 9) return y * 3;
  return (y - 1) * 3 + (m <= 3 ? 1 : 2);
}

function slotOf(n: number, by: Period): Slot {
  if (by === 'month') {
    const y = Math.floor(n / 12);
    const m = n % 12;
    const start = `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
    const end = isoDay(Date.UTC(y, m + 1, 0) / 86_400_000);
    return { period: start.slice(0, 7), label: `${monthNames[m]} ${y}`, startOn: start, endOn: end, startDay: dayNumber(start), endDay: dayNumber(end) };
  }
  const year = Math.floor(n / 3);
  const term = terms[n % 3]!;
  const [start, end] = term === 'autumn' ? [`${year}-09-01`, `${year}-12-31`] : term === 'spring' ? [`${year + 1}-01-01`, `${year + 1}-03-31`] : [`${year + 1}-04-01`, `${year + 1}-08-31`];
  const academicYear = `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
  return { period: `${academicYear}-${term}`, label: `${termLabel[term]} ${academicYear}`, startOn: start, endOn: end, startDay: dayNumber(start), endDay: dayNumber(end) };
}

/** The periods from the one containing `from` to the one containing `to`, in order. */
export function periodsBetween(from: string, to: string, by: Period): Slot[] {
  const first = ordinal(from, by);
  const last = ordinal(to, by);
  const out: Slot[] = [];
  for (let n = first; n <= last; n++) out.push(slotOf(n, by));
  return out;
}

const emptyPeople = (): Record<StaffLevel, number> => ({ governors: 0, heads: 0, senior_leaders: 0, middle_leaders: 0, teachers: 0, support_staff: 0, pupils: 0, parents: 0 });

/** The participation series of `items` over [from, to], one entry per period, zeros included. */
export function participationSeries(items: readonly ParticipationItem[], from: string, to: string, by: Period): ParticipationPeriod[] {
  const slots = periodsBetween(from, to, by);
  const fromDay = dayNumber(from);
  const toDay = dayNumber(to);
  const rows = slots.map(() => ({ activities: 0, people: emptyPeople() }));
  const indexOf = (day: number) => {
    // Periods are few (dozens): a linear scan from the start is clear and fast enough.
    for (let i = 0; i < slots.length; i++) if (day <= slots[i]!.endDay) return i;
    return slots.length - 1;
  };
  for (const item of items) {
    const first = dayNumber(item.startOn);
    const span = item.count === 1 ? dayNumber(item.endOn) - first : 0;
    const hit = new Set<number>();
    for (let k = 0; k < item.count; k++) {
      const day = occurrenceDay(first, item.everyDays, item.everyMonths, k);
      if (day > toDay) break;
      const end = day + span;
      if (end < fromDay) continue;
      for (let i = indexOf(Math.max(day, fromDay)); i <= indexOf(Math.min(end, toDay)); i++) hit.add(i);
    }
    for (const i of hit) {
      const row = rows[i]!;
      row.activities++;
      for (const l of staffLevels) row.people[l] += item.staff[l] ?? 0;
    }
  }
  return slots.map((s, i) => {
    const { activities, people } = rows[i]!;
    return {
      period: s.period,
      label: s.label,
      startOn: s.startOn,
      endOn: s.endOn,
      activities,
      people,
      total: staffLevels.reduce((n, l) => n + people[l], 0),
      levels: staffLevels.filter((l) => people[l] > 0).length,
    };
  });
}

/** A stored activity's recurrence as a participation item's step. */
export const stepOf = (recurrence: string) => recurrenceStep[recurrence as Recurrence] ?? recurrenceStep.once;
