/**
 * Propensity-score matching for quasi-experiments such as the federation study: each federated
 * school is paired with the most similar non-federated school, exactly on categorical traits
 * (phase, type, gender intake) and as closely as possible on the estimated chance of federating.
 *
 * The propensity score e(x) = P(treated | x) is a balancing score: among units with the same
 * e(x), the covariates x are distributed alike in both groups (Rosenbaum & Rubin 1983,
 * Biometrika 70:41–55, Theorem 1), so matching on one number stands in for matching on all of x.
 * For a group of collaborating schools this means the comparator looked, before federating, as
 * likely to federate as the school it stands beside, so later differences are less easily put
 * down to who chose to federate.
 */
import { fitLogistic, type LogisticFit, type Separation } from './logistic.ts';

/** Options of {@link propensityScores}. */
export type PropensityOptions = {
  /**
   * true (default): x holds covariates only and a constant column is put in front of them, so
   * `fit.coefficients` is [intercept, β₁ … β_k]. false: x is used as given (it already holds a
   * constant column, or the model deliberately has none).
   */
  intercept?: boolean;
};

/** Result of {@link propensityScores}. */
export type PropensityResult = {
  /** ê_i = 1/(1 + e^{−η_i}) per unit; NaN for incomplete units and for every unit when the model is not usable. */
  probability: Float64Array;
  /**
   * η_i = x_iᵀβ̂, the logit of ê_i, computed from the linear predictor rather than log(ê/(1−ê))
   * so that scores near 0 or 1 keep their precision. NaN wherever `probability` is NaN.
   */
  logit: Float64Array;
  /** The logistic fit on the complete units (rows of x in order, `incomplete` left out). */
  fit: LogisticFit;
  /** Copied from the fit: anything but 'none' means no finite maximum-likelihood estimate exists. */
  separation: Separation;
  /**
   * true when the fit converged without separation. When false, `probability` and `logit` are all
   * NaN so that no one matches on the arbitrary last iterate; `fit.fitted` still holds it for diagnosis.
   */
  usable: boolean;
  /** Units with a NaN covariate: left out of the fit and given no score. */
  incomplete: number[];
};

/**
 * Propensity scores by logistic regression of treatment on covariates (Rosenbaum & Rubin 1983;
 * Stuart 2010, Statistical Science 25:1–21, §2), fitted by {@link fitLogistic}.
 *
 * logit ê(x_i) = β₀ + x_iᵀβ. Units with any NaN covariate are left out (complete cases) and get NaN
 * scores. A separated model is reported (`separation`, `usable: false`) and its scores are NaN:
 * perfect prediction means some federated schools have no plausible comparator at all, which is a
 * finding about overlap, not a number to match on.
 *
 * @param x covariates, column-major n × k (column j at [j·n, (j+1)·n)).
 * @param treated 1 for treated (e.g. federated), 0 for candidate controls.
 */
export function propensityScores(x: Float64Array, n: number, k: number, treated: ArrayLike<number>, options: PropensityOptions = {}): PropensityResult {
  if (x.length !== n * k) throw new RangeError(`x has ${x.length} entries; expected n·k = ${n * k}`);
  if (treated.length !== n) throw new RangeError(`treated has ${treated.length} entries; expected n = ${n}`);
  const intercept = options.intercept ?? true;
  const incomplete: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    let complete = true;
    for (let j = 0; j < k && complete; j++) complete = !Number.isNaN(x[j * n + i] ?? Number.NaN);
    if (complete) rows.push(i);
    else incomplete.push(i);
  }
  const m = rows.length;
  const kk = k + (intercept ? 1 : 0);
  const design = new Float64Array(m * kk);
  const y = new Float64Array(m);
  const offset = intercept ? 1 : 0;
  if (intercept) design.fill(1, 0, m);
  for (let r = 0; r < m; r++) {
    const i = rows[r] ?? 0;
    y[r] = treated[i] ?? Number.NaN;
    for (let j = 0; j < k; j++) design[(j + offset) * m + r] = x[j * n + i] ?? Number.NaN;
  }
  const fit = fitLogistic({ x: design, n: m, k: kk, y });
  const usable = fit.converged && fit.separation === 'none';
  const probability = new Float64Array(n).fill(Number.NaN);
  const logit = new Float64Array(n).fill(Number.NaN);
  if (usable) {
    for (let r = 0; r < m; r++) {
      let eta = 0;
      for (let j = 0; j < kk; j++) eta += (design[j * m + r] ?? 0) * (fit.coefficients[j] ?? 0);
      const i = rows[r] ?? 0;
      logit[i] = eta;
      probability[i] = 1 / (1 + Math.exp(-eta));
    }
  }
  return { probability, logit, fit, separation: fit.separation, usable, incomplete };
}

