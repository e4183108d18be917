/**
 * Against the odds: which schools achieve more than their intake predicts.
 *
 * Attainment is regressed on context by ordinary least squares across schools,
 *     y_i = β₀ + Σ_c β_c x_ic + e_i,
 * and each school's residual e_i = y_i − ŷ_i is what it achieves beyond (or short of) the
 * prediction for schools with its context. Beside it, an "against the odds" flag: by default a
 * school in the top quartile of disadvantage (% FSM) that is also in the top quartile of
 * attainment. Ainscow, Muijs and West (2006, Improving Schools 9(3), on collaboration in schools
 * facing challenging circumstances) report the analysis of Mujtaba & Sammons (2006) for
 * Networked Learning Communities, which used a fixed FSM band (35–50%) and results in the top two
 * quartiles; `flagRule: { disadvantageAtLeast: 35, attainmentQuartileAtLeast: 3 }` reproduces
 * that reading. The residual is a statistical adjustment for the context measured; the flag is
 * the plain, model-free reading that practitioners use.
 *
 * For a head teacher: a positive residual means your pupils did better than those of schools
 * with a similar intake usually do, which is the comparison your intake deserves. For a network
 * coordinator: schools with large residuals, and above all those flagged against the odds, are
 * where to look for practice that works in hard circumstances.
 *
 * Caveats (say them in the UI): the residual also holds everything the context columns miss
 * and a year's noise; a small school's residual moves a lot from year to year.
 */
import { fitOls, type OlsFit } from '../stats/index.ts';
import { quartileCuts, quartileOf } from './variation.ts';

/** A named context column, one value per school; NaN = missing. */
export type ContextColumn = { name: string; values: ArrayLike<number> };

/** Inputs to {@link againstTheOdds}. */
export type AgainstTheOddsInput = {
  /** School ids, length n (ties in the ranking go to the lower id). */
  ids: ArrayLike<number>;
  /** The attainment measure, length n; NaN = missing. */
  attainment: ArrayLike<number>;
  /** Context regressors (an intercept is added). */
  context: readonly ContextColumn[];
  /** Name of the context column that measures disadvantage (e.g. % FSM), used for the flag. */
  disadvantage: string;
  /**
   * Who is flagged. Disadvantaged: value ≥ `disadvantageAtLeast` when given, else disadvantage
   * quartile 4 (above Q3). Succeeding: attainment quartile ≥ `attainmentQuartileAtLeast`
   * (default 4). Default: top quartile of both.
   */
  flagRule?: { disadvantageAtLeast?: number; attainmentQuartileAtLeast?: 1 | 2 | 3 | 4 };
};

/** One coefficient with its heteroskedasticity-robust (HC1) inference. */
export type Coefficient = {
  /** "intercept" or the context column's name. */
  name: string;
  estimate: number;
  /** HC1 standard error (MacKinnon & White 1985), robust to unequal residual spread across kinds of school. */
  se: number;
  /** estimate / se, and its two-sided normal p-value (statsmodels' convention for robust SEs). */
  z: number;
  p: number;
};

/** Result of {@link againstTheOdds}; per-school arrays have the input's length and order. */
export type AgainstTheOdds = {
  /** Schools in the regression (attainment and every context column present), and those left out. */
  n: number;
  excluded: number;
  /** 1 where the school is in the regression. */
  included: Uint8Array;
  /** Share of the between-school variance of attainment that context accounts for. */
  rSquared: number;
  coefficients: Coefficient[];
  /** The full fit (classical SEs too), over the included schools in input order. */
  ols: OlsFit;
  /** ŷ_i, e_i and r_i per school; NaN where not included. */
  predicted: Float64Array;
  residual: Float64Array;
  /**
   * Internally studentised residual r_i = e_i / (σ̂ √(1 − h_ii)), σ̂² = SSR/(n − k),
   * h_ii = x_iᵀ(XᵀX)⁻¹x_i (Cook & Weisberg 1982; R's `rstandard`, statsmodels'
   * `resid_studentized_internal`): the residual in SDs, adjusted so that schools with unusual
   * context (high leverage) are on the same scale.
   */
  standardisedResidual: Float64Array;
  /** Quartile 1–4 (4 = highest; {@link quartileOf}) among included schools; 0 where not included. */
  attainmentQuartile: Uint8Array;
  /** Quartile of ŷ: how favourable the school's context is for attainment. */
  predictedQuartile: Uint8Array;
  disadvantageQuartile: Uint8Array;
  /** Cut points [Q1, median, Q3] behind each quartile column (Hyndman & Fan definition 7). */
  cuts: { attainment: [number, number, number]; predicted: [number, number, number]; disadvantage: [number, number, number] };
  /** 1 where the school is flagged by the flag rule (default: disadvantage and attainment both in quartile 4, above Q3). */
  againstTheOdds: Uint8Array;
  /** Included rows, largest residual first (ties: lower id): schools beating their prediction by most come first. */
  ranking: Int32Array;
};

/**
 * Fits attainment on an intercept and the context columns by OLS ({@link fitOls}, Householder
 * QR), over the schools that have all of them, and returns each school's prediction, residual,
 * standardised residual, quartiles and the against-the-odds flag. Throws a RangeError on
 * mismatched lengths, an unknown disadvantage column, too few complete schools (n ≤ k) or
 * collinear context.
 */
