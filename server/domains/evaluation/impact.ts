/**
 * The impact evaluation's design (DOMAIN.md §7; Muijs et al. ch. 7), run on data already loaded:
 * exact strata and a propensity score, 1:1 (or k:1) nearest-neighbour matching, a balance table
 * before and after, then per outcome and year the treated schools against their comparators
 * (Welch's t, Hedges' g, a regression net of context), a difference in differences against the
 * baseline, comparisons by type of network, and — where pupil results exist — two-level models.
 *
 * Pure: no database, no I/O. evaluation.service.ts loads the units and says who may see what.
 */
import type { ContextFeature, OutcomeMeasure } from '../../../common/evaluation.ts';
import { ContextFeature as featureLabels, yearStart } from '../../../common/evaluation.ts';
import { balanceTable } from '../../../analytics/stats/balance.ts';
import { differenceInDifferences, eventStudy } from '../../../analytics/stats/did.ts';
import { holmAdjust } from '../../../analytics/stats/holm.ts';
import { exactStrata, matchNearestNeighbours, propensityScores } from '../../../analytics/stats/matching.ts';
import { explainedVariance, fitRandomIntercept, type MixedFit } from '../../../analytics/stats/mixed.ts';
import { fitOls } from '../../../analytics/stats/ols.ts';
import { hedgesG, welchTTest } from '../../../analytics/stats/welch.ts';
import type { ExactOn, OutcomeResult } from './evaluation.schema.ts';
import type { PupilRow } from './school-data.ts';

/** One school in the evaluation: treated (a member of an evaluated network) or a candidate comparator. */
export type ImpactUnit = {
  schoolId: number;
  name: string;
  urn: number | null;
  treated: boolean;
  /** Exact-matching attributes. */
  exact: Record<ExactOn, string | null>;
  /** Covariate values (NaN = missing). */
  covariates: Partial<Record<ContextFeature, number>>;
  /** Per measure code, year → figure. */
  outcomes: Map<string, Map<string, number>>;
  /** Types of network the school is treated in (e.g. "performance", "cross_phase"), for by-type comparisons. */
  types: string[];
};

export type ImpactDesign = {
  units: ImpactUnit[];
  covariates: ContextFeature[];
  exact: ExactOn[];
  caliper: number | null;
  ratio: number;
  measures: OutcomeMeasure[];
  baselineYears: string[];
  laterYears: string[];
  typeLabels: Record<string, string>;
  /** Pupil results per year for the two-level models, keyed by year; absent = none. */
  pupils?: { subject: string; byYear: Map<string, PupilRow[]> };
};

type Ref = { schoolId: number; name: string; urn: number | null };
const ref = (u: ImpactUnit): Ref => ({ schoolId: u.schoolId, name: u.name, urn: u.urn });
const finite = (x: number) => (Number.isFinite(x) ? x : null);

export type ImpactResult = {
  propensity: { n: number; terms: { name: string; estimate: number; se: number; p: number }[]; separation: string; dropped: { schoolId: number; name: string; missing: string[] }[] };
  matching: {
    method: string;
    caliper: number | null;
    ratio: number;
    matched: number;
    unmatched: (Ref & { reason: string })[];
    pairs: { treated: Ref; comparators: (Ref & { distance: number })[] }[];
  };
  balance: { covariate: string; label: string; before: Side; after: Side; flagged: boolean }[];
  outcomes: OutcomeResult[];
  /** Schools matched (treated), for the report's counts. */
  matchedTreated: number;
  strataWithoutControls: number;
};
type Side = { treatedMean: number | null; controlMean: number | null; smd: number | null; varianceRatio: number | null; p: number | null; nTreated: number; nControl: number };

