/**
 * Typed, two-sided wrappers over the maintained stdlib distributions, so the rest of
 * `analytics/stats` never re-implements a special function.
 */
import chisquare from '@stdlib/stats-base-dists-chisquare';
import normal from '@stdlib/stats-base-dists-normal';
import studentT from '@stdlib/stats-base-dists-t';

/** Student t cumulative distribution function P(T ≤ x) with `df` degrees of freedom. */
export function tCdf(x: number, df: number): number {
  return studentT.cdf(x, df);
}

/** Student t quantile: x with P(T ≤ x) = p. */
export function tQuantile(p: number, df: number): number {
  return studentT.quantile(p, df);
}

/**
 * Two-sided p-value of a t statistic, 2·P(T ≤ −|t|); computed from the lower tail so that tiny
 * p-values keep their precision (1 − cdf would round to 0).
 */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  return Math.min(1, 2 * studentT.cdf(-Math.abs(t), df));
}

/** Standard normal cumulative distribution function Φ(x). */
export function normalCdf(x: number): number {
  return normal.cdf(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normal.quantile(p, 0, 1);
}

/** Two-sided p-value of a z statistic, 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, 2 * normal.cdf(-Math.abs(z), 0, 1));
}

/** Chi-square cumulative distribution function with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  return chisquare.cdf(x, df);
}

/**
 * Upper-tail chi-square p-value P(X ≥ x), as used by likelihood-ratio and Wald tests. Computed as
 * 1 − cdf because the chisquare package has no complementary cdf: values below ~1e-16 come back as 0.
 * (The regularised upper gamma of @stdlib/math-base-special-gammainc would fix this, but it is not a
 * direct dependency.)
 */
export function chiSquareUpperP(x: number, df: number): number {
  return 1 - chisquare.cdf(x, df);
}
