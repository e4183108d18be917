/**
 * Two-level random-intercept linear model (pupils i in schools j), fitted by REML or ML:
 *
 *   y_ij = x_ijᵀβ + u_j + e_ij,   u_j ~ N(0, σ²u),   e_ij ~ N(0, σ²e)
 *
 * (Raudenbush & Bryk 2002, Hierarchical Linear Models, 2nd ed., ch. 3 and ch. 14; Snijders &
 * Bosker 2012, Multilevel Analysis, 2nd ed., ch. 4.) This is the "null model, then full model"
 * of DOMAIN.md §7.
 *
 * How it is fitted. With γ = σ²u/σ²e, school j's covariance is V_j = σ²e(I + γ11ᵀ), whose inverse
 * and determinant are closed-form (Sherman–Morrison; Searle, Casella & McCulloch 1992, Variance
 * Components, ch. 3): V_j⁻¹ = σe⁻²(I − γ/(1+n_jγ)·11ᵀ), |V_j| = σe^{2n_j}(1+n_jγ). Writing
 * z = (x, y) and λ_j = 1/(1+n_jγ), every quadratic form splits into a within-school part that does
 * not depend on γ and a between-school part weighted by λ_j:
 *
 *   Zᵀ V⁻¹ Z · σ²e = Σ_ij (z_ij − z̄_j)(z_ij − z̄_j)ᵀ + Σ_j λ_j n_j z̄_j z̄_jᵀ
 *
 * (the classical within/between decomposition; Raudenbush & Bryk 2002, ch. 3 and ch. 14). β and
 * σ²e are then profiled out in closed form (generalised least squares at the given γ), leaving a
 * smooth function of γ alone to maximise (Pinheiro & Bates 2000, Mixed-Effects Models in S and
 * S-PLUS, §2.2; REML after Harville 1977, JASA 72:320–340). Nothing is squared: the within part is
 * kept as the R factor of a Householder QR of the school-centred data, and the between part as R
 * factors of the rows √n_j·z̄_j, one per distinct school size (schools of one size share λ). Each
 * evaluation of the profile likelihood and its derivative is then one QR of a small stack of
 * triangles: O(C·k³) for C distinct sizes, at most O(J·k²), and independent of the number of
 * pupils. The O(n·k²) work happens once, in {@link schoolSummaries}.
 *
 * γ is found by a grid over γ ∈ {0} ∪ [10⁻⁸, 10⁸] (log-spaced) followed by Brent's root finder on
 * the analytic derivative of the profile log-likelihood (Brent 1973, Algorithms for Minimization
 * without Derivatives, ch. 4). The boundary γ = 0 is reported, not approximated: when the profile
 * likelihood is highest at 0 and its derivative there is ≤ 0, σ²u = 0 exactly and the fit is
 * ordinary least squares (statsmodels and nlme stop at ~10⁻¹⁰ instead).
 */
import { chiSquareUpperP, normalQuantile, normalTwoSidedP } from './distributions.ts';
import { householderQr, invertR } from './householder-qr.ts';

/** Inputs to {@link fitRandomIntercept}. */
export type MixedInput = {
  /** Design matrix, column-major n × k (column c occupies [c·n, (c+1)·n)); the caller adds any intercept column. */
  x: Float64Array;
  /** Number of pupils (rows). */
  n: number;
  /** Number of fixed effects (columns of x, intercept included). */
  k: number;
  /** Outcome, length n. */
  y: ArrayLike<number>;
  /** School of each pupil, any labels; rows need not be sorted by school. */
  groups: ArrayLike<number | string>;
  /** Restricted (default) or full maximum likelihood. */
  method?: 'reml' | 'ml';
};

/** Fixed-effect covariance with its standard errors, z statistics and two-sided normal p-values. */
export type MixedInference = {
  /** k × k, column-major. */
  cov: Float64Array;
  se: Float64Array;
  z: Float64Array;
  p: Float64Array;
};

