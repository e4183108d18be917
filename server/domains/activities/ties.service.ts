import { type Kysely, sql, type Transaction } from 'kysely';
import { levelsOfMask } from '../../../common/activities.ts';
import { balance, dayNumber, deriveTies, reciprocity } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import { memberOn, visibleSchools } from '../access/scope.ts';
import type { NetworkTies, SchoolRef, SchoolTies, TieMeasures } from './activities.schema.ts';
import type { TieTable as TieRow } from './activities.table.ts';
import { deletePairs, insertTies, loadEventLog, lockTies, stalePairs, storedTiesAmong, storedTiesOf, tieRow } from './ties.repository.ts';

/**
 * Ties between schools, derived from activity records by analytics/ties and stored in `tie`
 * as of the day they were computed. Three ways in:
 * - `recomputePairs`: inside the transaction that writes an activity, only the pairs it touches;
 * - `recomputeAllTies`: every pair (`trellis ties recompute`, the bench);
 * - `tiesOf` / `tiesAmong`: for today, the stored ties (pairs computed on an earlier day are
 *   recomputed first, since a tie's window moves with the date); for any other date, computed
 *   from the activities on the fly, so the network can be reconstructed as it was.
 */

const key = (a: number, b: number) => `${a}:${b}`;
export type Pair = readonly [number, number];
/** The unordered pairs among `schools`, each [lower id, higher id]. */
export function pairsAmong(schools: readonly number[]): Pair[] {
  const ids = [...new Set(schools)].sort((x, y) => x - y);
  const pairs: Pair[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i]!, ids[j]!]);
  return pairs;
}

/**
 * Recomputes the stored ties of `pairs` on `on`, in the caller's transaction (after it has
 * written the activity): every activity involving a school of those pairs is loaded, so each
 * pair's tie is complete; a pair left with no contact loses its row.
 */
export async function recomputePairs(trx: Transaction<DB>, pairs: readonly Pair[], on: string): Promise<number> {
  if (pairs.length === 0) return 0;
  await lockTies(trx);
  const schools = [...new Set(pairs.flat())];
  const { log } = await loadEventLog(trx, on, schools);
  const t = deriveTies(log, dayNumber(on));
  const wanted = new Set(pairs.map(([a, b]) => key(a, b)));
  const rows: number[] = [];
  for (let r = 0; r < t.size; r++) if (wanted.has(key(t.a[r]!, t.b[r]!))) rows.push(r);
  await deletePairs(trx, pairs);
  return insertTies(trx, t, on, rows);
}

export type RecomputeResult = { activities: number; ties: number; strong: number; weak: number; dormant: number; seconds: { load: number; derive: number; store: number; total: number } };

/**
 * Every tie, from every activity, as of `on`, replacing the table. One transaction, holding the
 * tie lock throughout, so an activity written meanwhile either is read here or recomputes its
 * own pairs after this commits (and never has its pairs overwritten by an older view).
 */
export async function recomputeAllTies(db: Kysely<DB>, on: string): Promise<RecomputeResult> {
  const started = performance.now();
  return db.transaction().execute(async (trx) => {
    await lockTies(trx);
    const { log } = await loadEventLog(trx, on);
    const loaded = performance.now();
    const t = deriveTies(log, dayNumber(on));
    const derived = performance.now();
    // Emptied and refilled whole, so its two indexes are built once at the end rather than
    // kept up row by row (about a quarter less time to store the ties on PGlite). The table is
    // locked for readers until this commits: seconds, for an operator's command.
    await sql`truncate tie`.execute(trx);
    await sql`alter table tie drop constraint tie_pkey`.execute(trx);
    await sql`drop index tie_school_b_idx`.execute(trx);
    await insertTies(trx, t, on);
    await sql`alter table tie add constraint tie_pkey primary key (school_a, school_b)`.execute(trx);
    await sql`create index tie_school_b_idx on tie (school_b)`.execute(trx);
    const stored = performance.now();
    const counts = [0, 0, 0];
    for (let r = 0; r < t.size; r++) counts[t.tieClass[r]!]!++;
    const s = (ms: number) => Math.round(ms) / 1000;
    return {
      activities: log.events,
      ties: t.size,
      strong: counts[0]!,
      weak: counts[1]!,
      dormant: counts[2]!,
      seconds: { load: s(loaded - started), derive: s(derived - loaded), store: s(stored - derived), total: s(stored - started) },
    };
  });
}

/** Ties with `schoolId` at one end, as they stood on `on`. */
export async function tiesOf(db: Kysely<DB>, schoolId: number, on: string, today: string): Promise<TieRow[]> {
  if (on === today) {
    await refreshStale(db, [schoolId], today);
    return storedTiesOf(db, schoolId);
  }
  return computed(db, [schoolId], on, (a, b) => a === schoolId || b === schoolId);
}