/** Runs the design. Throws a RangeError with a plain message when nothing can be estimated. */
export function runImpact(d: ImpactDesign): ImpactResult {
  const units = d.units;
  const n = units.length;
  const k = d.covariates.length;
  const treated = new Float64Array(n);
  for (let i = 0; i < n; i++) treated[i] = units[i]!.treated ? 1 : 0;
  const x = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const name = d.covariates[j]!;
    for (let i = 0; i < n; i++) x[j * n + i] = units[i]!.covariates[name] ?? Number.NaN;
  }
  // Roll and the count of nearby schools are skewed: their logarithm keeps a few large schools
  // from dominating the score (Stuart 2010, §2 on functional form).
  for (let j = 0; j < k; j++) {
    if (d.covariates[j] !== 'pupil_roll' && d.covariates[j] !== 'nearby_schools') continue;
    for (let i = 0; i < n; i++) x[j * n + i] = Math.log1p(x[j * n + i]!);
  }
  const ps = propensityScores(x, n, k, treated);
  const termNames = ['(intercept)', ...d.covariates.map((c) => (c === 'pupil_roll' || c === 'nearby_schools' ? `log(1 + ${c})` : c))];
  const fit = ps.fit;
  const terms = termNames.map((name, j) => ({ name, estimate: fit.coefficients[j] ?? Number.NaN, se: fit.se[j] ?? Number.NaN, p: fit.p[j] ?? Number.NaN }));
  const dropped = ps.incomplete
    .filter((i) => units[i]!.treated)
    .map((i) => ({ schoolId: units[i]!.schoolId, name: units[i]!.name, missing: d.covariates.filter((c) => !Number.isFinite(units[i]!.covariates[c] ?? Number.NaN)) }));

  const stratum = exactStrata(...d.exact.map((e) => units.map((u) => u.exact[e] ?? 'unknown')));
  const match = matchNearestNeighbours({ score: ps.logit, treated, stratum: d.exact.length > 0 ? stratum : undefined, ratio: d.ratio, caliper: d.caliper, replace: false, order: 'largest' });
  const pairs = match.matches.map((m) => ({ treated: ref(units[m.treated]!), comparators: m.controls.map((c, i) => ({ ...ref(units[c]!), distance: m.distances[i]! })) }));
  const unmatched = match.unmatched.map((u) => ({ ...ref(units[u.unit]!), reason: u.reason }));

  const balanceRows = balanceTable({
    covariates: d.covariates.map((c, j) => ({ name: c, values: x.subarray(j * n, (j + 1) * n) })),
    treated,
    weights: match.weights,
    stratum: d.exact.length > 0 ? stratum : undefined,
  });
  const side = (s: (typeof balanceRows)[number]['before']): Side => ({
    treatedMean: finite(s.treatedMean),
    controlMean: finite(s.controlMean),
    smd: finite(s.smd),
    varianceRatio: finite(s.varianceRatio),
    p: finite(s.test.p),
    nTreated: s.nTreated,
    nControl: s.nControl,
  });
  const balance = balanceRows.map((r, j) => ({
    covariate: r.name,
    label: `${featureLabels[d.covariates[j]!]}${d.covariates[j] === 'pupil_roll' || d.covariates[j] === 'nearby_schools' ? ' (log scale)' : ''}`,
    before: side(r.before),
    after: side(r.after),
    flagged: r.after.flags.any,
  }));

  const outcomes = d.measures.map((m) => compareOutcome(d, m, match.matches));
  return {
    propensity: { n: n - ps.incomplete.length, terms, separation: ps.separation, dropped },
    matching: {
      method: `Exact on ${d.exact.length ? d.exact.join(', ') : 'nothing'}; nearest neighbour on the logit of the propensity score, ${d.ratio}:1 without replacement, largest score first${d.caliper === null ? ', no caliper' : `, caliper ${d.caliper} SD (${match.caliperWidth?.toFixed(3)} on the logit scale)`}`,
      caliper: d.caliper,
      ratio: d.ratio,
      matched: match.matches.length,
      unmatched,
      pairs,
    },
    balance,
    outcomes,
    matchedTreated: match.matches.length,
    strataWithoutControls: match.strata.filter((s) => s.treated > 0 && s.controls === 0).length,
  };
}

type Matches = { treated: number; controls: number[] }[];

