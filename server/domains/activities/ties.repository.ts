import { type Kysely, sql, type Transaction } from 'kysely';
import { Recurrence, recurrenceStep } from '../../../common/activities.ts';
import { allocateEventLog, type EventLog, GIVES, isoDay, RECEIVES, type TieTable, tieClassNames } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import type { TieTable as TieRow } from './activities.table.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * The one advisory lock every tie recomputation holds until its transaction ends, so two writes
 * touching the same pair cannot each store a tie that misses the other's activity (on
 * PostgreSQL; PGlite runs one transaction at a time anyway). Recomputing a few pairs takes
 * milliseconds, so one lock for all is simpler than one per pair and costs nothing.
 */
const tieLock = 727_275;
export const lockTies = (trx: Transaction<DB>) => sql`select pg_advisory_xact_lock(${tieLock})`.execute(trx);

const recurrenceCodes = Recurrence.codes;
const recurrenceArray = sql.raw(`array[${recurrenceCodes.map((r) => `'${r}'`).join(', ')}]::text[]`);

/** What the kernel needs. */
export type LoadedLog = { log: EventLog };

/**
 * Numbers separated by ',' (fields) and ';' (records), as string_agg writes them, into one flat
 * array. PGlite hands rows to JavaScript one object at a time (about 13 µs a row for the join
 * this replaces: 4 s for 120,000 activities), but one aggregated text in a few milliseconds.
 */
export function parseNumbers(text: string, fields: number): Float64Array {
  if (text.length === 0) return new Float64Array(0);
  let records = 1;
  for (let i = text.indexOf(';'); i >= 0; i = text.indexOf(';', i + 1)) records++;
  const out = new Float64Array(records * fields);
  let n = 0;
  let value = 0;
  let scale = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 59;
    if (c === 44 || c === 59) {
      const v = scale > 0 ? value / scale : value;
      out[n++] = negative ? -v : v;
      value = 0;
      scale = 0;
      negative = false;
    } else if (c === 46) scale = 1;
    else if (c === 45) negative = true;
    else {
      value = value * 10 + (c - 48);
      if (scale > 0) scale *= 10;
    }
  }
  if (n !== records * fields) throw new Error(`expected ${records * fields} numbers, read ${n}`);
  return out;
}

/**
 * The activities (not withdrawn, begun by `on`) as the tie kernel's event log. `schools`: only
 * activities involving at least one of them; all their parties are loaded, so every pair of
 * those activities is complete (pairs between two other schools may be partial: callers keep
 * only the pairs they asked for). Two queries, each one aggregated text (see parseNumbers).
 */
