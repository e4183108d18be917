/**
 * Similar-school groups: for a school, the k schools of the same phase whose context (roll, %
 * FSM, % SEN, % EAL, prior attainment, urban/rural, …) is nearest to its own.
 *
 * For a head teacher: these are the schools working with the pupils most like yours, so their
 * results are a fairer yardstick than the national average. For a network coordinator: a
 * partner in the group faces the same circumstances, which makes its practice easier to adapt.
 *
 * THE RULE.
 * 1. Phase is matched exactly: a school's neighbours are drawn only from its own phase.
 * 2. Standardise within the phase: z_ij = (x_ij − m_gj) / s_gj, where m_gj and s_gj are the mean
 *    and sample standard deviation (divisor n − 1) of feature j over the schools of phase g that
 *    have it. A difference of 1 in z is one standard deviation of that phase, so features in
 *    pupils and in percentages count alike, and "distance 1.5" reads as 1.5 SDs.
 *    A feature is usable in a phase when its weight is positive and at least two schools of the
 *    phase have it with some spread (s_gj > 0); otherwise it tells the phase's schools nothing
 *    and is left out for that phase.
 * 3. Distance between schools a and b of phase g, over the usable features F (weights w_j ≥ 0,
 *    default 1) and the set P ⊆ F that both schools have:
 *        d(a, b) = sqrt( Σ_{j∈P} w_j (z_aj − z_bj)² · W_F / W_P ),  W_F = Σ_{j∈F} w_j, W_P = Σ_{j∈P} w_j.
 *    The factor W_F / W_P scales the sum up to all usable features, so a pair that shares fewer
 *    features is not made to look closer; with unit weights this is exactly R's `dist()` for
 *    missing values ("the sum is scaled up proportionally to the number of columns used", R Core
 *    Team, ?stats::dist). Pairs sharing no feature are never neighbours.
 * 4. A school that has fewer than half of its phase's usable features (2·|present| < |F|) is not
 *    matched, neither as the school asked about nor as anyone's neighbour: a distance resting
 *    on one or two figures would present a guess as a likeness. Such schools are listed with the
 *    reason in {@link SimilarityIndex.unmatched}.
 * 5. Neighbours are ordered by distance, ties by the lower id, so the group is reproducible.
 *
 * Default group size k = 30, after the DfE's schools financial benchmarking service, which
 * compares a school with 30 similar schools chosen on phase/type, region, number of pupils,
 * % FSM and % SEN (financial-benchmarking-and-insights-tool.education.gov.uk, "Schools we chose
 * for benchmarking"): the closest published use to these features. The DfE's KS4 similar-schools
 * lists in the performance tables rest on attainment predicted from prior attainment alone
 * (DfE-00070-2020), a narrower likeness than the context used here.
 * Thirty is enough for a stable median and quartiles of the group's results and few enough
 * that every school in it is still close.
 *
 * Brute force over the phase (one pass of n·p multiply–adds per school asked about, a bounded
 * heap for the k best): with six features and ~17,000 primaries that is ~0.1 M operations, well
 * under a millisecond, and it copes with missing values, which k-d trees do not.
 */

/** Default number of similar schools returned (see the module note). */
export const DEFAULT_SIMILAR_K = 30;

/** Context of the schools to compare, in a flat row-major layout. */
export type ContextTable = {
  /** School ids, length n; unique. Ties in distance go to the lower id. */
  ids: ArrayLike<number>;
  /** Phase per school (exact match); null or undefined means unknown, and the school is not matched. */
  phases: ArrayLike<string | number | null | undefined>;
  /** Feature names, length p (e.g. roll, fsmPct, senPct, ealPct, priorAttainment, urban). */
  featureNames: readonly string[];
  /** n × p row-major: school i's features occupy [i·p, (i+1)·p). NaN (or any non-finite value) = missing. */
  features: Float64Array;
  /** Weight per feature, length p, each ≥ 0; default 1. A weight of 0 leaves the feature out. */
  weights?: ArrayLike<number>;
};

