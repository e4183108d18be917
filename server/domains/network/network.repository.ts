import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { memberOn, schoolOpenOn, visibleSchools } from '../access/scope.ts';

/** A school of a snapshot, with what the analysis groups and maps it by. */
export type ScopeSchool = {
  id: number;
  urn: number;
  name: string;
  phase: string | null;
  type: string | null;
  la: string | null;
  fsmPct: number | null;
  grade: string | null;
  lat: number | null;
  lon: number | null;
};

/** The cache generation: moves on with every write to what snapshots are built from (0007). */
export async function analysisGeneration(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ last_value: string; is_called: boolean }>`select last_value, is_called from analysis_generation`.execute(db);
  const row = r.rows[0]!;
  return row.is_called ? String(row.last_value) : '0';
}

export type ScopeFilter = { network?: number | undefined; at: string; phase?: string | undefined; la?: string | undefined };

/**
 * The schools of a snapshot: open on the date (opened by then, not closed), members of the
 * network on the date when one is given, of the phase and local authority when given. Ordered by id.
 */
export async function schoolsInScope(db: Kysely<DB>, f: ScopeFilter): Promise<ScopeSchool[]> {
  const rows = await sql<{
    id: string;
    urn: number | null;
    name: string;
    phase: string | null;
    school_type: string | null;
    la_name: string | null;
    fsm_pct: string | null;
    inspection_grade: string | null;
    latitude: number | null;
    longitude: number | null;
  }>`
    select s.id, s.urn, s.name, s.phase, s.school_type, s.la_name, s.fsm_pct, s.inspection_grade, s.latitude, s.longitude
    from school s
    where ${schoolOpenOn('s', f.at)} and (s.opened_on is null or s.opened_on <= ${f.at}::date)
      ${f.network === undefined ? sql`` : sql`and exists (select 1 from membership m where m.school_id = s.id and m.network_id = ${f.network} and ${memberOn('m', f.at)})`}
      ${f.phase === undefined ? sql`` : sql`and lower(s.phase) = lower(${f.phase})`}
      ${f.la === undefined ? sql`` : sql`and lower(s.la_name) = lower(${f.la})`}
    order by s.id`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    urn: r.urn ?? 0,
    name: r.name,
    phase: r.phase,
    type: r.school_type,
    la: r.la_name,
    fsmPct: r.fsm_pct === null ? null : Number(r.fsm_pct),
    grade: r.inspection_grade,
    lat: r.latitude,
    lon: r.longitude,
  }));
}

/** Which of `schools` the actor may see the activity records of (scope.ts, in SQL). */
export async function recordsVisible(db: Kysely<DB>, actor: Actor, schools: readonly number[]): Promise<Set<number>> {
  if (schools.length === 0) return new Set();
  const rows = await sql<{ id: string }>`select v.id from (${visibleSchools(actor, 'activity_records')}) v where v.id = any(${[...schools]}::bigint[])`.execute(db);
  return new Set(rows.rows.map((r) => Number(r.id)));
}

/** The activity-type codes in the order the tie kernel numbers them (`kind`, see loadEventLog). */
export async function activityKinds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('activity_type').select('code').orderBy('code').execute();
  return rows.map((r) => r.code);
}

/**
 * Pairs of `schools` that share a network on the date, with how many networks they share: the
 * register's own collaboration structure (trusts, federations, clusters). One row per pair, a < b.
 */
export async function sharedMemberships(db: Kysely<DB>, schools: readonly number[], at: string): Promise<{ a: Int32Array; b: Int32Array; shared: Float64Array }> {
  if (schools.length < 2) return { a: new Int32Array(0), b: new Int32Array(0), shared: new Float64Array(0) };
  const r = await sql<{ text: string | null }>`
    with m as (
      select distinct m.network_id, m.school_id from membership m
      where m.school_id = any(${[...schools]}::bigint[]) and ${memberOn('m', at)}
    )
    select string_agg(concat_ws(',', a, b, n), ';') as text from (
      select x.school_id as a, y.school_id as b, count(*) as n
      from m x join m y on x.network_id = y.network_id and x.school_id < y.school_id
      group by x.school_id, y.school_id
    ) p`.execute(db);
  const text = r.rows[0]?.text ?? '';
  const parts = text === '' ? [] : text.split(';');
  const a = new Int32Array(parts.length);
  const b = new Int32Array(parts.length);
  const shared = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    const [x, y, n] = p.split(',');
    a[i] = Number(x);
    b[i] = Number(y);
    shared[i] = Number(n);
  });
  return { a, b, shared };
}
