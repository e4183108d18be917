/** How scores, weights and days read on the brokering pages. */

/** A score or contribution to three places: the contributions shown then add up to the score shown within rounding. */
export const score3 = (n: number): string => n.toFixed(3);

/** Days a term: `3`, `2.5`. */
export const days = (n: number): string => String(Number(n.toFixed(1)));

/** A derived value in SDs, signed: `+0.63 SD`, `−0.70 SD`. */
export const sd = (n: number): string => `${n >= 0 ? '+' : '\u2212'}${Math.abs(n).toFixed(2)} SD`;

/**
 * The ranking's `weights` query (`strength:0.5,travel:0.05`) for the factors whose weight
 * differs from its default; undefined when none does, so the default ranking is asked for.
 */
export function weightsQuery(weights: Record<string, number>, defaults: Record<string, number>): string | undefined {
  const changed = Object.entries(weights).filter(([code, w]) => Math.abs(w - (defaults[code] ?? w)) > 1e-9);
  return changed.length ? changed.map(([code, w]) => `${code}:${Number(w.toFixed(3))}`).join(',') : undefined;
}