/**
 * Exact-matching keys, one per unit, from categorical columns joined with '|' (e.g.
 * "primary|voluntary aided|mixed"): units are only ever matched within the same key (exact matching:
 * Stuart 2010, §2). In the federation study this keeps a federated girls' voluntary-aided
 * secondary from being compared with anything but another girls' voluntary-aided secondary, traits
 * that shape results and that a propensity score could only balance on average.
 */
export function exactStrata(...columns: ArrayLike<string | number>[]): string[] {
  const n = columns[0]?.length ?? 0;
  for (const c of columns) if (c.length !== n) throw new RangeError('every exact-matching column needs one entry per unit');
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let key = '';
    for (let j = 0; j < columns.length; j++) key += (j > 0 ? '|' : '') + String(columns[j]?.[i]);
    keys[i] = key;
  }
  return keys;
}

/**
 * The order in which greedy matching serves treated units. 'largest' (MatchIt's default m.order
 * for a propensity-score distance): highest score first, since treated units with high scores
 * have the fewest close controls and would otherwise find them taken; 'smallest': lowest first;
 * 'data': by index. Ties are served by lower index.
 */
export type MatchOrder = 'largest' | 'smallest' | 'data';

/**
 * Why a treated unit has no match:
 * - 'no score': its score is NaN (missing covariates, or an unusable propensity model);
 * - 'no control in stratum': no control with a score shares its exact-matching key;
 * - 'none within caliper': controls share its key, but none, taken or not, lies within the caliper
 *   (a lack of common support);
 * - 'controls used up': some control within the caliper (any control, without a caliper) existed,
 *   but all were taken by treated units served earlier (competition, which matching with
 *   replacement or a smaller ratio would relieve).
 */
export type UnmatchedReason = 'no score' | 'no control in stratum' | 'none within caliper' | 'controls used up';

/** Options of {@link matchNearestNeighbours}. */
export type MatchOptions = {
  /** Matching score per unit: the logit of the propensity score (`propensityScores().logit`). NaN = no score. */
  score: ArrayLike<number>;
  /** 1 treated, 0 control. */
  treated: ArrayLike<number>;
  /** Exact-matching key per unit (see {@link exactStrata}); omitted = one stratum. */
  stratum?: ArrayLike<string | number>;
  /** Controls per treated unit, k of k:1 matching (default 1). */
  ratio?: number;
  /** Whether a control may serve several treated units (default false). */
  replace?: boolean;
  /** Caliper width in `caliperUnits`; null = no caliper. Default 0.2 (standard deviations; Austin 2011). */
  caliper?: number | null;
  /** 'sd' (default): the caliper is a multiple of the pooled SD of the score (see {@link MatchResult}.scoreSd); 'score': in score units. */
  caliperUnits?: 'sd' | 'score';
  /** Greedy order (default 'largest'). */
  order?: MatchOrder;
};

/** A treated unit with its matched controls, nearest first. */
export type MatchedSet = {
  treated: number;
  controls: number[];
  /** |score_treated − score_control| for each control, in the same order. */
  distances: number[];
};

/** A treated unit left without a match. */
export type UnmatchedTreated = { unit: number; stratum: string; reason: UnmatchedReason };

/** Counts for one exact-matching stratum. */
export type StratumSummary = {
  stratum: string;
  treated: number;
  controls: number;
  /** Units of the stratum (either group) whose score is NaN. */
  withoutScore: number;
  matchedTreated: number;
  /** Distinct controls used at least once. */
  matchedControls: number;
  unmatchedTreated: number;
};

/** Result of {@link matchNearestNeighbours}. */
export type MatchResult = {
  /** One entry per matched treated unit, by ascending treated index. */
  matches: MatchedSet[];
  /** Treated units without any match, by ascending index. */
  unmatched: UnmatchedTreated[];
  /** Strata in order of first appearance. */
  strata: StratumSummary[];
  /**
   * Matching (ATT) weights per unit: 1 for a matched treated unit; for a control, Σ 1/m_t over
   * the treated units t it serves, m_t being how many controls t received; 0 outside the matched
   * sample. The weighted controls then count once per treated unit (Stuart 2010, §3 and §5), which is
   * how the balance table and outcome comparisons weight k:1 and with-replacement matches.
   */
  weights: Float64Array;
  /**
   * Pooled SD of the score, √((s²_t + s²_c)/2) over every treated and every control unit with a
   * score (Austin 2011, Pharmaceutical Statistics 10:150–161; Rosenbaum & Rubin 1985).
   */
  scoreSd: number;
  /** Caliper in score units (a control matches when distance ≤ width); null without a caliper. */
  caliperWidth: number | null;
  ratio: number;
  replace: boolean;
  order: MatchOrder;
};