export async function loadEventLog(db: Executor, on: string, schools?: readonly number[]): Promise<LoadedLog> {
  const chosen = sql`a.withdrawn_at is null and a.start_on <= ${on}::date
    ${schools ? sql`and a.id in (select activity_id from activity_school where school_id = any(${[...schools]}::bigint[]))` : sql``}`;
  // concat_ws skips nulls, which would shift the fields: every value here is non-null (the kind
  // is the type's place in the catalogue as this statement sees it).
  const activities = await sql<{ text: string | null }>`
    with kinds as (select array_agg(code order by code) as codes from activity_type)
    select string_agg(concat_ws(',', a.id, a.start_on - date '1970-01-01',
                                case when a.recurrence = 'once' then a.end_on - a.start_on else 0 end,
                                a.occurrences, coalesce(array_position(${recurrenceArray}, a.recurrence) - 1, 0),
                                coalesce(array_position(kinds.codes, a.type_code) - 1, 0), coalesce(a.hours_each, 0)), ';') as text
    from activity a, kinds where ${chosen}`.execute(db);
  // Unordered, and parties of withdrawn or later activities come too: grouping them below costs
  // less than a sort or a join in the database.
  const partyText = await sql<{ text: string | null }>`
    select string_agg(concat_ws(',', s.activity_id, s.school_id,
                                case s.direction when 'giving' then ${GIVES}::int when 'receiving' then ${RECEIVES}::int else ${GIVES | RECEIVES}::int end,
                                s.levels), ';') as text
    from activity_school s
    ${schools ? sql`where s.activity_id in (select activity_id from activity_school where school_id = any(${[...schools]}::bigint[]))` : sql``}`.execute(db);
  const A = parseNumbers(activities.rows[0]?.text ?? '', 7);
  const P = parseNumbers(partyText.rows[0]?.text ?? '', 4);
  const events = A.length / 7;
  const eventOf = new Map<number, number>();
  for (let e = 0; e < events; e++) eventOf.set(A[e * 7]!, e);
  // Parties grouped by event with a counting sort: count, prefix sums, place.
  const parties = P.length / 4;
  const slot = new Int32Array(parties).fill(-1);
  const counts = new Int32Array(events + 1);
  for (let q = 0; q < parties; q++) {
    const e = eventOf.get(P[q * 4]!);
    if (e === undefined) continue;
    slot[q] = e;
    counts[e + 1]!++;
  }
  for (let e = 0; e < events; e++) counts[e + 1]! += counts[e]!;
  const log = allocateEventLog(events, counts[events]!);
  log.partyStart.set(counts);
  const next = counts.slice(0, events);
  for (let q = 0; q < parties; q++) {
    const e = slot[q]!;
    if (e < 0) continue;
    const p = next[e]!++;
    log.party[p] = P[q * 4 + 1]!;
    log.flags[p] = P[q * 4 + 2]!;
    log.levels[p] = P[q * 4 + 3]!;
  }
  for (let e = 0; e < events; e++) {
    const recurrence = recurrenceCodes[A[e * 7 + 4]!]!;
    log.first[e] = A[e * 7 + 1]!;
    log.span[e] = A[e * 7 + 2]!;
    log.count[e] = A[e * 7 + 3]!;
    log.everyDays[e] = recurrenceStep[recurrence].days;
    log.everyMonths[e] = recurrenceStep[recurrence].months;
    log.kind[e] = A[e * 7 + 5]!;
    log.hours[e] = A[e * 7 + 6]!;
  }
  return { log };
}

/** Row `r` of a kernel result as a stored tie. */
export function tieRow(t: TieTable, r: number, computedOn: string): TieRow {
  return {
    school_a: t.a[r]!,
    school_b: t.b[r]!,
    computed_on: computedOn,
    first_contact: isoDay(t.firstContact[r]!),
    last_contact: isoDay(t.lastContact[r]!),
    contacts: t.contacts[r]!,
    activities: t.events[r]!,
    hours: t.hours[r]!,
    types: t.types[r]!,
    levels: t.levels[r]!,
    a_to_b: t.aToB[r]!,
    b_to_a: t.bToA[r]!,
    recent_contacts: t.recentContacts[r]!,
    recent_hours: t.recentHours[r]!,
    recent_types: t.recentTypes[r]!,
    recent_levels: t.recentLevels[r]!,
    recent_a_to_b: t.recentAToB[r]!,
    recent_b_to_a: t.recentBToA[r]!,
    strength: t.strength[r]!,
    class: tieClassNames[t.tieClass[r]!]!,
    long_standing: t.longStanding[r] === 1,
  };
}

/**
 * Inserts the kernel's rows `rows` (indices into `t`; all when omitted) as ties computed on
 * `computedOn`, in statements of up to 200,000 ties. All sixteen columns travel as one integer
 * array literal, column after column (`{a…,b…,…}`, passed as text by node-postgres and PGlite
 * alike), and row i reads its values by subscript. Measured on PGlite with 290,000 ties this is
 * the fastest form that needs no COPY: per-row VALUES are slowest, and unnest of one array per
 * column spends twice as long in the function scans. Dates travel as day numbers, fractional
 * measures as integers in hundredths or thousandths, and the six small measures (types and
 * levels, ever and recent; class; long-standing) packed into two integers.
 */
