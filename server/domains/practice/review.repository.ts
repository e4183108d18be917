import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { memberOn } from '../access/scope.ts';
import type { PupilJson } from './practice.table.ts';

/** Kysely queries for peer-review cycles. Returns rows; review.service.ts turns them into contract types. */

type Db = Kysely<DB> | Transaction<DB>;

export type CycleRow = {
  id: number;
  network_id: number;
  network_name: string;
  host_school_id: number;
  host_name: string;
  host_urn: number | null;
  title: string;
  focus: string;
  focus_area: string | null;
  priority: string | null;
  partnership_goal_id: number | null;
  claimed_judgement: string | null;
  stage: string;
  visit_start_on: string | null;
  visit_end_on: string | null;
  follow_up_on: string | null;
  team_judgement: string | null;
  team_judgement_note: string | null;
  follow_up_summary: string | null;
  cancelled_reason: string | null;
  closed_on: string | null;
  visit_activity_id: number | null;
  follow_up_activity_id: number | null;
  created_at: Date;
};

const cycleColumns = [
  'c.id',
  'c.network_id',
  'n.name as network_name',
  'c.host_school_id',
  's.name as host_name',
  's.urn as host_urn',
  'c.title',
  'c.focus',
  'c.focus_area',
  'c.priority',
  'c.partnership_goal_id',
  'c.claimed_judgement',
  'c.stage',
  'c.visit_start_on',
  'c.visit_end_on',
  'c.follow_up_on',
  'c.team_judgement',
  'c.team_judgement_note',
  'c.follow_up_summary',
  'c.cancelled_reason',
  'c.closed_on',
  'c.visit_activity_id',
  'c.follow_up_activity_id',
  'c.created_at',
] as const;

const cycles = (db: Db) => db.selectFrom('peer_review_cycle as c').innerJoin('network as n', 'n.id', 'c.network_id').innerJoin('school as s', 's.id', 'c.host_school_id');

const toCycle = <T extends { id: number; network_id: number; host_school_id: number }>(r: T) => ({ ...r, id: Number(r.id), network_id: Number(r.network_id), host_school_id: Number(r.host_school_id) });

export async function findCycle(db: Db, id: number): Promise<CycleRow | undefined> {
  const r = await cycles(db).select(cycleColumns).where('c.id', '=', id).executeTakeFirst();
  return r && (toCycle(r) as CycleRow);
}

/** The row, locked until the transaction ends, so two moves of one cycle queue up. */
export async function lockCycle(trx: Transaction<DB>, id: number): Promise<CycleRow | undefined> {
  const r = await cycles(trx).select(cycleColumns).where('c.id', '=', id).forUpdate('c').executeTakeFirst();
  return r && (toCycle(r) as CycleRow);
}

export async function cyclesOfNetwork(db: Db, networkId: number): Promise<CycleRow[]> {
  const rows = await cycles(db).select(cycleColumns).where('c.network_id', '=', networkId).orderBy('c.id', 'desc').execute();
  return rows.map((r) => toCycle(r) as CycleRow);
}

export async function cyclesOfSchool(db: Db, schoolId: number): Promise<CycleRow[]> {
  const rows = await cycles(db)
    .select(cycleColumns)
    .where((eb) =>
      eb.or([
        eb('c.host_school_id', '=', schoolId),
        eb.exists(eb.selectFrom('peer_review_reviewer as r').select('r.person_id').whereRef('r.cycle_id', '=', 'c.id').where('r.school_id', '=', schoolId)),
      ]),
    )
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => toCycle(r) as CycleRow);
}

export type ReviewerRow = { cycle_id: number; person_id: number; name: string; school_id: number; school_name: string; trained: boolean; lead: boolean; evidence: number };
export async function reviewersOf(db: Db, cycleIds: number[]): Promise<ReviewerRow[]> {
  if (cycleIds.length === 0) return [];
  const r = await sql<ReviewerRow>`
    select r.cycle_id::int as cycle_id, r.person_id::int as person_id, p.name, r.school_id::int as school_id, s.name as school_name, r.trained, r.lead,
           (select count(*)::int from peer_review_evidence e where e.cycle_id = r.cycle_id and e.recorded_by = r.person_id) as evidence
    from peer_review_reviewer r join person p on p.id = r.person_id join school s on s.id = r.school_id
    where r.cycle_id = any(${cycleIds}::bigint[])
    order by r.lead desc, lower(s.name), r.school_id`.execute(db);
  return r.rows;
}