/** Result of {@link fitRandomIntercept}. */
export type MixedFit = {
  method: 'reml' | 'ml';
  /** Pupils. */
  n: number;
  /** Fixed effects. */
  k: number;
  /** Schools. */
  groups: number;
  /** β̂ = (XᵀV̂⁻¹X)⁻¹XᵀV̂⁻¹y, generalised least squares at the estimated γ. */
  coefficients: Float64Array;
  /**
   * SE from the model-based covariance σ̂²e(XᵀṼ⁻¹X)⁻¹ (Ṽ = V/σ²e), i.e. treating the variance
   * components as known: the convention of nlme, lme4, MLwiN and HLM (Raudenbush & Bryk 2002,
   * ch. 3; Pinheiro & Bates 2000, §2.4). Matches R's `vcov(lme(...))`.
   */
  se: Float64Array;
  /** β̂ / se. */
  z: Float64Array;
  /** Two-sided p-values from the normal, 2Φ(−|z|), as statsmodels MixedLM and nlme's large-sample Wald tests. */
  p: Float64Array;
  /** 95% Wald interval β̂ ± Φ⁻¹(0.975)·se. */
  ciLow: Float64Array;
  ciHigh: Float64Array;
  /** Model-based covariance of β̂ (see `se`), k × k column-major. */
  cov: Float64Array;
  /**
   * The β block of the inverse observed information of the profile likelihood in (β, γ), which
   * statsmodels MixedLM reports (`bse_fe`, `cov_params()`). It adds the uncertainty in γ through
   * the cross derivative ∂²ℓ/∂β∂γ, which is not zero at the optimum unless school residual sums
   * happen to balance, so its SEs are slightly larger than `se`'s: up to 2% in the small test
   * fixtures (most on the boundary), 10⁻⁵ with 16,000 schools. Both are consistent; `se` is the
   * one multilevel reports use. NaN where that information matrix is not positive definite.
   */
  observed: MixedInference;
  /** σ̂²e: RSS(γ̂)/(n − k) under REML, RSS(γ̂)/n under ML. */
  sigma2Within: number;
  /** σ̂²u = γ̂·σ̂²e. */
  sigma2Between: number;
  /** γ̂ = σ̂²u/σ̂²e. */
  varianceRatio: number;
  /** Intra-class correlation, the level-2 share of variance σ̂²u/(σ̂²u + σ̂²e) (DOMAIN.md §7). */
  icc: number;
  /** Maximised log-likelihood (REML or ML) on statsmodels' and nlme's scale, constants included. */
  logLik: number;
  /** True when γ̂ = 0 exactly: the likelihood is highest with no between-school variance. */
  boundary: boolean;
  converged: boolean;
  /** Steps of the root finder after the grid (0 on the boundary). */
  iterations: number;
  /** Evaluations of the profile likelihood, grid included. */
  evaluations: number;
};

/**
 * Per-school sufficient statistics of a design, enough for every profile-likelihood evaluation.
 * Built once in O(n·k²) by {@link schoolSummaries}; {@link fitSchoolSummaries} then costs
 * O(C·k³) per evaluation. Matrices are column-major over the k + 1 columns of z = (x, y).
 */
export type SchoolSummaries = {
  n: number;
  k: number;
  groups: number;
  /** Upper-triangular (k+1) × (k+1) R of the school-centred [X y] (Householder QR). */
  within: Float64Array;
  /** One block per distinct school size. */
  sizes: SizeClass[];
};

/**
 * Schools of one size m: `rows` × (k+1) matrix B with BᵀB = Σ_j m·z̄_j z̄_jᵀ over its `schools`
 * schools (the rows √m·z̄_j themselves, or their R factor when there are more than k + 1).
 */
export type SizeClass = { size: number; schools: number; rows: number; block: Float64Array };

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * School index of each row. Small non-negative integer labels go through a lookup table (the bench's
 * 600,000 rows in ~5 ms); anything else through a Map.
 */
function schoolIndex(groups: ArrayLike<number | string>, n: number): { index: Int32Array; groups: number } {
  const index = new Int32Array(n);
  let small = true;
  let max = 0;
  for (let i = 0; i < n && small; i++) {
    const g = groups[i];
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > 4 * n + 1024) small = false;
    else if (g > max) max = g;
  }
  if (small) {
    const table = new Int32Array(max + 1).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const g = groups[i] as number;
      let j = table[g]!;
      if (j < 0) {
        j = count++;
        table[g] = j;
      }
      index[i] = j;
    }
    return { index, groups: count };
  }
  const map = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const g = groups[i] as number | string;
    let j = map.get(g);
    if (j === undefined) {
      j = map.size;
      map.set(g, j);
    }
    index[i] = j;
  }
  return { index, groups: map.size };
}

