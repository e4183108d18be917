import type { Graph } from './csr.ts';
import { createPathScratch, type PathScratch, seededRandom, shortestPathsFrom } from './shortest-paths.ts';

/**
 * Closeness, harmonic centrality and average path length: how near a school is to the rest of
 * the network along collaboration ties, and how far apart schools are on average. Directed
 * graphs measure outward: distances from the school along its arcs (giving → receiving), as
 * igraph's `mode='out'` (networkx measures incoming distance; its reference values here come
 * from the reversed graph). Weighted variants use distance = 1 / weight.
 *
 * Exact values come from one search per source (here, or in the same pass as betweenness in
 * betweenness.ts); `sampledCloseness` estimates them from a few pivot searches, with bounds.
 */
export type ClosenessMetrics = {
  /**
   * Closeness with Wasserman & Faust's correction for disconnected graphs (Social Network
   * Analysis, 1994, eq. 5.3; networkx `closeness_centrality(wf_improved=True)`):
   * C(v) = ((r - 1) / (n - 1)) · ((r - 1) / Σ_t d(v, t)), r = number of nodes v reaches, itself
   * included, the sum over them. 0 for a school that reaches nobody. The correction keeps a
   * pair of schools that work only with each other from looking as central as a hub: being
   * close to a few counts for less than being close to many.
   */
  closeness: Float64Array;
  /**
   * igraph's `closeness(normalized=True)`: (r - 1) / Σ_t d(v, t) over the reachable nodes only
   * (the inverse mean distance to the schools it can reach); NaN for one that reaches nobody.
   */
  closenessReachable: Float64Array;
  /**
   * Harmonic centrality (Marchiori & Latora 2000; Boldi & Vigna 2014; networkx
   * `harmonic_centrality`, outward): H(v) = Σ_{t ≠ v} 1 / d(v, t), unreachable t adding 0, so
   * it needs no correction for disconnected or directed graphs. A school in "splendid
   * isolation" scores 0; one a step or two from many schools scores high.
   */
  harmonic: Float64Array;
  /** H(v) / (n - 1) (igraph `harmonic_centrality(normalized=True)`), in [0, 1] unweighted; NaN when n ≤ 1. */
  harmonicNormalised: Float64Array;
  /**
   * Mean d(s, t) over all ordered pairs s ≠ t with t reachable from s (igraph
   * `average_path_length(directed=True, unconn=True)`): how many steps, typically, separate two
   * schools that are connected at all. NaN when no pair is connected.
   */
  averagePathLength: number;
};

/** Per-source sums of one all-sources pass (a subset of betweenness.ts's PathSums). */
export type DistanceSums = {
  nodes: number;
  distanceSum: Float64Array;
  harmonicSum: Float64Array;
  reached: Float64Array;
};

/** The metrics of ClosenessMetrics from per-source distance sums over every source. */
export function closenessFromSums(sums: DistanceSums): ClosenessMetrics {
  const n = sums.nodes;
  const closeness = new Float64Array(n);
  const closenessReachable = new Float64Array(n);
  const harmonic = Float64Array.from(sums.harmonicSum);
  const harmonicNormalised = new Float64Array(n);
  let total = 0;
  let pairs = 0;
  for (let v = 0; v < n; v++) {
    const others = sums.reached[v]!;
    const distance = sums.distanceSum[v]!;
    closenessReachable[v] = others > 0 ? others / distance : Number.NaN;
    closeness[v] = others > 0 ? (others / distance) * (others / (n - 1)) : 0;
    harmonicNormalised[v] = n > 1 ? harmonic[v]! / (n - 1) : Number.NaN;
    total += distance;
    pairs += others;
  }
  return { closeness, closenessReachable, harmonic, harmonicNormalised, averagePathLength: pairs > 0 ? total / pairs : Number.NaN };
}

/**
 * Exact closeness, harmonic centrality and average path length: one search per source
 * (BFS or Dijkstra), O(n · m) unweighted, O(n · m log n) weighted. When betweenness is wanted
 * too, `pathMetrics` (betweenness.ts) gives all of them from the same searches.
 */
export function closenessMetrics(g: Graph, options: { weighted: boolean }): ClosenessMetrics {
  const n = g.nodes;
  const sums: DistanceSums = { nodes: n, distanceSum: new Float64Array(n), harmonicSum: new Float64Array(n), reached: new Float64Array(n) };
  const scratch = createPathScratch(n);
  for (let s = 0; s < n; s++) {
    const r = shortestPathsFrom(g, s, scratch, { weighted: options.weighted });
    let total = 0;
    let harmonic = 0;
    for (let i = 1; i < r; i++) {
      const d = scratch.dist[scratch.order[i]!]!;
      total += d;
      harmonic += 1 / d;
    }
    sums.distanceSum[s] = total;
    sums.harmonicSum[s] = harmonic;
    sums.reached[s] = r - 1;
  }
  return closenessFromSums(sums);
}

