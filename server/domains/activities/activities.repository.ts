import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { levelBit, type StaffLevel, staffLevels } from '../../../common/activities.ts';
import type { DB } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import type { AuditEntry } from '../access/audit.ts';
import { audit } from '../access/audit.ts';
import { visibleSchools } from '../access/scope.ts';
import type { ActivityTable } from './activities.table.ts';

/** Kysely queries for activities and their catalogue. Returns rows; the service shapes them. */

type Executor = Kysely<DB> | Transaction<DB>;
export type ActivityRow = Selectable<ActivityTable>;

// ---------------------------------------------------------------------------------------------
// Catalogue

export const listTypes = (db: Executor) => db.selectFrom('activity_type').selectAll().orderBy('position').orderBy('label').execute();
export const findType = (db: Executor, code: string) => db.selectFrom('activity_type').selectAll().where('code', '=', code).executeTakeFirst();
export const findTypeByLabel = (db: Executor, label: string) =>
  db.selectFrom('activity_type').select('code').where(sql<boolean>`lower(label) = ${label.trim().toLowerCase()}`).executeTakeFirst();

// ---------------------------------------------------------------------------------------------
// Writing activities

/** One school's part in an activity, as stored. */
export type InvolvedRow = { schoolId: number; direction: string; staff: Partial<Record<StaffLevel, number>> };

export type ActivityValues = {
  type_code: string;
  title: string;
  network_id: number | null;
  start_on: string;
  end_on: string;
  recurrence: string;
  occurrences: number;
  hours_each: number | null;
  focus: string | null;
  outcome_notes: string | null;
  evidence: string[];
};

/** The levels-mask column kept beside activity_staff (see migration 0005). */
const maskOf = (staff: InvolvedRow['staff']) => staffLevels.reduce((m, l) => ((staff[l] ?? 0) > 0 ? m | levelBit(l) : m), 0);

export async function insertActivity(trx: Transaction<DB>, values: ActivityValues, schools: InvolvedRow[], by: { personId: number | null; source: 'api' | 'csv' | 'demo' }): Promise<number> {
  const row = await trx
    .insertInto('activity')
    .values({ ...values, evidence: sql`${values.evidence}::text[]`, recorded_by: by.personId, source: by.source })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await insertSchools(trx, id, schools);
  return id;
}

async function insertSchools(trx: Transaction<DB>, activityId: number, schools: InvolvedRow[]) {
  await trx
    .insertInto('activity_school')
    .values(schools.map((s) => ({ activity_id: activityId, school_id: s.schoolId, direction: s.direction, levels: maskOf(s.staff) })))
    .execute();
  const staff = schools.flatMap((s) => staffLevels.filter((l) => (s.staff[l] ?? 0) > 0).map((l) => ({ activity_id: activityId, school_id: s.schoolId, level: l, people: s.staff[l]! })));
  if (staff.length > 0) await trx.insertInto('activity_staff').values(staff).execute();
}

