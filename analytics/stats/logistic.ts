/**
 * Logistic regression by iteratively reweighted least squares (Newton–Raphson on the Bernoulli
 * log-likelihood; McCullagh & Nelder 1989, Generalized Linear Models, §2.5 and §4.4), e.g. for the
 * chance that a school joins a partnership given its characteristics.
 */
import { normalTwoSidedP } from './distributions.ts';
import { leastSquares, sandwich } from './householder-qr.ts';

/** Inputs to {@link fitLogistic}. */
export type LogisticInput = {
  /** Design matrix, column-major n × k; the caller supplies any intercept column. */
  x: Float64Array;
  n: number;
  k: number;
  /** Outcome, each 0 or 1. */
  y: ArrayLike<number>;
  /** Iteration cap (default 100). */
  maxIterations?: number;
  /** Convergence: max_j |Δβ_j| ≤ tolerance·(1 + max_j |β_j|) (default 1e-10). */
  tolerance?: number;
};

/**
 * `none`: a finite maximum-likelihood estimate exists and was found.
 * `complete`: some hyperplane separates the 0s from the 1s, so the likelihood has no maximum.
 * `quasi-complete`: part of the sample is fitted with probability 0 or 1 and some coefficient
 * diverges. With any separation no finite MLE exists (Albert & Anderson 1984, Biometrika 71:1–10):
 * coefficients and SEs are reported as NaN rather than as the arbitrary last iterate.
 */
export type Separation = 'none' | 'complete' | 'quasi-complete';

/** Result of {@link fitLogistic}. */
export type LogisticFit = {
  coefficients: Float64Array;
  /** √diag of the inverse Fisher information (XᵀWX)⁻¹, W = diag(μ(1−μ)), at β̂. */
  se: Float64Array;
  /** Wald z = β̂/SE. */
  z: Float64Array;
  /** Two-sided p-values 2Φ(−|z|). */
  p: Float64Array;
  /** Inverse information, k × k, column-major. */
  cov: Float64Array;
  /** ℓ(β̂) = Σ y_iη_i − log(1 + e^{η_i}). */
  logLikelihood: number;
  fitted: Float64Array;
  iterations: number;
  converged: boolean;
  separation: Separation;
  /** Indices of observations fitted with probability 0 or 1 when separation is detected. */
  separatedObservations: number[];
};

/** log(1 + e^η) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function linearPredictor(x: Float64Array, n: number, k: number, beta: Float64Array): Float64Array {
  const eta = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    const b = beta[j] ?? 0;
    for (let i = 0; i < n; i++) eta[i] = (eta[i] ?? 0) + (x[j * n + i] ?? 0) * b;
  }
  return eta;
}

function logLikelihood(y: ArrayLike<number>, eta: Float64Array): number {
  let ll = 0;
  for (let i = 0; i < eta.length; i++) ll += (y[i] ?? 0) * (eta[i] ?? 0) - softplus(eta[i] ?? 0);
  return ll;
}

// A fitted probability within 1e-8 of 0 or 1 (|η| > 18.4) marks an observation as perfectly
// predicted. At a genuine finite MLE this can happen too, so it signals separation only while the
// fit is still not converging and the same observations stay saturated (see STABLE_ITERATIONS).
const SATURATED = 1e-8;
// Under separation each Newton step moves η by O(1) in the separating direction for ever; a
// saturated set unchanged over this many non-converged steps is taken as that divergence.
const STABLE_ITERATIONS = 5;

/**
 * Maximum-likelihood logistic regression. Each IRLS step solves the weighted least-squares
 * problem √W X β = √W z, z = η + (y − μ)/(μ(1−μ)), by Householder QR (no normal equations), with
 * step halving if the log-likelihood would fall. Separation is checked at every iteration and
 * stops the fit with `separation` set rather than letting coefficients run to infinity; a fit that
 * neither converges nor separates within maxIterations returns `converged: false`, `separation: 'none'`.
 */