/** Why a school has, or has no, similar schools. */
export type MatchStatus = 'matched' | 'too-few-features' | 'no-phase' | 'no-usable-features' | 'not-in-table';

/** The standardised table, built once by {@link indexSchools} and queried many times. */
export type SimilarityIndex = {
  n: number;
  p: number;
  featureNames: readonly string[];
  ids: Float64Array;
  weights: Float64Array;
  /** Distinct phases, in order of first appearance. */
  phaseLabels: (string | number)[];
  /** Phase index per school (into phaseLabels), −1 when unknown. */
  phaseOf: Int32Array;
  /** Mean of feature j in phase g at [g·p + j]; NaN when no school of the phase has it. */
  means: Float64Array;
  /** Sample SD (divisor n − 1) of feature j in phase g at [g·p + j]; NaN with fewer than two values. */
  sds: Float64Array;
  /** Whether feature j is usable in phase g (positive weight, ≥ 2 values, SD > 0), at [g·p + j]. */
  usable: Uint8Array;
  /** Σ of the usable features' weights, W_F, per phase. */
  phaseWeight: Float64Array;
  /** Number of usable features, |F|, per phase. */
  phaseFeatures: Int32Array;
  /** z-scores, n × p row-major; NaN where missing or unusable in the school's phase. */
  z: Float64Array;
  /** Usable features each school has. */
  present: Int32Array;
  status: MatchStatus[];
  /** Matched schools (row indices) of each phase. */
  members: Int32Array[];
  rowOf: Map<number, number>;
  /** Schools that cannot be matched, with the reason. */
  unmatched: { id: number; row: number; reason: Exclude<MatchStatus, 'matched' | 'not-in-table'> }[];
};

/** Options of {@link similarSchools} and {@link similarSchoolsForEach}. */
export type SimilarOptions = {
  /** Group size; default {@link DEFAULT_SIMILAR_K}. */
  k?: number;
  /** Ids never returned as neighbours (e.g. the schools of the school's own network). Unknown ids are ignored. */
  exclude?: Iterable<number>;
};

/** One school's similar schools, nearest first. m ≤ k is the number found. */
export type SimilarSchools = {
  id: number;
  status: MatchStatus;
  /** Row of the school in the table, −1 when not in it. */
  row: number;
  phase: string | number | null;
  /** Usable features the school has, and the number usable in its phase. */
  featuresPresent: number;
  featuresUsable: number;
  /** Schools of the phase compared (matched, not excluded, sharing a feature), the school itself not counted. */
  compared: number;
  ids: Float64Array;
  rows: Int32Array;
  /** Distances in SDs (rule 3), ascending. */
  distances: Float64Array;
  /** Features used for each neighbour, |P|. */
  shared: Int32Array;
  /**
   * m × p row-major: neighbour i's share of the squared distance from feature j,
   * w_j (z_aj − z_bj)² · W_F / W_P; NaN where the pair does not share the feature. A row sums to
   * distances[i]², so contribution / distance² is the part of the difference due to feature j.
   */
  contributions: Float64Array;
  /** m × p row-major: z_bj − z_aj, how many phase SDs the neighbour lies above the school on feature j; NaN if unshared. */
  differences: Float64Array;
};

/**
 * Standardises the table within each phase (rule 2) and decides who can be matched (rule 4).
 * O(n·p). Throws a RangeError on malformed input (lengths, negative weights, duplicate ids).
 */
