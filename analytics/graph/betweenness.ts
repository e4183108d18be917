import { type ClosenessMetrics, closenessFromSums } from './closeness.ts';
import type { Graph } from './csr.ts';
import { createPathScratch, type PathScratch, shortestPathsFrom } from './shortest-paths.ts';

/**
 * Exact betweenness by Brandes's algorithm (U. Brandes, "A faster algorithm for betweenness
 * centrality", J. Math. Sociol. 25(2), 2001), with closeness, harmonic centrality and average
 * path length gathered in the same all-sources pass: one shortest-path search per source
 * serves all of them, so one background job computes every path metric exactly.
 *
 * The kernel runs over any set of sources and returns raw sums, so the sources can be split
 * across threads (betweenness-parallel.ts) and the partial sums added; `finishPathSums` then
 * applies the normalisations.
 */

/** Which sources a pass covers: a range `[from, to)` or an explicit list. */
export type SourceSelection = { from: number; to: number } | ArrayLike<number>;

/**
 * Raw sums of one or more all-sources passes. Betweenness sums Brandes's dependency δ_s(v) over
 * the sources covered (for an undirected graph each unordered pair is met from both ends);
 * the per-source arrays are indexed by source and hold 0 for sources not covered, so the
 * partial sums of disjoint source sets add up to the whole.
 */
export type PathSums = {
  nodes: number;
  directed: boolean;
  weighted: boolean;
  /** Σ_s δ_s(v) over the sources covered. */
  betweenness: Float64Array<ArrayBuffer>;
  /** [s] = Σ_t d(s, t) over the nodes t ≠ s that s reaches (outward when directed). */
  distanceSum: Float64Array<ArrayBuffer>;
  /** [s] = Σ_t 1 / d(s, t) over the nodes t ≠ s that s reaches. */
  harmonicSum: Float64Array<ArrayBuffer>;
  /** [s] = how many nodes t ≠ s the source s reaches. */
  reached: Float64Array<ArrayBuffer>;
  /** How many sources the sums cover. */
  sources: number;
};

export type BetweennessMetrics = {
  /**
   * igraph's `betweenness()` (= networkx `betweenness_centrality(normalized=False)`):
   * Σ over pairs s ≠ v ≠ t of σ_st(v) / σ_st, unordered pairs when undirected, ordered pairs
   * when directed.
   */
  betweenness: Float64Array;
  /**
   * networkx `betweenness_centrality(normalized=True)`: the raw value times 2 / ((n-1)(n-2))
   * when undirected, 1 / ((n-1)(n-2)) when directed; the share of the pairs of other schools
   * whose shortest paths run through this one. All 0 when n ≤ 2 (no node can lie between).
   */
  betweennessNormalised: Float64Array;
};

export type PathMetrics = BetweennessMetrics & ClosenessMetrics & { directed: boolean; weighted: boolean };

export type PathOptions = {
  /** Use distance = 1 / weight (a strong tie is a short step); otherwise every tie has length 1. */
  weighted: boolean;
};

export function createPathSums(nodes: number, directed: boolean, weighted: boolean): PathSums {
  return {
    nodes,
    directed,
    weighted,
    betweenness: new Float64Array(nodes),
    distanceSum: new Float64Array(nodes),
    harmonicSum: new Float64Array(nodes),
    reached: new Float64Array(nodes),
    sources: 0,
  };
}

/** Scratch for the Brandes kernel: the search buffers plus the dependency δ. */
export type BrandesScratch = PathScratch & { readonly delta: Float64Array };

export function createBrandesScratch(g: Graph): BrandesScratch {
  return Object.assign(createPathScratch(g.nodes, g.sources.length), { delta: new Float64Array(g.nodes) });
}

/**
 * Adds the contributions of the selected sources to `sums` (created when absent) and returns
 * it. Per source s: one search (BFS or Dijkstra, along out-arcs), then Brandes's back
 * propagation δ_s(v) = Σ_{w : v ∈ pred(w)} σ_sv / σ_sw · (1 + δ_s(w)), over the predecessors the
 * search recorded (each node's list sits in its in-row's slots, so it needs no allocation): the
 * very arcs whose σ the search added, ties within DISTANCE_TOLERANCE included. Allocates
 * nothing per source. O(|sources| · m) unweighted,
 * O(|sources| · m log n) weighted.
 */
