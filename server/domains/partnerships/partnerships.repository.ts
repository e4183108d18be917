import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { memberOn } from '../access/scope.ts';
import type { AgreementRoleJson, KeptJson, PersonJson, SharingTermJson } from './partnerships.table.ts';

/** Kysely queries for partnership plans. Returns rows; the service turns them into contract types. */

type Db = Kysely<DB> | Transaction<DB>;

export type PartnershipRow = {
  id: number;
  network_id: number;
  network_name: string;
  stage: string;
  purpose: string;
  shared_vision: string | null;
  theory_of_action: string | null;
  formed_on: string;
  formation: string | null;
  ended_on: string | null;
};

const partnershipColumns = [
  'partnership.id',
  'partnership.network_id',
  'network.name as network_name',
  'partnership.stage',
  'partnership.purpose',
  'partnership.shared_vision',
  'partnership.theory_of_action',
  'partnership.formed_on',
  'partnership.formation',
  'partnership.ended_on',
] as const;

export function findPartnership(db: Db, id: number): Promise<PartnershipRow | undefined> {
  return db.selectFrom('partnership').innerJoin('network', 'network.id', 'partnership.network_id').select(partnershipColumns).where('partnership.id', '=', id).executeTakeFirst();
}

/** The row, locked until the transaction ends: changes to one partnership queue up (the goal limit, stage moves). */
export function lockPartnership(trx: Transaction<DB>, id: number): Promise<PartnershipRow | undefined> {
  return trx
    .selectFrom('partnership')
    .innerJoin('network', 'network.id', 'partnership.network_id')
    .select(partnershipColumns)
    .where('partnership.id', '=', id)
    .forUpdate('partnership')
    .executeTakeFirst();
}

export function currentPartnershipOf(db: Db, networkId: number): Promise<PartnershipRow | undefined> {
  return db
    .selectFrom('partnership')
    .innerJoin('network', 'network.id', 'partnership.network_id')
    .select(partnershipColumns)
    .where('partnership.network_id', '=', networkId)
    .where('partnership.stage', '<>', 'ended')
    .executeTakeFirst();
}

export function partnershipsOf(db: Db, networkId: number) {
  return db
    .selectFrom('partnership')
    .innerJoin('network', 'network.id', 'partnership.network_id')
    .select(partnershipColumns)
    .select((eb) =>
      eb
        .selectFrom('partnership_goal')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('partnership_goal.partnership_id', '=', 'partnership.id')
        .where('partnership_goal.retired_on', 'is', null)
        .as('active_goals'),
    )
    .where('partnership.network_id', '=', networkId)
    .orderBy('partnership.formed_on', 'desc')
    .orderBy('partnership.id', 'desc')
    .execute();
}

