import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { type Actor, isAdmin, ownSchoolIds } from '../access/actor.ts';
import { memberOn } from '../access/scope.ts';

/** Kysely queries for the practice library: records, contacts, lineage (recursive), and search. */

type Db = Kysely<DB> | Transaction<DB>;

/**
 * SQL: the practice row `p` (an alias) is one the actor may see: anything not a draft, or a
 * draft of a school they hold a post in (administrators and the operator: all). Withdrawn records stay visible so
 * a lineage through them can still be drawn; search leaves them out.
 */
export function visiblePractice(actor: Actor | null, p = 'p'): RawBuilder<boolean> {
  // null: the operator at the command line, who holds the database.
  if (actor === null || isAdmin(actor)) return sql<boolean>`true`;
  return sql<boolean>`(${sql.ref(`${p}.status`)} <> 'draft' or ${sql.ref(`${p}.school_id`)} = any(${ownSchoolIds(actor)}::bigint[]))`;
}

export type PracticeRow = {
  id: number;
  school_id: number;
  school_name: string;
  school_urn: number | null;
  title: string;
  summary: string;
  body: string;
  phase: string | null;
  subject: string | null;
  intake: string[];
  intake_note: string | null;
  evidence: string | null;
  evidence_strength: number | null;
  status: string;
  published_on: string | null;
  withdrawn_on: string | null;
  withdrawn_reason: string | null;
  jpd_project_id: number | null;
  jpd_title: string | null;
  parents: number;
  adaptations: number;
  created_at: Date;
  updated_at: Date;
};

const practiceSelect = sql`
  p.id::int as id, p.school_id::int as school_id, s.name as school_name, s.urn as school_urn, p.title, p.summary, p.body, p.phase, p.subject, p.intake,
  p.intake_note, p.evidence, p.evidence_strength, p.status, p.published_on, p.withdrawn_on, p.withdrawn_reason, p.jpd_project_id::int as jpd_project_id,
  (select j.title from jpd_project j where j.id = p.jpd_project_id) as jpd_title,
  (select count(*)::int from practice_lineage l where l.practice_id = p.id) as parents,
  (select count(*)::int from practice_lineage l join practice c on c.id = l.practice_id where l.adapted_from = p.id and c.status <> 'draft') as adaptations,
  p.created_at, p.updated_at`;

export async function findPractice(db: Db, id: number): Promise<PracticeRow | undefined> {
  const r = await sql<PracticeRow>`select ${practiceSelect} from practice p join school s on s.id = p.school_id where p.id = ${id}`.execute(db);
  return r.rows[0];
}

export type ContactRow = { practice_id: number; person_id: number; name: string; email: string; school: string | null; helps_with: string | null };
/** Contacts of these practices, each with the school of their current school post (if any). */
export async function contactsOf(db: Db, practiceIds: number[], on: string): Promise<ContactRow[]> {
  if (practiceIds.length === 0) return [];
  const r = await sql<ContactRow>`
    select c.practice_id::int as practice_id, p.id::int as person_id, p.name, p.email, c.helps_with,
      (select s.name from post join school s on s.id = post.school_id
        where post.person_id = p.id and post.from_on <= ${on}::date and (post.to_on is null or post.to_on > ${on}::date) order by post.id limit 1) as school
    from practice_contact c join person p on p.id = c.person_id and p.disabled_at is null
    where c.practice_id = any(${practiceIds}::bigint[]) order by c.practice_id, lower(p.name)`.execute(db);
  return r.rows;
}

export type LinkRow = { practice_id: number; title: string; school_id: number; school_name: string; status: string; what_changed: string; result: string | null; visible: boolean };
/** The practices `id` was adapted from (`parents`) or that were adapted from it (`children`), with whether the actor may see each. */
export async function linksOf(db: Db, actor: Actor, id: number, which: 'parents' | 'children'): Promise<LinkRow[]> {
  const other = which === 'parents' ? sql.ref('l.adapted_from') : sql.ref('l.practice_id');
  const self = which === 'parents' ? sql.ref('l.practice_id') : sql.ref('l.adapted_from');
  const r = await sql<LinkRow>`
    select p.id::int as practice_id, p.title, p.school_id::int as school_id, s.name as school_name, p.status, l.what_changed, l.result, ${visiblePractice(actor)} as visible
    from practice_lineage l join practice p on p.id = ${other} join school s on s.id = p.school_id
    where ${self} = ${id}
    order by l.created_at, p.id`.execute(db);
  return r.rows;
}

export type NodeRow = { id: number; depth: number };
/**
 * Every practice adapted, directly or not, from `id` (depth ≥ 1: generations below), across
 * schools. A recursive CTE over practice_lineage; the path guard stops at a repeated practice,
 * although the service never lets a cycle in.
 */
export async function descendantsOf(db: Db, id: number): Promise<NodeRow[]> {
  const r = await sql<NodeRow>`
    with recursive d(id, depth, path) as (
      select l.practice_id, 1, array[l.adapted_from, l.practice_id] from practice_lineage l where l.adapted_from = ${id}
      union all
      select l.practice_id, d.depth + 1, d.path || l.practice_id from practice_lineage l join d on l.adapted_from = d.id
      where not l.practice_id = any(d.path)
    )
    select id::int as id, min(depth)::int as depth from d group by id order by min(depth), id`.execute(db);
  return r.rows;
}

