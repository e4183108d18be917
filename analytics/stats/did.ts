/**
 * Difference-in-differences on a school × year panel, with standard errors clustered by school
 * (Angrist & Pischke 2009, Mostly Harmless Econometrics, ch. 5; Cameron & Miller 2015, Journal of
 * Human Resources 50:317–372).
 *
 * The comparison the federation study needs: how much more did federated schools' results change
 * from before federating to after than their matched comparators' results changed over the same
 * years? Differencing removes any fixed gap between the groups; the comparators' change stands in
 * for what would have happened anyway (the parallel-trends assumption).
 */
import { normalQuantile, normalTwoSidedP, tQuantile, tTwoSidedP } from './distributions.ts';
import { fitOls, type OlsFit } from './ols.ts';

/** A coefficient with its cluster-robust inference. */
export type DidEstimate = {
  estimate: number;
  /** Cluster-robust SE by unit (Liang & Zeger 1986), statsmodels' small-sample factor G/(G−1)·(N−1)/(N−K). */
  se: number;
  /** estimate / se. */
  t: number;
  /** G − 1, G = number of units (clusters). */
  df: number;
  /** Two-sided p from t(G−1), as Cameron & Miller 2015 (§VI, few clusters) advise at the least; Stata's and statsmodels' use_t=True convention. */
  pT: number;
  /** Two-sided p from the normal: statsmodels' default for cluster SEs; too small when G is small. */
  pNormal: number;
  /** estimate ± t_{1−α/2}(G−1)·se: the interval to report. */
  ci: [number, number];
  /** estimate ± z_{1−α/2}·se, for comparison with software using the normal. */
  ciNormal: [number, number];
};

/** A group × period mean of the outcome with the number of observations behind it. */
export type CellMean = { mean: number; n: number };

/** Inputs to {@link differenceInDifferences}: one row per unit × period observation. */
export type DidInput = {
  y: ArrayLike<number>;
  /** Unit (school) id per row: the cluster. */
  unit: ArrayLike<string | number>;
  /** 1 for rows of treated units, 0 for comparators; must be constant within a unit. */
  treated: ArrayLike<number>;
  /** 1 after treatment (e.g. after federating), 0 before. */
  post: ArrayLike<number>;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
};

/** Result of {@link differenceInDifferences}. */
export type DidResult = DidEstimate & {
  cells: { treatedPre: CellMean; treatedPost: CellMean; controlPre: CellMean; controlPost: CellMean };
  /** Observations used (rows with a NaN outcome are dropped). */
  n: number;
  clusters: number;
  /** The regression: columns [1, treated, post, treated·post]. */
  fit: OlsFit;
};

/** Inputs to {@link eventStudy}: one row per unit × year observation. */
export type EventStudyInput = {
  y: ArrayLike<number>;
  unit: ArrayLike<string | number>;
  treated: ArrayLike<number>;
  year: ArrayLike<number>;
  /** Years pooled as the reference period, e.g. the year of federating and the three before it. */
  baselineYears: readonly number[];
  confidence?: number;
};

/** One year of an event study: that year's difference against the baseline difference. */
export type EventStudyYear = DidEstimate & { year: number; treated: CellMean; control: CellMean };

/** Result of {@link eventStudy}. */
export type EventStudyResult = {
  /** Every year outside the baseline, ascending; years before the baseline act as placebo leads. */
  years: EventStudyYear[];
  baseline: { years: number[]; treated: CellMean; control: CellMean };
  n: number;
  clusters: number;
  /** Column names of the regression, in order. */
  columns: string[];
  fit: OlsFit;
};

type Rows = { keep: Int32Array; unitLabels: (string | number)[] };

/** Rows with a finite outcome, after checking lengths, 0/1 coding and a constant `treated` per unit. */
function usableRows(y: ArrayLike<number>, unit: ArrayLike<string | number>, treated: ArrayLike<number>, other: ArrayLike<number>, otherName: string): Rows {
  const n = y.length;
  for (const [name, a] of [['unit', unit], ['treated', treated], [otherName, other]] as const)
    if (a.length !== n) throw new RangeError(`${name} has ${a.length} entries; expected ${n} (one per row of y)`);
  const groupOf = new Map<string | number, number>();
  const keep: number[] = [];
  const unitLabels: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    const t = treated[i];
    if (t !== 0 && t !== 1) throw new RangeError(`treated[${i}] = ${t}; expected 0 or 1`);
    const u = unit[i] ?? '';
    const seen = groupOf.get(u);
    if (seen === undefined) groupOf.set(u, t);
    else if (seen !== t) throw new RangeError(`unit ${String(u)} is treated in some rows and not in others`);
    if (!Number.isFinite(y[i] ?? Number.NaN)) continue;
    keep.push(i);
    unitLabels.push(u);
  }
  return { keep: Int32Array.from(keep), unitLabels };
}