export function indexSchools(table: ContextTable): SimilarityIndex {
  const n = table.ids.length;
  const p = table.featureNames.length;
  if (table.phases.length !== n) throw new RangeError(`phases has ${table.phases.length} entries; expected ${n}`);
  if (table.features.length !== n * p) throw new RangeError(`features has ${table.features.length} entries; expected n·p = ${n * p}`);
  const weights = new Float64Array(p).fill(1);
  if (table.weights !== undefined) {
    if (table.weights.length !== p) throw new RangeError(`weights has ${table.weights.length} entries; expected ${p}`);
    for (let j = 0; j < p; j++) {
      const w = table.weights[j] ?? Number.NaN;
      if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`weight of ${table.featureNames[j]} must be finite and ≥ 0; got ${w}`);
      weights[j] = w;
    }
  }
  const ids = Float64Array.from(table.ids);
  const rowOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const id = ids[i] ?? Number.NaN;
    if (rowOf.has(id)) throw new RangeError(`school id ${id} appears twice`);
    rowOf.set(id, i);
  }

  const phaseIndex = new Map<string | number, number>();
  const phaseLabels: (string | number)[] = [];
  const phaseOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = table.phases[i];
    if (label === null || label === undefined) {
      phaseOf[i] = -1;
      continue;
    }
    let g = phaseIndex.get(label);
    if (g === undefined) {
      g = phaseLabels.length;
      phaseIndex.set(label, g);
      phaseLabels.push(label);
    }
    phaseOf[i] = g;
  }
  const phases = phaseLabels.length;

  // Two passes (mean, then squared deviations) rather than Σx² − n·m²: roll in the hundreds
  // would lose digits to cancellation in the one-pass formula.
  const counts = new Float64Array(phases * p);
  const means = new Float64Array(phases * p);
  const sds = new Float64Array(phases * p);
  const f = table.features;
  for (let i = 0; i < n; i++) {
    const g = phaseOf[i] ?? -1;
    if (g < 0) continue;
    for (let j = 0; j < p; j++) {
      const x = f[i * p + j] ?? Number.NaN;
      if (!Number.isFinite(x)) continue;
      counts[g * p + j] = (counts[g * p + j] ?? 0) + 1;
      means[g * p + j] = (means[g * p + j] ?? 0) + x;
    }
  }
  for (let c = 0; c < phases * p; c++) means[c] = (counts[c] ?? 0) > 0 ? (means[c] ?? 0) / (counts[c] ?? 1) : Number.NaN;
  for (let i = 0; i < n; i++) {
    const g = phaseOf[i] ?? -1;
    if (g < 0) continue;
    for (let j = 0; j < p; j++) {
      const x = f[i * p + j] ?? Number.NaN;
      if (!Number.isFinite(x)) continue;
      const d = x - (means[g * p + j] ?? 0);
      sds[g * p + j] = (sds[g * p + j] ?? 0) + d * d;
    }
  }
  const usable = new Uint8Array(phases * p);
  const phaseWeight = new Float64Array(phases);
  const phaseFeatures = new Int32Array(phases);
  for (let g = 0; g < phases; g++)
    for (let j = 0; j < p; j++) {
      const c = g * p + j;
      const m = counts[c] ?? 0;
      sds[c] = m >= 2 ? Math.sqrt((sds[c] ?? 0) / (m - 1)) : Number.NaN;
      if ((weights[j] ?? 0) > 0 && (sds[c] ?? 0) > 0) {
        usable[c] = 1;
        phaseWeight[g] = (phaseWeight[g] ?? 0) + (weights[j] ?? 0);
        phaseFeatures[g] = (phaseFeatures[g] ?? 0) + 1;
      }
    }

  const z = new Float64Array(n * p).fill(Number.NaN);
  const present = new Int32Array(n);
  const status: MatchStatus[] = new Array<MatchStatus>(n);
  const unmatched: SimilarityIndex['unmatched'] = [];
  const memberLists: number[][] = phaseLabels.map(() => []);
  for (let i = 0; i < n; i++) {
    const g = phaseOf[i] ?? -1;
    if (g < 0) {
      status[i] = 'no-phase';
      unmatched.push({ id: ids[i] ?? Number.NaN, row: i, reason: 'no-phase' });
      continue;
    }
    let have = 0;
    for (let j = 0; j < p; j++) {
      const c = g * p + j;
      const x = f[i * p + j] ?? Number.NaN;
      if (usable[c] === 0 || !Number.isFinite(x)) continue;
      z[i * p + j] = (x - (means[c] ?? 0)) / (sds[c] ?? 1);
      have++;
    }
    present[i] = have;
    const usableHere = phaseFeatures[g] ?? 0;
    const reason: MatchStatus = usableHere === 0 ? 'no-usable-features' : 2 * have < usableHere ? 'too-few-features' : 'matched';
    status[i] = reason;
    if (reason === 'matched') memberLists[g]?.push(i);
    else if (reason === 'no-usable-features' || reason === 'too-few-features') unmatched.push({ id: ids[i] ?? Number.NaN, row: i, reason });
  }
  return {
    n,
    p,
    featureNames: table.featureNames,
    ids,
    weights,
    phaseLabels,
    phaseOf,
    means,
    sds,
    usable,
    phaseWeight,
    phaseFeatures,
    z,
    present,
    status,
    members: memberLists.map((m) => Int32Array.from(m)),
    rowOf,
    unmatched,
  };
}

