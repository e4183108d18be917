/**
 * How percentages are shown. Kernels keep exact fractions; rounding happens only for display.
 *
 * The rule: one decimal place, half away from zero (31/68 → 45.6%, 21/31 → 67.7%, 5/9 → 55.6%).
 * The source is no model here: it rounds the response rate (31/68 printed "46%") but truncates
 * group percentages (5/9 printed "55%", 8/12 "66%") (Dimmer 2017 [1084, 1202];
 * research/seed-003.md §0.12). One decimal keeps groups of 9 and 12 apart (55.6 vs 55.0 would
 * both print 55 truncated) and never disagrees with the printed figures by more than one point.
 *
 * Rounding is done on integers (count × 100 × 10^d against n), so a value exactly half-way,
 * such as 1/8 = 12.5% at 0 decimals, rounds up (13%) instead of falling to binary error.
 */
import { SurveyInputError } from './response-matrix.ts';

/**
 * 100 × count / n rounded half away from zero to `decimals` places, as an integer number of
 * 10^−decimals percent units (e.g. 21/31 at 1 decimal → 677). Exact for counts below 2^53 / 10^(d+3).
 */
export function percentUnits(count: number, n: number, decimals = 1): number {
  if (!(Number.isInteger(count) && Number.isInteger(n) && n > 0 && count >= 0)) throw new SurveyInputError(`percent needs whole counts with n > 0, got ${count}/${n}`);
  if (!(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6)) throw new SurveyInputError(`decimals must be 0..6, got ${decimals}`);
  const num = count * 100 * 10 ** decimals;
  // floor((2·num + n) / (2·n)) = round-half-up of num / n, and num ≥ 0 so half-up = half away from zero.
  return Math.floor((2 * num + n) / (2 * n));
}

/** The display value of 100 × count / n under the rule above (a number, e.g. 67.7). */
export function roundedPercent(count: number, n: number, decimals = 1): number {
  return percentUnits(count, n, decimals) / 10 ** decimals;
}

/** "67.7%" (or "–" for an empty cell: no respondents, no percentage). */
export function formatPercent(count: number, n: number, decimals = 1): string {
  if (n === 0) return '–';
  return `${roundedPercent(count, n, decimals).toFixed(decimals)}%`;
}

/**
 * Rounds any real value (e.g. a change in percentage points) half away from zero. Floating
 * input: a value that is half-way only up to binary error may go either way.
 */
export function roundHalfAwayFromZero(x: number, decimals = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  const r = Math.round(Math.abs(x) * f) / f;
  return x < 0 ? -r : r;
}

/** A count with its denominator and exact percentage. */
export type Proportion = { count: number; n: number; percent: number };

/**
 * Response rate = returned / invited (the source's denominator for the rate is everyone
 * invited, 68 in the case study; statement percentages use returned forms instead).
 */
export function responseRate(returned: number, invited: number): Proportion {
  if (!(Number.isInteger(returned) && Number.isInteger(invited) && invited > 0 && returned >= 0 && returned <= invited)) {
    throw new SurveyInputError(`response rate needs 0 ≤ returned ≤ invited and invited > 0, got ${returned}/${invited}`);
  }
  return { count: returned, n: invited, percent: (100 * returned) / invited };
}
