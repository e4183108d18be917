/**
 * Householder QR and small dense kernels shared by the regression fitters (Golub & Van Loan,
 * Matrix Computations, 4th ed., Algorithm 5.1.1 and §5.3). Matrices are column-major Float64Arrays.
 */

/**
 * Householder QR of a column-major n × k matrix, in place: on return the upper triangle of the
 * first k rows holds R, and the Householder vectors (v with v₀ = 1 implied) are below the diagonal.
 * Returns the scalars τ_j of H_j = I − τ_j v vᵀ.
 */
export function householderQr(a: Float64Array, n: number, k: number): Float64Array {
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const col = j * n;
    // Scaled norm to avoid overflow/underflow in the sum of squares.
    let scale = 0;
    for (let i = j; i < n; i++) scale = Math.max(scale, Math.abs(a[col + i] ?? 0));
    if (scale === 0) continue;
    let norm2 = 0;
    for (let i = j; i < n; i++) {
      const v = (a[col + i] ?? 0) / scale;
      norm2 += v * v;
    }
    const alpha0 = a[col + j] ?? 0;
    // Sign chosen opposite to the pivot so that v₀ = a_jj − β has no cancellation.
    const beta = -Math.sign(alpha0 || 1) * scale * Math.sqrt(norm2);
    const v0 = alpha0 - beta;
    for (let i = j + 1; i < n; i++) a[col + i] = (a[col + i] ?? 0) / v0;
    tau[j] = (beta - alpha0) / beta;
    a[col + j] = beta;
    // Apply H_j to the remaining columns.
    for (let c = j + 1; c < k; c++) {
      const cc = c * n;
      let dot = a[cc + j] ?? 0;
      for (let i = j + 1; i < n; i++) dot += (a[col + i] ?? 0) * (a[cc + i] ?? 0);
      const f = (tau[j] ?? 0) * dot;
      a[cc + j] = (a[cc + j] ?? 0) - f;
      for (let i = j + 1; i < n; i++) a[cc + i] = (a[cc + i] ?? 0) - f * (a[col + i] ?? 0);
    }
  }
  return tau;
}

/** Applies Qᵀ = H_{k−1}…H_0 to vector b in place, using the factors stored by householderQr. */
export function applyQt(qr: Float64Array, tau: Float64Array, n: number, k: number, b: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const col = j * n;
    let dot = b[j] ?? 0;
    for (let i = j + 1; i < n; i++) dot += (qr[col + i] ?? 0) * (b[i] ?? 0);
    const f = (tau[j] ?? 0) * dot;
    b[j] = (b[j] ?? 0) - f;
    for (let i = j + 1; i < n; i++) b[i] = (b[i] ?? 0) - f * (qr[col + i] ?? 0);
  }
}

/** Inverse of the upper-triangular R (k × k) stored in the QR array; column-major k × k result. */
export function invertR(qr: Float64Array, n: number, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    inv[j * k + j] = 1 / (qr[j * n + j] ?? 0);
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += (qr[m * n + i] ?? 0) * (inv[j * k + m] ?? 0);
      inv[j * k + i] = -s / (qr[i * n + i] ?? 0);
    }
  }
  return inv;
}

/** B·M·Bᵀ for k × k column-major B and symmetric M. */
export function sandwich(bread: Float64Array, meat: Float64Array, k: number, scale: number): Float64Array {
  const bm = new Float64Array(k * k);
  for (let c = 0; c < k; c++)
    for (let m = 0; m < k; m++) {
      const v = meat[c * k + m] ?? 0;
      if (v === 0) continue;
      for (let r = 0; r < k; r++) bm[c * k + r] = (bm[c * k + r] ?? 0) + (bread[m * k + r] ?? 0) * v;
    }
  const out = new Float64Array(k * k);
  for (let c = 0; c < k; c++)
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += (bm[m * k + r] ?? 0) * (bread[m * k + c] ?? 0);
      out[c * k + r] = s * scale;
    }
  return out;
}

/**
 * Least squares min‖Xβ − y‖ by Householder QR: β = R⁻¹Q₁ᵀy, also returning R⁻¹ so callers can
 * form (XᵀX)⁻¹ = R⁻¹R⁻ᵀ. Throws a RangeError when |R_jj| ≤ rankTolerance·max|R_ii| (rank-deficient X).
 */
export function leastSquares(
  x: Float64Array,
  n: number,
  k: number,
  y: Float64Array,
  rankTolerance = 1e-10,
): { beta: Float64Array; rInv: Float64Array } {
  const qr = Float64Array.from(x);
  const tau = householderQr(qr, n, k);
  let maxDiag = 0;
  for (let j = 0; j < k; j++) maxDiag = Math.max(maxDiag, Math.abs(qr[j * n + j] ?? 0));
  for (let j = 0; j < k; j++)
    if (!(Math.abs(qr[j * n + j] ?? 0) > rankTolerance * maxDiag))
      throw new RangeError(`design matrix is rank-deficient: column ${j} is (nearly) a linear combination of earlier columns`);
  const qty = Float64Array.from(y);
  applyQt(qr, tau, n, k, qty);
  const rInv = invertR(qr, n, k);
  const beta = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let m = i; m < k; m++) s += (rInv[m * k + i] ?? 0) * (qty[m] ?? 0);
    beta[i] = s;
  }
  return { beta, rInv };
}
