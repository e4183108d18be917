import { type Kysely, sql } from 'kysely';
import type { OutcomeMeasure } from '../../../common/evaluation.ts';
import type { DB } from '../../db/database.ts';

/**
 * The data evaluation and benchmarking read: every school's register row and context, published
 * school-year figures of one measure, and uploaded pupil results. Reads only; who may see what is
 * decided by the services that call these.
 */

export type SchoolRow = {
  id: number;
  urn: number | null;
  name: string;
  phase: string | null;
  schoolType: string | null;
  typeLabel: string | null;
  gender: string | null;
  laName: string | null;
  status: string;
  openedOn: string | null;
  closedOn: string | null;
  latitude: number | null;
  longitude: number | null;
  roll: number | null;
  fsmPct: number | null;
  senPct: number | null;
  ealPct: number | null;
  contextYear: string | null;
  inspectionGrade: string | null;
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Every school in the register (open and closed: a school open at the baseline may have closed since). */
export async function loadSchools(db: Kysely<DB>): Promise<SchoolRow[]> {
  const rows = await db
    .selectFrom('school')
    .select([
      'id',
      'urn',
      'name',
      'phase',
      'school_type',
      'type_label',
      'gender_intake',
      'la_name',
      'status',
      'opened_on',
      'closed_on',
      'latitude',
      'longitude',
      'pupil_roll',
      'fsm_pct',
      'sen_pct',
      'eal_pct',
      'context_year',
      'inspection_grade',
    ])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    urn: r.urn,
    name: r.name,
    phase: r.phase,
    schoolType: r.school_type,
    typeLabel: r.type_label,
    gender: r.gender_intake,
    laName: r.la_name,
    status: r.status,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    latitude: num(r.latitude),
    longitude: num(r.longitude),
    roll: num(r.pupil_roll),
    fsmPct: num(r.fsm_pct),
    senPct: num(r.sen_pct),
    ealPct: num(r.eal_pct),
    contextYear: r.context_year,
    inspectionGrade: r.inspection_grade,
  }));
}

/** A school was open at some point of the academic year starting in September of `startYear`. */
export function openDuring(s: SchoolRow, startYear: number): boolean {
  const from = `${startYear}-09-01`;
  const to = `${startYear + 1}-08-31`;
  if (s.openedOn && s.openedOn > to) return false;
  if (s.closedOn && s.closedOn < from) return false;
  if (!s.closedOn && s.status === 'closed') return false;
  return true;
}

/**
 * One measure's published figure per school and year: `values.get(urn)?.get("2016/17")`. Where a
 * year has several releases the most final one that gives the figure wins (final, then revised,
 * then provisional), so a figure only the provisional file carries is still used.
 */
export async function loadMeasure(db: Kysely<DB>, measure: OutcomeMeasure): Promise<{ values: Map<number, Map<string, number>>; years: string[] }> {
  const { table, column } = measure.source;
  // Absence has one release a year (nothing to rank: a repeat of a key column keeps the SQL valid,
  // where a bare constant would be read as a column position); the performance tables have up to three.
  const releaseRank = table === 'school_absence' ? sql`academic_year` : sql`case release when 'final' then 0 when 'revised' then 1 else 2 end`;
  const rows = await sql<{ urn: number; academic_year: string; value: number }>`
    select distinct on (urn, academic_year) urn, academic_year, ${sql.ref(column)}::float8 as value
    from ${sql.table(table)}
    where ${sql.ref(column)} is not null
    order by urn, academic_year, ${releaseRank}`.execute(db);
  const values = new Map<number, Map<string, number>>();
  const years = new Set<string>();
  for (const r of rows.rows) {
    const urn = Number(r.urn);
    const byYear = values.get(urn) ?? new Map<string, number>();
    values.set(urn, byYear);
    byYear.set(r.academic_year, Number(r.value));
    years.add(r.academic_year);
  }
  return { values, years: [...years].sort() };
}

export type PupilRow = { schoolId: number; pupilRef: string; score: number; female: number | null; ageMonths: number | null; fsm: number | null; sen: number | null };

