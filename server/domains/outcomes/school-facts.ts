import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';

/**
 * Facts about a school that files other than the register carry (coordinates, inspections,
 * pupil context). Every write here only improves what is stored: a fill never replaces a value,
 * an inspection only replaces an older one, context only a year that is older. So files can be
 * loaded in any order and a re-import changes nothing.
 *
 * All three take whole files at once and send one array per column (unnest): a 16,000-school
 * update is one statement.
 */

type Trx = Transaction<DB>;

/** School columns an import may fill, with their SQL types (migrations/0001_registry.sql). */
const fillable = {
  name: 'text',
  phase: 'text',
  school_type: 'text',
  type_label: 'text',
  religious_character: 'text',
  gender_intake: 'text',
  la_code: 'integer',
  la_name: 'text',
  region: 'text',
  street: 'text',
  town: 'text',
  postcode: 'text',
  latitude: 'double precision',
  longitude: 'double precision',
  easting: 'integer',
  northing: 'integer',
  age_low: 'integer',
  age_high: 'integer',
  urban_rural: 'text',
  status: 'text',
  opened_on: 'date',
  closed_on: 'date',
} as const;
export type FillableColumn = keyof typeof fillable;
export type SchoolFill = { urn: number; inspection?: InspectionFact | null } & { [C in FillableColumn]?: string | number | null };

const col = (name: string) => sql.id(name);
const array = <T>(rows: T[], pick: (r: T) => unknown, type: string) => sql`${rows.map((r) => pick(r) ?? null)}::${sql.raw(type)}[]`;
const appendSource = (source: string) =>
  sql`sources = case when ${source} = any(s.sources) then s.sources else array_append(s.sources, ${source}::text) end`;

/**
 * Sets each given column where the school has nothing yet, and records the row's inspection
 * where it is newer than the stored one (the same rule as applyLatestInspections, in the same
 * statement, so each school is rewritten once). Schools not in the register are left alone
 * (outcome files name closed and renumbered URNs). Returns how many schools changed.
 */
export async function fillSchoolFields(trx: Trx, rows: SchoolFill[], source: string): Promise<number> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c): c is FillableColumn => c in fillable);
  const inspected = rows.some((r) => r.inspection);
  if (rows.length === 0 || (columns.length === 0 && !inspected)) return 0;
  const params = [array(rows, (r) => r.urn, 'integer'), ...columns.map((c) => array(rows, (r) => r[c], fillable[c]))];
  const names = ['urn', ...columns];
  const sets: RawBuilder<unknown>[] = columns.map((c) => sql`${col(c)} = coalesce(s.${col(c)}, v.${col(c)})`);
  const changes = columns.map((c) => sql`(s.${col(c)} is null and v.${col(c)} is not null)`);
  if (inspected) {
    params.push(array(rows, (r) => r.inspection?.grade, 'text'), array(rows, (r) => r.inspection?.inspectedOn, 'date'));
    names.push('grade', 'inspected_on');
    const newer = sql`(v.inspected_on is not null and (s.inspection_date is null or s.inspection_date < v.inspected_on))`;
    sets.push(
      sql`inspection_grade = case when ${newer} then v.grade else s.inspection_grade end`,
      sql`inspection_date = case when ${newer} then v.inspected_on else s.inspection_date end`,
    );
    changes.push(newer);
  }
  const result = await sql`
    update school as s set ${sql.join([...sets, appendSource(source), sql`updated_at = now()`])}
    from unnest(${sql.join(params)}) as v(${sql.join(names.map(col))})
    where s.urn = v.urn and (${sql.join(changes, sql` or `)})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export type InspectionFact = { urn: number; grade: string; inspectedOn: string };

/**
 * Records each school's latest inspection where it is newer than the stored one (or none is
 * stored). Several inspections of a school may be passed; the latest counts.
 */
export async function applyLatestInspections(trx: Trx, inspections: InspectionFact[], source: string): Promise<number> {
  const latest = new Map<number, InspectionFact>();
  for (const i of inspections) {
    const seen = latest.get(i.urn);
    if (!seen || seen.inspectedOn < i.inspectedOn) latest.set(i.urn, i);
  }
  const rows = [...latest.values()];
  if (rows.length === 0) return 0;
  const result = await sql`
    update school as s
    set inspection_grade = v.grade, inspection_date = v.inspected_on, ${appendSource(source)}, updated_at = now()
    from unnest(${array(rows, (r) => r.urn, 'integer')}, ${array(rows, (r) => r.grade, 'text')}, ${array(rows, (r) => r.inspectedOn, 'date')})
      as v(urn, grade, inspected_on)
    where s.urn = v.urn and (s.inspection_date is null or s.inspection_date < v.inspected_on)`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * A school's context figures for one academic year. fsm_pct is the share of pupils eligible
 * for free school meals now (the register's PercentageFSM), not the "ever in 6 years" measure.
 */
export type SchoolContext = {
  urn: number;
  contextYear: string;
  pupilRoll: number | null;
  fsmPct: number | null;
  senPct?: number | null;
  ealPct?: number | null;
};

/**
 * Replaces the four context figures when the source's year is newer than the stored
 * context_year (or none is stored), so the figures shown always describe one year together; for
 * the same year it only fills gaps. Returns how many schools changed.
 */
export async function applySchoolContext(trx: Trx, rows: SchoolContext[], source: string): Promise<number> {
  if (rows.length === 0) return 0;
  const newer = sql`(s.context_year is null or s.context_year < v.context_year)`;
  const figures = ['pupil_roll', 'fsm_pct', 'sen_pct', 'eal_pct'] as const;
  const sets = figures.map((f) => sql`${col(f)} = case when ${newer} then v.${col(f)} else coalesce(s.${col(f)}, v.${col(f)}) end`);
  const gaps = figures.map((f) => sql`(s.${col(f)} is null and v.${col(f)} is not null)`);
  const result = await sql`
    update school as s
    set ${sql.join([...sets, sql`context_year = v.context_year`, appendSource(source), sql`updated_at = now()`])}
    from unnest(
      ${array(rows, (r) => r.urn, 'integer')}, ${array(rows, (r) => r.contextYear, 'text')},
      ${array(rows, (r) => r.pupilRoll, 'integer')}, ${array(rows, (r) => r.fsmPct, 'numeric')},
      ${array(rows, (r) => r.senPct, 'numeric')}, ${array(rows, (r) => r.ealPct, 'numeric')}
    ) as v(urn, context_year, pupil_roll, fsm_pct, sen_pct, eal_pct)
    where s.urn = v.urn and (${newer} or (s.context_year = v.context_year and (${sql.join(gaps, sql` or `)})))`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** How many distinct URNs the register does not know. */
export async function countUnknownSchools(trx: Trx, urns: number[]): Promise<number> {
  const distinct = [...new Set(urns)];
  if (distinct.length === 0) return 0;
  const result = await sql<{ n: number }>`
    select count(*)::int as n from unnest(${distinct}::integer[]) as u(urn)
    where not exists (select 1 from school s where s.urn = u.urn)`.execute(trx);
  return Number(result.rows[0]?.n ?? 0);
}
