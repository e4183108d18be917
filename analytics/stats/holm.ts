/**
 * Holm's step-down adjustment (Holm 1979, Scand. J. Statist. 6:65–70): controls the family-wise
 * error rate with no assumption about dependence between tests, and is uniformly more powerful
 * than Bonferroni — suitable when many school-level comparisons are reported together.
 */

/**
 * Holm-adjusted p-values in the input order. With p sorted ascending p_(1) ≤ … ≤ p_(m):
 * p̃_(i) = min(1, max_{j≤i} (m − j + 1)·p_(j)). Matches
 * `statsmodels.stats.multitest.multipletests(p, method='holm')[1]`. NaN inputs are rejected,
 * because their position in the order (and so every other adjustment) would be undefined.
 */
export function holmAdjust(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  for (let i = 0; i < m; i++) {
    const v = p[i] ?? Number.NaN;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p[${i}] = ${v} is not a probability`);
  }
  // Stable sort of indices, so ties keep the input order, as numpy's mergesort does.
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => (p[i] ?? 0) - (p[j] ?? 0) || i - j);
  const adjusted = new Float64Array(m);
  let running = 0;
  for (let r = 0; r < m; r++) {
    const i = order[r] ?? 0;
    running = Math.max(running, Math.min(1, (m - r) * (p[i] ?? 0)));
    adjusted[i] = running;
  }
  return adjusted;
}
