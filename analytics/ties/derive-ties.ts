import { occurrenceDay } from './calendar.ts';
import { classifyTie, popcount, strengthScore, TieClassCode, type TieRule, tieRule, type WindowMeasures } from './tie-rule.ts';

/**
 * A log of joint events (activity records) in columns. Event `i` has `count[i]` occurrences,
 * the first on day `first[i]`, then every `everyDays[i]` days (or, when 0, every
 * `everyMonths[i]` calendar months); each occurrence lasts `span[i]` further days (a three-day
 * residential: 2; most things: 0). Its parties are `party[partyStart[i] .. partyStart[i+1])`,
 * each with flags (1 = gives, 2 = receives, 3 = both) and a bitmask of the people levels it
 * brought. `kind[i]` is a small integer (the activity type) counted for multiplexity.
 */
export type EventLog = {
  events: number;
  first: Int32Array;
  count: Int32Array;
  everyDays: Int32Array;
  everyMonths: Int32Array;
  span: Int32Array;
  kind: Int32Array;
  hours: Float64Array;
  partyStart: Int32Array;
  party: Int32Array;
  flags: Uint8Array;
  levels: Int32Array;
};

export const GIVES = 1;
export const RECEIVES = 2;

/**
 * Ties in columns: row `t` is the unordered pair a[t] < b[t]. "Recent" columns count the
 * window (the `windowDays` days up to and including the date); the others everything up to it.
 */
export type TieTable = {
  size: number;
  on: number;
  a: Int32Array;
  b: Int32Array;
  firstContact: Int32Array;
  lastContact: Int32Array;
  contacts: Int32Array;
  events: Int32Array;
  hours: Float64Array;
  types: Int32Array;
  levels: Int32Array;
  aToB: Int32Array;
  bToA: Int32Array;
  recentContacts: Int32Array;
  recentHours: Float64Array;
  recentTypes: Int32Array;
  recentLevels: Int32Array;
  recentAToB: Int32Array;
  recentBToA: Int32Array;
  strength: Float64Array;
  /** TieClassCode: 0 strong, 1 weak, 2 dormant. */
  tieClass: Uint8Array;
  longStanding: Uint8Array;
};

/** An empty log with room for `events` events and `parties` party rows (fill, then pass on). */
export function allocateEventLog(events: number, parties: number): EventLog {
  return {
    events,
    first: new Int32Array(events),
    count: new Int32Array(events),
    everyDays: new Int32Array(events),
    everyMonths: new Int32Array(events),
    span: new Int32Array(events),
    kind: new Int32Array(events),
    hours: new Float64Array(events),
    partyStart: new Int32Array(events + 1),
    party: new Int32Array(parties),
    flags: new Uint8Array(parties),
    levels: new Int32Array(parties),
  };
}

/** One event, as objects (tests and small logs; large logs fill `allocateEventLog` directly). */
export type EventSpec = {
  first: number;
  count?: number;
  everyDays?: number;
  everyMonths?: number;
  span?: number;
  kind: number;
  hours?: number;
  parties: { id: number; flags: number; levels?: number }[];
};

export function buildEventLog(specs: readonly EventSpec[]): EventLog {
  const log = allocateEventLog(specs.length, specs.reduce((n, e) => n + e.parties.length, 0));
  let p = 0;
  specs.forEach((e, i) => {
    log.first[i] = e.first;
    log.count[i] = e.count ?? 1;
    log.everyDays[i] = e.everyDays ?? 0;
    log.everyMonths[i] = e.everyMonths ?? 0;
    log.span[i] = e.span ?? 0;
    log.kind[i] = e.kind;
    log.hours[i] = e.hours ?? 0;
    log.partyStart[i] = p;
    for (const party of e.parties) {
      log.party[p] = party.id;
      log.flags[p] = party.flags;
      log.levels[p] = party.levels ?? 0;
      p++;
    }
  });
  log.partyStart[specs.length] = p;
  return log;
}

