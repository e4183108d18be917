import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { memberOn } from '../access/scope.ts';
import type { ConflictJson, FactorJson, RequestGoalJson } from './brokering.table.ts';

/**
 * Brokering's queries (Kysely only). Who may see or change what is decided by the services;
 * list queries take the sets of ids the service computed from the actor's posts.
 */
type Executor = Kysely<DB> | Transaction<DB>;

/** Request statuses that hold a supporter's capacity (docs/brokering.md, "Capacity"). */
const committing = ['matched', 'in_support', 'reviewed'] as const;

export async function schoolRefs(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('school').select(['id', 'name', 'urn', 'phase', 'la_name', 'status', 'closed_on']).where('id', 'in', [...new Set(ids)]).execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name, urn: r.urn, phase: r.phase, laName: r.la_name, status: r.status, closedOn: r.closed_on }));
}

export async function personNames(db: Executor, ids: readonly (number | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null).map(Number))];
  if (wanted.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom('person').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

// ---- Priorities ------------------------------------------------------------------------------

export function prioritiesOf(db: Executor, schoolIds: readonly number[]) {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('school_priority as p')
    .innerJoin('school as s', 's.id', 'p.school_id')
    .leftJoin('person as d', 'd.id', 'p.declared_by')
    .select(['p.id', 'p.school_id', 'p.focus_area', 'p.note', 'p.from_on', 'p.until_on', 's.name as school_name', 's.urn', 'd.name as declared_by_name'])
    .where('p.school_id', 'in', [...schoolIds])
    .orderBy('p.from_on', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
}
export type PriorityRow = Awaited<ReturnType<typeof prioritiesOf>>[number];

export function findPriority(db: Executor, id: number) {
  return db.selectFrom('school_priority').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Schools with a current declared priority in `area` on `on`. */
export async function schoolsWithPriority(db: Executor, area: string, on: string): Promise<number[]> {
  const rows = await db
    .selectFrom('school_priority')
    .select('school_id')
    .where('focus_area', '=', area)
    .where('from_on', '<=', on)
    .where((eb) => eb.or([eb('until_on', 'is', null), eb('until_on', '>', on)]))
    .execute();
  return rows.map((r) => Number(r.school_id));
}

/** Every current declared priority (school, area) on `on`: the declared needs behind reciprocity. */
export async function currentPriorities(db: Executor, on: string): Promise<{ schoolId: number; area: string }[]> {
  const rows = await db
    .selectFrom('school_priority')
    .select(['school_id', 'focus_area'])
    .where('from_on', '<=', on)
    .where((eb) => eb.or([eb('until_on', 'is', null), eb('until_on', '>', on)]))
    .execute();
  return rows.map((r) => ({ schoolId: Number(r.school_id), area: r.focus_area }));
}

// ---- Offers ------------------------------------------------------------------------------------

const offerColumns = ['o.id', 'o.school_id', 'o.person_id', 'o.focus_area', 'o.kinds', 'o.capacity_days', 'o.note', 'o.status', 'o.approved_on', 'o.created_at', 's.name as school_name', 's.urn', 'p.name as person_name'] as const;

export function offersWhere(db: Executor, filter: { ids?: number[]; focusArea?: string; schoolIds?: number[]; statuses?: string[]; limit?: number }) {
  let q = db
    .selectFrom('expertise_offer as o')
    .innerJoin('school as s', 's.id', 'o.school_id')
    .leftJoin('person as p', 'p.id', 'o.person_id')
    .select([...offerColumns]);
  if (filter.ids) q = q.where('o.id', 'in', filter.ids.length ? filter.ids : [-1]);
  if (filter.focusArea) q = q.where('o.focus_area', '=', filter.focusArea);
  if (filter.schoolIds) q = q.where('o.school_id', 'in', filter.schoolIds.length ? filter.schoolIds : [-1]);
  if (filter.statuses) q = q.where('o.status', 'in', filter.statuses);
  return q
    .orderBy('o.id')
    .limit(filter.limit ?? 10_000)
    .execute();
}
export type OfferRow = Awaited<ReturnType<typeof offersWhere>>[number];

/**
 * Days a term each offer has committed: requests matched to it and not yet closed, and
 * introductions of it still waiting for answers (so two brokers cannot book the same days).
 */
export async function committedDays(db: Executor, offerIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (offerIds.length === 0) return out;
  const rows = await sql<{ offer_id: number; days: number }>`
    select offer_id, sum(days)::float8 as days from (
      select r.offer_id, r.days_needed as days from support_request r
      where r.offer_id = any(${[...offerIds]}::bigint[]) and r.status in (${sql.join(committing.map((s) => sql.lit(s)))})
      union all
      select i.offer_id, r.days_needed from introduction i join support_request r on r.id = i.request_id
      where i.offer_id = any(${[...offerIds]}::bigint[]) and i.status = 'pending'
    ) x group by offer_id`.execute(db);
  for (const r of rows.rows) out.set(Number(r.offer_id), Number(r.days));
  return out;
}

/** Requests a school supports (matched to it, offer or not) and not yet closed: for schools that declared no offer. */
export async function schoolCommitments(db: Executor): Promise<Map<number, number>> {
  const rows = await sql<{ school_id: number; n: number }>`
    select school_id, count(*)::int as n from (
      select r.supporter_school_id as school_id from support_request r
      where r.offer_id is null and r.supporter_school_id is not null and r.status in (${sql.join(committing.map((s) => sql.lit(s)))})
      union all
      select i.school_id from introduction i where i.offer_id is null and i.status = 'pending'
    ) x group by school_id`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.school_id), Number(r.n)]));
}