/** Ties between two schools of `schools`, as they stood on `on`. */
export async function tiesAmong(db: Kysely<DB>, schools: readonly number[], on: string, today: string): Promise<TieRow[]> {
  if (schools.length < 2) return [];
  if (on === today) {
    await refreshStale(db, schools, today);
    return storedTiesAmong(db, schools);
  }
  const set = new Set(schools);
  return computed(db, schools, on, (a, b) => set.has(a) && set.has(b));
}

async function computed(db: Kysely<DB>, schools: readonly number[], on: string, keep: (a: number, b: number) => boolean): Promise<TieRow[]> {
  const { log } = await loadEventLog(db, on, schools);
  const t = deriveTies(log, dayNumber(on));
  const rows: TieRow[] = [];
  for (let r = 0; r < t.size; r++) if (keep(t.a[r]!, t.b[r]!)) rows.push(tieRow(t, r, on));
  return rows;
}

/** Stored ties of these schools computed on an earlier day are recomputed for today first. */
async function refreshStale(db: Kysely<DB>, schools: readonly number[], today: string): Promise<void> {
  const stale = await stalePairs(db, schools, today);
  if (stale.length > 0) await db.transaction().execute((trx) => recomputePairs(trx, stale, today));
}

// ---------------------------------------------------------------------------------------------
// Views: a school's collaboration profile and a network's ties, within the access rules

/** What tie views run with. */
export type TieContext = { db: Kysely<DB>; today: () => string };

/** The measures of a stored (or computed) tie seen from one end: `side` a or b. */
export function measuresFrom(row: TieRow, side: 'a' | 'b', on: string): TieMeasures {
  const fromA = side === 'a';
  const gave = fromA ? row.a_to_b : row.b_to_a;
  const received = fromA ? row.b_to_a : row.a_to_b;
  const recentGave = fromA ? row.recent_a_to_b : row.recent_b_to_a;
  const recentReceived = fromA ? row.recent_b_to_a : row.recent_a_to_b;
  return {
    class: row.class as TieMeasures['class'],
    strength: Number(row.strength),
    longStanding: row.long_standing,
    firstContact: row.first_contact,
    lastContact: row.last_contact,
    daysSinceLastContact: dayNumber(on) - dayNumber(row.last_contact),
    contacts: row.contacts,
    activities: row.activities,
    hours: Number(row.hours),
    types: row.types,
    levels: levelsOfMask(row.levels),
    gave,
    received,
    reciprocity: reciprocity(gave, received),
    recent: { contacts: row.recent_contacts, hours: Number(row.recent_hours), types: row.recent_types, levels: levelsOfMask(row.recent_levels), gave: recentGave, received: recentReceived },
  };
}

/** Which of `schools` the actor may see the activity records of (scope.ts, in SQL). */
async function visibleAmong(db: Kysely<DB>, actor: Actor, schools: readonly number[]): Promise<Set<number>> {
  if (schools.length === 0) return new Set();
  const rows = await sql<{ id: number }>`select v.id from (${visibleSchools(actor, 'activity_records')}) v where v.id = any(${[...schools]}::bigint[])`.execute(db);
  return new Set(rows.rows.map((r) => Number(r.id)));
}

async function schoolRefs(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, SchoolRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('school').select(['id', 'urn', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), urn: r.urn, name: r.name }]));
}

/** A date for a tie view: today by default, never after it (ties are measured on what has happened). */
function measuredOn(on: string | undefined, today: string): string {
  if (on !== undefined && on > today) throw new Invalid('on', `${on} is after today; ties are measured up to today`);
  return on ?? today;
}