/**
 * The k schools most similar to school `id` (rules 1–5 of the module note), nearest first, with
 * each neighbour's distance and per-feature contributions. Never returns the school itself or
 * an id in `options.exclude`. A school that cannot be matched comes back with its status and no
 * neighbours. O(n_phase · p + n_phase · log k).
 */
export function similarSchools(index: SimilarityIndex, id: number, options: SimilarOptions = {}): SimilarSchools {
  const k = groupSize(options.k);
  const excluded = exclusionMask(index, options.exclude);
  return nearest(index, id, k, excluded, new Scratch(k, index.p));
}

/**
 * {@link similarSchools} for each id of a list (e.g. every school of a network), sharing one
 * exclusion set; results in the order of `ids`.
 */
export function similarSchoolsForEach(index: SimilarityIndex, ids: Iterable<number>, options: SimilarOptions = {}): SimilarSchools[] {
  const k = groupSize(options.k);
  const excluded = exclusionMask(index, options.exclude);
  const scratch = new Scratch(k, index.p);
  const out: SimilarSchools[] = [];
  for (const id of ids) out.push(nearest(index, id, k, excluded, scratch));
  return out;
}

function groupSize(k: number | undefined): number {
  const size = k ?? DEFAULT_SIMILAR_K;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`k must be a positive integer; got ${size}`);
  return size;
}

function exclusionMask(index: SimilarityIndex, exclude: Iterable<number> | undefined): Uint8Array | null {
  if (exclude === undefined) return null;
  const mask = new Uint8Array(index.n);
  for (const id of exclude) {
    const row = index.rowOf.get(id);
    if (row !== undefined) mask[row] = 1;
  }
  return mask;
}

/** Reusable buffers: a bounded max-heap of the k best candidates so far, and the query's feature list. */
class Scratch {
  readonly dist: Float64Array;
  readonly id: Float64Array;
  readonly row: Int32Array;
  readonly features: Int32Array;
  size = 0;
  constructor(k: number, p: number) {
    this.dist = new Float64Array(k);
    this.id = new Float64Array(k);
    this.row = new Int32Array(k);
    this.features = new Int32Array(p);
  }
}

/** Whether heap slot a ranks after slot b (farther, or as far with a higher id). */
function after(s: Scratch, a: number, b: number): boolean {
  const da = s.dist[a] ?? 0;
  const db = s.dist[b] ?? 0;
  return da > db || (da === db && (s.id[a] ?? 0) > (s.id[b] ?? 0));
}

function swap(s: Scratch, a: number, b: number): void {
  const d = s.dist[a] ?? 0;
  s.dist[a] = s.dist[b] ?? 0;
  s.dist[b] = d;
  const i = s.id[a] ?? 0;
  s.id[a] = s.id[b] ?? 0;
  s.id[b] = i;
  const r = s.row[a] ?? 0;
  s.row[a] = s.row[b] ?? 0;
  s.row[b] = r;
}

function siftDown(s: Scratch, start: number, size: number): void {
  let at = start;
  for (;;) {
    const l = 2 * at + 1;
    if (l >= size) return;
    const r = l + 1;
    const worst = r < size && after(s, r, l) ? r : l;
    if (!after(s, worst, at)) return;
    swap(s, worst, at);
    at = worst;
  }
}