export function fitLogistic(input: LogisticInput): LogisticFit {
  const { x, n, k, y } = input;
  const maxIterations = input.maxIterations ?? 100;
  const tolerance = input.tolerance ?? 1e-10;
  if (x.length !== n * k) throw new RangeError(`x has ${x.length} entries; expected n·k = ${n * k}`);
  if (y.length !== n) throw new RangeError(`y has ${y.length} entries; expected n = ${n}`);
  for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`y[${i}] = ${y[i]}; expected 0 or 1`);

  // A collinear X is the caller's error; only after this check can a degenerate weighted
  // design below be blamed on separation.
  leastSquares(x, n, k, new Float64Array(n));
  let beta: Float64Array = new Float64Array(k);
  let eta = linearPredictor(x, n, k, beta);
  let ll = logLikelihood(y, eta);
  let converged = false;
  let iterations = 0;
  let separated: number[] = [];
  let stable = 0;
  let diverged = false;
  let previous: Float64Array = beta;
  const wx = new Float64Array(n * k);
  const wz = new Float64Array(n);
  while (iterations < maxIterations) {
    iterations++;
    for (let i = 0; i < n; i++) {
      const e = eta[i] ?? 0;
      // μ and 1 − μ each from its own exponential, so neither rounds to 0 or 1 for |η| < 700.
      const mu = 1 / (1 + Math.exp(-e));
      const oneMinusMu = 1 / (1 + Math.exp(e));
      const sw = Math.sqrt(mu * oneMinusMu);
      const residual = y[i] === 1 ? oneMinusMu : -mu;
      for (let j = 0; j < k; j++) wx[j * n + i] = (x[j * n + i] ?? 0) * sw;
      wz[i] = sw * e + residual / sw;
    }
    let proposal: Float64Array;
    try {
      // Looser rank tolerance than for X itself: under separation the weights concentrate on a
      // few observations and √W·X grows ill-conditioned well before the fit saturates.
      proposal = leastSquares(wx, n, k, wz, 1e-15).beta;
    } catch {
      // X has full rank, so a numerically singular √W·X means the weights μ(1−μ) have collapsed:
      // the divergence of separation.
      diverged = true;
      break;
    }
    let step = 1;
    let next = proposal;
    let nextEta = linearPredictor(x, n, k, next);
    let nextLl = logLikelihood(y, nextEta);
    while (nextLl < ll - 1e-12 * Math.abs(ll) && step > 1e-8) {
      step /= 2;
      next = beta.map((b, j) => b + step * ((proposal[j] ?? 0) - b));
      nextEta = linearPredictor(x, n, k, next);
      nextLl = logLikelihood(y, nextEta);
    }
    let change = 0;
    let size = 0;
    for (let j = 0; j < k; j++) {
      change = Math.max(change, Math.abs((next[j] ?? 0) - (beta[j] ?? 0)));
      size = Math.max(size, Math.abs(next[j] ?? 0));
    }
    previous = beta;
    beta = next;
    eta = nextEta;
    ll = nextLl;
    if (change <= tolerance * (1 + size)) {
      converged = true;
      separated = [];
      break;
    }
    const now = saturated(eta);
    stable = now.length > 0 && now.length === separated.length && now.every((v, i) => v === separated[i]) ? stable + 1 : 0;
    separated = now;
    if (separated.length === n || stable >= STABLE_ITERATIONS) {
      diverged = true;
      break;
    }
  }
  if (!converged && separated.length > 0) diverged = true;
  if (diverged) separated = separatedAlong(x, n, k, y, beta, previous);

  if (diverged) {
    const nan = () => new Float64Array(k).fill(Number.NaN);
    return {
      coefficients: nan(),
      se: nan(),
      z: nan(),
      p: nan(),
      cov: new Float64Array(k * k).fill(Number.NaN),
      logLikelihood: ll,
      fitted: eta.map((e) => 1 / (1 + Math.exp(-e))),
      iterations,
      converged: false,
      // 'none' here only if the weights collapsed with no separating direction found: flagged by converged = false.
      separation: separated.length === n ? 'complete' : separated.length > 0 ? 'quasi-complete' : 'none',
      separatedObservations: separated,
    };
  }

  // Information at the final β̂, as statsmodels evaluates its Hessian at the estimate.
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mu = 1 / (1 + Math.exp(-(eta[i] ?? 0)));
    fitted[i] = mu;
    const sw = Math.sqrt(mu / (1 + Math.exp(eta[i] ?? 0)));
    for (let j = 0; j < k; j++) wx[j * n + i] = (x[j * n + i] ?? 0) * sw;
  }
  const { rInv } = leastSquares(wx, n, k, new Float64Array(n));
  const identity = new Float64Array(k * k);
  for (let j = 0; j < k; j++) identity[j * k + j] = 1;
  const cov = sandwich(rInv, identity, k, 1);
  const se = new Float64Array(k);
  const z = new Float64Array(k);
  const p = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    se[j] = Math.sqrt(cov[j * k + j] ?? Number.NaN);
    z[j] = (beta[j] ?? 0) / (se[j] ?? 0);
    p[j] = normalTwoSidedP(z[j] ?? Number.NaN);
  }
  return { coefficients: beta, se, z, p, cov, logLikelihood: ll, fitted, iterations, converged, separation: 'none', separatedObservations: [] };
}

/**
 * Observations that the divergence direction d = β_t − β_{t−1} separates: (2y_i − 1)·x_iᵀd > 0
 * clearly (beyond 1e-3 of the largest |x_iᵀd|). Under separation Newton's steps settle on a fixed
 * direction along which the likelihood keeps rising (Albert & Anderson 1984): points strictly on
 * the correct side of the separating hyperplane are separated; points on it (x_iᵀd ≈ 0) are the
 * overlap of quasi-complete separation.
 */
function separatedAlong(x: Float64Array, n: number, k: number, y: ArrayLike<number>, beta: Float64Array, previous: Float64Array): number[] {
  const d = beta.map((b, j) => b - (previous[j] ?? 0));
  const along = linearPredictor(x, n, k, d);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(along[i] ?? 0));
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((2 * (y[i] ?? 0) - 1) * (along[i] ?? 0) > 1e-3 * scale) out.push(i);
  return out;
}

function saturated(eta: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < eta.length; i++) {
    const mu = 1 / (1 + Math.exp(-(eta[i] ?? 0)));
    if (mu < SATURATED || mu > 1 - SATURATED) out.push(i);
  }
  return out;
}
