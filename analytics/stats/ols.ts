/**
 * Ordinary least squares by Householder QR, with classical, HC1 and cluster-robust standard
 * errors matching statsmodels (`OLS(...).fit(cov_type=...)`, 0.13).
 *
 * QR rather than the normal equations: solving XᵀXβ = Xᵀy squares the condition number of X,
 * while Householder QR works with X itself (Golub & Van Loan, Matrix Computations, 4th ed., §5.3).
 */
import { normalTwoSidedP, tTwoSidedP } from './distributions.ts';
import { leastSquares, sandwich } from './householder-qr.ts';

/** Inputs to {@link fitOls}. */
export type OlsInput = {
  /** Design matrix, column-major (column j occupies [j·n, (j+1)·n)); the caller supplies any intercept column. */
  x: Float64Array;
  /** Number of observations (rows of x). */
  n: number;
  /** Number of regressors (columns of x, intercept included). */
  k: number;
  /** Outcome, length n. */
  y: ArrayLike<number>;
  /** Optional cluster id per observation (any labels); enables cluster-robust SEs. */
  clusters?: ArrayLike<number | string>;
};

/** Standard errors with their test statistics and two-sided p-values for one covariance estimator. */
export type OlsInference = {
  /** Estimated covariance matrix of β, k × k, column-major. */
  cov: Float64Array;
  se: Float64Array;
  t: Float64Array;
  /** Two-sided p-values: t(n−k) for classical SEs; the normal for robust SEs, as statsmodels' default. */
  p: Float64Array;
};

/** Result of {@link fitOls}. */
export type OlsFit = {
  n: number;
  k: number;
  coefficients: Float64Array;
  fitted: Float64Array;
  residuals: Float64Array;
  /** Residual degrees of freedom n − k. */
  dfResidual: number;
  /** R² = 1 − SSR/TSS; TSS is centred when x holds a constant column, uncentred otherwise (as statsmodels). */
  rSquared: number;
  /** Classical: σ̂²(XᵀX)⁻¹ with σ̂² = SSR/(n−k); p-values from t(n−k). */
  classical: OlsInference;
  /** HC1 (MacKinnon & White 1985): n/(n−k) · (XᵀX)⁻¹ Xᵀdiag(e²)X (XᵀX)⁻¹; normal p-values. */
  hc1: OlsInference;
  /**
   * Cluster-robust (Liang & Zeger 1986; Cameron & Miller 2015, eq. 11–12):
   * c · (XᵀX)⁻¹ (Σ_g s_g s_gᵀ) (XᵀX)⁻¹ with s_g = Σ_{i∈g} x_i e_i and
   * c = G/(G−1) · (n−1)/(n−k), statsmodels' default correction. `p` uses the normal (statsmodels'
   * default); `pT` uses t(G−1) (statsmodels with use_t=True, Stata's convention), better with few clusters.
   * Undefined (absent) without cluster ids.
   */
  cluster?: OlsInference & { groups: number; pT: Float64Array };
};

function inference(cov: Float64Array, beta: Float64Array, k: number, pOf: (t: number) => number): OlsInference {
  const se = new Float64Array(k);
  const t = new Float64Array(k);
  const p = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    se[j] = Math.sqrt(cov[j * k + j] ?? Number.NaN);
    t[j] = (beta[j] ?? 0) / (se[j] ?? 0);
    p[j] = pOf(t[j] ?? Number.NaN);
  }
  return { cov, se, t, p };
}

/**
 * Fits y = Xβ + e by least squares.
 *
 * β̂ = R⁻¹Q₁ᵀy from X = QR; (XᵀX)⁻¹ = R⁻¹R⁻ᵀ. Throws a RangeError when X is rank-deficient
 * (|R_jj| ≤ 1e-10·max|R_ii|): a collinear design has no unique β, and we do not silently drop columns.
 */
