import { type Kysely, sql } from 'kysely';
import { againstTheOdds } from '../../../analytics/benchmarking/index.ts';
import { type FocusArea, FocusArea as FocusAreas } from '../../../common/brokering.ts';
import { measureByCode, type OutcomeMeasure, yearStart } from '../../../common/evaluation.ts';
import type { DB } from '../../db/database.ts';
// The register and published figures as the evaluation domain reads them (its index.ts does not
// export these readers); one reading of "a school's context" for benchmarking and brokering.
import { loadMeasure, loadSchools, nearbySchoolCounts, openDuring, type SchoolRow } from '../evaluation/school-data.ts';

/**
 * Data-derived strengths and needs of every school, per focus area, in standard deviations.
 *
 * THE RULE (docs/brokering.md, "Derived strengths").
 * 1. For each published measure behind a focus area (`derivedFocus`), and each of its three
 *    latest years, the figure is regressed on context across every school that has it —
 *    % FSM, % SEN, % EAL and log(roll), an intercept added — by OLS (analytics/benchmarking
 *    `againstTheOdds`, the evaluation domain's "against the odds" model). A school's
 *    internally studentised residual r = e / (σ̂ √(1 − h)) says how many SDs it does better
 *    (or worse) than schools with its intake usually do: its result *relative to similar
 *    schools*. For a measure where lower is better (absence) the sign is turned.
 * 2. The measure's value for a school is the mean of its residuals over those years (one
 *    year is noisy for a small school; three is the span Ofsted and the DfE read trends over).
 * 3. The focus area's derived value is the mean over the area's measures the school has.
 *    Leadership reads the latest inspection grade instead: outstanding 4, good 3, requires
 *    improvement 2, inadequate 1, standardised over open schools that have a grade.
 * 4. Reading it: ≥ +0.5 a strength, ≤ −0.5 a need, else typical; NaN where nothing is known.
 *
 * Cached per generation of the register and of the outcome tables, like the benchmarking index.
 */

/** A focus area's published evidence: measure codes (common/evaluation.ts), or the inspection grade. */
export const derivedFocus: Partial<Record<FocusArea, { measures: readonly string[] } | { inspection: true }>> = {
  reading: { measures: ['ks2_read_progress', 'ks2_read_expected'] },
  writing: { measures: ['ks2_write_progress', 'ks2_write_expected'] },
  maths: { measures: ['ks2_maths_progress', 'ks2_maths_expected', 'ks4_basics_94'] },
  english: { measures: ['ks2_read_progress', 'ks2_write_progress', 'ks4_basics_94'] },
  primary: { measures: ['ks2_rwm_expected'] },
  secondary: { measures: ['ks4_progress8', 'ks4_attainment8'] },
  attendance: { measures: ['overall_absence', 'persistent_absence'] },
  leadership: { inspection: true },
};

/** Focus areas Trellis can read from data, in vocabulary order. */
export const derivedAreas = (FocusAreas.codes as readonly FocusArea[]).filter((a) => derivedFocus[a] !== undefined);

/** Thresholds of the reading (rule 4). */
export const strengthAt = 0.5;
export const needAt = -0.5;
/** Years of a measure averaged (rule 2). */
export const yearsAveraged = 3;

/** Context columns of the kernel's context-similarity factor, in order (z-scores over open schools). */
export const contextFeatures = [
  { name: 'log_roll', label: 'Number on roll (log)' },
  { name: 'fsm_pct', label: '% FSM' },
  { name: 'sen_pct', label: '% SEN' },
  { name: 'eal_pct', label: '% EAL' },
  { name: 'log_nearby', label: 'Schools within 5 km (log)' },
] as const;

/** One measure's derived residuals: per register row, the mean residual and the years it rests on. */
export type MeasureStrength = { code: string; label: string; z: Float64Array; years: string[]; yearsOf: (row: number) => string[] };

export type Register = {
  schools: SchoolRow[];
  byId: Map<number, number>;
  /** 1 where the school is open today. */
  open: Uint8Array;
  latitude: Float64Array;
  longitude: Float64Array;
  /** n × p row-major z-scores of `contextFeatures`; NaN where the figure is missing. */
  context: Float64Array;
  p: number;
  /** Per focus area with data: the derived value per register row (NaN unknown). Lazily filled. */
  strength: (area: FocusArea) => Float64Array;
  /** The measures behind an area, with per-school years (lazily filled). */
  measures: (area: FocusArea) => MeasureStrength[];
  /** Bit a of row i is set when school i's derived value in `derivedAreas[a]` is a need (≤ needAt). */
  needMask: () => Uint32Array;
};