export async function insertTies(trx: Transaction<DB>, t: TieTable, computedOn: string, rows?: readonly number[]): Promise<number> {
  const total = rows ? rows.length : t.size;
  const batch = 200_000;
  for (let start = 0; start < total; start += batch) {
    const n = Math.min(total, start + batch) - start;
    const pick = rows ? Int32Array.from(rows.slice(start, start + n)) : null;
    // A column as text: the typed array's own slice when rows are consecutive, else gathered.
    const text = (column: Int32Array | Uint8Array) => {
      if (!pick) return column.subarray(start, start + n).join(',');
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = column[pick[i]!]!;
      return out.join(',');
    };
    const computed = (value: (r: number) => number) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = value(pick ? pick[i]! : start + i);
      return out.join(',');
    };
    const byte = (v: number) => (v > 255 ? 255 : v);
    const parts = [
      text(t.a),
      text(t.b),
      text(t.firstContact),
      text(t.lastContact),
      text(t.contacts),
      text(t.events),
      computed((r) => Math.round(t.hours[r]! * 100)),
      text(t.aToB),
      text(t.bToA),
      text(t.recentContacts),
      computed((r) => Math.round(t.recentHours[r]! * 100)),
      text(t.recentAToB),
      text(t.recentBToA),
      computed((r) => Math.round(t.strength[r]! * 1000)),
      computed((r) => byte(t.types[r]!) | (t.levels[r]! << 8) | (byte(t.recentTypes[r]!) << 16)),
      computed((r) => t.recentLevels[r]! | (t.tieClass[r]! << 8) | (t.longStanding[r]! << 10)),
    ];
    const v = (column: number) => sql`x[i + ${column * n}]`;
    await sql`
      insert into tie (school_a, school_b, computed_on, first_contact, last_contact, contacts, activities, hours, types, levels, a_to_b, b_to_a,
                       recent_contacts, recent_hours, recent_types, recent_levels, recent_a_to_b, recent_b_to_a, strength, class, long_standing)
      select ${v(0)}, ${v(1)}, ${computedOn}::date, date '1970-01-01' + ${v(2)}, date '1970-01-01' + ${v(3)}, ${v(4)}, ${v(5)},
             ${v(6)}::float8 / 100, ${v(14)} & 255, (${v(14)} >> 8) & 255, ${v(7)}, ${v(8)}, ${v(9)}, ${v(10)}::float8 / 100,
             (${v(14)} >> 16) & 255, ${v(15)} & 255, ${v(11)}, ${v(12)}, ${v(13)}::float8 / 1000,
             (${sql.raw(`array['${tieClassNames.join("', '")}']`)})[((${v(15)} >> 8) & 3) + 1], (${v(15)} >> 10) & 1 = 1
      from (select ${`{${parts.join(',')}}`}::int[] as x) p, generate_series(1, ${n}::int) i`.execute(trx);
  }
  return total;
}

/** Removes the stored ties of these pairs (each [a, b] with a < b). */
export async function deletePairs(trx: Transaction<DB>, pairs: readonly (readonly [number, number])[]): Promise<void> {
  if (pairs.length === 0) return;
  await sql`
    delete from tie t using unnest(${pairs.map((p) => p[0])}::bigint[], ${pairs.map((p) => p[1])}::bigint[]) as p(a, b)
    where t.school_a = p.a and t.school_b = p.b`.execute(trx);
}

/** Stored ties with `schoolId` at one end. */
export function storedTiesOf(db: Executor, schoolId: number) {
  return db
    .selectFrom('tie')
    .selectAll()
    .where((eb) => eb.or([eb('school_a', '=', schoolId), eb('school_b', '=', schoolId)]))
    .execute();
}

/** Stored ties between two schools of `schools`. */
export function storedTiesAmong(db: Executor, schools: readonly number[]) {
  if (schools.length < 2) return Promise.resolve([] as TieRow[]);
  return db
    .selectFrom('tie')
    .selectAll()
    .where('school_a', '=', sql<number>`any(${[...schools]}::bigint[])`)
    .where('school_b', '=', sql<number>`any(${[...schools]}::bigint[])`)
    .execute();
}

/** Pairs touching `schools` whose stored measures hold on an earlier day than `on`. */
export async function stalePairs(db: Executor, schools: readonly number[], on: string): Promise<[number, number][]> {
  const rows = await sql<{ a: number; b: number }>`
    select school_a as a, school_b as b from tie
    where (school_a = any(${[...schools]}::bigint[]) or school_b = any(${[...schools]}::bigint[])) and computed_on <> ${on}::date`.execute(db);
  return rows.rows.map((r) => [Number(r.a), Number(r.b)]);
}