export function againstTheOdds(input: AgainstTheOddsInput): AgainstTheOdds {
  const rows = input.ids.length;
  const { context, attainment } = input;
  if (attainment.length !== rows) throw new RangeError(`attainment has ${attainment.length} entries; expected ${rows}`);
  for (const c of context) if (c.values.length !== rows) throw new RangeError(`context column ${c.name} has ${c.values.length} entries; expected ${rows}`);
  const disadvantage = context.find((c) => c.name === input.disadvantage);
  if (disadvantage === undefined) throw new RangeError(`disadvantage column ${input.disadvantage} is not among the context columns`);

  const included = new Uint8Array(rows);
  let n = 0;
  for (let i = 0; i < rows; i++) {
    let ok = Number.isFinite(attainment[i] ?? Number.NaN);
    for (const c of context) ok = ok && Number.isFinite(c.values[i] ?? Number.NaN);
    if (ok) {
      included[i] = 1;
      n++;
    }
  }
  const k = context.length + 1;
  const x = new Float64Array(n * k);
  const y = new Float64Array(n);
  const rowAt = new Int32Array(n);
  for (let i = 0, r = 0; i < rows; i++) {
    if (included[i] === 0) continue;
    rowAt[r] = i;
    x[r] = 1;
    context.forEach((c, j) => {
      x[(j + 1) * n + r] = c.values[i] ?? Number.NaN;
    });
    y[r] = attainment[i] ?? Number.NaN;
    r++;
  }
  const ols = fitOls({ x, n, k, y });

  // Leverage without forming (XᵀX)⁻¹ again: the classical covariance is σ̂²(XᵀX)⁻¹, so
  // x_iᵀ·cov·x_i = σ̂² h_ii and σ̂²(1 − h_ii) = σ̂² − x_iᵀ·cov·x_i.
  let ssr = 0;
  for (let r = 0; r < n; r++) ssr += (ols.residuals[r] ?? 0) ** 2;
  const sigma2 = ssr / ols.dfResidual;
  const cov = ols.classical.cov;
  const predicted = new Float64Array(rows).fill(Number.NaN);
  const residual = new Float64Array(rows).fill(Number.NaN);
  const standardisedResidual = new Float64Array(rows).fill(Number.NaN);
  const xi = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const i = rowAt[r] ?? 0;
    for (let c = 0; c < k; c++) xi[c] = x[c * n + r] ?? 0;
    let q = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < k; d++) s += (cov[c * k + d] ?? 0) * (xi[d] ?? 0);
      q += (xi[c] ?? 0) * s;
    }
    predicted[i] = ols.fitted[r] ?? Number.NaN;
    residual[i] = ols.residuals[r] ?? Number.NaN;
    standardisedResidual[i] = (ols.residuals[r] ?? 0) / Math.sqrt(sigma2 - q);
  }

  const onlyIncluded = (values: ArrayLike<number>) => Float64Array.from({ length: rows }, (_, i) => (included[i] === 1 ? (values[i] ?? Number.NaN) : Number.NaN));
  const attained = onlyIncluded(attainment);
  const disadvantaged = onlyIncluded(disadvantage.values);
  const cuts = { attainment: quartileCuts(attained), predicted: quartileCuts(predicted), disadvantage: quartileCuts(disadvantaged) };
  const attainmentQuartile = new Uint8Array(rows);
  const predictedQuartile = new Uint8Array(rows);
  const disadvantageQuartile = new Uint8Array(rows);
  const flag = new Uint8Array(rows);
  const threshold = input.flagRule?.disadvantageAtLeast;
  const minQuartile = input.flagRule?.attainmentQuartileAtLeast ?? 4;
  for (let i = 0; i < rows; i++) {
    attainmentQuartile[i] = quartileOf(attained[i] ?? Number.NaN, cuts.attainment);
    predictedQuartile[i] = quartileOf(predicted[i] ?? Number.NaN, cuts.predicted);
    disadvantageQuartile[i] = quartileOf(disadvantaged[i] ?? Number.NaN, cuts.disadvantage);
    const hard = threshold === undefined ? disadvantageQuartile[i] === 4 : (disadvantaged[i] ?? Number.NaN) >= threshold;
    flag[i] = hard && (attainmentQuartile[i] ?? 0) >= minQuartile ? 1 : 0;
  }

  const ranking = Int32Array.from(rowAt).sort((a, b) => {
    const d = (residual[b] ?? 0) - (residual[a] ?? 0);
    return d !== 0 ? d : (input.ids[a] ?? 0) - (input.ids[b] ?? 0);
  });
  const names = ['intercept', ...context.map((c) => c.name)];
  const coefficients = names.map((name, j) => ({
    name,
    estimate: ols.coefficients[j] ?? Number.NaN,
    se: ols.hc1.se[j] ?? Number.NaN,
    z: ols.hc1.t[j] ?? Number.NaN,
    p: ols.hc1.p[j] ?? Number.NaN,
  })) satisfies Coefficient[];
  return {
    n,
    excluded: rows - n,
    included,
    rSquared: ols.rSquared,
    coefficients,
    ols,
    predicted,
    residual,
    standardisedResidual,
    attainmentQuartile,
    predictedQuartile,
    disadvantageQuartile,
    cuts,
    againstTheOdds: flag,
    ranking,
  };
}