/** Uploaded pupil results of some schools in one year and subject. */
export async function loadPupilResults(db: Kysely<DB>, schoolIds: number[], academicYear: string, subject: string): Promise<PupilRow[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .selectFrom('pupil_result')
    .select(['school_id', 'pupil_ref', 'score', 'sex', 'age_months', 'fsm', 'sen'])
    .where('school_id', 'in', schoolIds)
    .where('academic_year', '=', academicYear)
    .where('subject', '=', subject)
    .orderBy('school_id')
    .orderBy('pupil_ref')
    .execute();
  const flag = (b: boolean | null) => (b === null ? null : b ? 1 : 0);
  return rows.map((r) => ({
    schoolId: Number(r.school_id),
    pupilRef: r.pupil_ref,
    score: Number(r.score),
    female: r.sex === null ? null : r.sex === 'F' ? 1 : 0,
    ageMonths: r.age_months,
    fsm: flag(r.fsm),
    sen: flag(r.sen),
  }));
}

/** Which (school, year, subject) cells have uploaded pupil results, with their pupil counts. */
export async function pupilCoverage(db: Kysely<DB>, schoolIds: number[]): Promise<{ schoolId: number; academicYear: string; subject: string; pupils: number }[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .selectFrom('pupil_result')
    .select(['school_id', 'academic_year', 'subject', db.fn.countAll<number>().as('pupils')])
    .where('school_id', 'in', schoolIds)
    .groupBy(['school_id', 'academic_year', 'subject'])
    .execute();
  return rows.map((r) => ({ schoolId: Number(r.school_id), academicYear: r.academic_year, subject: r.subject, pupils: Number(r.pupils) }));
}

const earthKm = 6371.0088;
const rad = Math.PI / 180;

/**
 * For each school with coordinates, how many other schools open in `startYear` lie within `km`
 * (great-circle distance). A proxy for how urban a school's area is, used because the loaded
 * register has no rural–urban classification: a village school has few neighbours, a city school
 * dozens. Grid buckets of `km` keep it near-linear (27k schools in well under a second).
 */
export function nearbySchoolCounts(schools: readonly SchoolRow[], startYear: number, km = 5): Float64Array {
  const out = new Float64Array(schools.length).fill(Number.NaN);
  const cellDeg = km / 111; // a degree of latitude is ~111 km
  const grid = new Map<string, number[]>();
  const open = schools.map((s) => openDuring(s, startYear) && s.latitude !== null && s.longitude !== null);
  for (let i = 0; i < schools.length; i++) {
    if (!open[i]) continue;
    const s = schools[i]!;
    const key = `${Math.floor(s.latitude! / cellDeg)}:${Math.floor(s.longitude! / cellDeg)}`;
    const cell = grid.get(key);
    if (cell) cell.push(i);
    else grid.set(key, [i]);
  }
  for (let i = 0; i < schools.length; i++) {
    const s = schools[i]!;
    if (s.latitude === null || s.longitude === null) continue;
    const la = s.latitude;
    const lo = s.longitude;
    // Longitude cells shrink with cos(latitude): widen the search so no neighbour is missed.
    const lonSpan = Math.ceil(1 / Math.max(Math.cos(la * rad), 0.1));
    const cy = Math.floor(la / cellDeg);
    const cx = Math.floor(lo / cellDeg);
    let n = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -lonSpan; dx <= lonSpan; dx++) {
        const cell = grid.get(`${cy + dy}:${cx + dx}`);
        if (!cell) continue;
        for (const j of cell) {
          if (j === i) continue;
          const t = schools[j]!;
          const dLat = (t.latitude! - la) * rad;
          const dLon = (t.longitude! - lo) * rad;
          const h = Math.sin(dLat / 2) ** 2 + Math.cos(la * rad) * Math.cos(t.latitude! * rad) * Math.sin(dLon / 2) ** 2;
          if (2 * earthKm * Math.asin(Math.min(1, Math.sqrt(h))) <= km) n++;
        }
      }
    }
    out[i] = n;
  }
  return out;
}