export function fitOls(input: OlsInput): OlsFit {
  const { n, k, x } = input;
  if (x.length !== n * k) throw new RangeError(`x has ${x.length} entries; expected n·k = ${n * k}`);
  if (input.y.length !== n) throw new RangeError(`y has ${input.y.length} entries; expected n = ${n}`);
  if (n <= k) throw new RangeError(`need more observations (${n}) than regressors (${k})`);
  const { beta, rInv } = leastSquares(x, n, k, Float64Array.from(input.y));
  const fitted = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const b = beta[j] ?? 0;
    for (let i = 0; i < n; i++) fitted[i] = (fitted[i] ?? 0) + (x[j * n + i] ?? 0) * b;
  }
  const residuals = new Float64Array(n);
  let ssr = 0;
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    const e = (input.y[i] ?? 0) - (fitted[i] ?? 0);
    residuals[i] = e;
    ssr += e * e;
    yMean += input.y[i] ?? 0;
  }
  yMean /= n;
  let hasConstant = false;
  for (let j = 0; j < k && !hasConstant; j++) {
    const first = x[j * n] ?? 0;
    if (first === 0) continue;
    let same = true;
    for (let i = 1; i < n && same; i++) same = x[j * n + i] === first;
    hasConstant = same;
  }
  let tss = 0;
  for (let i = 0; i < n; i++) {
    const d = (input.y[i] ?? 0) - (hasConstant ? yMean : 0);
    tss += d * d;
  }
  const dfResidual = n - k;

  // bread = (XᵀX)⁻¹ = R⁻¹R⁻ᵀ
  const identity = new Float64Array(k * k);
  for (let j = 0; j < k; j++) identity[j * k + j] = 1;
  const bread = sandwich(rInv, identity, k, 1);

  const classicalCov = bread.map((v) => (v * ssr) / dfResidual);
  const classical = inference(classicalCov, beta, k, (t) => tTwoSidedP(t, dfResidual));

  const meatHc = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const e2 = (residuals[i] ?? 0) ** 2;
    for (let c = 0; c < k; c++) {
      const xc = (x[c * n + i] ?? 0) * e2;
      for (let r = c; r < k; r++) meatHc[c * k + r] = (meatHc[c * k + r] ?? 0) + xc * (x[r * n + i] ?? 0);
    }
  }
  symmetrise(meatHc, k);
  const hc1 = inference(sandwich(bread, meatHc, k, n / dfResidual), beta, k, normalTwoSidedP);

  const fit: OlsFit = { n, k, coefficients: beta, fitted, residuals, dfResidual, rSquared: 1 - ssr / tss, classical, hc1 };
  if (input.clusters !== undefined) fit.cluster = clusterInference(input.clusters, x, residuals, bread, beta, n, k);
  return fit;
}

function symmetrise(m: Float64Array, k: number): void {
  for (let c = 0; c < k; c++) for (let r = c + 1; r < k; r++) m[r * k + c] = m[c * k + r] ?? 0;
}

function clusterInference(
  clusters: ArrayLike<number | string>,
  x: Float64Array,
  residuals: Float64Array,
  bread: Float64Array,
  beta: Float64Array,
  n: number,
  k: number,
): OlsInference & { groups: number; pT: Float64Array } {
  if (clusters.length !== n) throw new RangeError(`clusters has ${clusters.length} entries; expected n = ${n}`);
  const index = new Map<number | string, number>();
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = clusters[i] as number | string;
    let g = index.get(id);
    if (g === undefined) {
      g = index.size;
      index.set(id, g);
    }
    group[i] = g;
  }
  const groups = index.size;
  if (groups < 2) throw new RangeError('cluster-robust SEs need at least two clusters');
  const scores = new Float64Array(groups * k);
  for (let i = 0; i < n; i++) {
    const g = group[i] ?? 0;
    const e = residuals[i] ?? 0;
    for (let c = 0; c < k; c++) scores[g * k + c] = (scores[g * k + c] ?? 0) + (x[c * n + i] ?? 0) * e;
  }
  const meat = new Float64Array(k * k);
  for (let g = 0; g < groups; g++)
    for (let c = 0; c < k; c++) {
      const sc = scores[g * k + c] ?? 0;
      for (let r = c; r < k; r++) meat[c * k + r] = (meat[c * k + r] ?? 0) + sc * (scores[g * k + r] ?? 0);
    }
  symmetrise(meat, k);
  const correction = (groups / (groups - 1)) * ((n - 1) / (n - k));
  const inf = inference(sandwich(bread, meat, k, correction), beta, k, normalTwoSidedP);
  const pT = inf.t.map((t) => tTwoSidedP(t, groups - 1));
  return { ...inf, groups, pT };
}
