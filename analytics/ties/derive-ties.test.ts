import { describe, expect, it } from 'vitest';
import { addMonths, dayNumber, isoDay } from './calendar.ts';
import { buildEventLog, deriveTies, type EventSpec, GIVES, RECEIVES, selectEvents, type TieTable, yearsApart } from './derive-ties.ts';
import { balance, classifyTie, reciprocity, strengthScore, tieClassNames } from './tie-rule.ts';

const giving = GIVES;
const receiving = RECEIVES;
const mutual = GIVES | RECEIVES;
const teachers = 1 << 4;
const heads = 1 << 1;
const pupils = 1 << 6;
const on = dayNumber('2026-11-23');
const day = (iso: string) => dayNumber(iso);

/** The tie between schools x and y as plain values (null when there is none). */
function tie(t: TieTable, x: number, y: number) {
  const [a, b] = x < y ? [x, y] : [y, x];
  for (let r = 0; r < t.size; r++) {
    if (t.a[r] !== a || t.b[r] !== b) continue;
    return {
      firstContact: isoDay(t.firstContact[r]!),
      lastContact: isoDay(t.lastContact[r]!),
      contacts: t.contacts[r]!,
      events: t.events[r]!,
      hours: t.hours[r]!,
      types: t.types[r]!,
      levels: t.levels[r]!,
      aToB: t.aToB[r]!,
      bToA: t.bToA[r]!,
      recentContacts: t.recentContacts[r]!,
      recentTypes: t.recentTypes[r]!,
      class: tieClassNames[t.tieClass[r]!],
      strength: t.strength[r]!,
      longStanding: t.longStanding[r] === 1,
    };
  }
  return null;
}

const coaching = (first: string, count: number, from: number, to: number): EventSpec => ({
  first: day(first),
  count,
  everyDays: 7,
  kind: 1,
  hours: 1.5,
  parties: [
    { id: from, flags: giving, levels: teachers },
    { id: to, flags: receiving, levels: teachers },
  ],
});
const headsMeeting = (first: string, ...schools: number[]): EventSpec => ({ first: day(first), kind: 2, hours: 2, parties: schools.map((id) => ({ id, flags: mutual, levels: heads })) });

