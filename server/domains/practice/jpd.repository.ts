import { type Kysely, sql, type Transaction } from 'kysely';
import type { OutcomeMeasure } from '../../../common/practice.ts';
import type { DB } from '../../db/database.ts';
import type { OutcomeLinkJson } from './practice.table.ts';

/** Kysely queries for joint practice development projects. */

type Db = Kysely<DB> | Transaction<DB>;

export type ProjectRow = {
  id: number;
  network_id: number | null;
  network_name: string | null;
  title: string;
  problem: string;
  status: string;
  started_on: string;
  ended_on: string | null;
  developed_practice: string | null;
  pupil_involvement: string;
  pupil_involvement_note: string | null;
  practice_id: number | null;
  created_at: Date;
};

export async function findProject(db: Db, id: number): Promise<ProjectRow | undefined> {
  const r = await db
    .selectFrom('jpd_project as j')
    .leftJoin('network as n', 'n.id', 'j.network_id')
    .select([
      'j.id',
      'j.network_id',
      'n.name as network_name',
      'j.title',
      'j.problem',
      'j.status',
      'j.started_on',
      'j.ended_on',
      'j.developed_practice',
      'j.pupil_involvement',
      'j.pupil_involvement_note',
      'j.practice_id',
      'j.created_at',
    ])
    .where('j.id', '=', id)
    .executeTakeFirst();
  return r && { ...r, id: Number(r.id), network_id: r.network_id === null ? null : Number(r.network_id), practice_id: r.practice_id === null ? null : Number(r.practice_id) };
}

export type ProjectSchoolRow = { project_id: number; school_id: number; name: string; urn: number | null };
export async function schoolsOf(db: Db, projectIds: number[]): Promise<ProjectSchoolRow[]> {
  if (projectIds.length === 0) return [];
  const r = await sql<ProjectSchoolRow>`
    select ps.project_id::int as project_id, s.id::int as school_id, s.name, s.urn from jpd_project_school ps join school s on s.id = ps.school_id
    where ps.project_id = any(${projectIds}::bigint[]) order by lower(s.name), s.id`.execute(db);
  return r.rows;
}

export async function participantsOf(db: Db, projectId: number) {
  const r = await sql<{ person_id: number; name: string; school_id: number; school_name: string; role: string }>`
    select jp.person_id::int as person_id, p.name, jp.school_id::int as school_id, s.name as school_name, jp.role
    from jpd_participant jp join person p on p.id = jp.person_id join school s on s.id = jp.school_id
    where jp.project_id = ${projectId} order by lower(s.name), lower(p.name)`.execute(db);
  return r.rows;
}

export async function cyclesOf(db: Db, projectId: number) {
  const rows = await db.selectFrom('jpd_cycle').selectAll().where('project_id', '=', projectId).orderBy('number').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), project_id: Number(r.project_id), activity_id: r.activity_id === null ? null : Number(r.activity_id) }));
}
export type CycleRow = Awaited<ReturnType<typeof cyclesOf>>[number];

export async function findCycle(db: Db, id: number) {
  const r = await db.selectFrom('jpd_cycle').selectAll().where('id', '=', id).executeTakeFirst();
  return r && { ...r, id: Number(r.id), project_id: Number(r.project_id), activity_id: r.activity_id === null ? null : Number(r.activity_id) };
}

export async function coachingNotesOf(db: Db, cycleIds: number[]) {
  if (cycleIds.length === 0) return [];
  const r = await sql<{ id: number; cycle_id: number; stage: string; note: string; coach: string | null; written_by: string; written_on: string }>`
    select n.id::int as id, n.cycle_id::int as cycle_id, n.stage, n.note, c.name as coach, w.name as written_by, n.written_on
    from jpd_coaching_note n left join person c on c.id = n.coach_id join person w on w.id = n.written_by
    where n.cycle_id = any(${cycleIds}::bigint[]) order by n.id`.execute(db);
  return r.rows;
}

export async function impactOf(db: Db, projectId: number) {
  const rows = await db.selectFrom('jpd_impact').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), outcome_link: r.outcome_link as OutcomeLinkJson | null }));
}

/** Projects with a school among `schoolId` or in `networkId` (filters optional), newest first. */
export async function listProjects(db: Db, f: { networkId?: number | undefined; schoolId?: number | undefined }) {
  let q = db
    .selectFrom('jpd_project as j')
    .leftJoin('network as n', 'n.id', 'j.network_id')
    .select(['j.id', 'j.network_id', 'n.name as network_name', 'j.title', 'j.status', 'j.started_on', 'j.practice_id'])
    .select((eb) => [
      eb.selectFrom('jpd_cycle as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.project_id', '=', 'j.id').as('cycles'),
      eb.selectFrom('jpd_cycle as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.project_id', '=', 'j.id').where('c.completed_on', 'is not', null).as('completed'),
    ]);
  if (f.networkId !== undefined) q = q.where('j.network_id', '=', f.networkId);
  if (f.schoolId !== undefined) q = q.where((eb) => eb.exists(eb.selectFrom('jpd_project_school as ps').select('ps.school_id').whereRef('ps.project_id', '=', 'j.id').where('ps.school_id', '=', f.schoolId!)));
  const rows = await q.orderBy('j.id', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), network_id: r.network_id === null ? null : Number(r.network_id), practice_id: r.practice_id === null ? null : Number(r.practice_id), cycles: Number(r.cycles ?? 0), completed: Number(r.completed ?? 0) }));
}

/** The table and column each linkable outcome measure is read from. */
const measureSource: Record<OutcomeMeasure, { table: 'ks2_result' | 'ks4_result' | 'school_absence'; column: string; released: boolean }> = {
  ks2_rwm_expected_pct: { table: 'ks2_result', column: 'rwm_expected_pct', released: true },
  ks2_read_progress: { table: 'ks2_result', column: 'read_progress', released: true },
  ks2_write_progress: { table: 'ks2_result', column: 'write_progress', released: true },
  ks2_maths_progress: { table: 'ks2_result', column: 'maths_progress', released: true },
  ks4_progress8: { table: 'ks4_result', column: 'p8', released: true },
  ks4_attainment8: { table: 'ks4_result', column: 'a8', released: true },
  persistent_absence_pct: { table: 'school_absence', column: 'persistent_absence_pct', released: false },
};

/** A school's published figure for one year: the final release when there is one, else revised, else provisional. */
export async function outcomeValue(db: Db, schoolId: number, measure: OutcomeMeasure, year: string): Promise<number | null> {
  const src = measureSource[measure];
  const order = src.released ? sql`order by case r.release when 'final' then 1 when 'revised' then 2 else 3 end` : sql``;
  const r = await sql<{ v: number | null }>`
    select r.${sql.ref(src.column)} as v from ${sql.table(src.table)} r join school s on s.urn = r.urn
    where s.id = ${schoolId} and r.academic_year = ${year} ${order} limit 1`.execute(db);
  const v = r.rows[0]?.v;
  return v === null || v === undefined ? null : Number(v);
}