function allocateTies(capacity: number, on: number): TieTable {
  return {
    size: 0,
    on,
    a: new Int32Array(capacity),
    b: new Int32Array(capacity),
    firstContact: new Int32Array(capacity),
    lastContact: new Int32Array(capacity),
    contacts: new Int32Array(capacity),
    events: new Int32Array(capacity),
    hours: new Float64Array(capacity),
    types: new Int32Array(capacity),
    levels: new Int32Array(capacity),
    aToB: new Int32Array(capacity),
    bToA: new Int32Array(capacity),
    recentContacts: new Int32Array(capacity),
    recentHours: new Float64Array(capacity),
    recentTypes: new Int32Array(capacity),
    recentLevels: new Int32Array(capacity),
    recentAToB: new Int32Array(capacity),
    recentBToA: new Int32Array(capacity),
    strength: new Float64Array(capacity),
    tieClass: new Uint8Array(capacity),
    longStanding: new Uint8Array(capacity),
  };
}

/**
 * Every tie the log implies on day `on`: each pair of parties to an event is in contact once per
 * occurrence that has begun by `on` (occurrences after it have not happened yet). One pass over
 * the events, a hash from pair to row, and typed-array accumulators; multiplexity counts
 * distinct (pair, kind) keys. Linear in the number of pair-occurrences.
 *
 * Direction: in an event, party x gave to party y when x gives and y receives; two mutual parties
 * gave to each other; two givers (or two receivers) worked side by side, with no direction.
 */
export function deriveTies(log: EventLog, on: number, rule: TieRule = tieRule): TieTable {
  const windowStart = on - rule.windowDays + 1;
  // Upper bound on distinct pairs: the pairs of every event.
  let capacity = 0;
  for (let i = 0; i < log.events; i++) {
    const k = log.partyStart[i + 1]! - log.partyStart[i]!;
    capacity += (k * (k - 1)) / 2;
  }
  const t = allocateTies(capacity, on);
  // Pair key: dense party indices (so lo * n + hi stays an exact integer below 2^53).
  const dense = new Map<number, number>();
  const partyIds: number[] = [];
  for (let p = 0; p < log.partyStart[log.events]!; p++) {
    const id = log.party[p]!;
    if (!dense.has(id)) {
      dense.set(id, partyIds.length);
      partyIds.push(id);
    }
  }
  const n = partyIds.length;
  const rowOf = new Map<number, number>();
  // Distinct kinds per pair: a bitmask for the first 31 kinds (the catalogue has 30), a set of
  // (row, kind) keys beyond them.
  const kindMask = new Int32Array(capacity);
  const recentKindMask = new Int32Array(capacity);
  const kinds = new Set<number>();
  const recentKinds = new Set<number>();
  let maxKind = 0;
  for (let i = 0; i < log.events; i++) if (log.kind[i]! > maxKind) maxKind = log.kind[i]!;
  const kindSpan = maxKind + 1;

  for (let i = 0; i < log.events; i++) {
    const from = log.partyStart[i]!;
    const to = log.partyStart[i + 1]!;
    if (to - from < 2) continue;
    // Occurrences that have begun by `on`, those touching the window, and the last contact day.
    let happened = 0;
    let recent = 0;
    let last = -1;
    const first = log.first[i]!;
    const span = log.span[i]!;
    for (let k = 0; k < log.count[i]!; k++) {
      const day = occurrenceDay(first, log.everyDays[i]!, log.everyMonths[i]!, k);
      if (day > on) break;
      happened++;
      const end = day + span > on ? on : day + span;
      if (end >= windowStart) recent++;
      last = end;
    }
    if (happened === 0) continue;
    const hours = log.hours[i]!;
    const kind = log.kind[i]!;
    for (let x = from; x < to; x++) {
      for (let y = x + 1; y < to; y++) {
        let px = log.party[x]!;
        let py = log.party[y]!;
        if (px === py) continue;
        let fx = log.flags[x]!;
        let fy = log.flags[y]!;
        if (px > py) {
          [px, py] = [py, px];
          [fx, fy] = [fy, fx];
        }
        const key = dense.get(px)! * n + dense.get(py)!;
        let row = rowOf.get(key);
        if (row === undefined) {
          row = t.size++;
          rowOf.set(key, row);
          t.a[row] = px;
          t.b[row] = py;
          t.firstContact[row] = first;
          t.lastContact[row] = last;
        } else {
          if (first < t.firstContact[row]!) t.firstContact[row] = first;
          if (last > t.lastContact[row]!) t.lastContact[row] = last;
        }
        const aGave = (fx & GIVES) !== 0 && (fy & RECEIVES) !== 0 ? 1 : 0;
        const bGave = (fy & GIVES) !== 0 && (fx & RECEIVES) !== 0 ? 1 : 0;
        const mask = log.levels[x]! | log.levels[y]!;
        t.contacts[row]! += happened;
        t.events[row]!++;
        t.hours[row]! += hours * happened;
        t.levels[row]! |= mask;
        t.aToB[row]! += aGave * happened;
        t.bToA[row]! += bGave * happened;
        if (kind < 31) kindMask[row]! |= 1 << kind;
        else if (!kinds.has(row * kindSpan + kind)) {
          kinds.add(row * kindSpan + kind);
          t.types[row]!++;
        }
        if (recent > 0) {
          t.recentContacts[row]! += recent;
          t.recentHours[row]! += hours * recent;
          t.recentLevels[row]! |= mask;
          t.recentAToB[row]! += aGave * recent;
          t.recentBToA[row]! += bGave * recent;
          if (kind < 31) recentKindMask[row]! |= 1 << kind;
          else if (!recentKinds.has(row * kindSpan + kind)) {
            recentKinds.add(row * kindSpan + kind);
            t.recentTypes[row]!++;
          }
        }
      }
    }
  }

  const w: WindowMeasures = { contacts: 0, hours: 0, types: 0, levels: 0, aToB: 0, bToA: 0 };
  for (let row = 0; row < t.size; row++) {
    t.types[row]! += popcount(kindMask[row]!);
    t.recentTypes[row]! += popcount(recentKindMask[row]!);
    w.contacts = t.recentContacts[row]!;
    w.hours = t.recentHours[row]!;
    w.types = t.recentTypes[row]!;
    w.levels = t.recentLevels[row]!;
    w.aToB = t.recentAToB[row]!;
    w.bToA = t.recentBToA[row]!;
    t.tieClass[row] = TieClassCode[classifyTie(w, rule)];
    t.strength[row] = strengthScore(w);
    t.longStanding[row] = yearsApart(t.firstContact[row]!, t.lastContact[row]!) >= rule.longStandingYears ? 1 : 0;
  }
  return t;
}