// ---- Affiliations --------------------------------------------------------------------------------

export function declarationOf(db: Executor, personId: number) {
  return db.selectFrom('broker_declaration').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export function affiliationsOf(db: Executor, personIds: readonly number[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('broker_affiliation as a')
    .leftJoin('school as s', 's.id', 'a.school_id')
    .leftJoin('network as n', 'n.id', 'a.network_id')
    .select(['a.id', 'a.person_id', 'a.school_id', 'a.network_id', 'a.kind', 'a.note', 'a.declared_on', 's.name as school_name', 's.urn', 'n.name as network_name'])
    .where('a.person_id', 'in', [...personIds])
    .where('a.ended_on', 'is', null)
    .orderBy('a.id')
    .execute();
}
export type AffiliationRow = Awaited<ReturnType<typeof affiliationsOf>>[number];

/** Networks each of `schoolIds` is a member of on `on`. */
export async function networksOf(db: Executor, schoolIds: readonly number[], on: string): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (schoolIds.length === 0) return out;
  const rows = await sql<{ school_id: number; network_id: number }>`
    select m.school_id, m.network_id from membership m where m.school_id = any(${[...schoolIds]}::bigint[]) and ${memberOn('m', on)}`.execute(db);
  for (const r of rows.rows) {
    const list = out.get(Number(r.school_id)) ?? [];
    list.push(Number(r.network_id));
    out.set(Number(r.school_id), list);
  }
  return out;
}

// ---- Partners and ties -------------------------------------------------------------------------

/** Tie strength (0–1, from the collaboration record) between `schoolId` and each partner. */
export async function tieStrengthsOf(db: Executor, schoolId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('tie')
    .select(['school_a', 'school_b', 'strength'])
    .where((eb) => eb.or([eb('school_a', '=', schoolId), eb('school_b', '=', schoolId)]))
    .execute();
  return new Map(rows.map((r) => [Number(r.school_a) === schoolId ? Number(r.school_b) : Number(r.school_a), Number(r.strength)]));
}

/** Schools sharing a network with `schoolId` on `on` (its current formal partners). */
export async function coMembersOf(db: Executor, schoolId: number, on: string): Promise<number[]> {
  const rows = await sql<{ school_id: number }>`
    select distinct other.school_id from membership mine
    join membership other on other.network_id = mine.network_id and other.school_id <> mine.school_id and ${memberOn('other', on)}
    where mine.school_id = ${schoolId} and ${memberOn('mine', on)}`.execute(db);
  return rows.rows.map((r) => Number(r.school_id));
}

// ---- Requests -----------------------------------------------------------------------------------

export function requestsWhere(db: Executor) {
  return db
    .selectFrom('support_request as r')
    .innerJoin('school as s', 's.id', 'r.school_id')
    .leftJoin('school as sup', 'sup.id', 'r.supporter_school_id')
    .leftJoin('person as b', 'b.id', 'r.broker_id')
    .selectAll('r')
    .select(['s.name as school_name', 's.urn as school_urn', 's.la_name as school_la', 'sup.name as supporter_name', 'sup.urn as supporter_urn', 'b.name as broker_name']);
}
export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsWhere>['execute']>>[number];

export const findRequest = (db: Executor, id: number) => requestsWhere(db).where('r.id', '=', id).executeTakeFirst();

/** Locks the request row for a move (PostgreSQL; PGlite has one connection anyway). */
export async function lockRequest(trx: Transaction<DB>, id: number) {
  return trx.selectFrom('support_request').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export type NewRequestValues = {
  schoolId: number;
  focusArea: string;
  kind: string;
  daysNeeded: number;
  terms: number;
  description: string;
  goals: RequestGoalJson[];
  conflicts: ConflictJson[];
  by: number;
  on: string;
};
export async function insertRequest(trx: Executor, v: NewRequestValues): Promise<number> {
  const row = await trx
    .insertInto('support_request')
    .values({
      school_id: v.schoolId,
      focus_area: v.focusArea,
      kind: v.kind,
      days_needed: v.daysNeeded,
      terms: v.terms,
      description: v.description,
      goals: JSON.stringify(v.goals),
      conflicts: JSON.stringify(v.conflicts),
      created_by: v.by,
      created_on: v.on,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

// ---- Shortlists and introductions --------------------------------------------------------------

export function shortlistOf(db: Executor, requestId: number) {
  return db.selectFrom('shortlist_entry').selectAll().where('request_id', '=', requestId).where('removed_at', 'is', null).orderBy('rank').execute();
}
export type ShortlistRow = Awaited<ReturnType<typeof shortlistOf>>[number];

export type NewShortlistEntry = { rank: number; schoolId: number; offerId: number | null; score: number; distanceKm: number | null; factors: FactorJson[] };
export async function replaceShortlist(trx: Transaction<DB>, requestId: number, entries: NewShortlistEntry[], source: string, by: number): Promise<void> {
  await trx.updateTable('shortlist_entry').set({ removed_at: new Date() }).where('request_id', '=', requestId).where('removed_at', 'is', null).execute();
  await trx
    .insertInto('shortlist_entry')
    .values(
      entries.map((e) => ({
        request_id: requestId,
        rank: e.rank,
        school_id: e.schoolId,
        offer_id: e.offerId,
        score: e.score,
        distance_km: e.distanceKm,
        factors: JSON.stringify(e.factors),
        source,
        created_by: by,
      })),
    )
    .execute();
}

export function introductionsOf(db: Executor, requestIds: readonly number[]) {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('introduction as i')
    .innerJoin('school as s', 's.id', 'i.school_id')
    .leftJoin('expertise_offer as o', 'o.id', 'i.offer_id')
    .leftJoin('person as op', 'op.id', 'o.person_id')
    .leftJoin('person as rb', 'rb.id', 'i.requester_by')
    .leftJoin('person as sb', 'sb.id', 'i.supporter_by')
    .selectAll('i')
    .select(['s.name as school_name', 's.urn', 'o.person_id as offer_person_id', 'op.name as offer_person_name', 'rb.name as requester_by_name', 'sb.name as supporter_by_name'])
    .where('i.request_id', 'in', [...requestIds])
    .orderBy('i.id', 'desc')
    .execute();
}
export type IntroductionRow = Awaited<ReturnType<typeof introductionsOf>>[number];

export function findIntroduction(db: Executor, id: number) {
  return db.selectFrom('introduction as i').leftJoin('expertise_offer as o', 'o.id', 'i.offer_id').selectAll('i').select('o.person_id as offer_person_id').where('i.id', '=', id).executeTakeFirst();
}

/**
 * Ids of requests the actor may list, from the sets the service derives from their posts: the
 * schools they hold a post in, the networks they broker, their authorities, the schools they
 * lead (for introductions to them) and themselves (introductions of their own offers).
 */
export async function visibleRequestIds(
  db: Executor,
  scope: { all: boolean; ownSchools: number[]; brokerNetworks: number[]; laNames: string[]; leadSchools: number[]; personId: number; today: string },
  filter: { status?: string | undefined; schoolId?: number | undefined; networkId?: number | undefined; laName?: string | undefined; brokerId?: number | undefined; limit: number },
): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select r.id from support_request r join school s on s.id = r.school_id
    where (${scope.all}
        or r.school_id = any(${scope.ownSchools}::bigint[])
        or lower(s.la_name) = any(${scope.laNames}::text[])
        or exists (select 1 from membership m where m.school_id = r.school_id and m.network_id = any(${scope.brokerNetworks}::bigint[]) and ${memberOn('m', scope.today)})
        or exists (select 1 from introduction i left join expertise_offer o on o.id = i.offer_id
                   where i.request_id = r.id and (i.school_id = any(${scope.leadSchools}::bigint[]) or o.person_id = ${scope.personId})))
      and (${filter.status ?? null}::text is null or r.status = ${filter.status ?? null})
      and (${filter.schoolId ?? null}::bigint is null or r.school_id = ${filter.schoolId ?? null})
      and (${filter.laName ?? null}::text is null or lower(s.la_name) = lower(${filter.laName ?? null}))
      and (${filter.brokerId ?? null}::bigint is null or r.broker_id = ${filter.brokerId ?? null})
      and (${filter.networkId ?? null}::bigint is null or exists (select 1 from membership m2 where m2.school_id = r.school_id and m2.network_id = ${filter.networkId ?? null} and ${memberOn('m2', scope.today)}))
    order by r.created_at desc, r.id desc
    limit ${filter.limit}`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}

/** Open requests (waiting for a supporter: open or shortlisted) of the schools of a network or an authority. */
export async function openRequestIdsIn(db: Executor, area: { networkId?: number | undefined; laName?: string | undefined }, today: string): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    select r.id from support_request r join school s on s.id = r.school_id
    where r.status in ('open', 'shortlisted')
      and (${area.laName ?? null}::text is null or lower(s.la_name) = lower(${area.laName ?? null}))
      and (${area.networkId ?? null}::bigint is null or exists (select 1 from membership m where m.school_id = r.school_id and m.network_id = ${area.networkId ?? null} and ${memberOn('m', today)}))
    order by r.created_at, r.id`.execute(db);
  return rows.rows.map((r) => Number(r.id));
}
