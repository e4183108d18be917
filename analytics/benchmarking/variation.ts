/**
 * Where results vary: between schools and within them.
 *
 * From pupil-level results, {@link pupilVariation} gives each school's mean, SD and n, the
 * one-way analysis of variance with schools as groups, and the intraclass correlation (the
 * share of the variance that lies between schools). From one figure per school,
 * {@link describeSchools} gives the spread across schools: mean, SD, quartiles and range.
 *
 * For a head teacher: if most of the variation is within schools (a small ICC), the gap between
 * your strongest and weakest pupils matters more than the gap to the school next door. For a
 * network coordinator: a large between-school share says the network's schools differ in what
 * they achieve, so there is practice worth moving between them.
 */
import { chiSquareUpperP } from '../stats/index.ts';

/**
 * Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan 1996,
 * definition 7; the default of R's `quantile` and numpy's `quantile`):
 * h = (m − 1)·prob, Q = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)) with 0-based order statistics.
 * NaN for an empty array.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, prob: number): number {
  const m = sorted.length;
  if (m === 0) return Number.NaN;
  const h = (m - 1) * prob;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  if (lo + 1 >= m) return a;
  return a + (h - lo) * ((sorted[lo + 1] ?? a) - a);
}

/** The three cut points (Q1, median, Q3) of the finite values, by {@link quantileOfSorted}. */
export function quartileCuts(values: ArrayLike<number>): [number, number, number] {
  const sorted = finiteSorted(values);
  return [quantileOfSorted(sorted, 0.25), quantileOfSorted(sorted, 0.5), quantileOfSorted(sorted, 0.75)];
}

/**
 * Quartile group 1–4 of x given cuts [Q1, Q2, Q3]: 1 + #{c : c < x}. Bins are closed on the right
 * (a value equal to Q3 is in quartile 3), as pandas' `qcut`; "top quartile" means above Q3.
 * 0 for a missing x.
 */
export function quartileOf(x: number, cuts: readonly [number, number, number]): number {
  if (!Number.isFinite(x)) return 0;
  return 1 + (cuts[0] < x ? 1 : 0) + (cuts[1] < x ? 1 : 0) + (cuts[2] < x ? 1 : 0);
}

function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Spread of one figure across schools (result of {@link describeSchools}). */
export type SchoolSpread = {
  /** Schools with a value, and without one (NaN). */
  n: number;
  missing: number;
  mean: number;
  /** Sample SD, divisor n − 1 (NaN with fewer than two schools). */
  sd: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** max − min: the between-school range. */
  range: number;
  /** q3 − q1: the spread of the middle half of schools, not moved by one outlier. */
  iqr: number;
  /** Ids of the lowest and highest schools (ties: the lower id); NaN when n = 0. */
  minId: number;
  maxId: number;
};

/**
 * Mean, SD, quartiles (Hyndman & Fan definition 7) and range of one figure per school; NaN
 * entries are counted as missing. `ids` defaults to the row index.
 */
export function describeSchools(values: ArrayLike<number>, ids?: ArrayLike<number>): SchoolSpread {
  if (ids !== undefined && ids.length !== values.length) throw new RangeError(`ids has ${ids.length} entries; expected ${values.length}`);
  let n = 0;
  let sum = 0;
  let minId = Number.NaN;
  let maxId = Number.NaN;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (!Number.isFinite(v)) continue;
    const id = ids === undefined ? i : (ids[i] ?? i);
    n++;
    sum += v;
    if (v < min || (v === min && id < minId)) {
      min = v;
      minId = id;
    }
    if (v > max || (v === max && id < maxId)) {
      max = v;
      maxId = id;
    }
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  const sorted = finiteSorted(values);
  const q1 = quantileOfSorted(sorted, 0.25);
  const q3 = quantileOfSorted(sorted, 0.75);
  return {
    n,
    missing: values.length - n,
    mean,
    sd: n >= 2 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    min: n > 0 ? min : Number.NaN,
    q1,
    median: quantileOfSorted(sorted, 0.5),
    q3,
    max: n > 0 ? max : Number.NaN,
    range: n > 0 ? max - min : Number.NaN,
    iqr: q3 - q1,
    minId,
    maxId,
  };
}

/** Pupil results, one entry per pupil. */
export type PupilScores = {
  /** The pupil's school id. */
  school: ArrayLike<number>;
  /** The pupil's score; NaN = missing (the pupil is left out and counted). */
  score: ArrayLike<number>;
};