export type SampledClosenessOptions = {
  weighted: boolean;
  /** Pivot searches per component (undirected) or in all (directed); default 64. */
  pivots?: number;
  /** Every stated bound holds together with probability ≥ 1 - delta; default 0.1. */
  delta?: number;
  /** Seed of the pivot choice; the same seed gives the same estimate. Default 1. */
  seed?: number;
};

/**
 * Estimates of ClosenessMetrics with additive error bounds that hold together, for every node,
 * with probability ≥ 1 - delta. `closeness`, `closenessReachable` and `averagePathLength` are
 * null for directed graphs: the reachable set then differs from node to node, pivots give no
 * bounded estimate of it, and the background job computes them exactly.
 */
export type SampledCloseness = {
  harmonic: Float64Array;
  harmonicNormalised: Float64Array;
  closeness: Float64Array | null;
  closenessReachable: Float64Array | null;
  averagePathLength: number | null;
  /** Bound on |estimate - exact| of every node's harmonicNormalised. */
  harmonicError: number;
  /**
   * Bound on |estimate - exact| of every node's mean distance to the other schools it reaches,
   * m(v) = (r - 1) / closenessReachable(v); closeness intervals follow from it. null when directed.
   */
  meanDistanceError: number | null;
  /** Bound on |estimate - exact| of averagePathLength; null when directed. */
  averagePathLengthError: number | null;
  /** Searches run. */
  searches: number;
  /** True when every value is exact (every component had at most `pivots` nodes). */
  exact: boolean;
  delta: number;
};

/**
 * Pivot sampling (D. Eppstein & J. Wang, "Fast approximation of centrality", J. Graph
 * Algorithms Appl. 8(1), 2004): k pivots drawn without replacement, one search from each;
 * every node's sum Σ_t f(d(v, t)) is estimated as (N / k) Σ_pivots f(d(v, p)), unbiased.
 * Hoeffding's inequality (1963, which also holds for sampling without replacement) with a
 * union bound over the 2n + L statements (L = components sampled) gives, with
 * t = sqrt(ln(2(2n + L) / δ) / (2k)):
 * - harmonicNormalised: error ≤ (N / (n - 1)) · w_max · t (each 1 / d lies in [0, w_max]; w_max = 1 unweighted);
 * - a node's mean distance to its component: error ≤ N / (N - 1) · Δ · t, where Δ ≤ 2 ·
 *   (smallest pivot eccentricity) bounds the component's diameter (Eppstein–Wang's εΔ);
 * - averagePathLength: error ≤ Σ_C (pairs_C / pairs) · Δ_C · t.
 *
 * Undirected graphs are sampled per connected component (N = component size): a component of
 * at most k nodes is computed exactly, so small groups of schools are never estimated from
 * pivots outside them. Directed graphs draw k pivots from all n nodes (N = n) and search the
 * in-arcs from each, which gives every node's outward distance to the pivot (n statements in
 * the union bound). Cost: one search per pivot, at most k per component plus the small
 * components' exact searches, so O(k · (n + m)) unweighted and O(k · m log n) weighted.
 */
export function sampledCloseness(g: Graph, options: SampledClosenessOptions): SampledCloseness {
  const k = Math.max(2, Math.floor(options.pivots ?? 64));
  const delta = options.delta ?? 0.1;
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
  const random = seededRandom(options.seed ?? 1);
  const weighted = options.weighted;
  const maxWeight = weighted ? g.weights.reduce((a, b) => Math.max(a, b), 0) : 1;
  const scratch = createPathScratch(g.nodes);
  return g.directed
    ? sampleDirected(g, k, delta, random, weighted, maxWeight, scratch)
    : sampleUndirected(g, k, delta, random, weighted, maxWeight, scratch);
}

/** Node lists grouped by connected component: `members[start[c] .. start[c + 1])`. */
function components(g: Graph, scratch: PathScratch): { start: Int32Array; members: Int32Array; count: number } {
  const n = g.nodes;
  const seen = new Uint8Array(n);
  const members = new Int32Array(n);
  const start: number[] = [0];
  let filled = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const r = shortestPathsFrom(g, s, scratch, { weighted: false });
    for (let i = 0; i < r; i++) {
      const v = scratch.order[i]!;
      seen[v] = 1;
      members[filled++] = v;
    }
    start.push(filled);
  }
  return { start: Int32Array.from(start), members, count: start.length - 1 };
}

/** The first `k` entries of `pool[from .. to)` become a uniform sample without replacement. */
function choosePivots(pool: Int32Array, from: number, to: number, k: number, random: () => number): void {
  for (let i = 0; i < k; i++) {
    const j = from + i + Math.floor(random() * (to - from - i));
    const x = pool[from + i]!;
    pool[from + i] = pool[j]!;
    pool[j] = x;
  }
}

