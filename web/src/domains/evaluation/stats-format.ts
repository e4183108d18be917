/**
 * How the evaluation pages write numbers: estimates to two decimals (one for large means), p
 * values to three decimals with "< 0.001" below that (APA style), intervals as "low to high",
 * and a dash for a figure the data could not give.
 */

const dash = '—';

/** A number to `digits` decimals (en-GB, true minus sign), or a dash. */
export function fixed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return dash;
  const text = x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return text.startsWith('-') ? `\u2212${text.slice(1)}` : text;
}

/** A signed difference: "+1.25", "−0.40". */
export function signed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return dash;
  return x > 0 ? `+${fixed(x, digits)}` : fixed(x, digits);
}

/** A mean: one decimal once it is 100 or more (scaled scores), two below. */
export const mean = (x: number | null | undefined): string => fixed(x, x !== null && x !== undefined && Math.abs(x) >= 100 ? 1 : 2);

/** A p value: "< 0.001", otherwise three decimals. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return dash;
  if (p < 0.001) return '< 0.001';
  return fixed(p, 3);
}

/** A 95% interval, "−0.12 to 1.40", or a dash when either end is missing. */
export function interval(ci: { low: number | null; high: number | null } | null | undefined, digits = 2): string {
  if (!ci || ci.low === null || ci.high === null) return dash;
  return `${fixed(ci.low, digits)} to ${fixed(ci.high, digits)}`;
}

/** "an estimate (its standard error)", as multilevel tables print coefficients. */
export const withSe = (estimate: number, se: number, digits = 2): string => `${fixed(estimate, digits)} (${fixed(se, digits)})`;

/** The unit a measure's differences are in: percentage points for a percentage. */
export function differenceUnit(unit: string): string {
  if (unit === 'percent') return 'percentage points';
  if (unit === 'progress') return 'progress points';
  return 'points';
}