/** Result of {@link pupilVariation}. */
export type PupilVariation = {
  /** Per school, in ascending id order: id, pupils with a score, mean and sample SD (NaN for one pupil). */
  schools: { ids: Float64Array; n: Int32Array; mean: Float64Array; sd: Float64Array };
  /** Pupils used (N), pupils left out for a missing score, schools (J). */
  pupils: number;
  missing: number;
  groups: number;
  grandMean: number;
  /** SS_between = Σ_j n_j (ȳ_j − ȳ)², SS_within = Σ_j Σ_i (y_ij − ȳ_j)², SS_total = their sum. */
  ssBetween: number;
  ssWithin: number;
  ssTotal: number;
  /** J − 1 and N − J. */
  dfBetween: number;
  dfWithin: number;
  /** Mean squares SS/df. */
  msBetween: number;
  msWithin: number;
  /** F = MS_between / MS_within; NaN when J < 2 or N = J. */
  f: number;
  /**
   * The exact p-value P(F(J−1, N−J) ≥ F) is not computed: it needs the F distribution
   * (@stdlib/stats-base-dists-f), which is not a dependency of this project. Always null.
   */
  pExact: null;
  /**
   * Large-sample p-value P(χ²(J−1) ≥ (J−1)·F): as N − J → ∞, (J−1)·F tends to χ²(J−1) under the
   * null of equal school means. Close to the exact p when N − J is in the hundreds (pupil-level
   * data); too small (anti-conservative) when N − J is small. Limited to ~1e-16 by
   * {@link chiSquareUpperP}.
   */
  pLargeSample: number;
  /**
   * ñ = (N − Σ_j n_j² / N) / (J − 1), the effective group size of unbalanced data (Snijders &
   * Bosker 2012, Multilevel Analysis, 2nd ed., §3.3.1); equals n when every school has n pupils.
   */
  n0: number;
  /** σ̂² = MS_within: pupil-level (within-school) variance. */
  sigmaSquared: number;
  /**
   * τ̂² = (MS_between − MS_within) / ñ: between-school variance (Snijders & Bosker 2012, §3.3.1).
   * Negative when schools differ less than chance alone would make them; kept as is here.
   */
  tauSquaredRaw: number;
  /** max(τ̂², 0), as Snijders & Bosker advise: a variance cannot be negative. */
  tauSquared: number;
  /** ANOVA estimator of the intraclass correlation, ρ̂ = τ̂² / (τ̂² + σ̂²), with τ̂² truncated at 0. */
  icc: number;
  /** The same with the raw (possibly negative) τ̂². */
  iccRaw: number;
};

/**
 * One-way ANOVA of pupil scores with schools as groups, per-school summaries, and the ANOVA
 * (moments) estimator of the intraclass correlation for unbalanced groups (Snijders & Bosker
 * 2012, §3.3.1). Throws a RangeError when the two arrays differ in length.
 */
export function pupilVariation(input: PupilScores): PupilVariation {
  const { school, score } = input;
  if (school.length !== score.length) throw new RangeError(`school has ${school.length} entries; score has ${score.length}`);
  const groupOf = new Map<number, number>();
  const pupilGroup = new Int32Array(score.length).fill(-1);
  const idsSeen: number[] = [];
  let missing = 0;
  for (let i = 0; i < score.length; i++) {
    const y = score[i] ?? Number.NaN;
    if (!Number.isFinite(y)) {
      missing++;
      continue;
    }
    const id = school[i] ?? Number.NaN;
    let g = groupOf.get(id);
    if (g === undefined) {
      g = idsSeen.length;
      groupOf.set(id, g);
      idsSeen.push(id);
    }
    pupilGroup[i] = g;
  }
  // Report schools in ascending id order: renumber groups once so every array follows it.
  const J = idsSeen.length;
  const order = Array.from(idsSeen.keys()).sort((a, b) => (idsSeen[a] ?? 0) - (idsSeen[b] ?? 0));
  const rank = new Int32Array(J);
  order.forEach((g, r) => {
    rank[g] = r;
  });
  const ids = Float64Array.from(order, (g) => idsSeen[g] ?? Number.NaN);
  const n = new Int32Array(J);
  const sum = new Float64Array(J);
  let N = 0;
  let total = 0;
  for (let i = 0; i < score.length; i++) {
    const g0 = pupilGroup[i] ?? -1;
    if (g0 < 0) continue;
    const g = rank[g0] ?? 0;
    const y = score[i] ?? 0;
    n[g] = (n[g] ?? 0) + 1;
    sum[g] = (sum[g] ?? 0) + y;
    N++;
    total += y;
  }
  const mean = new Float64Array(J);
  for (let g = 0; g < J; g++) mean[g] = (sum[g] ?? 0) / (n[g] ?? 1);
  const grandMean = N > 0 ? total / N : Number.NaN;
  const within = new Float64Array(J);
  for (let i = 0; i < score.length; i++) {
    const g0 = pupilGroup[i] ?? -1;
    if (g0 < 0) continue;
    const g = rank[g0] ?? 0;
    within[g] = (within[g] ?? 0) + ((score[i] ?? 0) - (mean[g] ?? 0)) ** 2;
  }
  const sd = new Float64Array(J);
  let ssWithin = 0;
  let ssBetween = 0;
  let sumN2 = 0;
  for (let g = 0; g < J; g++) {
    const ng = n[g] ?? 0;
    sd[g] = ng >= 2 ? Math.sqrt((within[g] ?? 0) / (ng - 1)) : Number.NaN;
    ssWithin += within[g] ?? 0;
    ssBetween += ng * ((mean[g] ?? 0) - grandMean) ** 2;
    sumN2 += ng * ng;
  }
  const dfBetween = J - 1;
  const dfWithin = N - J;
  const msBetween = dfBetween > 0 ? ssBetween / dfBetween : Number.NaN;
  const msWithin = dfWithin > 0 ? ssWithin / dfWithin : Number.NaN;
  const f = msBetween / msWithin;
  const n0 = dfBetween > 0 ? (N - sumN2 / N) / dfBetween : Number.NaN;
  const tauSquaredRaw = (msBetween - msWithin) / n0;
  const tauSquared = Math.max(0, tauSquaredRaw);
  return {
    schools: { ids, n, mean, sd },
    pupils: N,
    missing,
    groups: J,
    grandMean,
    ssBetween,
    ssWithin,
    ssTotal: ssBetween + ssWithin,
    dfBetween,
    dfWithin,
    msBetween,
    msWithin,
    f,
    pExact: null,
    pLargeSample: Number.isFinite(f) ? chiSquareUpperP(dfBetween * f, dfBetween) : Number.NaN,
    n0,
    sigmaSquared: msWithin,
    tauSquaredRaw,
    tauSquared: Number.isNaN(tauSquaredRaw) ? Number.NaN : tauSquared,
    icc: tauSquared / (tauSquared + msWithin),
    iccRaw: tauSquaredRaw / (tauSquaredRaw + msWithin),
  };
}
