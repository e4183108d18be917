/**
 * Covariate balance before and after matching: the check that a matched comparison group
 * resembles the treated group on what was measured before treatment (Stuart 2010, Statistical
 * Science 25:1–21, §4; Austin 2009, Statistics in Medicine 28:3083–3107).
 *
 * For a federation study this is the evidence that comparator schools started where the
 * federated schools started (prior attainment, intake, size), which the later comparison of
 * results depends on; a covariate still out of balance after matching needs adjusting for.
 */
import { tTwoSidedP } from './distributions.ts';

/** One covariate: a name and a value per unit (NaN = missing). */
export type BalanceCovariate = { name: string; values: ArrayLike<number> };

/** Inputs to {@link balanceTable}. */
export type BalanceInput = {
  covariates: readonly BalanceCovariate[];
  /** 1 treated, 0 control, per unit. */
  treated: ArrayLike<number>;
  /** Matching weights per unit (`MatchResult.weights`): 0 outside the matched sample. */
  weights: ArrayLike<number>;
  /**
   * Exact-matching key per unit. Before matching, the control group is every control sharing a
   * key with at least one treated unit (the candidates the matching could choose from); omitted =
   * every control.
   */
  stratum?: ArrayLike<string | number>;
};

/** Flags for one side of the table. */
export type BalanceFlags = {
  /** |SMD| > 0.1 (Austin 2009; Normand et al. 2001). */
  smd: boolean;
  /** Variance ratio outside [0.5, 2] (Rubin 2001, Health Services & Outcomes Research Methodology 2:169–188); never set for binary covariates. */
  varianceRatio: boolean;
  any: boolean;
};

/** Welch's test of equal means between the (weighted) groups. */
export type BalanceTest = { statistic: number; df: number; p: number };

/** Summary of one covariate in one sample (before or after matching). */
export type BalanceSide = {
  /** Units with a non-missing value (and, after matching, positive weight). */
  nTreated: number;
  nControl: number;
  /** Kish's effective size (Σw)²/Σw² of the control group: the number of equally weighted controls carrying the same information. */
  effectiveControls: number;
  treatedMean: number;
  controlMean: number;
  treatedVariance: number;
  controlVariance: number;
  /** (x̄_t − x̄_c)/s_pooled,before: the denominator is the same on both sides. */
  smd: number;
  /** s²_t/s²_c. */
  varianceRatio: number;
  test: BalanceTest;
  flags: BalanceFlags;
};

/** One row of the balance table. */
export type BalanceRow = {
  name: string;
  /** Every non-missing value is 0 or 1 (e.g. urban vs rural). */
  binary: boolean;
  /** √((s²_t + s²_c)/2) before matching: the SMD denominator on both sides (Austin 2009's pooled form). */
  pooledSd: number;
  before: BalanceSide;
  after: BalanceSide;
};

/** Weighted moments of one group. */
type Moments = { n: number; sumW: number; sumW2: number; mean: number; variance: number };

/**
 * Weighted mean x̄_w = Σwx/Σw and the unbiased "reliability weights" variance
 * s²_w = Σw(x − x̄_w)² / (Σw − Σw²/Σw), which is the ordinary n − 1 variance when all w = 1
 * (as cobalt's col_w_sd computes it for matched samples; Greifer, cobalt documentation).
 */
function moments(values: ArrayLike<number>, weight: (i: number) => number, n: number): Moments {
  let count = 0;
  let sumW = 0;
  let sumW2 = 0;
  let sumWx = 0;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    const x = values[i] ?? Number.NaN;
    if (!(w > 0) || Number.isNaN(x)) continue;
    count++;
    sumW += w;
    sumW2 += w * w;
    sumWx += w * x;
  }
  const mean = sumWx / sumW;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const w = weight(i);
    const x = values[i] ?? Number.NaN;
    if (!(w > 0) || Number.isNaN(x)) continue;
    ss += w * (x - mean) ** 2;
  }
  const variance = count < 2 ? Number.NaN : ss / (sumW - sumW2 / sumW);
  return { n: count, sumW, sumW2, mean, variance };
}

/** SMD that reads 0 for identical constant groups rather than 0/0. */
function standardised(difference: number, sd: number): number {
  if (sd === 0) return difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY;
  return difference / sd;
}

/**
 * Welch's unequal-variance t-test (Welch 1947), with Kish's effective sizes n_e = (Σw)²/Σw² in
 * place of n for weighted groups: SE² = s²_t/n_e,t + s²_c/n_e,c, t = (x̄_t − x̄_c)/SE,
 * df = (v_t + v_c)² / (v_t²/(n_e,t − 1) + v_c²/(n_e,c − 1)) with v = s²/n_e. With all weights 1
 * (before matching, or 1:1 matching) this is exactly scipy's ttest_ind(equal_var=False).
 * Var(Σwx/Σw) = σ²Σw²/(Σw)² for independent values, hence n_e for k:1 weights 1/k.
 *
 * The groups are treated as independent samples, ignoring the pairing, and the p-value depends
 * on sample size as much as on imbalance: it is reported because the federation study compared
 * groups by t-tests, but balance is judged by the SMD and the variance ratio (Imai, King &
 * Stuart 2008, JRSS A 171:481–502; Austin 2009).
 */