export type MemberRow = { id: number; name: string; urn: number | null };
/** The network's member schools on `on`, by name. */
export async function membersOn(db: Db, networkId: number, on: string): Promise<MemberRow[]> {
  const r = await sql<MemberRow>`
    select distinct s.id::int as id, s.name, s.urn, lower(s.name) as sort from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and ${memberOn('m', on)} order by lower(s.name), s.id::int`.execute(db);
  return r.rows.map((m) => ({ id: m.id, name: m.name, urn: m.urn }));
}

/** The school posts a person holds in `schoolId` on `on` (roles). */
export async function postsIn(db: Db, personId: number, schoolId: number, on: string): Promise<string[]> {
  const rows = await db
    .selectFrom('post')
    .select('role')
    .where('person_id', '=', personId)
    .where('school_id', '=', schoolId)
    .where('from_on', '<=', on)
    .where((eb) => eb.or([eb('to_on', 'is', null), eb('to_on', '>', on)]))
    .execute();
  return rows.map((r) => r.role);
}

export const findPerson = (db: Db, id: number) => db.selectFrom('person').select(['id', 'name', 'email']).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
export const findNetwork = (db: Db, id: number) => db.selectFrom('network').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
export const findSchool = (db: Db, id: number) => db.selectFrom('school').select(['id', 'name', 'urn']).where('id', '=', id).executeTakeFirst();

/**
 * A goal in force of the network's current partnership plan (the partnerships domain's table,
 * read here so a review's focus can name the goal it serves).
 */
export async function partnershipGoalOf(db: Db, goalId: number, networkId: number): Promise<{ id: number; statement: string } | undefined> {
  const r = await sql<{ id: number; statement: string }>`
    select g.id::int as id, g.statement from partnership_goal g join partnership p on p.id = g.partnership_id
    where g.id = ${goalId} and p.network_id = ${networkId} and g.retired_on is null and p.stage <> 'ended'`.execute(db);
  return r.rows[0];
}
export async function goalStatement(db: Db, goalId: number): Promise<{ id: number; statement: string } | undefined> {
  const r = await sql<{ id: number; statement: string }>`select id::int as id, statement from partnership_goal where id = ${goalId}`.execute(db);
  return r.rows[0];
}

export type EvidenceRow = {
  id: number;
  cycle_id: number;
  kind: string;
  observed_on: string;
  year_group: string | null;
  subject: string | null;
  context: string | null;
  pupils: PupilJson[];
  notes: string;
  school_id: number;
  school_name: string;
  recorded_by: number;
  recorded_by_name: string;
  created_at: Date;
};
export async function evidenceOf(db: Db, cycleId: number, ids?: number[]): Promise<EvidenceRow[]> {
  let q = db
    .selectFrom('peer_review_evidence as e')
    .innerJoin('school as s', 's.id', 'e.school_id')
    .innerJoin('person as p', 'p.id', 'e.recorded_by')
    .select([
      'e.id',
      'e.cycle_id',
      'e.kind',
      'e.observed_on',
      'e.year_group',
      'e.subject',
      'e.context',
      'e.pupils',
      'e.notes',
      'e.school_id',
      's.name as school_name',
      'e.recorded_by',
      'p.name as recorded_by_name',
      'e.created_at',
    ])
    .where('e.cycle_id', '=', cycleId);
  if (ids) q = q.where('e.id', 'in', ids.length ? ids : [-1]);
  const rows = await q.orderBy('e.observed_on').orderBy('e.id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), cycle_id: Number(r.cycle_id), school_id: Number(r.school_id), recorded_by: Number(r.recorded_by) }));
}
export async function findEvidence(db: Db, id: number) {
  return db.selectFrom('peer_review_evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

export type FindingRow = { id: number; cycle_id: number; kind: string; area: string; statement: string; judgement: string | null; evidence_ids: number[]; recorded_by_name: string; created_at: Date };
export async function findingsOf(db: Db, cycleId: number): Promise<FindingRow[]> {
  const rows = await db
    .selectFrom('peer_review_finding as f')
    .innerJoin('person as p', 'p.id', 'f.recorded_by')
    .select(['f.id', 'f.cycle_id', 'f.kind', 'f.area', 'f.statement', 'f.judgement', 'f.evidence_ids', 'p.name as recorded_by_name', 'f.created_at'])
    .where('f.cycle_id', '=', cycleId)
    .orderBy(sql`f.kind = 'strength'`, 'desc')
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), cycle_id: Number(r.cycle_id), evidence_ids: (r.evidence_ids ?? []).map(Number) }));
}
export const findFinding = (db: Db, id: number) => db.selectFrom('peer_review_finding').selectAll().where('id', '=', id).executeTakeFirst();