/** The schools open and in network `networkId` on `on` (a closed school has left its networks). */
async function membersOn(db: Kysely<DB>, networkId: number, on: string): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select distinct s.id from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and ${memberOn('m', on)} and (s.closed_on is null or s.closed_on > ${on}::date)`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

/**
 * A school's collaboration profile on a date: every tie with the measures from its side,
 * partners it may not see redacted, and the balance of giving and receiving. The school's own
 * activity records must be visible to the actor (else 404: its ties are its records).
 */
export async function schoolTieProfile(ctx: TieContext, actor: Actor, schoolId: number, on?: string): Promise<SchoolTies> {
  await requireAccess(ctx, actor, 'school.data.read', { schoolId, dataClass: 'activity_records' }, `school ${schoolId}`);
  const today = ctx.today();
  const date = measuredOn(on, today);
  const school = (await schoolRefs(ctx.db, [schoolId])).get(schoolId);
  if (!school) throw new NotFound(`school ${schoolId}`);
  const rows = await tiesOf(ctx.db, schoolId, date, today);
  const partnerOf = (r: TieRow) => (Number(r.school_a) === schoolId ? Number(r.school_b) : Number(r.school_a));
  const partners = rows.map(partnerOf);
  const visible = await visibleAmong(ctx.db, actor, partners);
  const refs = await schoolRefs(ctx.db, [...visible]);
  // Co-membership on the date: the context the registry gives each tie.
  const networks = await sql<{ school_id: number; id: number; name: string }>`
    select m.school_id, n.id, n.name from membership m join network n on n.id = m.network_id
    where m.school_id = any(${[schoolId, ...partners]}::bigint[]) and ${memberOn('m', date)}`.execute(ctx.db);
  const networksOf = (id: number) => networks.rows.filter((r) => Number(r.school_id) === id).map((r) => ({ id: Number(r.id), name: r.name }));
  const mine = new Set(networksOf(schoolId).map((n) => n.id));
  const ties = rows
    .map((r) => {
      const partner = partnerOf(r);
      const m = measuresFrom(r, Number(r.school_a) === schoolId ? 'a' : 'b', date);
      const shared = networksOf(partner).filter((n) => mine.has(n.id));
      return {
        ...m,
        partner: visible.has(partner) ? (refs.get(partner) ?? null) : null,
        balance: balance(m.gave, m.received),
        sharedNetworks: visible.has(partner) ? shared : null,
        inNetwork: shared.length > 0,
      };
    })
    .sort((x, y) => y.strength - x.strength || y.lastContact.localeCompare(x.lastContact) || x.contacts - y.contacts);
  const gave = ties.reduce((n, t) => n + t.gave, 0);
  const received = ties.reduce((n, t) => n + t.received, 0);
  if (!ownSchoolIds(actor).includes(schoolId)) {
    await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'school-ties', resourceId: schoolId, schoolId, detail: { dataClass: 'activity_records', on: date } });
  }
  return {
    school,
    on: date,
    summary: {
      partners: ties.length,
      strong: ties.filter((t) => t.class === 'strong').length,
      weak: ties.filter((t) => t.class === 'weak').length,
      dormant: ties.filter((t) => t.class === 'dormant').length,
      longStanding: ties.filter((t) => t.longStanding).length,
      gave,
      received,
      balance: balance(gave, received),
      outsideNetworks: ties.filter((t) => !t.inNetwork).length,
    },
    ties: ties.map(({ inNetwork: _inNetwork, ...t }) => t),
  };
}

/**
 * The ties among a network's members on a date, each shown when the actor may see the activity
 * records of at least one end (the other end redacted if not). Density and isolation are over
 * the ties shown: a tie between two schools that share nothing with the actor counts nowhere.
 */
export async function networkTieView(ctx: TieContext, actor: Actor, networkId: number, on?: string): Promise<NetworkTies> {
  const network = await ctx.db.selectFrom('network').select(['id', 'name']).where('id', '=', networkId).executeTakeFirst();
  if (!network) throw new NotFound(`network ${networkId}`);
  const today = ctx.today();
  const date = measuredOn(on, today);
  const members = await membersOn(ctx.db, networkId, date);
  const visible = await visibleAmong(ctx.db, actor, members);
  const rows = (await tiesAmong(ctx.db, members, date, today)).filter((r) => visible.has(Number(r.school_a)) || visible.has(Number(r.school_b)));
  const refs = await schoolRefs(ctx.db, [...visible]);
  const ref = (id: number) => (visible.has(id) ? (refs.get(id) ?? null) : null);
  const tied = new Set(rows.flatMap((r) => [Number(r.school_a), Number(r.school_b)]));
  const possible = (members.length * (members.length - 1)) / 2;
  const others = [...visible].filter((id) => !ownSchoolIds(actor).includes(id) && tied.has(id));
  if (others.length > 0) {
    await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'network-ties', resourceId: networkId, networkId, detail: { dataClass: 'activity_records', schools: others, on: date } });
  }
  return {
    network: { id: Number(network.id), name: network.name },
    on: date,
    members: members.length,
    possiblePairs: possible,
    density: possible === 0 ? null : Math.round((rows.length / possible) * 1000) / 1000,
    isolated: members.filter((id) => !tied.has(id)).length,
    ties: rows
      .map((r) => ({ ...measuresFrom(r, 'a', date), a: ref(Number(r.school_a)), b: ref(Number(r.school_b)) }))
      .sort((x, y) => y.strength - x.strength || y.lastContact.localeCompare(x.lastContact)),
  };
}

/** For the operator at the command line (no sign-in, no redaction): a school's ties with partners named. */
export async function operatorTiesOf(ctx: TieContext, schoolId: number, on?: string): Promise<{ partner: SchoolRef; measures: TieMeasures }[]> {
  const today = ctx.today();
  const date = measuredOn(on, today);
  const rows = await tiesOf(ctx.db, schoolId, date, today);
  const partnerOf = (r: TieRow) => (Number(r.school_a) === schoolId ? Number(r.school_b) : Number(r.school_a));
  const refs = await schoolRefs(ctx.db, rows.map(partnerOf));
  return rows
    .map((r) => ({ partner: refs.get(partnerOf(r))!, measures: measuresFrom(r, Number(r.school_a) === schoolId ? 'a' : 'b', date) }))
    .sort((x, y) => y.measures.strength - x.measures.strength || x.partner.name.localeCompare(y.partner.name));
}
