import { type Graph, unweighted } from './csr.ts';
import type { IterativeCentrality } from './eigenvector.ts';

export type PageRankOptions = {
  /** Use tie weights (default) or count every tie or arc as 1. */
  weighted?: boolean;
  /** Stop when the scores change by less than this in total (L1) between two iterations. Default 1e-13. */
  tolerance?: number;
  /** Default 100,000. */
  maxIterations?: number;
  /** Probability of following a tie rather than jumping to a random school. Default 0.85. */
  damping?: number;
};

/**
 * PageRank (Brin & Page 1998): the stationary distribution of a walk that, with probability d,
 * follows a tie chosen in proportion to its weight and otherwise jumps to a uniformly random node:
 *
 *   PR_v = (1 − d) / n + d · ( Σ_{u → v} PR_u · w_uv / s_u^out + Σ_{u dangling} PR_u / n ),
 *
 * where s_u^out is u's out-strength and a dangling node (no out-ties) spreads its score uniformly
 * over all nodes, as igraph's PRPACK and networkx do. Scores sum to 1. Directed graphs follow arcs
 * (an arc i → j passes i's standing to j: support received from well-supported schools counts
 * most); undirected graphs walk each tie both ways. With `weighted: false` every tie or arc counts 1.
 * Power iteration from the uniform vector until the L1 change is below `tolerance` (default
 * 1e-13). A graph with no ties gives 1/n everywhere. Reference: igraph `pagerank(damping=0.85)`.
 */
export function pageRank(graph: Graph, options: PageRankOptions = {}): IterativeCentrality {
  const g = options.weighted === false ? unweighted(graph) : graph;
  const damping = options.damping ?? 0.85;
  const tolerance = options.tolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 100_000;
  const n = g.nodes;
  if (n === 0) return { values: new Float64Array(0), iterations: 0, converged: true };
  const { offsets, weights, inOffsets, sources, inWeights } = g;
  // 1 / out-strength, 0 for dangling nodes.
  const inverseOut = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let s = 0;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) s += weights[i]!;
    inverseOut[v] = s > 0 ? 1 / s : 0;
  }
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const share = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let dangling = 0;
    for (let v = 0; v < n; v++) {
      if (inverseOut[v] === 0) dangling += x[v]!;
      share[v] = x[v]! * inverseOut[v]!;
    }
    const base = (1 - damping) / n + (damping * dangling) / n;
    let change = 0;
    for (let v = 0; v < n; v++) {
      let s = 0;
      const end = inOffsets[v + 1]!;
      for (let i = inOffsets[v]!; i < end; i++) s += inWeights[i]! * share[sources[i]!]!;
      const value = base + damping * s;
      change += Math.abs(value - x[v]!);
      next[v] = value;
    }
    const t = x;
    x = next;
    next = t;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  // Rounding drifts the total by ~1e-16 per iteration; renormalise so the scores sum to 1.
  let total = 0;
  for (let v = 0; v < n; v++) total += x[v]!;
  for (let v = 0; v < n; v++) x[v]! /= total;
  return { values: x, iterations, converged };
}
