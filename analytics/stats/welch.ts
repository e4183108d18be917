/**
 * Welch's unequal-variance t-test and Hedges' g, for comparing two groups of schools (e.g. an
 * outcome in partnered versus non-partnered schools) without assuming equal spread.
 */
import { normalQuantile, tQuantile, tTwoSidedP } from './distributions.ts';

/** Result of {@link welchTTest}; the difference is mean(a) − mean(b). */
export type WelchResult = {
  difference: number;
  /** t = (x̄_a − x̄_b) / √(s_a²/n_a + s_b²/n_b) (Welch 1947). */
  statistic: number;
  /** Welch–Satterthwaite df = (v_a + v_b)² / (v_a²/(n_a−1) + v_b²/(n_b−1)), v = s²/n. */
  df: number;
  /** Two-sided p-value from t(df). */
  p: number;
  /** Confidence interval of the difference: difference ± t_{1−α/2}(df)·SE. */
  ci: [number, number];
  standardError: number;
};

/** Result of {@link hedgesG}. */
export type HedgesGResult = {
  /** g = J·(x̄_a − x̄_b)/s_pooled, J = 1 − 3/(4(n_a+n_b) − 9). */
  g: number;
  /** √Var(g), Var(g) ≈ (n_a+n_b)/(n_a·n_b) + g²/(2(n_a+n_b)). */
  standardError: number;
  /** Normal-theory interval g ± z_{1−α/2}·SE. */
  ci: [number, number];
};

function meanVar(x: ArrayLike<number>): [number, number] {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] ?? 0;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((x[i] ?? 0) - mean) ** 2;
  return [mean, ss / (n - 1)];
}

function requireTwo(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length < 2 || b.length < 2) throw new RangeError('each group needs at least two observations');
}

/**
 * Welch's t-test of equal means (two-sided), matching `scipy.stats.ttest_ind(a, b, equal_var=False)`.
 * Both groups constant gives statistic NaN (0/0), as scipy does.
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>, confidence = 0.95): WelchResult {
  requireTwo(a, b);
  const [ma, sa] = meanVar(a);
  const [mb, sb] = meanVar(b);
  const va = sa / a.length;
  const vb = sb / b.length;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const difference = ma - mb;
  const statistic = difference / se;
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { difference, statistic, df, p: tTwoSidedP(statistic, df), ci: [difference - half, difference + half], standardError: se };
}

/**
 * Hedges' g, the small-sample-corrected standardised mean difference, with the usual large-sample
 * variance Var(g) ≈ (n_a+n_b)/(n_a·n_b) + g²/(2(n_a+n_b)) (Hedges & Olkin 1985, Statistical
 * Methods for Meta-Analysis, ch. 5, eq. 14 with g in place of δ). Bias correction
 * J = 1 − 3/(4(n_a+n_b) − 9) (ibid., eq. 10's approximation; Borenstein et al. 2009, eq. 4.22).
 * Borenstein's variant multiplies the variance of d by J² instead; the two differ by a factor
 * ≈ 1 − 3/(2(n_a+n_b)), which is negligible beyond small groups.
 * Pooled SD s_p = √(((n_a−1)s_a² + (n_b−1)s_b²)/(n_a+n_b−2)).
 */
export function hedgesG(a: ArrayLike<number>, b: ArrayLike<number>, confidence = 0.95): HedgesGResult {
  requireTwo(a, b);
  const na = a.length;
  const nb = b.length;
  const [ma, sa] = meanVar(a);
  const [mb, sb] = meanVar(b);
  const sp = Math.sqrt(((na - 1) * sa + (nb - 1) * sb) / (na + nb - 2));
  const j = 1 - 3 / (4 * (na + nb) - 9);
  const g = (j * (ma - mb)) / sp;
  const standardError = Math.sqrt((na + nb) / (na * nb) + (g * g) / (2 * (na + nb)));
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return { g, standardError, ci: [g - z * standardError, g + z * standardError] };
}