export type ActionRow = {
  id: number;
  cycle_id: number;
  finding_id: number | null;
  description: string;
  owner_name: string;
  owner_person_id: number | null;
  due_on: string;
  status: string;
  agreed_on: string | null;
  what_changed: string | null;
  closed_on: string | null;
};
export async function actionsOf(db: Db, cycleId: number): Promise<ActionRow[]> {
  const rows = await db
    .selectFrom('peer_review_action')
    .select(['id', 'cycle_id', 'finding_id', 'description', 'owner_name', 'owner_person_id', 'due_on', 'status', 'agreed_on', 'what_changed', 'closed_on'])
    .where('cycle_id', '=', cycleId)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    cycle_id: Number(r.cycle_id),
    finding_id: r.finding_id === null ? null : Number(r.finding_id),
    owner_person_id: r.owner_person_id === null ? null : Number(r.owner_person_id),
  }));
}
export const findAction = (db: Db, id: number) => db.selectFrom('peer_review_action').selectAll().where('id', '=', id).executeTakeFirst();

export async function stageChangesOf(db: Db, cycleId: number) {
  return db
    .selectFrom('peer_review_stage_change as h')
    .leftJoin('person as p', 'p.id', 'h.changed_by')
    .select(['h.from_stage', 'h.to_stage', 'p.name as by', 'h.changed_on', 'h.note'])
    .where('h.cycle_id', '=', cycleId)
    .orderBy('h.id')
    .execute();
}

export async function insertStageChange(trx: Transaction<DB>, c: { cycleId: number; from: string | null; to: string; by: number | null; on: string; note: string | null }) {
  await trx.insertInto('peer_review_stage_change').values({ cycle_id: c.cycleId, from_stage: c.from, to_stage: c.to, changed_by: c.by, changed_on: c.on, note: c.note }).execute();
}

/** Counts the state machine needs (review-stage.ts ReviewFacts), read in the caller's transaction. */
export async function cycleCounts(db: Db, cycleId: number) {
  const r = await sql<{ reviewers: number; evidence: number; strengths: number; areas: number; areas_without_action: number; actions: number; open_actions: number }>`
    select
      (select count(*)::int from peer_review_reviewer where cycle_id = ${cycleId}) as reviewers,
      (select count(*)::int from peer_review_evidence where cycle_id = ${cycleId}) as evidence,
      (select count(*)::int from peer_review_finding where cycle_id = ${cycleId} and kind = 'strength') as strengths,
      (select count(*)::int from peer_review_finding where cycle_id = ${cycleId} and kind = 'area_to_develop') as areas,
      (select count(*)::int from peer_review_finding f where f.cycle_id = ${cycleId} and f.kind = 'area_to_develop'
         and not exists (select 1 from peer_review_action a where a.finding_id = f.id and a.status <> 'dropped')) as areas_without_action,
      (select count(*)::int from peer_review_action where cycle_id = ${cycleId}) as actions,
      (select count(*)::int from peer_review_action where cycle_id = ${cycleId} and status not in ('done', 'dropped')) as open_actions`.execute(db);
  return r.rows[0]!;
}

