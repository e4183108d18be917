/**
 * Change between two waves of a survey (e.g. January 2014 and January 2015), in percentage
 * points, with a 95% confidence interval and warnings where the change is hard to read.
 *
 * The two waves are treated as independent samples. That is an approximation: many staff answer
 * both rounds, but forms are anonymous and cannot be paired; for positively correlated answers
 * the independent interval is conservative (too wide), never too narrow.
 *
 * INTERVAL: Newcombe's hybrid score interval for a difference of two independent proportions
 * (Newcombe 1998, "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17:873–890, method 10), built from the
 * Wilson score interval of each proportion (Wilson 1927, JASA 22:209–212). It stays inside
 * [−1, 1], behaves at 0% and 100% and with small n, where the Wald interval fails. Checked
 * against statsmodels `confint_proportions_2indep(method="newcomb")`.
 *
 * WARNINGS (the source's own caution: with the form count up from 31 to 49, a falling percentage
 * can hide a rising count; Dimmer 2017 [1507]):
 * - `small-denominator`: either wave has fewer than 10 respondents in the cell (one answer moves
 *   the percentage by more than 10 points);
 * - `unequal-denominators`: the larger denominator is more than 1.5 × the smaller (2014 → 2015:
 *   49 / 31 = 1.58 overall, 26 / 12 for teachers), so who answered changed as much as what;
 * - `count-and-percent-disagree`: the count and the percentage moved in opposite directions.
 */
import type { Proportion } from './percent.ts';
import { SurveyInputError } from './response-matrix.ts';
import type { Tally } from './tally.ts';

/**
 * Φ⁻¹(0.975), the two-sided 95% normal quantile. No normal-quantile package is a dependency
 * (neither jstat nor @stdlib is in package.json), and 95% is the only level reports use.
 */
export const Z_95 = 1.959963984540054;

/** Thresholds of the wave warnings (module comment). */
export const waveWarningRule = { minRespondents: 10, maxDenominatorRatio: 1.5 } as const;

export type WaveWarning = 'small-denominator' | 'unequal-denominators' | 'count-and-percent-disagree';

/** Bit flags of the same warnings for whole tallies (plus `noData` for a missing or hidden cell). */
export const WaveFlag = { smallDenominator: 1, unequalDenominators: 2, countAndPercentDisagree: 4, noData: 8 } as const;

export type Interval = { lower: number; upper: number };

function checkCount(x: number, n: number): void {
  if (!(Number.isInteger(x) && Number.isInteger(n) && n > 0 && x >= 0 && x <= n)) throw new SurveyInputError(`a proportion needs whole 0 ≤ count ≤ n with n > 0, got ${x}/${n}`);
}

/**
 * Wilson score interval for x / n (Wilson 1927), as proportions in [0, 1]:
 *   (2x + z² ∓ z·√(z² + 4x(n − x)/n)) / (2(n + z²)).
 */
export function wilsonInterval(x: number, n: number, z: number = Z_95): Interval {
  checkCount(x, n);
  const z2 = z * z;
  const centre = 2 * x + z2;
  const half = z * Math.sqrt(z2 + (4 * x * (n - x)) / n);
  const denom = 2 * (n + z2);
  // Clamp the ends that are exactly 0 or 1 in exact arithmetic (x = 0 or x = n).
  return { lower: x === 0 ? 0 : (centre - half) / denom, upper: x === n ? 1 : (centre + half) / denom };
}

/**
 * Newcombe's hybrid score interval (method 10) for p1 − p2, p1 = x1/n1, p2 = x2/n2, with
 * Wilson limits (l1, u1), (l2, u2):
 *   lower = (p1 − p2) − √((p1 − l1)² + (u2 − p2)²)
 *   upper = (p1 − p2) + √((u1 − p1)² + (p2 − l2)²)
 * As proportions in [−1, 1].
 */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number, z: number = Z_95): Interval & { difference: number } {
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  return {
    difference: d,
    lower: d - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2),
    upper: d + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2),
  };
}