describe('tie derivation', () => {
  it('a tie with frequent, varied, two-way contact at two levels is strong', () => {
    const t = deriveTies(buildEventLog([coaching('2026-09-07', 6, 10, 20), headsMeeting('2026-10-01', 10, 20)]), on);
    expect(t.size).toBe(1);
    expect(tie(t, 10, 20)).toMatchObject({
      contacts: 7,
      events: 2,
      hours: 6 * 1.5 + 2,
      types: 2,
      levels: teachers | heads,
      aToB: 7, // six coaching sessions given by 10, and the mutual meeting
      bToA: 1,
      firstContact: '2026-09-07',
      lastContact: '2026-10-12',
      class: 'strong',
      longStanding: false,
    });
    expect(reciprocity(7, 1)).toBeCloseTo(0.25);
  });

  it('one-way help stays weak however frequent it is', () => {
    const oneWay = { ...headsMeeting('2026-10-01', 10, 20), parties: [{ id: 10, flags: giving, levels: heads }, { id: 20, flags: receiving, levels: heads }] };
    const t = deriveTies(buildEventLog([coaching('2026-09-07', 10, 10, 20), oneWay]), on);
    expect(tie(t, 10, 20)).toMatchObject({ contacts: 11, types: 2, aToB: 11, bToA: 0, class: 'weak' });
    expect(reciprocity(11, 0)).toBe(0);
    expect(balance(11, 0)).toBe(1);
    expect(balance(0, 11)).toBe(-1);
  });

  it('each condition of the rule is needed: five contacts, one type or one level make a weak tie', () => {
    const w = { contacts: 6, hours: 10, types: 2, levels: teachers | heads, aToB: 3, bToA: 3 };
    expect(classifyTie(w)).toBe('strong');
    expect(classifyTie({ ...w, contacts: 5 })).toBe('weak');
    expect(classifyTie({ ...w, types: 1 })).toBe('weak');
    expect(classifyTie({ ...w, levels: teachers })).toBe('weak');
    expect(classifyTie({ ...w, bToA: 0 })).toBe('weak');
    expect(classifyTie({ ...w, contacts: 0 })).toBe('dormant');
  });

  it('counts only occurrences that have begun by the date; later ones have not happened yet', () => {
    const series = coaching('2026-11-02', 10, 10, 20); // 2, 9, 16, 23, 30 November…
    expect(tie(deriveTies(buildEventLog([series]), on), 10, 20)).toMatchObject({ contacts: 4, lastContact: '2026-11-23' });
    expect(deriveTies(buildEventLog([series]), day('2026-11-01')).size).toBe(0);
  });

  it('the window is the 365 days up to the date: a contact 364 days before counts, 365 days before does not', () => {
    const t = deriveTies(buildEventLog([headsMeeting(isoDay(on - 364), 1, 2), headsMeeting(isoDay(on - 365), 3, 4)]), on);
    expect(tie(t, 1, 2)).toMatchObject({ recentContacts: 1, class: 'weak' });
    expect(tie(t, 3, 4)).toMatchObject({ recentContacts: 0, class: 'dormant', strength: 0 });
  });

  it('longevity: first and last contact five years apart make a long-standing tie, even when it is quiet now', () => {
    const t = deriveTies(buildEventLog([headsMeeting('2019-03-01', 1, 2), headsMeeting('2024-03-01', 1, 2), headsMeeting('2021-11-24', 3, 4), headsMeeting('2026-11-23', 3, 4)]), on);
    expect(tie(t, 1, 2)).toMatchObject({ firstContact: '2019-03-01', lastContact: '2024-03-01', longStanding: true, class: 'dormant' });
    expect(tie(t, 3, 4)).toMatchObject({ longStanding: false, class: 'weak' });
    expect(yearsApart(day('2020-09-01'), day('2025-09-01'))).toBe(5);
    expect(yearsApart(day('2020-09-01'), day('2025-08-31'))).toBe(4);
  });

  it('a multi-day activity is in contact until its last day (not beyond the date)', () => {
    const secondment: EventSpec = { first: day('2025-09-01'), span: day('2026-02-13') - day('2025-09-01'), kind: 3, parties: [{ id: 5, flags: giving }, { id: 6, flags: receiving }] };
    expect(tie(deriveTies(buildEventLog([secondment]), on), 5, 6)).toMatchObject({ contacts: 1, firstContact: '2025-09-01', lastContact: '2026-02-13', recentContacts: 1 });
    expect(tie(deriveTies(buildEventLog([secondment]), day('2025-10-01')), 5, 6)).toMatchObject({ lastContact: '2025-10-01' });
  });

  it('schools working side by side (both giving, or both receiving) are in contact with no direction', () => {
    const course: EventSpec = {
      first: day('2026-10-05'),
      kind: 4,
      parties: [
        { id: 1, flags: giving, levels: teachers },
        { id: 2, flags: giving, levels: teachers },
        { id: 3, flags: receiving, levels: pupils },
      ],
    };
    const t = deriveTies(buildEventLog([course]), on);
    expect(t.size).toBe(3);
    expect(tie(t, 1, 2)).toMatchObject({ aToB: 0, bToA: 0, levels: teachers });
    expect(tie(t, 1, 3)).toMatchObject({ aToB: 1, bToA: 0, levels: teachers | pupils });
    expect(tie(t, 3, 2)).toMatchObject({ aToB: 1, bToA: 0 }); // a = 2 (the lower id) gave to 3
    expect(reciprocity(0, 0)).toBeNull();
  });

  it('multiplexity counts distinct types, ever and in the window', () => {
    const old = { ...headsMeeting('2023-05-01', 1, 2), kind: 9 };
    const t = deriveTies(buildEventLog([old, headsMeeting('2026-05-01', 1, 2), headsMeeting('2026-06-01', 1, 2)]), on);
    expect(tie(t, 1, 2)).toMatchObject({ types: 2, recentTypes: 1, events: 3 });
  });

  it('monthly series keep their day of the month, or the last day of a shorter month', () => {
    expect(isoDay(addMonths(day('2026-01-31'), 1))).toBe('2026-02-28');
    expect(isoDay(addMonths(day('2026-01-31'), 2))).toBe('2026-03-31');
    const t = deriveTies(buildEventLog([{ ...headsMeeting('2025-12-31', 1, 2), count: 4, everyMonths: 1 }]), on);
    expect(tie(t, 1, 2)).toMatchObject({ contacts: 4, lastContact: '2026-03-31' });
  });

  it('scores strength from the window components, 0 to 1', () => {
    expect(strengthScore({ contacts: 12, hours: 30, types: 3, levels: 0b1111, aToB: 5, bToA: 5 })).toBe(1);
    expect(strengthScore({ contacts: 6, hours: 15, types: 1, levels: teachers, aToB: 6, bToA: 0 })).toBeCloseTo((0.5 + 0.5 + 1 / 3 + 0.25 + 0) / 5, 3);
    expect(strengthScore({ contacts: 0, hours: 0, types: 0, levels: 0, aToB: 0, bToA: 0 })).toBe(0);
  });
});

describe('selecting events', () => {
  it('keeps only the chosen events, so ties come from those activity types alone', () => {
    const log = buildEventLog([coaching('2026-09-07', 6, 10, 20), headsMeeting('2026-10-01', 10, 20, 30)]);
    const onlyMeetings = deriveTies(selectEvents(log, [0, 1]), on);
    expect(onlyMeetings.size).toBe(3);
    expect(tie(onlyMeetings, 10, 20)).toMatchObject({ contacts: 1, events: 1, aToB: 1, bToA: 1 });
    const onlyCoaching = deriveTies(selectEvents(log, [1, 0]), on);
    expect(onlyCoaching.size).toBe(1);
    expect(tie(onlyCoaching, 10, 20)).toMatchObject({ contacts: 6, aToB: 6, bToA: 0 });
    expect(deriveTies(selectEvents(log, [0, 0]), on).size).toBe(0);
  });
});