type Cache = { key: string; today: string; register: Register };
/** Per database (tests open several), the register of the last data generation seen. */
const caches = new WeakMap<Kysely<DB>, Cache>();

async function stamp(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ s: string }>`
    select concat_ws(':', (select count(*) from school), (select max(updated_at) from school),
      (select count(*) from ks2_result), (select count(*) from ks4_result), (select count(*) from school_absence)) as s`.execute(db);
  return r.rows[0]?.s ?? '';
}

const gradeScore: Record<string, number> = { outstanding: 4, good: 3, requires_improvement: 2, inadequate: 1 };

const openOn = (s: SchoolRow, today: string) => s.status !== 'closed' && (s.closedOn === null || s.closedOn > today) && (s.openedOn === null || s.openedOn <= today);

/**
 * Column-wise z-scores over the rows where `use` is 1: (x − mean) / sd (divisor n − 1). A
 * missing figure stays NaN (the kernel compares only the features two schools both have); a
 * column without spread is 0 throughout.
 */
function standardise(values: Float64Array[], use: Uint8Array): Float64Array {
  const n = use.length;
  const p = values.length;
  const out = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = values[j]!;
    let m = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (use[i] && Number.isFinite(col[i]!)) {
        m += col[i]!;
        c++;
      }
    }
    m = c > 0 ? m / c : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) if (use[i] && Number.isFinite(col[i]!)) ss += (col[i]! - m) ** 2;
    const sd = c > 1 ? Math.sqrt(ss / (c - 1)) : 0;
    for (let i = 0; i < n; i++) out[i * p + j] = !Number.isFinite(col[i]!) ? Number.NaN : sd > 0 ? (col[i]! - m) / sd : 0;
  }
  return out;
}

/** The register arrays and lazily derived strengths, cached per data generation and day. */
export async function loadRegister(db: Kysely<DB>, today: string): Promise<Register> {
  const key = await stamp(db);
  const cache = caches.get(db);
  if (cache && cache.key === key && cache.today === today) return cache.register;
  const schools = await loadSchools(db);
  const n = schools.length;
  const year = Math.max(...schools.map((s) => (s.contextYear ? yearStart(s.contextYear) : 0)), 2018);
  const nearby = nearbySchoolCounts(schools, year);
  const open = Uint8Array.from(schools, (s) => (openOn(s, today) ? 1 : 0));
  const col = (f: (s: SchoolRow, i: number) => number | null) => Float64Array.from(schools, (s, i) => f(s, i) ?? Number.NaN);
  const context = standardise(
    [
      col((s) => (s.roll === null ? null : Math.log1p(s.roll))),
      col((s) => s.fsmPct),
      col((s) => s.senPct),
      col((s) => s.ealPct),
      col((_s, i) => (Number.isFinite(nearby[i]!) ? Math.log1p(nearby[i]!) : null)),
    ],
    open,
  );
  const measureCache = new Map<string, Promise<MeasureStrength>>();
  const measureOf = (code: string) => {
    let m = measureCache.get(code);
    if (!m) {
      m = deriveMeasure(db, schools, measureByCode.get(code)!);
      measureCache.set(code, m);
    }
    return m;
  };
  const strengths = new Map<FocusArea, Float64Array>();
  const measures = new Map<FocusArea, MeasureStrength[]>();
  let mask: Uint32Array | null = null;

  // Areas are derived before the register is handed out, so lookups stay synchronous and the
  // first ranking after a data change pays once (about a second over England's register).
  for (const area of derivedAreas) {
    const spec = derivedFocus[area]!;
    if ('inspection' in spec) {
      const g = col((s) => (s.inspectionGrade ? (gradeScore[s.inspectionGrade] ?? null) : null));
      const z = new Float64Array(n).fill(Number.NaN);
      const std = standardise([g], open);
      for (let i = 0; i < n; i++) if (Number.isFinite(g[i]!)) z[i] = std[i]!;
      strengths.set(area, z);
      measures.set(area, []);
      continue;
    }
    const list = await Promise.all(spec.measures.map(measureOf));
    const z = new Float64Array(n).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let c = 0;
      for (const m of list) {
        const v = m.z[i]!;
        if (Number.isFinite(v)) {
          sum += v;
          c++;
        }
      }
      if (c > 0) z[i] = sum / c;
    }
    strengths.set(area, z);
    measures.set(area, list);
  }
  const register: Register = {
    schools,
    byId: new Map(schools.map((s, i) => [s.id, i])),
    open,
    latitude: col((s) => s.latitude),
    longitude: col((s) => s.longitude),
    context,
    p: contextFeatures.length,
    strength: (area) => strengths.get(area) ?? new Float64Array(n).fill(Number.NaN),
    measures: (area) => measures.get(area) ?? [],
    needMask: () => {
      if (mask) return mask;
      mask = new Uint32Array(n);
      derivedAreas.forEach((area, a) => {
        const z = strengths.get(area)!;
        for (let i = 0; i < n; i++) if (z[i]! <= needAt) mask![i]! |= 1 << a;
      });
      return mask;
    },
  };
  caches.set(db, { key, today, register });
  return register;
}