/** Whole years from day `from` to day `to` (a birthday count: 2020-09-01 → 2025-09-01 is 5). */
export function yearsApart(from: number, to: number): number {
  if (to - from < 365) return 0;
  const a = new Date(from * 86_400_000);
  const b = new Date(to * 86_400_000);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  if (b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate())) years--;
  return years;
}

/** The events `e` with `keep[e] !== 0`, as a log of their own (e.g. only some activity types). */
export function selectEvents(log: EventLog, keep: ArrayLike<number>): EventLog {
  let events = 0;
  let parties = 0;
  for (let e = 0; e < log.events; e++) {
    if (!keep[e]) continue;
    events++;
    parties += log.partyStart[e + 1]! - log.partyStart[e]!;
  }
  const out = allocateEventLog(events, parties);
  let i = 0;
  let p = 0;
  for (let e = 0; e < log.events; e++) {
    if (!keep[e]) continue;
    out.first[i] = log.first[e]!;
    out.count[i] = log.count[e]!;
    out.everyDays[i] = log.everyDays[e]!;
    out.everyMonths[i] = log.everyMonths[e]!;
    out.span[i] = log.span[e]!;
    out.kind[i] = log.kind[e]!;
    out.hours[i] = log.hours[e]!;
    out.partyStart[i] = p;
    for (let q = log.partyStart[e]!; q < log.partyStart[e + 1]!; q++, p++) {
      out.party[p] = log.party[q]!;
      out.flags[p] = log.flags[q]!;
      out.levels[p] = log.levels[q]!;
    }
    i++;
  }
  out.partyStart[events] = p;
  return out;
}