export function accumulatePathSums(
  g: Graph,
  options: PathOptions,
  selection: SourceSelection = { from: 0, to: g.nodes },
  sums: PathSums = createPathSums(g.nodes, g.directed, options.weighted),
  scratch: BrandesScratch = createBrandesScratch(g),
): PathSums {
  const weighted = options.weighted;
  const inOffsets = g.inOffsets;
  const { dist, sigma, order, delta } = scratch;
  const preds = scratch.predecessors!;
  const predCount = scratch.predecessorCount!;
  const { betweenness, distanceSum, harmonicSum, reached } = sums;
  const range = 'from' in selection ? selection : null;
  const list = 'from' in selection ? null : selection;
  const count = range ? range.to - range.from : list!.length;
  for (let k = 0; k < count; k++) {
    const s = range ? range.from + k : list![k]!;
    const r = shortestPathsFrom(g, s, scratch, { weighted });
    let total = 0;
    let harmonic = 0;
    for (let i = 1; i < r; i++) {
      const d = dist[order[i]!]!;
      total += d;
      harmonic += 1 / d;
    }
    distanceSum[s] = total;
    harmonicSum[s] = harmonic;
    reached[s] = r - 1;
    for (let i = r - 1; i > 0; i--) {
      const w = order[i]!;
      const coefficient = (1 + delta[w]!) / sigma[w]!;
      for (let j = inOffsets[w]!, end = j + predCount[w]!; j < end; j++) {
        const v = preds[j]!;
        delta[v]! += sigma[v]! * coefficient;
      }
      betweenness[w]! += delta[w]!;
      delta[w] = 0;
    }
    delta[s] = 0;
    sums.sources++;
  }
  return sums;
}

/** Adds `part` into `into` (partial sums over disjoint source sets) and returns `into`. */
export function mergePathSums(into: PathSums, part: PathSums): PathSums {
  for (let v = 0; v < into.nodes; v++) {
    into.betweenness[v]! += part.betweenness[v]!;
    into.distanceSum[v]! += part.distanceSum[v]!;
    into.harmonicSum[v]! += part.harmonicSum[v]!;
    into.reached[v]! += part.reached[v]!;
  }
  into.sources += part.sources;
  return into;
}

/**
 * Betweenness from the all-sources sums: halves the undirected sums (each pair was met from
 * both ends) to igraph's raw value, then scales by networkx's normalisation (see
 * BetweennessMetrics).
 */
export function betweennessFromSums(sums: PathSums): BetweennessMetrics {
  const n = sums.nodes;
  const raw = new Float64Array(n);
  const normalised = new Float64Array(n);
  const half = sums.directed ? 1 : 0.5;
  const scale = n > 2 ? (sums.directed ? 1 : 2) / ((n - 1) * (n - 2)) : 0;
  for (let v = 0; v < n; v++) {
    raw[v] = sums.betweenness[v]! * half;
    normalised[v] = raw[v]! * scale;
  }
  return { betweenness: raw, betweennessNormalised: normalised };
}

/** Every path metric from sums that cover all sources (see BetweennessMetrics, ClosenessMetrics). */
export function finishPathSums(sums: PathSums): PathMetrics {
  if (sums.sources !== sums.nodes) throw new RangeError(`path sums cover ${sums.sources} of ${sums.nodes} sources`);
  return { directed: sums.directed, weighted: sums.weighted, ...betweennessFromSums(sums), ...closenessFromSums(sums) };
}

/**
 * Exact betweenness, closeness, harmonic centrality and average path length in one
 * single-threaded pass over all sources. A school with high betweenness is a broker: many
 * shortest routes between other schools run through it, so it bridges groups that would
 * otherwise be far apart. For big graphs run it in the background (betweenness-parallel.ts),
 * or estimate with betweenness-sampled.ts.
 */
export function pathMetrics(g: Graph, options: PathOptions): PathMetrics {
  return finishPathSums(accumulatePathSums(g, options));
}