function meanSd(values: number[]): { n: number; mean: number | null; sd: number | null } {
  const count = values.length;
  if (count === 0) return { n: 0, mean: null, sd: null };
  const mean = values.reduce((a, b) => a + b, 0) / count;
  if (count < 2) return { n: count, mean, sd: null };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { n: count, mean, sd: Math.sqrt(ss / (count - 1)) };
}

/** Welch's comparison of two groups, or nulls when either has fewer than two schools. */
function compareGroups(a: number[], b: number[]) {
  if (a.length < 2 || b.length < 2) return { difference: null, ci: { low: null, high: null }, t: null, df: null, p: null, g: null, gCi: { low: null, high: null } };
  const w = welchTTest(a, b);
  const g = hedgesG(a, b);
  return {
    difference: w.difference,
    ci: { low: finite(w.ci[0]), high: finite(w.ci[1]) },
    t: finite(w.statistic),
    df: finite(w.df),
    p: finite(w.p),
    g: finite(g.g),
    gCi: { low: finite(g.ci[0]), high: finite(g.ci[1]) },
  };
}

function compareOutcome(d: ImpactDesign, m: OutcomeMeasure, matches: Matches): OutcomeResult {
  const units = d.units;
  const figureOf = (i: number, year: string) => units[i]!.outcomes.get(m.code)?.get(year) ?? Number.NaN;
  // Years with no figure for any school (a measure not published that year) are left out.
  const years = [...d.baselineYears.map((y) => ({ y, period: 'baseline' as const })), ...d.laterYears.map((y) => ({ y, period: 'later' as const }))].filter(({ y }) =>
    units.some((_, i) => Number.isFinite(figureOf(i, y))),
  );
  const rows = years.map(({ y, period }) => {
    const a: number[] = [];
    const b: number[] = [];
    // Regression net of context on the matched schools with a figure this year.
    const regUnits: number[] = [];
    for (const match of matches) {
      const vt = figureOf(match.treated, y);
      if (Number.isFinite(vt)) {
        a.push(vt);
        regUnits.push(match.treated);
      }
      for (const c of match.controls) {
        const vc = figureOf(c, y);
        if (Number.isFinite(vc)) {
          b.push(vc);
          regUnits.push(c);
        }
      }
    }
    const cmp = compareGroups(a, b);
    return { year: y, period, treated: meanSd(a), comparison: meanSd(b), ...cmp, adjusted: adjustedDifference(d, regUnits, y, m.code) };
  });
  const later = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.period === 'later' && r.p !== null);
  const holm = holmAdjust(later.map(({ r }) => r.p!));
  const pHolm = new Map(later.map(({ i }, j) => [i, holm[j]!]));

  // Difference in differences and the event study over the matched schools' panel.
  const panel = { y: [] as number[], unit: [] as number[], treated: [] as number[], post: [] as number[], year: [] as number[] };
  const inMatch = new Set(matches.flatMap((mm) => [mm.treated, ...mm.controls]));
  for (const i of inMatch) {
    for (const { y, period } of years) {
      const v = figureOf(i, y);
      if (!Number.isFinite(v)) continue;
      panel.y.push(v);
      panel.unit.push(units[i]!.schoolId);
      panel.treated.push(units[i]!.treated ? 1 : 0);
      panel.post.push(period === 'later' ? 1 : 0);
      panel.year.push(yearStart(y));
    }
  }
  let did: OutcomeResult['did'] = null;
  let events: OutcomeResult['eventStudy'] = [];
  const cellsOk = (t: number, p: number) => panel.y.some((_, i) => panel.treated[i] === t && panel.post[i] === p);
  if (d.baselineYears.length > 0 && d.laterYears.length > 0 && cellsOk(1, 0) && cellsOk(1, 1) && cellsOk(0, 0) && cellsOk(0, 1) && new Set(panel.unit).size > 3) {
    try {
      const r = differenceInDifferences({ y: panel.y, unit: panel.unit, treated: panel.treated, post: panel.post });
      did = {
        estimate: r.estimate,
        se: r.se,
        ci: { low: finite(r.ci[0]), high: finite(r.ci[1]) },
        p: r.pT,
        pairs: matches.length,
        baselineMean: { treated: finite(r.cells.treatedPre.mean), comparison: finite(r.cells.controlPre.mean) },
        laterMean: { treated: finite(r.cells.treatedPost.mean), comparison: finite(r.cells.controlPost.mean) },
      };
      const es = eventStudy({ y: panel.y, unit: panel.unit, treated: panel.treated, year: panel.year, baselineYears: d.baselineYears.map(yearStart) });
      const esHolm = holmAdjust(es.years.map((e) => e.pT));
      events = es.years.map((e, i) => ({ year: `${e.year}/${String((e.year + 1) % 100).padStart(2, '0')}`, estimate: e.estimate, se: e.se, ci: { low: finite(e.ci[0]), high: finite(e.ci[1]) }, p: e.pT, pHolm: finite(esHolm[i]!) }));
    } catch {
      // A singular design (e.g. every comparator lacks the later years): reported as not estimable.
      did = null;
      events = [];
    }
  }

  // By type of network: the treated schools of each type against their own comparators.
  const types = [...new Set(matches.flatMap((mm) => units[mm.treated]!.types))].sort();
  const byType = types.map((type) => {
    const mine = matches.filter((mm) => units[mm.treated]!.types.includes(type));
    return {
      type,
      label: d.typeLabels[type] ?? type,
      years: years.map(({ y }) => {
        const a = mine.map((mm) => figureOf(mm.treated, y)).filter(Number.isFinite);
        const b = mine.flatMap((mm) => mm.controls.map((c) => figureOf(c, y))).filter(Number.isFinite);
        const c = compareGroups(a, b);
        return { year: y, nTreated: a.length, nComparison: b.length, difference: c.difference, ci: c.ci, p: c.p };
      }),
    };
  });

  const multilevel = d.pupils ? multilevelModels(d, matches) : [];
  const multilevelNote = !d.pupils
    ? 'Two-level models need pupil-level results: choose a subject of uploaded pupil results to fit them.'
    : multilevel.length === 0
      ? 'No year had uploaded pupil results for at least two treated and two comparison schools that you may read.'
      : null;
  return {
    measure: m.code,
    label: m.label,
    unit: m.unit,
    better: m.better,
    years: rows.map((r, i) => ({
      year: r.year,
      period: r.period,
      treated: r.treated,
      comparison: r.comparison,
      difference: r.difference,
      ci: r.ci,
      t: r.t,
      df: r.df,
      p: r.p,
      pHolm: pHolm.get(i) ?? null,
      hedgesG: r.g,
      hedgesGCi: r.gCi,
      adjusted: r.adjusted,
    })),
    did,
    eventStudy: events,
    byType,
    multilevel,
    multilevelNote,
  };
}