export type WaveChange = {
  before: Proportion;
  after: Proportion;
  /** after − before, percentage points (exact; round for display with percent.ts). */
  change: number;
  /** 95% Newcombe interval of the change, percentage points. */
  lower: number;
  upper: number;
  /** after count − before count. */
  countChange: number;
  warnings: WaveWarning[];
};

function warningFlags(x1: number, n1: number, x2: number, n2: number): number {
  let f = 0;
  if (Math.min(n1, n2) < waveWarningRule.minRespondents) f |= WaveFlag.smallDenominator;
  if (Math.max(n1, n2) > waveWarningRule.maxDenominatorRatio * Math.min(n1, n2)) f |= WaveFlag.unequalDenominators;
  const dc = x2 - x1;
  // Compare x2/n2 − x1/n1 without division: sign of x2·n1 − x1·n2.
  const dp = x2 * n1 - x1 * n2;
  if ((dc > 0 && dp < 0) || (dc < 0 && dp > 0)) f |= WaveFlag.countAndPercentDisagree;
  return f;
}

/**
 * The change of one item in one cell from wave `before` to wave `after` (counts of endorsing
 * respondents over respondents in the cell), with its interval and warnings.
 */
export function compareWaves(before: { count: number; n: number }, after: { count: number; n: number }, z: number = Z_95): WaveChange {
  checkCount(before.count, before.n);
  checkCount(after.count, after.n);
  const d = proportionDifference(after.count, after.n, before.count, before.n, z);
  const f = warningFlags(before.count, before.n, after.count, after.n);
  const warnings: WaveWarning[] = [];
  if (f & WaveFlag.smallDenominator) warnings.push('small-denominator');
  if (f & WaveFlag.unequalDenominators) warnings.push('unequal-denominators');
  if (f & WaveFlag.countAndPercentDisagree) warnings.push('count-and-percent-disagree');
  return {
    before: { count: before.count, n: before.n, percent: (100 * before.count) / before.n },
    after: { count: after.count, n: after.n, percent: (100 * after.count) / after.n },
    change: 100 * d.difference,
    lower: 100 * d.lower,
    upper: 100 * d.upper,
    countChange: after.count - before.count,
    warnings,
  };
}

export type TallyComparison = {
  /** groups × stride, like the tallies: change in percentage points, NaN without data. */
  change: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** groups × stride: WaveFlag bits. */
  flags: Uint8Array;
};

/**
 * `compareWaves` for every slot of two tallies of the same items and cells (e.g. the by-school
 * tallies of two waves). A cell empty or hidden (respondents ≤ 0) in either wave gets NaN and
 * the `noData` flag. The blank slots are compared too (change in blanks).
 */
export function compareTallies(before: Tally, after: Tally, z: number = Z_95): TallyComparison {
  if (before.groups !== after.groups || before.stride !== after.stride) throw new SurveyInputError('the two tallies must have the same cells and items');
  const size = before.counts.length;
  const change = new Float64Array(size);
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  const flags = new Uint8Array(size);
  const { stride } = before;
  for (let g = 0; g < before.groups; g++) {
    const n1 = before.respondents[g]!;
    const n2 = after.respondents[g]!;
    for (let s = g * stride; s < (g + 1) * stride; s++) {
      if (n1 <= 0 || n2 <= 0) {
        change[s] = lower[s] = upper[s] = Number.NaN;
        flags[s] = WaveFlag.noData;
        continue;
      }
      const x1 = before.counts[s]!;
      const x2 = after.counts[s]!;
      const d = proportionDifference(x2, n2, x1, n1, z);
      change[s] = 100 * d.difference;
      lower[s] = 100 * d.lower;
      upper[s] = 100 * d.upper;
      flags[s] = warningFlags(x1, n1, x2, n2);
    }
  }
  return { change, lower, upper, flags };
}