function welch(t: Moments, c: Moments): BalanceTest {
  const nt = (t.sumW * t.sumW) / t.sumW2;
  const nc = (c.sumW * c.sumW) / c.sumW2;
  const vt = t.variance / nt;
  const vc = c.variance / nc;
  const statistic = (t.mean - c.mean) / Math.sqrt(vt + vc);
  const df = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1));
  return { statistic, df, p: tTwoSidedP(statistic, df) };
}

function side(t: Moments, c: Moments, pooledSd: number, binary: boolean): BalanceSide {
  const smd = standardised(t.mean - c.mean, pooledSd);
  const varianceRatio = t.variance / c.variance;
  const smdFlag = Math.abs(smd) > 0.1;
  const vrFlag = !binary && !(varianceRatio >= 0.5 && varianceRatio <= 2);
  return {
    nTreated: t.n,
    nControl: c.n,
    effectiveControls: (c.sumW * c.sumW) / c.sumW2,
    treatedMean: t.mean,
    controlMean: c.mean,
    treatedVariance: t.variance,
    controlVariance: c.variance,
    smd,
    varianceRatio,
    test: welch(t, c),
    flags: { smd: smdFlag, varianceRatio: vrFlag, any: smdFlag || vrFlag },
  };
}

/**
 * The balance table: per covariate, treated and control means, the standardised mean difference,
 * the variance ratio and Welch's test, before matching (all treated units against all candidate
 * controls, unweighted) and after (matched treated units against matched controls weighted by
 * `weights`, so k:1 controls count 1/k each; Stuart 2010, §4.1).
 *
 * SMD = (x̄_t − x̄_c) / √((s²_t + s²_c)/2), Austin 2009's pooled denominator, taken from the
 * sample BEFORE matching and used on both sides (fixing it is Stuart 2010's advice in §4.1, who
 * uses the treated SD; the pooled one keeps both groups' spread), so that a smaller SMD after
 * matching means the means moved together, not that the matched sample's spread changed. Binary covariates
 * use the same sample variances, which differ from Austin's p(1 − p) form only by n/(n − 1).
 * Variance ratio = s²_t/s²_c, judged against [0.5, 2] (Rubin 2001), for non-binary covariates only
 * (a binary variance is fixed by its mean). Missing values are dropped covariate by covariate and
 * the counts used are reported.
 *
 * Read for a network of schools: a row still flagged after matching (say prior maths) means the
 * comparators started from a different place on it, so a later gap in maths results may be the
 * starting gap rather than the federation's doing; adjust for it or tighten the match.
 */
export function balanceTable(input: BalanceInput): BalanceRow[] {
  const { treated, weights, covariates } = input;
  const n = treated.length;
  if (weights.length !== n) throw new RangeError(`weights has ${weights.length} entries; expected ${n}`);
  if (input.stratum !== undefined && input.stratum.length !== n) throw new RangeError(`stratum has ${input.stratum.length} entries; expected ${n}`);
  for (const c of covariates) if (c.values.length !== n) throw new RangeError(`covariate ${c.name} has ${c.values.length} entries; expected ${n}`);

  // Candidate controls: those sharing a stratum with some treated unit.
  const candidate = new Uint8Array(n);
  if (input.stratum === undefined) for (let i = 0; i < n; i++) candidate[i] = treated[i] === 0 ? 1 : 0;
  else {
    const withTreated = new Set<string>();
    for (let i = 0; i < n; i++) if (treated[i] === 1) withTreated.add(String(input.stratum[i]));
    for (let i = 0; i < n; i++) candidate[i] = treated[i] === 0 && withTreated.has(String(input.stratum[i])) ? 1 : 0;
  }
  const beforeT = (i: number) => (treated[i] === 1 ? 1 : 0);
  const beforeC = (i: number) => candidate[i] ?? 0;
  const afterT = (i: number) => (treated[i] === 1 ? (weights[i] ?? 0) : 0);
  const afterC = (i: number) => (treated[i] === 0 ? (weights[i] ?? 0) : 0);

  return covariates.map(({ name, values }) => {
    let binary = true;
    for (let i = 0; i < n && binary; i++) {
      const x = values[i] ?? Number.NaN;
      binary = Number.isNaN(x) || x === 0 || x === 1;
    }
    const t0 = moments(values, beforeT, n);
    const c0 = moments(values, beforeC, n);
    const pooledSd = Math.sqrt((t0.variance + c0.variance) / 2);
    const t1 = moments(values, afterT, n);
    const c1 = moments(values, afterC, n);
    return { name, binary, pooledSd, before: side(t0, c0, pooledSd, binary), after: side(t1, c1, pooledSd, binary) };
  });
}