export function findNetwork(db: Db, id: number) {
  return db.selectFrom('network').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export function personName(db: Db, id: number) {
  return db.selectFrom('person').select('name').where('id', '=', id).executeTakeFirst();
}

// ---- Members --------------------------------------------------------------------------------

export type MemberRow = { id: number; name: string; urn: number | null; pupil_roll: number | null };

/** Schools that are members of the network on `on` (and not closed by then), by name then id. */
export async function membersOn(db: Db, networkId: number, on: string): Promise<MemberRow[]> {
  const rows = await sql<MemberRow>`
    select distinct s.id, s.name, s.urn, s.pupil_roll, lower(s.name) as sort_name
    from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and ${memberOn('m', on)}
      and (s.closed_on is null or s.closed_on > ${on}::date)
    order by lower(s.name), s.id`.execute(db);
  return rows.rows.map((r) => ({ id: Number(r.id), name: r.name, urn: r.urn, pupil_roll: r.pupil_roll }));
}

export function schoolNames(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('school').select(['id', 'name', 'urn']).where('id', 'in', ids).execute();
}

// ---- Stage history --------------------------------------------------------------------------

export async function insertStageChange(trx: Db, c: { partnershipId: number; from: string | null; to: string; by: number | null; on: string; note: string | null; at?: Date }) {
  await trx
    .insertInto('partnership_stage_change')
    .values({ partnership_id: c.partnershipId, from_stage: c.from, to_stage: c.to, changed_by: c.by, changed_on: c.on, note: c.note, ...(c.at ? { changed_at: c.at } : {}) })
    .execute();
}

export function stageHistory(db: Db, partnershipId: number) {
  return db
    .selectFrom('partnership_stage_change as c')
    .leftJoin('person', 'person.id', 'c.changed_by')
    .select(['c.id', 'c.from_stage', 'c.to_stage', 'c.changed_on', 'c.changed_at', 'c.note', 'person.name as by'])
    .where('c.partnership_id', '=', partnershipId)
    .orderBy('c.changed_at')
    .orderBy('c.id')
    .execute();
}

/** When the partnership last entered the Active stage (null: never). */
export async function lastBecameActive(db: Db, partnershipId: number): Promise<Date | null> {
  const r = await db
    .selectFrom('partnership_stage_change')
    .select((eb) => eb.fn.max('changed_at').as('at'))
    .where('partnership_id', '=', partnershipId)
    .where('to_stage', '=', 'active')
    .executeTakeFirst();
  return r?.at ? new Date(r.at) : null;
}

// ---- Goals ----------------------------------------------------------------------------------

export function goalsOf(db: Db, partnershipId: number) {
  return db.selectFrom('partnership_goal').selectAll().where('partnership_id', '=', partnershipId).orderBy('id').execute();
}

export function findGoal(db: Db, goalId: number) {
  return db.selectFrom('partnership_goal').selectAll().where('id', '=', goalId).executeTakeFirst();
}

export async function countGoalsInForce(db: Db, partnershipId: number): Promise<number> {
  const r = await db
    .selectFrom('partnership_goal')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partnership_id', '=', partnershipId)
    .where('retired_on', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function contributionsOf(db: Db, goalIds: number[]) {
  if (goalIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_goal_contribution as c')
    .innerJoin('school', 'school.id', 'c.school_id')
    .select(['c.goal_id', 'c.school_id', 'c.contribution', 'school.name'])
    .where('c.goal_id', 'in', goalIds)
    .orderBy(sql`lower(school.name)`)
    .orderBy('school.id')
    .execute();
}

export async function replaceContributions(trx: Db, goalId: number, contributions: { schoolId: number; contribution: string }[]) {
  await trx.deleteFrom('partnership_goal_contribution').where('goal_id', '=', goalId).execute();
  if (contributions.length > 0) {
    await trx
      .insertInto('partnership_goal_contribution')
      .values(contributions.map((c) => ({ goal_id: goalId, school_id: c.schoolId, contribution: c.contribution })))
      .execute();
  }
}

/** Each goal's judgement in the latest review that judged it. */
export function latestProgressOf(db: Db, goalIds: number[]) {
  if (goalIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_review_progress as p')
    .innerJoin('partnership_review as r', 'r.id', 'p.review_id')
    .select(['p.goal_id', 'p.review_id', 'r.held_on', 'p.value_now', 'p.status', 'p.commentary'])
    .distinctOn('p.goal_id')
    .where('p.goal_id', 'in', goalIds)
    .orderBy('p.goal_id')
    .orderBy('r.held_on', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}

/** Whether any goal was added, revised or retired after `since`. */
export async function goalsChangedSince(db: Db, partnershipId: number, since: Date): Promise<boolean> {
  const r = await db
    .selectFrom('partnership_goal')
    .select('id')
    .where('partnership_id', '=', partnershipId)
    .where((eb) => eb.or([eb('created_at', '>', since), eb('revised_at', '>', since), eb('retired_at', '>', since)]))
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

// ---- Agreement ------------------------------------------------------------------------------

export function agreementsOf(db: Db, partnershipId: number) {
  return db
    .selectFrom('partnership_agreement as a')
    .leftJoin('person', 'person.id', 'a.created_by')
    .selectAll('a')
    .select('person.name as created_by_name')
    .where('a.partnership_id', '=', partnershipId)
    .orderBy('a.version', 'desc')
    .execute();
}
export type AgreementRow = Awaited<ReturnType<typeof agreementsOf>>[number];

export function latestAgreement(db: Db, partnershipId: number) {
  return db.selectFrom('partnership_agreement').selectAll().where('partnership_id', '=', partnershipId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function signaturesOf(db: Db, agreementIds: number[]) {
  if (agreementIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_signature as g')
    .innerJoin('school', 'school.id', 'g.school_id')
    .innerJoin('person', 'person.id', 'g.signed_by')
    .select(['g.agreement_id', 'g.school_id', 'school.name as school_name', 'g.signed_on', 'g.signed_role', 'g.note', 'person.name as signed_by_name'])
    .where('g.agreement_id', 'in', agreementIds)
    .orderBy(sql`lower(school.name)`)
    .execute();
}

export async function insertAgreement(
  trx: Db,
  a: {
    partnershipId: number;
    version: number;
    effectiveFrom: string;
    principles: string[];
    roles: AgreementRoleJson[];
    frequency: string;
    minAttendancePct: number | null;
    consequence: string | null;
    dataSharing: SharingTermJson[];
    conflictResolution: string;
    funding: unknown;
    changeNote: string | null;
    by: number | null;
    at?: Date;
  },
) {
  return trx
    .insertInto('partnership_agreement')
    .values({
      partnership_id: a.partnershipId,
      version: a.version,
      effective_from: a.effectiveFrom,
      principles: JSON.stringify(a.principles),
      roles: JSON.stringify(a.roles),
      meeting_frequency: a.frequency,
      min_attendance_pct: a.minAttendancePct,
      attendance_consequence: a.consequence,
      data_sharing: JSON.stringify(a.dataSharing),
      conflict_resolution: a.conflictResolution,
      funding: JSON.stringify(a.funding),
      change_note: a.changeNote,
      created_by: a.by,
      ...(a.at ? { created_at: a.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

// ---- Meetings -------------------------------------------------------------------------------

export function meetingsOf(db: Db, partnershipId: number, limit?: number) {
  let q = db
    .selectFrom('partnership_meeting')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .orderBy('held_on', 'desc')
    .orderBy('id', 'desc');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

export async function countMeetings(db: Db, partnershipId: number): Promise<number> {
  const r = await db.selectFrom('partnership_meeting').select((eb) => eb.fn.countAll<number>().as('n')).where('partnership_id', '=', partnershipId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function attendanceOf(db: Db, meetingIds: number[]) {
  if (meetingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_attendance as a')
    .innerJoin('school', 'school.id', 'a.school_id')
    .select(['a.meeting_id', 'a.school_id', 'a.attendees', 'school.name', 'school.urn'])
    .where('a.meeting_id', 'in', meetingIds)
    .orderBy(sql`lower(school.name)`)
    .execute();
}

/** For each meeting, the schools that were members on its date (the schools expected to attend). */
export async function expectedAt(db: Db, networkId: number, meetingIds: number[]) {
  if (meetingIds.length === 0) return [];
  const r = await sql<{ meeting_id: number; school_id: number; name: string; urn: number | null }>`
    select distinct mt.id as meeting_id, s.id as school_id, s.name, s.urn, lower(s.name) as sort_name
    from partnership_meeting mt
    join membership m on m.network_id = ${networkId}
      and (m.joined_on is null or m.joined_on <= mt.held_on) and (m.left_on is null or m.left_on > mt.held_on)
    join school s on s.id = m.school_id and (s.closed_on is null or s.closed_on > mt.held_on)
    where mt.id = any(${meetingIds}::bigint[])
    order by lower(s.name), s.id`.execute(db);
  return r.rows.map((x) => ({ meeting_id: Number(x.meeting_id), school_id: Number(x.school_id), name: x.name, urn: x.urn }));
}

/**
 * Per school, over meetings of the partnership held in [from, to]: how many were held while it
 * was a member (expected) and how many it attended.
 */
export async function attendanceCounts(db: Db, partnershipId: number, networkId: number, from: string, to: string) {
  const r = await sql<{ school_id: number; name: string; expected: number; attended: number }>`
    select s.id as school_id, s.name, count(distinct mt.id)::int as expected, count(distinct a.meeting_id)::int as attended
    from partnership_meeting mt
    join membership m on m.network_id = ${networkId}
      and (m.joined_on is null or m.joined_on <= mt.held_on) and (m.left_on is null or m.left_on > mt.held_on)
    join school s on s.id = m.school_id and (s.closed_on is null or s.closed_on > mt.held_on)
    left join partnership_attendance a on a.meeting_id = mt.id and a.school_id = s.id
    where mt.partnership_id = ${partnershipId} and mt.held_on >= ${from}::date and mt.held_on <= ${to}::date
    group by s.id, s.name
    order by lower(s.name), s.id`.execute(db);
  return r.rows.map((x) => ({ school_id: Number(x.school_id), name: x.name, expected: Number(x.expected), attended: Number(x.attended) }));
}

export async function countMeetingsBetween(db: Db, partnershipId: number, from: string, to: string): Promise<number> {
  const r = await db
    .selectFrom('partnership_meeting')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partnership_id', '=', partnershipId)
    .where('held_on', '>=', from)
    .where('held_on', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertMeeting(
  trx: Db,
  m: { partnershipId: number; heldOn: string; title: string; notes: string | null; others: PersonJson[]; attendance: { schoolId: number; attendees: PersonJson[] }[]; by: number | null; at?: Date },
) {
  const row = await trx
    .insertInto('partnership_meeting')
    .values({
      partnership_id: m.partnershipId,
      held_on: m.heldOn,
      title: m.title,
      notes: m.notes,
      other_attendees: JSON.stringify(m.others),
      recorded_by: m.by,
      ...(m.at ? { created_at: m.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (m.attendance.length > 0) {
    await trx
      .insertInto('partnership_attendance')
      .values(m.attendance.map((a) => ({ meeting_id: row.id, school_id: a.schoolId, attendees: JSON.stringify(a.attendees) })))
      .execute();
  }
  return Number(row.id);
}

// ---- Reviews --------------------------------------------------------------------------------

export function reviewsOf(db: Db, partnershipId: number) {
  return db
    .selectFrom('partnership_review as r')
    .leftJoin('person', 'person.id', 'r.recorded_by')
    .selectAll('r')
    .select('person.name as recorded_by_name')
    .where('r.partnership_id', '=', partnershipId)
    .orderBy('r.held_on', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}

export function findReview(db: Db, reviewId: number) {
  return db.selectFrom('partnership_review').selectAll().where('id', '=', reviewId).executeTakeFirst();
}

/** The latest review recorded after `since` (by when it was recorded). */
export function latestReviewSince(db: Db, partnershipId: number, since: Date) {
  return db
    .selectFrom('partnership_review')
    .selectAll()
    .where('partnership_id', '=', partnershipId)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function progressOf(db: Db, reviewIds: number[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('partnership_review_progress as p')
    .innerJoin('partnership_goal as g', 'g.id', 'p.goal_id')
    .select(['p.review_id', 'p.goal_id', 'g.statement', 'p.value_now', 'p.status', 'p.commentary'])
    .where('p.review_id', 'in', reviewIds)
    .orderBy('p.goal_id')
    .execute();
}

export async function upsertProgress(trx: Db, reviewId: number, progress: { goalId: number; valueNow: number | null; status: string; commentary: string | null }[]) {
  for (const p of progress) {
    await trx
      .insertInto('partnership_review_progress')
      .values({ review_id: reviewId, goal_id: p.goalId, value_now: p.valueNow, status: p.status, commentary: p.commentary })
      .onConflict((oc) => oc.columns(['review_id', 'goal_id']).doUpdateSet({ value_now: p.valueNow, status: p.status, commentary: p.commentary }))
      .execute();
  }
}

// ---- Ending ---------------------------------------------------------------------------------

export function endingOf(db: Db, partnershipId: number) {
  return db
    .selectFrom('partnership_ending as e')
    .leftJoin('person', 'person.id', 'e.recorded_by')
    .selectAll('e')
    .select('person.name as recorded_by_name')
    .where('e.partnership_id', '=', partnershipId)
    .executeTakeFirst();
}

export async function upsertEnding(trx: Db, e: { partnershipId: number; agreedOn: string; endsOn: string; reason: string; agreedBy: string; kept: KeptJson[]; by: number | null }) {
  const values = { agreed_on: e.agreedOn, ends_on: e.endsOn, reason: e.reason, agreed_by: e.agreedBy, kept: JSON.stringify(e.kept), recorded_by: e.by };
  await trx
    .insertInto('partnership_ending')
    .values({ partnership_id: e.partnershipId, ...values })
    .onConflict((oc) => oc.column('partnership_id').doUpdateSet({ ...values, recorded_at: sql`now()` }))
    .execute();
}

// ---- Consent --------------------------------------------------------------------------------

/** The current sharing decisions of these schools with the network (consent_current; none = not shared). */
export function sharingDecisions(db: Db, networkId: number, schoolIds: number[]) {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('consent_current')
    .select(['school_id', 'data_class', 'shared', 'decided_at'])
    .where('network_id', '=', networkId)
    .where('school_id', 'in', schoolIds)
    .execute();
}