/** Staff of the network's member schools other than the host, who could join the team. */
export async function candidatesFor(db: Db, cycleId: number, networkId: number, hostId: number, on: string) {
  const r = await sql<{ person_id: number; name: string; school_id: number; school_name: string; role: string; reviews_given: number; on_team: boolean }>`
    select distinct on (p.id, s.id) p.id::int as person_id, p.name, s.id::int as school_id, s.name as school_name, post.role,
      (select count(*)::int from peer_review_reviewer r join peer_review_cycle c on c.id = r.cycle_id
        where r.person_id = p.id and c.stage in ('visiting', 'findings', 'actions_agreed', 'follow_up', 'closed')) as reviews_given,
      exists (select 1 from peer_review_reviewer r where r.cycle_id = ${cycleId} and r.person_id = p.id) as on_team,
      lower(s.name) as sort_school, lower(p.name) as sort_name,
      case post.role when 'head_teacher' then 1 when 'senior_leader' then 2 when 'middle_leader' then 3 when 'teacher' then 4 else 5 end as rank
    from membership m join school s on s.id = m.school_id
    join post on post.school_id = s.id and post.role in ('head_teacher', 'senior_leader', 'middle_leader', 'teacher')
      and post.from_on <= ${on}::date and (post.to_on is null or post.to_on > ${on}::date)
    join person p on p.id = post.person_id and p.disabled_at is null
    where m.network_id = ${networkId} and ${memberOn('m', on)} and s.id <> ${hostId}
    order by p.id, s.id, rank`.execute(db);
  return r.rows.sort((a, b) => a.school_name.localeCompare(b.school_name) || a.name.localeCompare(b.name));
}

/** Reviews of the network held (visit begun, not cancelled) with a visit starting in [from, to], with their reviewers' schools. */
export async function heldReviews(db: Db, networkId: number, from: string, to: string) {
  const r = await sql<{ id: number; host_school_id: number; reviewer_school_ids: number[] | null }>`
    select c.id::int as id, c.host_school_id::int as host_school_id,
           (select array_agg(r.school_id::int order by r.school_id) from peer_review_reviewer r where r.cycle_id = c.id) as reviewer_school_ids
    from peer_review_cycle c
    where c.network_id = ${networkId} and c.stage in ('visiting', 'findings', 'actions_agreed', 'follow_up', 'closed')
      and c.visit_start_on between ${from}::date and ${to}::date
    order by c.id`.execute(db);
  return r.rows.map((x) => ({ id: x.id, hostSchoolId: x.host_school_id, reviewerSchoolIds: (x.reviewer_school_ids ?? []).map(Number) }));
}

/** Every school that was a member of the network at some point in [from, to]. */
export async function membersDuring(db: Db, networkId: number, from: string, to: string): Promise<MemberRow[]> {
  const r = await sql<MemberRow>`
    select distinct s.id::int as id, s.name, s.urn, lower(s.name) as sort from membership m join school s on s.id = m.school_id
    where m.network_id = ${networkId} and (m.joined_on is null or m.joined_on <= ${to}::date) and (m.left_on is null or m.left_on > ${from}::date)
    order by lower(s.name), s.id::int`.execute(db);
  return r.rows.map((m) => ({ id: m.id, name: m.name, urn: m.urn }));
}

/** Teachers and leaders of the network's member schools today (for pickers: team, participants, members, owners). */
export async function practitionersOf(db: Db, networkId: number, on: string, schoolId?: number) {
  const r = await sql<{ person_id: number; name: string; school_id: number; school_name: string; role: string }>`
    select distinct on (p.id, s.id) p.id::int as person_id, p.name, s.id::int as school_id, s.name as school_name, post.role,
      case post.role when 'head_teacher' then 1 when 'senior_leader' then 2 when 'middle_leader' then 3 when 'teacher' then 4 else 5 end as rank
    from membership m join school s on s.id = m.school_id
    join post on post.school_id = s.id and post.role in ('head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff')
      and post.from_on <= ${on}::date and (post.to_on is null or post.to_on > ${on}::date)
    join person p on p.id = post.person_id and p.disabled_at is null
    where m.network_id = ${networkId} and ${memberOn('m', on)} and (${schoolId ?? null}::bigint is null or s.id = ${schoolId ?? null}::bigint)
    order by p.id, s.id, rank`.execute(db);
  return r.rows.sort((a, b) => a.school_name.localeCompare(b.school_name) || a.name.localeCompare(b.name));
}