export async function updateActivity(trx: Transaction<DB>, id: number, values: ActivityValues, schools: InvolvedRow[], personId: number | null): Promise<void> {
  await trx
    .updateTable('activity')
    .set({ ...values, evidence: sql`${values.evidence}::text[]`, updated_by: personId, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  // The schools are replaced as a set (their staff rows go with them, on delete cascade).
  await trx.deleteFrom('activity_school').where('activity_id', '=', id).execute();
  await insertSchools(trx, id, schools);
}

export async function withdrawActivity(trx: Transaction<DB>, id: number, personId: number | null): Promise<void> {
  await trx.updateTable('activity').set({ withdrawn_at: new Date(), withdrawn_by: personId }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Reading activities

/** One activity (withdrawn or not) with its schools and their staff, unfiltered: for writers. */
export async function findActivity(db: Executor, id: number): Promise<{ row: ActivityRow; schools: InvolvedRow[] } | null> {
  const row = await db.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const schools = await db.selectFrom('activity_school').select(['school_id', 'direction']).where('activity_id', '=', id).orderBy('school_id').execute();
  const staff = await db.selectFrom('activity_staff').select(['school_id', 'level', 'people']).where('activity_id', '=', id).execute();
  return {
    row,
    schools: schools.map((s) => ({
      schoolId: Number(s.school_id),
      direction: s.direction,
      staff: Object.fromEntries(staff.filter((x) => Number(x.school_id) === Number(s.school_id)).map((x) => [x.level, x.people])),
    })),
  };
}

/** Keyset cursor over (start_on desc, id desc): newest first, stable under inserts. */
export type ActivityCursor = { startOn: string; id: number };
export const encodeCursor = (c: ActivityCursor) => Buffer.from(JSON.stringify([c.startOn, c.id])).toString('base64url');
export function decodeCursor(raw: string | undefined): ActivityCursor | null {
  if (!raw) return null;
  try {
    const [startOn, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof startOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(startOn) && typeof id === 'number') return { startOn, id };
  } catch {
    // not ours
  }
  return null;
}

export type ActivityFilter = {
  ids?: number[];
  networkId?: number;
  schoolId?: number;
  type?: string;
  category?: string;
  from?: string;
  to?: string;
  focus?: string;
};

/** A listed activity, with its type's label and its network's name. */
export type ListedRow = ActivityRow & { type_label: string; category: string; network_name: string | null };

/**
 * Activities the actor may see, newest first: not withdrawn, and involving at least one school
 * whose activity records the actor may see (scope.ts, in the query). A school filter applies
 * only to a school the actor may see, so filtering cannot reveal where a hidden school took part.
 */
export async function listVisible(db: Executor, actor: Actor, f: ActivityFilter, cursor: ActivityCursor | null, limit: number): Promise<ListedRow[]> {
  const conditions = [sql`a.withdrawn_at is null`, sql`exists (select 1 from activity_school s join visible v on v.id = s.school_id where s.activity_id = a.id)`];
  if (f.ids) conditions.push(sql`a.id = any(${f.ids}::bigint[])`);
  if (f.networkId !== undefined) conditions.push(sql`a.network_id = ${f.networkId}`);
  if (f.schoolId !== undefined) conditions.push(sql`exists (select 1 from activity_school s join visible v on v.id = s.school_id where s.activity_id = a.id and s.school_id = ${f.schoolId})`);
  if (f.type !== undefined) conditions.push(sql`a.type_code = ${f.type}`);
  if (f.category !== undefined) conditions.push(sql`t.category = ${f.category}`);
  if (f.from !== undefined) conditions.push(sql`a.end_on >= ${f.from}::date`);
  if (f.to !== undefined) conditions.push(sql`a.start_on <= ${f.to}::date`);
  if (f.focus !== undefined) conditions.push(sql`a.focus ilike ${`%${f.focus.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (cursor) conditions.push(sql`(a.start_on, a.id) < (${cursor.startOn}::date, ${cursor.id})`);
  const rows = await sql<ListedRow>`
    with visible as (${visibleSchools(actor, 'activity_records')})
    select a.*, t.label as type_label, t.category, n.name as network_name
    from activity a
    join activity_type t on t.code = a.type_code
    left join network n on n.id = a.network_id
    where ${sql.join(conditions, sql` and `)}
    order by a.start_on desc, a.id desc
    limit ${limit}`.execute(db);
  return rows.rows;
}

export type PartyRow = { activity_id: number; school_id: number; urn: number | null; name: string; direction: string; visible: boolean; levels: string[] | null; people: number[] | null };

/** The schools of these activities, each flagged with whether the actor may see it, and their staff. */
export async function partiesOf(db: Executor, actor: Actor, activityIds: number[]): Promise<PartyRow[]> {
  if (activityIds.length === 0) return [];
  const rows = await sql<PartyRow>`
    with visible as (${visibleSchools(actor, 'activity_records')})
    select s.activity_id, s.school_id, sc.urn, sc.name, s.direction, v.id is not null as visible,
           array_agg(st.level order by st.level) filter (where st.level is not null) as levels,
           array_agg(st.people order by st.level) filter (where st.level is not null) as people
    from activity_school s
    join school sc on sc.id = s.school_id
    left join visible v on v.id = s.school_id
    left join activity_staff st on st.activity_id = s.activity_id and st.school_id = s.school_id
    where s.activity_id = any(${activityIds}::bigint[])
    group by s.activity_id, s.school_id, sc.urn, sc.name, s.direction, v.id
    order by s.activity_id, (v.id is null), lower(sc.name), s.school_id`.execute(db);
  return rows.rows.map((r) => ({ ...r, activity_id: Number(r.activity_id), school_id: Number(r.school_id) }));
}

/** Which of `schoolIds` exist. */
export async function existingSchools(db: Executor, schoolIds: number[]): Promise<Set<number>> {
  if (schoolIds.length === 0) return new Set();
  const rows = await db.selectFrom('school').select('id').where('id', 'in', schoolIds).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** URN → school id for these URNs (the register's identifier, as CSV files give it). */
export async function schoolIdsByUrn(db: Executor, urns: number[]): Promise<Map<number, number>> {
  if (urns.length === 0) return new Map();
  const rows = await db.selectFrom('school').select(['id', 'urn']).where('urn', 'in', urns).execute();
  return new Map(rows.map((r) => [Number(r.urn), Number(r.id)]));
}

export const findNetwork = (db: Executor, id: number) => db.selectFrom('network').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
export const findSchool = (db: Executor, id: number) => db.selectFrom('school').select(['id', 'urn', 'name']).where('id', '=', id).executeTakeFirst();

/**
 * The domain's audit events. access/audit.ts's AuditAction does not list them yet (asked of the
 * maintainers); until it does they go through its writer under these names.
 */
export type ActivityAuditAction = 'activity.record' | 'activity.update' | 'activity.withdraw' | 'activity.import' | 'activity_type.add' | 'activity_type.change';
export function auditActivity(db: Executor, entry: Omit<AuditEntry, 'action'> & { action: ActivityAuditAction }): Promise<void> {
  return audit(db, entry);
}