/**
 * The treated–comparison difference net of the covariates: OLS of the figure on membership and
 * the covariates over the matched schools with a figure (HC1 SEs; MacKinnon & White 1985). Null
 * when there are too few schools for the model (fewer than covariates + 4).
 */
function adjustedDifference(d: ImpactDesign, unitsIn: number[], year: string, measure: string) {
  const rows = unitsIn.filter((i) => d.covariates.every((c) => Number.isFinite(d.units[i]!.covariates[c] ?? Number.NaN)));
  const n = rows.length;
  const k = d.covariates.length + 2;
  if (n < k + 2) return null;
  const hasBoth = rows.some((i) => d.units[i]!.treated) && rows.some((i) => !d.units[i]!.treated);
  if (!hasBoth) return null;
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  rows.forEach((i, r) => {
    const u = d.units[i]!;
    x[r] = 1;
    x[n + r] = u.treated ? 1 : 0;
    d.covariates.forEach((c, j) => {
      const v = u.covariates[c]!;
      x[(j + 2) * n + r] = c === 'pupil_roll' || c === 'nearby_schools' ? Math.log1p(v) : v;
    });
    y[r] = u.outcomes.get(measure)?.get(year) ?? Number.NaN;
  });
  try {
    const fit = fitOls({ x, n, k, y });
    const est = fit.coefficients[1]!;
    const se = fit.hc1.se[1]!;
    if (!Number.isFinite(se)) return null;
    const z = 1.959963984540054;
    return { estimate: est, se, ci: { low: est - z * se, high: est + z * se }, p: fit.hc1.p[1]!, n };
  } catch {
    return null; // collinear covariates among few schools: not estimable
  }
}