function sampleUndirected(g: Graph, k: number, delta: number, random: () => number, weighted: boolean, maxWeight: number, scratch: PathScratch): SampledCloseness {
  const n = g.nodes;
  const { start, members, count } = components(g, scratch);
  const distanceSum = new Float64Array(n);
  const harmonicSum = new Float64Array(n);
  const reached = new Float64Array(n);
  let sampled = 0;
  for (let c = 0; c < count; c++) if (start[c + 1]! - start[c]! > k) sampled++;
  const t = Math.sqrt(Math.log((2 * (2 * n + sampled)) / delta) / (2 * k));
  let totalDistance = 0;
  let pairs = 0;
  let harmonicError = 0;
  let meanDistanceError = 0;
  let pathLengthError = 0;
  let searches = 0;
  const { dist, order } = scratch;
  for (let c = 0; c < count; c++) {
    const from = start[c]!;
    const to = start[c + 1]!;
    const size = to - from;
    const componentPairs = size * (size - 1);
    pairs += componentPairs;
    if (size <= k) {
      // Small enough to compute exactly with no more searches than a sampled one would take.
      for (let i = from; i < to; i++) {
        const s = members[i]!;
        const r = shortestPathsFrom(g, s, scratch, { weighted });
        searches++;
        let total = 0;
        let harmonic = 0;
        for (let j = 1; j < r; j++) {
          const d = dist[order[j]!]!;
          total += d;
          harmonic += 1 / d;
        }
        distanceSum[s] = total;
        harmonicSum[s] = harmonic;
        reached[s] = r - 1;
        totalDistance += total;
      }
      continue;
    }
    choosePivots(members, from, to, k, random);
    let diameter = Number.POSITIVE_INFINITY;
    let pivotDistance = 0;
    for (let i = from; i < from + k; i++) {
      const r = shortestPathsFrom(g, members[i]!, scratch, { weighted });
      searches++;
      let total = 0;
      for (let j = 1; j < r; j++) {
        const v = order[j]!;
        const d = dist[v]!;
        total += d;
        distanceSum[v]! += d;
        harmonicSum[v]! += 1 / d;
      }
      pivotDistance += total;
      diameter = Math.min(diameter, 2 * dist[order[r - 1]!]!);
    }
    const scale = size / k;
    for (let i = from; i < to; i++) {
      const v = members[i]!;
      distanceSum[v]! *= scale;
      harmonicSum[v]! *= scale;
      reached[v] = size - 1;
    }
    totalDistance += pivotDistance * scale;
    harmonicError = Math.max(harmonicError, (size / (n - 1)) * maxWeight * t);
    meanDistanceError = Math.max(meanDistanceError, (size / (size - 1)) * diameter * t);
    pathLengthError += componentPairs * diameter * t;
  }
  const finished = closenessFromSums({ nodes: n, distanceSum, harmonicSum, reached });
  return {
    ...finished,
    averagePathLength: pairs > 0 ? totalDistance / pairs : Number.NaN,
    harmonicError,
    meanDistanceError,
    averagePathLengthError: pairs > 0 ? pathLengthError / pairs : 0,
    searches,
    exact: sampled === 0,
    delta,
  };
}

function sampleDirected(g: Graph, k: number, delta: number, random: () => number, weighted: boolean, maxWeight: number, scratch: PathScratch): SampledCloseness {
  const n = g.nodes;
  const harmonic = new Float64Array(n);
  const harmonicNormalised = new Float64Array(n);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const exact = n <= k;
  const pivots = exact ? n : k;
  if (!exact) choosePivots(pool, 0, n, k, random);
  const { dist, order } = scratch;
  for (let i = 0; i < pivots; i++) {
    // In-arcs from the pivot: dist[v] = d(v, pivot), the outward distance of v.
    const r = shortestPathsFrom(g, pool[i]!, scratch, { weighted, direction: 'in' });
    for (let j = 1; j < r; j++) harmonic[order[j]!]! += 1 / dist[order[j]!]!;
  }
  const scale = n / pivots;
  for (let v = 0; v < n; v++) {
    harmonic[v]! *= scale;
    harmonicNormalised[v] = n > 1 ? harmonic[v]! / (n - 1) : Number.NaN;
  }
  const t = Math.sqrt(Math.log((2 * n) / delta) / (2 * pivots));
  return {
    harmonic,
    harmonicNormalised,
    closeness: null,
    closenessReachable: null,
    averagePathLength: null,
    harmonicError: exact ? 0 : (n / (n - 1)) * maxWeight * t,
    meanDistanceError: null,
    averagePathLengthError: null,
    searches: pivots,
    exact,
    delta,
  };
}