/**
 * Builds the sufficient statistics of {@link SchoolSummaries} from raw arrays.
 *
 * School means are computed in two passes (the second adds the mean of the residuals from the
 * first, which recovers the digits a plain sum loses: the corrected two-pass algorithm of Chan,
 * Golub & LeVeque 1983, The American Statistician 37:242–247). The within part is the R factor of
 * the centred data, so the within-school cross-product matrix is never formed.
 */
export function schoolSummaries(input: Omit<MixedInput, 'method'>): SchoolSummaries {
  const { n, k, x, y } = input;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k = ${k}; need at least one column (an intercept)`);
  if (x.length !== n * k) throw new RangeError(`x has ${x.length} entries; expected n·k = ${n * k}`);
  if (y.length !== n) throw new RangeError(`y has ${y.length} entries; expected n = ${n}`);
  if (input.groups.length !== n) throw new RangeError(`groups has ${input.groups.length} entries; expected n = ${n}`);
  if (n <= k + 1) throw new RangeError(`need more pupils (${n}) than fixed effects plus one (${k + 1})`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new RangeError(`y[${i}] = ${y[i]}; every outcome must be a finite number`);
  for (let i = 0; i < n * k; i++)
    if (!Number.isFinite(x[i]!)) throw new RangeError(`x[${i % n}, ${Math.floor(i / n)}] = ${x[i]}; every covariate must be a finite number`);

  const { index, groups } = schoolIndex(input.groups, n);
  if (groups < 2) throw new RangeError(`need at least two schools to separate between- from within-school variance; got ${groups}`);
  const p = k + 1;
  const count = new Int32Array(groups);
  for (let i = 0; i < n; i++) count[index[i]!]!++;
  if (n - groups < 1) throw new RangeError('every school has a single pupil, so between- and within-school variance cannot be told apart');

  // Centred copy of z = [X y], column-major, and the school means.
  const centred = new Float64Array(n * p);
  centred.set(x);
  for (let i = 0; i < n; i++) centred[k * n + i] = y[i]!;
  const means = new Float64Array(groups * p);
  for (let c = 0; c < p; c++) {
    const col = c * n;
    const sum = new Float64Array(groups);
    for (let i = 0; i < n; i++) sum[index[i]!]! += centred[col + i]!;
    for (let j = 0; j < groups; j++) sum[j] = sum[j]! / count[j]!;
    const correction = new Float64Array(groups);
    for (let i = 0; i < n; i++) {
      const j = index[i]!;
      correction[j]! += centred[col + i]! - sum[j]!;
    }
    for (let j = 0; j < groups; j++) {
      const mean = sum[j]! + correction[j]! / count[j]!;
      means[j * p + c] = mean;
    }
    for (let i = 0; i < n; i++) centred[col + i] = centred[col + i]! - means[index[i]! * p + c]!;
  }
  householderQr(centred, n, p);
  const within = new Float64Array(p * p);
  for (let c = 0; c < p; c++) for (let r = 0; r <= c; r++) within[c * p + r] = centred[c * n + r]!;

  // Schools grouped by size; each group's rows √m·z̄_j, reduced to their R factor when tall.
  const bySize = new Map<number, number[]>();
  for (let j = 0; j < groups; j++) {
    const m = count[j]!;
    const list = bySize.get(m);
    if (list) list.push(j);
    else bySize.set(m, [j]);
  }
  const sizes: SizeClass[] = [];
  for (const [size, schools] of [...bySize.entries()].sort((a, b) => a[0] - b[0])) {
    const rows = schools.length;
    const root = Math.sqrt(size);
    const block = new Float64Array(rows * p);
    schools.forEach((j, r) => {
      for (let c = 0; c < p; c++) block[c * rows + r] = root * means[j * p + c]!;
    });
    if (rows > p) {
      householderQr(block, rows, p);
      const reduced = new Float64Array(p * p);
      for (let c = 0; c < p; c++) for (let r = 0; r <= c; r++) reduced[c * p + r] = block[c * rows + r]!;
      sizes.push({ size, schools: rows, rows: p, block: reduced });
    } else sizes.push({ size, schools: rows, rows, block });
  }
  return { n, k, groups, within, sizes };
}

/** Everything one evaluation of the profile likelihood at γ yields. */
type Evaluation = {
  gamma: number;
  logLik: number;
  /** dℓ/dγ of the profile log-likelihood (β and σ²e profiled out). */
  slope: number;
  beta: Float64Array;
  /** R_xx⁻¹ (k × k, upper triangular, column-major): (XᵀṼ⁻¹X)⁻¹ = R_xx⁻¹R_xx⁻ᵀ. */
  rInv: Float64Array;
  rss: number;
  /** |R_jj| of the stack and the norms of its columns, for the rank check. */
  diagonal: Float64Array;
  columnNorms: Float64Array;
};

/**
 * Profile log-likelihood at γ and its derivative.
 *
 * Stack S(γ) = [R_W; √λ_c·B_c for each size class c], λ_c = 1/(1 + m_cγ), so SᵀS = ZᵀṼ⁻¹Z. Its QR
 * gives R = [R_xx r_xy; 0 r_yy]: β̂ = R_xx⁻¹r_xy, RSS = r_yy², log|XᵀṼ⁻¹X| = 2Σ log|R_xx,ii|.
 * With f = n (ML) or n − k (REML) and σ̂²e = RSS/f (Pinheiro & Bates 2000, §2.2, profiled
 * likelihoods; the same constants as statsmodels MixedLM and nlme):
 *
 *   ℓ_ML(γ)   = −(n/2)(log 2π + 1 + log(RSS/n)) − ½ Σ_j log(1 + n_jγ)
 *   ℓ_REML(γ) = −((n−k)/2)(log 2π + 1 + log(RSS/(n−k))) − ½ Σ_j log(1 + n_jγ) − ½ log|XᵀṼ⁻¹X|
 *
 * Derivative, using dλ_j/dγ = −n_jλ_j² and the envelope theorem for RSS (β̂ is a minimiser, so only
 * the explicit γ-dependence counts): RSS' = −Σ_j n_j²λ_j²(ȳ_j − x̄_jᵀβ̂)², and for REML
 * d log|XᵀṼ⁻¹X|/dγ = −Σ_j n_j²λ_j² x̄_jᵀ(XᵀṼ⁻¹X)⁻¹x̄_j; so
 *
 *   ℓ' = −½ Σ_j n_jλ_j − (f/2)·RSS'/RSS [− ½ d log|XᵀṼ⁻¹X|/dγ for REML].
 */
function evaluate(s: SchoolSummaries, gamma: number, reml: boolean): Evaluation {
  const { k, n } = s;
  const p = k + 1;
  let rows = p;
  for (const c of s.sizes) rows += c.rows;
  const stack = new Float64Array(rows * p);
  for (let c = 0; c < p; c++) for (let r = 0; r <= c; r++) stack[c * rows + r] = s.within[c * p + r]!;
  let offset = p;
  let logDetV = 0;
  let traceTerm = 0;
  for (const cls of s.sizes) {
    const lambda = 1 / (1 + cls.size * gamma);
    const scale = Math.sqrt(lambda);
    for (let c = 0; c < p; c++) for (let r = 0; r < cls.rows; r++) stack[c * rows + offset + r] = scale * cls.block[c * cls.rows + r]!;
    offset += cls.rows;
    logDetV += cls.schools * Math.log1p(cls.size * gamma);
    traceTerm += cls.schools * cls.size * lambda;
  }
  const columnNorms = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    let scale = 0;
    for (let r = 0; r < rows; r++) scale = Math.max(scale, Math.abs(stack[c * rows + r]!));
    let sum = 0;
    if (scale > 0) for (let r = 0; r < rows; r++) sum += (stack[c * rows + r]! / scale) ** 2;
    columnNorms[c] = scale * Math.sqrt(sum);
  }
  householderQr(stack, rows, p);
  const diagonal = new Float64Array(p);
  for (let c = 0; c < p; c++) diagonal[c] = Math.abs(stack[c * rows + c]!);
  const rInv = invertR(stack, rows, k);
  const beta = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = 0;
    for (let m = i; m < k; m++) sum += rInv[m * k + i]! * stack[k * rows + m]!;
    beta[i] = sum;
  }
  const ryy = stack[k * rows + k]!;
  const rss = ryy * ryy;
  const f = reml ? n - k : n;
  let logLik = -(f / 2) * (LOG_2PI + 1 + Math.log(rss / f)) - logDetV / 2;
  // ½ log|XᵀṼ⁻¹X| = Σ log|R_xx,ii|.
  let halfLogDetA = 0;
  for (let i = 0; i < k; i++) halfLogDetA += Math.log(diagonal[i]!);
  if (reml) logLik -= halfLogDetA;

  // Derivative: per size class, the residual sums ‖B_c e‖², e = (−β̂, 1), and ‖B_c,x R_xx⁻¹‖²_F.
  let rssSlope = 0;
  let logDetASlope = 0;
  for (const cls of s.sizes) {
    const weight = cls.size / (1 + cls.size * gamma) ** 2;
    const r = cls.rows;
    let q = 0;
    for (let i = 0; i < r; i++) {
      let e = cls.block[k * r + i]!;
      for (let c = 0; c < k; c++) e -= cls.block[c * r + i]! * beta[c]!;
      q += e * e;
    }
    rssSlope -= weight * q;
    if (reml) logDetASlope -= weight * frobeniusTimesInverse(cls.block, r, k, rInv);
  }
  let slope = -traceTerm / 2 - ((f / 2) * rssSlope) / rss;
  if (reml) slope -= logDetASlope / 2;
  return { gamma, logLik, slope, beta, rInv, rss, diagonal, columnNorms };
}

/** ‖B_x R⁻¹‖²_F for the first k columns of the rows × (k+1) block B and upper-triangular R⁻¹ (k × k). */
function frobeniusTimesInverse(block: Float64Array, rows: number, k: number, rInv: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < k; c++) {
      let v = 0;
      for (let m = 0; m <= c; m++) v += block[m * rows + i]! * rInv[c * k + m]!;
      sum += v * v;
    }
  return sum;
}

/**
 * Brent's root finder (zeroin; Brent 1973, ch. 4): f(a) and f(b) of opposite signs; returns the
 * root to within 2·eps·|t| + tolerance, combining bisection, secant and inverse quadratic steps.
 */
function zeroin(f: (t: number) => number, a0: number, b0: number, fa0: number, fb0: number, tolerance: number): { root: number; steps: number; converged: boolean } {
  let a = a0;
  let b = b0;
  let fa = fa0;
  let fb = fb0;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let steps = 1; steps <= 200; steps++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + tolerance;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || fb === 0) return { root: b, steps, converged: true };
    if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
      d = m;
      e = m;
    } else {
      let s = fb / fa;
      let pNum: number;
      let qDen: number;
      if (a === c) {
        pNum = 2 * m * s;
        qDen = 1 - s;
      } else {
        const q = fa / fc;
        const r = fb / fc;
        pNum = s * (2 * m * q * (q - r) - (b - a) * (r - 1));
        qDen = (q - 1) * (r - 1) * (s - 1);
      }
      if (pNum > 0) qDen = -qDen;
      else pNum = -pNum;
      s = e;
      e = d;
      if (2 * pNum < 3 * m * qDen - Math.abs(tol * qDen) && pNum < Math.abs((s * qDen) / 2)) d = pNum / qDen;
      else {
        d = m;
        e = m;
      }
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return { root: b, steps: 200, converged: false };
}

/** Grid of γ: 0, then 10^−8 … 10^8 in half-decade steps. */
const GRID = [0, ...Array.from({ length: 33 }, (_, i) => 10 ** (-8 + i / 2))];

/**
 * Maximises the profile likelihood over γ ≥ 0. Returns the evaluation at γ̂.
 * Grid first (the profile likelihood of a random intercept is smooth but need not be concave in
 * γ), then Brent on ℓ'(γ) = 0 inside the bracket around the best grid point, in log γ unless the
 * bracket touches 0.
 */
function maximise(s: SchoolSummaries, reml: boolean): { at: Evaluation; boundary: boolean; converged: boolean; iterations: number; evaluations: number } {
  let evaluations = 0;
  const at = (gamma: number) => {
    evaluations++;
    return evaluate(s, gamma, reml);
  };
  const grid = GRID.map(at);
  checkRank(grid[0]!, s.k);
  // Past the top of the grid only when the likelihood still rises there: extend by decades.
  while (grid[grid.length - 1]!.logLik > grid[grid.length - 2]!.logLik) {
    const next = grid[grid.length - 1]!.gamma * 10;
    if (next > 1e16)
      throw new RangeError(
        'the likelihood keeps rising as σ²e → 0: there is no residual variation within schools once the covariates are fitted, so the model is degenerate',
      );
    grid.push(at(next));
  }
  let best = 0;
  for (let i = 1; i < grid.length; i++) if (grid[i]!.logLik > grid[best]!.logLik) best = i;
  if (best === 0 && grid[0]!.slope <= 0) return { at: grid[0]!, boundary: true, converged: true, iterations: 0, evaluations };

  // Bracket [lo, hi] with ℓ'(lo) > 0 > ℓ'(hi).
  let lo = grid[Math.max(0, best - 1)]!;
  let hi = grid[Math.min(grid.length - 1, best + 1)]!;
  const mid = grid[best]!;
  if (best > 0 && mid.slope > 0) lo = mid;
  else if (best > 0 && mid.slope < 0) hi = mid;
  else if (best === 0) lo = mid;
  if (!(lo.slope > 0 && hi.slope < 0)) return { at: mid, boundary: false, converged: false, iterations: 0, evaluations };
  const linear = lo.gamma === 0;
  const toGamma = (t: number) => (linear ? t : Math.exp(t));
  const fromGamma = (g: number) => (linear ? g : Math.log(g));
  // Absolute tolerance 1e-14 in log γ is 1e-14 relative in γ; on the linear scale, relative to the bracket.
  const found = zeroin((t) => at(toGamma(t)).slope, fromGamma(lo.gamma), fromGamma(hi.gamma), lo.slope, hi.slope, linear ? 1e-14 * hi.gamma : 1e-14);
  const final = at(toGamma(found.root));
  return { at: final, boundary: false, converged: found.converged, iterations: found.steps, evaluations };
}

/**
 * A column of X that is (nearly) a combination of earlier ones leaves β unidentified. Judged on
 * XᵀX itself (γ = 0): |R_jj| ≤ 10⁻¹⁰·‖column j‖ means column j lies within 10⁻¹⁰ (relative) of the
 * span of the earlier columns. Relative to each column's own norm, so units do not matter.
 */
function checkRank(e: Evaluation, k: number): void {
  for (let j = 0; j < k; j++)
    if (!(e.diagonal[j]! > 1e-10 * e.columnNorms[j]!))
      throw new RangeError(`design matrix is rank-deficient: column ${j} is (nearly) a linear combination of earlier columns`);
}

/**
 * Fits the random-intercept model by REML (default) or ML. Throws a RangeError on malformed input,
 * a rank-deficient X, fewer than two schools, schools that are all singletons, or no residual
 * within-school variation. Singleton schools, schools with no variation, covariates constant
 * within schools and very unequal school sizes are all fine.
 */
export function fitRandomIntercept(input: MixedInput): MixedFit {
  return fitSchoolSummaries(schoolSummaries(input), input.method ?? 'reml');
}

/** {@link fitRandomIntercept} from summaries already built (e.g. to fit REML and ML from one pass). */
export function fitSchoolSummaries(s: SchoolSummaries, method: 'reml' | 'ml' = 'reml'): MixedFit {
  const reml = method === 'reml';
  const { k, n } = s;
  const found = maximise(s, reml);
  const e = found.at;
  const gamma = found.boundary ? 0 : e.gamma;
  const f = reml ? n - k : n;
  const sigma2Within = e.rss / f;
  const sigma2Between = gamma * sigma2Within;

  // Model-based covariance σ̂²e·R_xx⁻¹R_xx⁻ᵀ.
  const aInv = new Float64Array(k * k);
  for (let c = 0; c < k; c++)
    for (let r = 0; r <= c; r++) {
      let sum = 0;
      for (let m = c; m < k; m++) sum += e.rInv[m * k + r]! * e.rInv[m * k + c]!;
      aInv[c * k + r] = sum;
      aInv[r * k + c] = sum;
    }
  const cov = aInv.map((v) => v * sigma2Within);
  const model = inference(cov, e.beta, k);
  const observed = inference(observedCovariance(s, e, gamma, reml, aInv, sigma2Within), e.beta, k);
  const q = normalQuantile(0.975);
  return {
    method,
    n,
    k,
    groups: s.groups,
    coefficients: e.beta,
    se: model.se,
    z: model.z,
    p: model.p,
    ciLow: e.beta.map((b, j) => b - q * model.se[j]!),
    ciHigh: e.beta.map((b, j) => b + q * model.se[j]!),
    cov,
    observed,
    sigma2Within,
    sigma2Between,
    varianceRatio: gamma,
    icc: gamma / (1 + gamma),
    logLik: e.logLik,
    boundary: found.boundary,
    converged: found.converged,
    iterations: found.iterations,
    evaluations: found.evaluations,
  };
}

function inference(cov: Float64Array, beta: Float64Array, k: number): MixedInference {
  const se = new Float64Array(k);
  const z = new Float64Array(k);
  const p = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    se[j] = Math.sqrt(cov[j * k + j]!);
    z[j] = beta[j]! / se[j]!;
    p[j] = normalTwoSidedP(z[j]!);
  }
  return { cov, se, z, p };
}

/**
 * The β block of the inverse observed information of L(β, γ), the log-likelihood with σ²e profiled
 * out but β free (what statsmodels MixedLM differentiates; its `hessian`). With Q(β, γ) =
 * (y − Xβ)ᵀṼ⁻¹(y − Xβ), f = n or n − k, c = Σ_j n_j²λ_j² x̄_j(ȳ_j − x̄_jᵀβ̂) and A = XᵀṼ⁻¹X:
 *
 *   −∂²L/∂β² = A/σ̂²e,   −∂²L/∂β∂γ = c/σ̂²e,
 *   −∂²L/∂γ² = −½ Σ n_j²λ_j² + (f/2)(Q_γγ/Q − Q_γ²/Q²) [+ ½ d²log|A|/dγ² for REML],
 *
 * with Q_γ = −Σ n_j²λ_j²r̄_j², Q_γγ = 2Σ n_j³λ_j³r̄_j², r̄_j = ȳ_j − x̄_jᵀβ̂, and
 * d²log|A|/dγ² = tr(A⁻¹A'') − tr(A⁻¹A'A⁻¹A'). By the partitioned inverse,
 * cov = σ̂²e (A − u uᵀ)⁻¹ with u = c/√(σ̂²e·I_γγ), applied by Sherman–Morrison.
 */
function observedCovariance(s: SchoolSummaries, e: Evaluation, gamma: number, reml: boolean, aInv: Float64Array, sigma2: number): Float64Array {
  const { k } = s;
  const f = reml ? s.n - k : s.n;
  const cross = new Float64Array(k);
  let qGamma = 0;
  let qGammaGamma = 0;
  let info = 0;
  // G = R⁻ᵀA'R⁻¹ (k × k) and tr(A⁻¹A'') for the REML term.
  const g = new Float64Array(k * k);
  let traceSecond = 0;
  for (const cls of s.sizes) {
    const m = cls.size;
    const lambda = 1 / (1 + m * gamma);
    const w1 = m * lambda * lambda;
    const w2 = 2 * m * m * lambda * lambda * lambda;
    info -= (cls.schools * m * m * lambda * lambda) / 2;
    const r = cls.rows;
    for (let i = 0; i < r; i++) {
      let res = cls.block[k * r + i]!;
      for (let c = 0; c < k; c++) res -= cls.block[c * r + i]! * e.beta[c]!;
      qGamma -= w1 * res * res;
      qGammaGamma += w2 * res * res;
      for (let c = 0; c < k; c++) cross[c]! += w1 * cls.block[c * r + i]! * res;
    }
    if (reml) {
      for (let i = 0; i < r; i++) {
        const row = new Float64Array(k);
        for (let c = 0; c < k; c++) {
          let v = 0;
          for (let mm = 0; mm <= c; mm++) v += cls.block[mm * r + i]! * e.rInv[c * k + mm]!;
          row[c] = v;
        }
        for (let c = 0; c < k; c++) {
          traceSecond += w2 * row[c]! * row[c]!;
          for (let d = 0; d < k; d++) g[c * k + d]! -= w1 * row[c]! * row[d]!;
        }
      }
    }
  }
  const q = e.rss;
  info += (f / 2) * (qGammaGamma / q - (qGamma * qGamma) / (q * q));
  if (reml) {
    let traceSquare = 0;
    for (let i = 0; i < k * k; i++) traceSquare += g[i]! * g[i]!;
    info += (traceSecond - traceSquare) / 2;
  }
  // (A − uuᵀ)⁻¹ = A⁻¹ + A⁻¹u uᵀA⁻¹/(1 − uᵀA⁻¹u), u = c/√(σ²·I_γγ).
  const au = new Float64Array(k);
  let uAu = 0;
  for (let r = 0; r < k; r++) {
    let v = 0;
    for (let c = 0; c < k; c++) v += aInv[c * k + r]! * cross[c]!;
    au[r] = v;
    uAu += v * cross[r]!;
  }
  const scale = 1 / (sigma2 * info);
  const denominator = 1 - uAu * scale;
  const out = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) out[c * k + r] = sigma2 * (aInv[c * k + r]! + (au[r]! * au[c]! * scale) / denominator);
  return out;
}

/**
 * Explained variance of a full model relative to the null model, per level as DOMAIN.md §7 reports
 * it: level 1 = (σ²e,null − σ²e,full)/σ²e,null, level 2 = (σ²u,null − σ²u,full)/σ²u,null, and
 * total = the same reduction of σ²u + σ²e (Raudenbush & Bryk 2002, ch. 4, "proportion reduction
 * in variance").
 *
 * These are not R² and can be negative (Snijders & Bosker 2012, ch. 7): a pupil-level covariate
 * whose school means vary less than its pupil values would predict raises σ̂²u once fitted, so level
 * 2 "explains" a negative share. A negative value means the full model attributes more variance to
 * that level than the null model did (often a compositional effect, or a covariate that differs
 * within schools but not between them); it is returned as is, not clipped, because clipping would
 * hide exactly that. `total` is Snijders & Bosker's R²₁, the measure they recommend because it
 * rarely goes negative. A level whose null variance is 0 (a null fit on the boundary) gives NaN
 * for that level. Both fits must use the same pupils and method.
 */
export function explainedVariance(nullFit: MixedFit, fullFit: MixedFit): { level1: number; level2: number; total: number } {
  if (nullFit.n !== fullFit.n || nullFit.groups !== fullFit.groups)
    throw new RangeError(`the fits are on different data (${nullFit.n} vs ${fullFit.n} pupils, ${nullFit.groups} vs ${fullFit.groups} schools)`);
  if (nullFit.method !== fullFit.method) throw new RangeError(`the fits use different methods (${nullFit.method} vs ${fullFit.method})`);
  const reduction = (before: number, after: number) => (before > 0 ? (before - after) / before : Number.NaN);
  return {
    level1: reduction(nullFit.sigma2Within, fullFit.sigma2Within),
    level2: reduction(nullFit.sigma2Between, fullFit.sigma2Between),
    total: reduction(nullFit.sigma2Within + nullFit.sigma2Between, fullFit.sigma2Within + fullFit.sigma2Between),
  };
}

/**
 * Joint Wald test that the coefficients at `indices` are all zero: χ² = β̂_Sᵀ(Cov_S)⁻¹β̂_S on |S|
 * degrees of freedom (the general linear hypothesis with an identity contrast; Raudenbush & Bryk
 * 2002, ch. 3; Pinheiro & Bates 2000, §2.4). Uses the model-based covariance by default,
 * or statsmodels' observed-information covariance with `covariance: 'observed'`. Cov_S is factored
 * by Cholesky; a singular block is an error.
 */
export function waldTest(fit: MixedFit, indices: number[], covariance: 'model' | 'observed' = 'model'): { chi2: number; df: number; p: number } {
  const { k } = fit;
  const df = indices.length;
  if (df === 0) throw new RangeError('name at least one coefficient to test');
  if (new Set(indices).size !== df) throw new RangeError(`coefficient indices repeat: ${indices.join(', ')}`);
  for (const j of indices) if (!Number.isInteger(j) || j < 0 || j >= k) throw new RangeError(`coefficient index ${j} is outside 0..${k - 1}`);
  const cov = covariance === 'model' ? fit.cov : fit.observed.cov;
  // Cholesky L Lᵀ of the selected block, then χ² = ‖L⁻¹β_S‖².
  const l = new Float64Array(df * df);
  for (let c = 0; c < df; c++)
    for (let r = c; r < df; r++) {
      let sum = cov[indices[c]! * k + indices[r]!]!;
      for (let m = 0; m < c; m++) sum -= l[m * df + r]! * l[m * df + c]!;
      if (r === c) {
        if (!(sum > 0)) throw new RangeError('the covariance of the tested coefficients is singular');
        l[c * df + c] = Math.sqrt(sum);
      } else l[c * df + r] = sum / l[c * df + c]!;
    }
  let chi2 = 0;
  const v = new Float64Array(df);
  for (let r = 0; r < df; r++) {
    let sum = fit.coefficients[indices[r]!]!;
    for (let m = 0; m < r; m++) sum -= l[m * df + r]! * v[m]!;
    v[r] = sum / l[r * df + r]!;
    chi2 += v[r]! * v[r]!;
  }
  return { chi2, df, p: chiSquareUpperP(chi2, df) };
}