/**
 * Rules 1–2 for one measure: per year (the latest `yearsAveraged`), the studentised residual of
 * the figure on context; per school, their mean (sign turned where lower is better).
 */
async function deriveMeasure(db: Kysely<DB>, schools: SchoolRow[], m: OutcomeMeasure): Promise<MeasureStrength> {
  const n = schools.length;
  const { values, years } = await loadMeasure(db, m);
  const recent = years.slice(-yearsAveraged);
  const sum = new Float64Array(n);
  const count = new Uint8Array(n);
  const seen = recent.map(() => new Uint8Array(n));
  const sign = m.better === 'lower' ? -1 : 1;
  recent.forEach((year, y) => {
    const start = yearStart(year);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = schools[i]!;
      if (s.urn !== null && values.get(s.urn)?.get(year) !== undefined && openDuring(s, start)) rows.push(i);
    }
    const column = (f: (s: SchoolRow) => number | null) => Float64Array.from(rows, (i) => f(schools[i]!) ?? Number.NaN);
    // As in the evaluation domain: a context column most schools lack, or that never varies, is left out; % FSM stays.
    const context = [
      { name: 'fsm_pct', values: column((s) => s.fsmPct) },
      { name: 'sen_pct', values: column((s) => s.senPct) },
      { name: 'eal_pct', values: column((s) => s.ealPct) },
      { name: 'log_roll', values: column((s) => (s.roll === null ? null : Math.log1p(s.roll))) },
    ].filter((c) => {
      const present = Array.from(c.values).filter(Number.isFinite);
      return c.name === 'fsm_pct' || (present.length >= rows.length / 2 && present.some((v) => v !== present[0]));
    });
    const complete = rows.filter((_, r) => context.every((c) => Number.isFinite(c.values[r]!))).length;
    if (complete < context.length + 3) return;
    let fit: ReturnType<typeof againstTheOdds>;
    try {
      fit = againstTheOdds({
        ids: Int32Array.from(rows, (i) => schools[i]!.id),
        attainment: Float64Array.from(rows, (i) => values.get(schools[i]!.urn!)!.get(year)!),
        context,
        disadvantage: 'fsm_pct',
      });
    } catch {
      // Collinear or degenerate context (a tiny test register): the year says nothing.
      return;
    }
    rows.forEach((i, r) => {
      const v = fit.standardisedResidual[r]!;
      if (Number.isFinite(v)) {
        sum[i]! += sign * v;
        count[i]!++;
        seen[y]![i] = 1;
      }
    });
  });
  const z = Float64Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : Number.NaN));
  return { code: m.code, label: m.label, z, years: recent, yearsOf: (row) => recent.filter((_, y) => seen[y]![row] === 1) };
}

/** Strength, need, typical or unknown (rule 4). */
export function reading(z: number): 'strength' | 'need' | 'typical' | 'unknown' {
  if (!Number.isFinite(z)) return 'unknown';
  return z >= strengthAt ? 'strength' : z <= needAt ? 'need' : 'typical';
}

/** Forgets the cached register of `db` (for a caller that changes data within one timestamp tick). */
export function forgetRegister(db: Kysely<DB>): void {
  caches.delete(db);
}