function estimateAt(fit: OlsFit, j: number, confidence: number): DidEstimate {
  const c = fit.cluster;
  if (c === undefined) throw new RangeError('cluster-robust SEs are missing');
  const estimate = fit.coefficients[j] ?? Number.NaN;
  const se = c.se[j] ?? Number.NaN;
  const t = c.t[j] ?? Number.NaN;
  const df = c.groups - 1;
  const q = tQuantile(1 - (1 - confidence) / 2, df) * se;
  const z = normalQuantile(1 - (1 - confidence) / 2) * se;
  return { estimate, se, t, df, pT: tTwoSidedP(t, df), pNormal: normalTwoSidedP(t), ci: [estimate - q, estimate + q], ciNormal: [estimate - z, estimate + z] };
}

function cell(sum: number, n: number): CellMean {
  return { mean: n > 0 ? sum / n : Number.NaN, n };
}

/**
 * The 2 × 2 difference-in-differences by OLS,
 *   y_it = α + γ·treated_i + λ·post_t + δ·(treated_i·post_t) + e_it,
 * with SEs clustered by unit (Angrist & Pischke 2009, §5.2, regression DD; Bertrand, Duflo &
 * Mullainathan 2004 on why serially correlated outcomes need clustering; Cameron & Miller 2015,
 * §II). The model is saturated in the four cells, so δ̂ = (ȳ_T,post − ȳ_T,pre) − (ȳ_C,post − ȳ_C,pre)
 * exactly, also in unbalanced panels (each cell mean taken over its own rows); the regression adds
 * the clustered SE. Intervals use t(G−1) (Cameron & Miller 2015, §VI): with a few dozen
 * federations the normal would overstate precision. Both p-values are returned.
 *
 * With unbalanced panels the pooled cells mix different schools in different periods; a school
 * that leaves shifts the cell means. Matching first (so each federated school has its own
 * comparator) and keeping units with both periods limits that.
 *
 * For a group of collaborating schools, δ̂ is the change in results the federation is credited
 * with, net of the change seen in comparable schools that did not federate.
 */