const mixedSide = (fit: MixedFit, names: string[]) => ({
  terms: names.map((name, j) => ({ name, estimate: fit.coefficients[j]!, se: fit.se[j]!, p: fit.p[j]! })),
  sigma2Between: fit.sigma2Between,
  sigma2Within: fit.sigma2Within,
  icc: fit.icc,
  logLik: fit.logLik,
});

/**
 * Per year, the book's two models on pupils within the matched schools (DOMAIN.md §7): a null
 * model (intercept and school random intercept), then a full model adding membership, the
 * school's context (% FSM, % SEN, log roll) and, where every pupil has them, the pupil's sex,
 * FSM and SEN. REML; explained variance per level as DOMAIN.md defines it.
 */
function multilevelModels(d: ImpactDesign, matches: Matches) {
  const out: OutcomeResult['multilevel'] = [];
  const pupils = d.pupils!;
  const inMatch = new Map<number, ImpactUnit>();
  for (const mm of matches) for (const i of [mm.treated, ...mm.controls]) inMatch.set(d.units[i]!.schoolId, d.units[i]!);
  for (const year of [...d.baselineYears, ...d.laterYears]) {
    const rows = (pupils.byYear.get(year) ?? []).filter((p) => inMatch.has(p.schoolId));
    const schools = new Set(rows.map((r) => r.schoolId));
    const treatedSchools = [...schools].filter((s) => inMatch.get(s)!.treated).length;
    if (treatedSchools < 2 || schools.size - treatedSchools < 2) continue;
    // A covariate enters when every school (or pupil) has it and it varies: a constant column
    // would duplicate the intercept.
    const varies = (values: number[]) => values.some((v) => v !== values[0]);
    const schoolCov = (['fsm_pct', 'sen_pct', 'pupil_roll'] as const).filter((c) => {
      const v = [...schools].map((s) => inMatch.get(s)!.covariates[c] ?? Number.NaN);
      return v.every(Number.isFinite) && varies(v);
    });
    const pupilCov = (['female', 'fsm', 'sen'] as const).filter((c) => rows.every((r) => r[c] !== null) && varies(rows.map((r) => r[c]!)));
    const n = rows.length;
    const y = Float64Array.from(rows, (r) => r.score);
    const groups = rows.map((r) => r.schoolId);
    const nullX = new Float64Array(n).fill(1);
    const names = ['(intercept)', 'member of the network', ...schoolCov.map((c) => (c === 'pupil_roll' ? 'log(1 + roll)' : c)), ...pupilCov.map((c) => `pupil ${c}`)];
    const k = names.length;
    const x = new Float64Array(n * k);
    rows.forEach((r, i) => {
      const u = inMatch.get(r.schoolId)!;
      x[i] = 1;
      x[n + i] = u.treated ? 1 : 0;
      schoolCov.forEach((c, j) => {
        const v = u.covariates[c]!;
        x[(2 + j) * n + i] = c === 'pupil_roll' ? Math.log1p(v) : v;
      });
      pupilCov.forEach((c, j) => {
        x[(2 + schoolCov.length + j) * n + i] = r[c]!;
      });
    });
    try {
      const nullFit = fitRandomIntercept({ x: nullX, n, k: 1, y, groups, method: 'reml' });
      const fullFit = fitRandomIntercept({ x, n, k, y, groups, method: 'reml' });
      out.push({
        year,
        subject: pupils.subject,
        pupils: n,
        schools: schools.size,
        null: mixedSide(nullFit, ['(intercept)']),
        full: mixedSide(fullFit, names),
        explained: explainedVariance(nullFit, fullFit),
      });
    } catch {
      // A singular full model (e.g. a covariate constant over these schools): skipped, and the report says which years were fitted.
    }
  }
  return out;
}