/** Sample variance with n − 1 (NaN below two values). */
function variance(values: Float64Array, count: number): number {
  if (count < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += values[i] ?? 0;
  mean /= count;
  let ss = 0;
  for (let i = 0; i < count; i++) ss += ((values[i] ?? 0) - mean) ** 2;
  return ss / (count - 1);
}

/** Union–find "next unused position" with path halving (Tarjan 1975): parent[i] = i while unused. */
function findNext(parent: Int32Array, i: number): number {
  let r = i;
  while (parent[r] !== r) {
    const p = parent[r] ?? r;
    const gp = parent[p] ?? p;
    parent[r] = gp;
    r = gp;
  }
  return r;
}

/**
 * Greedy nearest-neighbour matching on a score within exact strata (Stuart 2010, §3.1;
 * Austin 2011), without replacement by default.
 *
 * Each treated unit, in `order`, takes the unused control of its stratum that minimises
 * |score_t − score_c|, provided it lies within the caliper; exact ties go to the control with the
 * lower index. For k:1 matching, controls are handed out in k rounds: every treated unit gets its
 * first control before any gets its second (as MatchIt does), so early units cannot take several
 * controls that later units need for their first. A unit that finds nothing in one round gets
 * nothing in later rounds either (controls are only ever taken away), so it keeps fewer than k.
 *
 * Cost: within each stratum the controls are sorted by score once; a treated unit finds its place
 * by binary search and the nearest unused control on either side through two union–find "next
 * unused" structures (left and right), so the whole match is O(n log n) rather than the O(n·m) of
 * scanning every control for every treated unit. With replacement each treated unit merges the
 * controls outward from its place, O(log m + k).
 *
 * Implication for a network evaluation: without replacement each comparator school speaks for
 * one federated school only, so a few unusual comparators cannot dominate the estimate, at the
 * price of poorer matches once the close ones are taken (which the unmatched reasons show).
 */
export function matchNearestNeighbours(options: MatchOptions): MatchResult {
  const { score, treated } = options;
  const n = score.length;
  const ratio = options.ratio ?? 1;
  const replace = options.replace ?? false;
  const order = options.order ?? 'largest';
  const caliper = options.caliper === undefined ? 0.2 : options.caliper;
  if (treated.length !== n) throw new RangeError(`treated has ${treated.length} entries; expected ${n}`);
  if (options.stratum !== undefined && options.stratum.length !== n) throw new RangeError(`stratum has ${options.stratum.length} entries; expected ${n}`);
  if (!Number.isInteger(ratio) || ratio < 1) throw new RangeError(`ratio must be a positive integer, not ${ratio}`);
  if (caliper !== null && !(caliper >= 0)) throw new RangeError(`caliper must be ≥ 0 or null, not ${caliper}`);

  // Strata as dense integers, in order of first appearance.
  const stratumOf = new Int32Array(n);
  const keys: string[] = [];
  if (options.stratum === undefined) keys.push('');
  else {
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const key = String(options.stratum[i]);
      let s = index.get(key);
      if (s === undefined) {
        s = keys.length;
        index.set(key, s);
        keys.push(key);
      }
      stratumOf[i] = s;
    }
  }
  const strataCount = keys.length;

  const isTreated = new Uint8Array(n);
  const treatedScores = new Float64Array(n);
  const controlScores = new Float64Array(n);
  let nt = 0;
  let nc = 0;
  for (let i = 0; i < n; i++) {
    const t = treated[i];
    if (t !== 0 && t !== 1) throw new RangeError(`treated[${i}] = ${t}; expected 0 or 1`);
    isTreated[i] = t;
    const s = score[i] ?? Number.NaN;
    if (Number.isNaN(s)) continue;
    if (t === 1) treatedScores[nt++] = s;
    else controlScores[nc++] = s;
  }
  const scoreSd = Math.sqrt((variance(treatedScores, nt) + variance(controlScores, nc)) / 2);
  let width: number | null = null;
  if (caliper !== null) {
    if ((options.caliperUnits ?? 'sd') === 'sd') {
      if (!Number.isFinite(scoreSd)) throw new RangeError('a caliper in SD units needs at least two scored units in each group; give caliperUnits: "score" or caliper: null');
      width = caliper * scoreSd;
    } else width = caliper;
  }

  // Controls with a score, sorted by (stratum, score, index); each stratum a segment [start, end).
  const controls = new Int32Array(nc);
  {
    let c = 0;
    for (let i = 0; i < n; i++) if (isTreated[i] === 0 && !Number.isNaN(score[i] ?? Number.NaN)) controls[c++] = i;
  }
  controls.sort((a, b) => (stratumOf[a] ?? 0) - (stratumOf[b] ?? 0) || (score[a] ?? 0) - (score[b] ?? 0) || a - b);
  const m = nc;
  const sorted = new Float64Array(m);
  for (let p = 0; p < m; p++) sorted[p] = score[controls[p] ?? 0] ?? 0;
  const segStart = new Int32Array(strataCount).fill(-1);
  const segEnd = new Int32Array(strataCount).fill(-1);
  for (let p = 0; p < m; p++) {
    const s = stratumOf[controls[p] ?? 0] ?? 0;
    if (segStart[s] === -1) segStart[s] = p;
    segEnd[s] = p + 1;
  }
  // First position of each run of equal scores, so a tie on the left resolves to the lowest index.
  const runStart = new Int32Array(m);
  for (let p = 0; p < m; p++) {
    const sameRun = p > 0 && sorted[p] === sorted[p - 1] && stratumOf[controls[p] ?? 0] === stratumOf[controls[p - 1] ?? 0];
    runStart[p] = sameRun ? (runStart[p - 1] ?? p) : p;
  }

  /** First position in [start, end) whose score is ≥ s. */
  const lowerBound = (start: number, end: number, s: number): number => {
    let lo = start;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? 0) < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Treated units with a score, in serving order.
  const servingList: number[] = [];
  for (let i = 0; i < n; i++) if (isTreated[i] === 1 && !Number.isNaN(score[i] ?? Number.NaN)) servingList.push(i);
  const serving = Int32Array.from(servingList);
  if (order === 'largest') serving.sort((a, b) => (score[b] ?? 0) - (score[a] ?? 0) || a - b);
  else if (order === 'smallest') serving.sort((a, b) => (score[a] ?? 0) - (score[b] ?? 0) || a - b);

  // Matches per treated unit as flat arrays: slot r of unit t at t·ratio + r.
  const matchedUnit = new Int32Array(n * ratio).fill(-1);
  const matchedDistance = new Float64Array(n * ratio);
  const matchCount = new Int32Array(n);
  const reasonOf = new Map<number, UnmatchedReason>();

  /** The reason for a treated unit that found nothing, judged against every control of its stratum, taken or not. */
  const reasonFor = (s: number, start: number, end: number): UnmatchedReason => {
    if (start < 0) return 'no control in stratum';
    if (width === null) return 'controls used up';
    const p = lowerBound(start, end, s);
    const right = p < end ? Math.abs((sorted[p] ?? 0) - s) : Number.POSITIVE_INFINITY;
    const left = p > start ? Math.abs(s - (sorted[p - 1] ?? 0)) : Number.POSITIVE_INFINITY;
    return Math.min(left, right) <= width ? 'controls used up' : 'none within caliper';
  };

  if (!replace) {
    // right[p]: first unused position ≥ p (m = none); left[p + 1]: last unused position ≤ p, plus one (0 = none).
    const right = new Int32Array(m + 1);
    const left = new Int32Array(m + 1);
    for (let p = 0; p <= m; p++) {
      right[p] = p;
      left[p] = p;
    }
    let active = serving;
    for (let round = 0; round < ratio && active.length > 0; round++) {
      const stillActive = new Int32Array(active.length);
      let kept = 0;
      for (const t of active) {
        const st = stratumOf[t] ?? 0;
        const start = segStart[st] ?? -1;
        const end = segEnd[st] ?? -1;
        const s = score[t] ?? 0;
        let best = -1;
        let bestDistance = Number.POSITIVE_INFINITY;
        if (start >= 0) {
          const p = lowerBound(start, end, s);
          const r = findNext(right, p);
          if (r < end) {
            best = r;
            bestDistance = Math.abs(s - (sorted[r] ?? 0));
          }
          const lSlot = findNext(left, p);
          if (lSlot - 1 >= start) {
            const l = findNext(right, runStart[lSlot - 1] ?? 0);
            const d = Math.abs(s - (sorted[l] ?? 0));
            if (d < bestDistance || (d === bestDistance && (controls[l] ?? 0) < (controls[best] ?? 0))) {
              best = l;
              bestDistance = d;
            }
          }
        }
        if (best < 0 || (width !== null && bestDistance > width)) {
          if (round === 0) reasonOf.set(t, reasonFor(s, start, end));
          continue;
        }
        right[best] = best + 1;
        left[best + 1] = best;
        matchedUnit[t * ratio + round] = controls[best] ?? -1;
        matchedDistance[t * ratio + round] = bestDistance;
        matchCount[t] = round + 1;
        stillActive[kept++] = t;
      }
      active = stillActive.subarray(0, kept);
    }
  } else {
    for (const t of serving) {
      const st = stratumOf[t] ?? 0;
      const start = segStart[st] ?? -1;
      const end = segEnd[st] ?? -1;
      const s = score[t] ?? 0;
      if (start < 0) {
        reasonOf.set(t, 'no control in stratum');
        continue;
      }
      const p = lowerBound(start, end, s);
      // Right stream: p, p+1, … (ascending score, then index). Left stream: runs of equal score
      // walking down from p − 1, each run read by ascending index. Both are sorted by
      // (distance, index), so merging them yields the nearest controls in tie-broken order.
      let ri = p;
      let runEnd = p - 1;
      let li = runEnd >= start ? (runStart[runEnd] ?? 0) : start - 1;
      let got = 0;
      while (got < ratio) {
        const dr = ri < end ? Math.abs(s - (sorted[ri] ?? 0)) : Number.POSITIVE_INFINITY;
        const dl = runEnd >= start ? Math.abs(s - (sorted[li] ?? 0)) : Number.POSITIVE_INFINITY;
        if (dr === Number.POSITIVE_INFINITY && dl === Number.POSITIVE_INFINITY) break;
        const takeLeft = dl < dr || (dl === dr && (controls[li] ?? 0) < (controls[ri] ?? 0));
        const pos = takeLeft ? li : ri;
        const d = takeLeft ? dl : dr;
        if (width !== null && d > width) break;
        matchedUnit[t * ratio + got] = controls[pos] ?? -1;
        matchedDistance[t * ratio + got] = d;
        got++;
        if (takeLeft) {
          li++;
          if (li > runEnd) {
            const previousRunStart = runStart[runEnd] ?? 0;
            runEnd = previousRunStart - 1;
            li = runEnd >= start ? (runStart[runEnd] ?? 0) : start - 1;
          }
        } else ri++;
      }
      matchCount[t] = got;
      if (got === 0) reasonOf.set(t, 'none within caliper');
    }
  }

  // Assemble results, weights and per-stratum counts.
  const weights = new Float64Array(n);
  const matches: MatchedSet[] = [];
  const unmatched: UnmatchedTreated[] = [];
  const summary: StratumSummary[] = keys.map((stratum) => ({
    stratum,
    treated: 0,
    controls: 0,
    withoutScore: 0,
    matchedTreated: 0,
    matchedControls: 0,
    unmatchedTreated: 0,
  }));
  for (let i = 0; i < n; i++) {
    const row = summary[stratumOf[i] ?? 0];
    if (row === undefined) continue;
    if (isTreated[i] === 1) row.treated++;
    else row.controls++;
    if (Number.isNaN(score[i] ?? Number.NaN)) row.withoutScore++;
    if (isTreated[i] === 0) continue;
    const count = matchCount[i] ?? 0;
    if (count === 0) {
      unmatched.push({ unit: i, stratum: keys[stratumOf[i] ?? 0] ?? '', reason: reasonOf.get(i) ?? 'no score' });
      row.unmatchedTreated++;
      continue;
    }
    row.matchedTreated++;
    weights[i] = 1;
    const controlsOf: number[] = [];
    const distances: number[] = [];
    for (let r = 0; r < count; r++) {
      const c = matchedUnit[i * ratio + r] ?? -1;
      if ((weights[c] ?? 0) === 0) {
        const cRow = summary[stratumOf[c] ?? 0];
        if (cRow !== undefined) cRow.matchedControls++;
      }
      weights[c] = (weights[c] ?? 0) + 1 / count;
      controlsOf.push(c);
      distances.push(matchedDistance[i * ratio + r] ?? Number.NaN);
    }
    matches.push({ treated: i, controls: controlsOf, distances });
  }
  return { matches, unmatched, strata: summary, weights, scoreSd, caliperWidth: width, ratio, replace, order };
}