export function differenceInDifferences(input: DidInput): DidResult {
  const confidence = input.confidence ?? 0.95;
  const { y, treated, post } = input;
  const { keep, unitLabels } = usableRows(y, input.unit, treated, post, 'post');
  const n = keep.length;
  const x = new Float64Array(4 * n);
  const yy = new Float64Array(n);
  const sums = new Float64Array(4);
  const counts = new Int32Array(4);
  for (let r = 0; r < n; r++) {
    const i = keep[r] ?? 0;
    const t = treated[i] ?? 0;
    const p = post[i];
    if (p !== 0 && p !== 1) throw new RangeError(`post[${i}] = ${p}; expected 0 or 1`);
    x[r] = 1;
    x[n + r] = t;
    x[2 * n + r] = p;
    x[3 * n + r] = t * p;
    yy[r] = y[i] ?? 0;
    const c = 2 * t + p;
    sums[c] = (sums[c] ?? 0) + (yy[r] ?? 0);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  const names = ['control, pre', 'control, post', 'treated, pre', 'treated, post'];
  for (let c = 0; c < 4; c++) if ((counts[c] ?? 0) === 0) throw new RangeError(`no observations for ${names[c]}: the difference-in-differences is not identified`);
  const fit = fitOls({ x, n, k: 4, y: yy, clusters: unitLabels });
  const cells = {
    controlPre: cell(sums[0] ?? 0, counts[0] ?? 0),
    controlPost: cell(sums[1] ?? 0, counts[1] ?? 0),
    treatedPre: cell(sums[2] ?? 0, counts[2] ?? 0),
    treatedPost: cell(sums[3] ?? 0, counts[3] ?? 0),
  };
  return { ...estimateAt(fit, 3, confidence), cells, n, clusters: fit.cluster?.groups ?? 0, fit };
}

/**
 * An event study: one difference-in-differences per later year against the pooled baseline,
 *   y_it = α + γ·treated_i + Σ_{s∉B} λ_s·[year_t = s] + Σ_{s∉B} δ_s·treated_i·[year_t = s] + e_it,
 * B being the baseline years, pooled as the reference period (Angrist & Pischke 2009, §5.2: the
 * regression DD with leads and lags, after Autor 2003, relative to a reference period; the federation study's baseline
 * was the year of federating and the three before it). One regression, SEs clustered by unit
 * (Cameron & Miller 2015), intervals from t(G−1), so the years' estimates share one covariance
 * matrix. The model is saturated in group × period cells with the baseline years pooled, so
 *   δ̂_s = (ȳ_T,s − ȳ_C,s) − (ȳ_T,B − ȳ_C,B),
 * each mean over its own rows (the baseline means pool all baseline rows, so a school observed in
 * more baseline years counts more). Every year outside B needs treated and control rows.
 *
 * For collaborating schools the δ̂_s trace when a federation's effect appears and whether it lasts;
 * estimates for years before the baseline (if supplied) should be near zero if the groups were
 * on parallel paths.
 */
export function eventStudy(input: EventStudyInput): EventStudyResult {
  const confidence = input.confidence ?? 0.95;
  const { y, treated, year } = input;
  const { keep, unitLabels } = usableRows(y, input.unit, treated, year, 'year');
  const n = keep.length;
  const baseline = new Set(input.baselineYears);
  if (baseline.size === 0) throw new RangeError('give at least one baseline year');
  const laterSet = new Set<number>();
  for (let r = 0; r < n; r++) {
    const yr = year[keep[r] ?? 0] ?? Number.NaN;
    if (!Number.isFinite(yr)) throw new RangeError(`year[${keep[r]}] = ${yr}`);
    if (!baseline.has(yr)) laterSet.add(yr);
  }
  const later = [...laterSet].sort((a, b) => a - b);
  const slot = new Map(later.map((yr, j) => [yr, j] as const));
  const L = later.length;
  const k = 2 + 2 * L;
  const x = new Float64Array(k * n);
  const yy = new Float64Array(n);
  // Cell sums: index 2·j + treated for later year j; the baseline at 2·L + treated.
  const sums = new Float64Array(2 * L + 2);
  const counts = new Int32Array(2 * L + 2);
  for (let r = 0; r < n; r++) {
    const i = keep[r] ?? 0;
    const t = treated[i] ?? 0;
    const j = slot.get(year[i] ?? Number.NaN);
    x[r] = 1;
    x[n + r] = t;
    if (j !== undefined) {
      x[(2 + j) * n + r] = 1;
      x[(2 + L + j) * n + r] = t;
    }
    yy[r] = y[i] ?? 0;
    const c = (j === undefined ? 2 * L : 2 * j) + t;
    sums[c] = (sums[c] ?? 0) + (yy[r] ?? 0);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  for (let j = 0; j <= L; j++)
    for (let t = 0; t < 2; t++)
      if ((counts[2 * j + t] ?? 0) === 0)
        throw new RangeError(`no ${t === 1 ? 'treated' : 'control'} observations in ${j === L ? 'the baseline years' : `year ${later[j]}`}: that difference is not identified`);
  const fit = fitOls({ x, n, k, y: yy, clusters: unitLabels });
  const columns = ['intercept', 'treated', ...later.map((yr) => `year ${yr}`), ...later.map((yr) => `treated × year ${yr}`)];
  const years = later.map((yr, j) => ({
    year: yr,
    ...estimateAt(fit, 2 + L + j, confidence),
    treated: cell(sums[2 * j + 1] ?? 0, counts[2 * j + 1] ?? 0),
    control: cell(sums[2 * j] ?? 0, counts[2 * j] ?? 0),
  }));
  return {
    years,
    baseline: {
      years: [...baseline].sort((a, b) => a - b),
      treated: cell(sums[2 * L + 1] ?? 0, counts[2 * L + 1] ?? 0),
      control: cell(sums[2 * L] ?? 0, counts[2 * L] ?? 0),
    },
    n,
    clusters: fit.cluster?.groups ?? 0,
    columns,
    fit,
  };
}