/** Offers a candidate to the heap of the k best (its root is the worst kept). */
function offer(s: Scratch, k: number, dist: number, id: number, row: number): void {
  if (s.size < k) {
    let at = s.size++;
    s.dist[at] = dist;
    s.id[at] = id;
    s.row[at] = row;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!after(s, at, parent)) break;
      swap(s, at, parent);
      at = parent;
    }
    return;
  }
  const top = s.dist[0] ?? 0;
  if (dist > top || (dist === top && id > (s.id[0] ?? 0))) return;
  s.dist[0] = dist;
  s.id[0] = id;
  s.row[0] = row;
  siftDown(s, 0, k);
}

function nearest(index: SimilarityIndex, id: number, k: number, excluded: Uint8Array | null, s: Scratch): SimilarSchools {
  const { p, z, weights } = index;
  const a = index.rowOf.get(id);
  const empty = {
    ids: new Float64Array(0),
    rows: new Int32Array(0),
    distances: new Float64Array(0),
    shared: new Int32Array(0),
    contributions: new Float64Array(0),
    differences: new Float64Array(0),
  };
  if (a === undefined)
    return { id, status: 'not-in-table', row: -1, phase: null, featuresPresent: 0, featuresUsable: 0, compared: 0, ...empty };
  const g = index.phaseOf[a] ?? -1;
  const base = {
    id,
    row: a,
    phase: g < 0 ? null : (index.phaseLabels[g] ?? null),
    featuresPresent: index.present[a] ?? 0,
    featuresUsable: g < 0 ? 0 : (index.phaseFeatures[g] ?? 0),
  };
  const status = index.status[a] ?? 'no-phase';
  if (status !== 'matched') return { ...base, status, compared: 0, ...empty };

  const feats = s.features;
  let fp = 0;
  for (let j = 0; j < p; j++) if (!Number.isNaN(z[a * p + j] ?? Number.NaN)) feats[fp++] = j;
  const total = index.phaseWeight[g] ?? 0;
  const members = index.members[g] ?? new Int32Array(0);
  s.size = 0;
  let compared = 0;
  for (let m = 0; m < members.length; m++) {
    const b = members[m] ?? 0;
    if (b === a || (excluded !== null && excluded[b] === 1)) continue;
    let sum = 0;
    let wShared = 0;
    for (let t = 0; t < fp; t++) {
      const j = feats[t] ?? 0;
      const zb = z[b * p + j] ?? Number.NaN;
      if (Number.isNaN(zb)) continue; // missing in b (or unusable in the phase)
      const d = (z[a * p + j] ?? 0) - zb;
      const w = weights[j] ?? 0;
      sum += w * d * d;
      wShared += w;
    }
    if (wShared === 0) continue;
    compared++;
    offer(s, k, Math.sqrt((sum * total) / wShared), index.ids[b] ?? 0, b);
  }

  // Heap sort in place: repeatedly move the worst kept to the end.
  const m = s.size;
  for (let end = m - 1; end > 0; end--) {
    swap(s, 0, end);
    siftDown(s, 0, end);
  }
  const ids = s.id.slice(0, m);
  const rows = s.row.slice(0, m);
  const distances = s.dist.slice(0, m);
  const shared = new Int32Array(m);
  const contributions = new Float64Array(m * p).fill(Number.NaN);
  const differences = new Float64Array(m * p).fill(Number.NaN);
  for (let i = 0; i < m; i++) {
    const b = rows[i] ?? 0;
    let wShared = 0;
    for (let j = 0; j < p; j++) {
      const za = z[a * p + j] ?? Number.NaN;
      const zb = z[b * p + j] ?? Number.NaN;
      if (Number.isNaN(za) || Number.isNaN(zb)) continue;
      wShared += weights[j] ?? 0;
      shared[i] = (shared[i] ?? 0) + 1;
      differences[i * p + j] = zb - za;
    }
    const scale = total / wShared;
    for (let j = 0; j < p; j++) {
      const d = differences[i * p + j] ?? Number.NaN;
      if (!Number.isNaN(d)) contributions[i * p + j] = (weights[j] ?? 0) * d * d * scale;
    }
  }
  return { ...base, status, compared, ids, rows, distances, shared, contributions, differences };
}