/** Every practice `id` was adapted from, directly or not (depth ≥ 1: generations above). */
export async function ancestorsOf(db: Db, id: number): Promise<NodeRow[]> {
  const r = await sql<NodeRow>`
    with recursive a(id, depth, path) as (
      select l.adapted_from, 1, array[l.practice_id, l.adapted_from] from practice_lineage l where l.practice_id = ${id}
      union all
      select l.adapted_from, a.depth + 1, a.path || l.adapted_from from practice_lineage l join a on l.practice_id = a.id
      where not l.adapted_from = any(a.path)
    )
    select id::int as id, min(depth)::int as depth from a group by id order by min(depth), id`.execute(db);
  return r.rows;
}

export type GraphNodeRow = { id: number; title: string; school_id: number; school_name: string; status: string; evidence_strength: number | null; visible: boolean };
export async function nodesOf(db: Db, actor: Actor | null, ids: number[]): Promise<GraphNodeRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<GraphNodeRow>`
    select p.id::int as id, p.title, p.school_id::int as school_id, s.name as school_name, p.status, p.evidence_strength, ${visiblePractice(actor)} as visible
    from practice p join school s on s.id = p.school_id where p.id = any(${ids}::bigint[])`.execute(db);
  return r.rows;
}

export async function edgesAmong(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  const r = await sql<{ from: number; to: number; what_changed: string; result: string | null; from_school: number; to_school: number }>`
    select l.adapted_from::int as from, l.practice_id::int as to, l.what_changed, l.result, f.school_id::int as from_school, t.school_id::int as to_school
    from practice_lineage l join practice f on f.id = l.adapted_from join practice t on t.id = l.practice_id
    where l.practice_id = any(${ids}::bigint[]) and l.adapted_from = any(${ids}::bigint[])
    order by l.adapted_from, l.practice_id`.execute(db);
  return r.rows;
}

export type SearchFilter = {
  q: string | null;
  phase?: string | undefined;
  subject?: string | undefined;
  intake?: string | undefined;
  schoolId?: number | undefined;
  networkId?: number | undefined;
  minStrength?: number | undefined;
  mine: boolean;
  today: string;
};
export type SearchRow = PracticeRow & { rank: number | null; headline: string | null };

/** Whether `q` parses to a query with any terms (a query of only stop words has none). */
export async function hasTerms(db: Db, q: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select numnode(websearch_to_tsquery('english', ${q}))::int as n`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * Published practices (or, with `mine`, every record of the actor's schools) matching the
 * filters; with `q`, those matching the words, best first by ts_rank_cd over the weighted
 * document (title A = 1.0, summary B = 0.4, body C = 0.2: Postgres's default weights), ties by
 * newest. Returns the page and the total.
 */
export async function searchPractices(db: Db, actor: Actor | null, f: SearchFilter, limit: number, offset: number): Promise<{ rows: SearchRow[]; total: number }> {
  const query = f.q === null ? sql`null::tsquery` : sql`websearch_to_tsquery('english', ${f.q})`;
  const conditions: RawBuilder<unknown>[] = [f.mine && actor ? sql`p.school_id = any(${ownSchoolIds(actor)}::bigint[])` : sql`p.status = 'published'`, visiblePractice(actor)];
  if (f.q !== null) conditions.push(sql`p.search @@ q.query`);
  if (f.phase) conditions.push(sql`p.phase = ${f.phase}`);
  if (f.subject) conditions.push(sql`p.subject = ${f.subject}`);
  if (f.intake) conditions.push(sql`${f.intake} = any(p.intake)`);
  if (f.schoolId !== undefined) conditions.push(sql`p.school_id = ${f.schoolId}`);
  if (f.minStrength !== undefined) conditions.push(sql`p.evidence_strength >= ${f.minStrength}`);
  if (f.networkId !== undefined) conditions.push(sql`exists (select 1 from membership m where m.school_id = p.school_id and m.network_id = ${f.networkId} and ${memberOn('m', f.today)})`);
  const where = sql.join(conditions, sql` and `);
  const from = sql`from practice p join school s on s.id = p.school_id cross join (select ${query} as query) q where ${where}`;
  const rank = f.q === null ? sql`null::float8` : sql`ts_rank_cd(p.search, q.query)`;
  const order = f.q === null ? sql`order by p.published_on desc nulls last, p.id desc` : sql`order by rank desc, p.published_on desc nulls last, p.id desc`;
  const headline =
    f.q === null
      ? sql`null::text`
      : sql`ts_headline('english', p.summary || ' ' || p.body, q.query, 'StartSel=«, StopSel=», MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "')`;
  const rows = await sql<SearchRow>`select ${practiceSelect}, ${rank} as rank, ${headline} as headline ${from} ${order} limit ${limit} offset ${offset}`.execute(db);
  const total = await sql<{ n: number }>`select count(*)::int as n ${from}`.execute(db);
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}
