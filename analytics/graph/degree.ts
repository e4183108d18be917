import type { Graph } from './csr.ts';

/** Degree and strength of every school, with the directed split when the graph has direction. */
export type DegreeProfile = {
  /** Ties per school. Directed: in + out arcs (igraph `degree(mode="all")`), so a reciprocated tie counts twice. */
  degree: Int32Array;
  /** Sum of tie weights per school. Directed: in + out strength. */
  strength: Float64Array;
  /** Arcs received (= `degree` when undirected). */
  inDegree: Int32Array;
  /** Arcs given (= `degree` when undirected). */
  outDegree: Int32Array;
  inStrength: Float64Array;
  outStrength: Float64Array;
  /** Giving–receiving balance on strength; NaN when undirected or the school has no ties. */
  balance: Float64Array;
};

/**
 * Degree k_i = |N(i)|, strength s_i = Σ_j w_ij (Barrat et al. 2004, PNAS 101:3747), and for a
 * directed graph k_i^in, k_i^out, s_i^in = Σ_j w_ji, s_i^out = Σ_j w_ij and the balance
 *
 *   b_i = (s_i^out − s_i^in) / (s_i^out + s_i^in) ∈ [−1, 1],
 *
 * positive when a school mostly gives support (an arc i → j means i helped j), negative when it
 * mostly receives, NaN when it has no arcs or the graph is undirected (no direction recorded).
 * Degree counts partners; strength counts how much collaboration those partnerships carry, so a
 * school with few but intense ties can outweigh one with many light ones. Reference: igraph
 * `degree`/`strength` (modes in, out, all). O(n + m).
 */
export function degreeProfile(g: Graph): DegreeProfile {
  const n = g.nodes;
  const outDegree = new Int32Array(n);
  const outStrength = new Float64Array(n);
  rowSums(g.offsets, g.weights, outDegree, outStrength);
  if (!g.directed) {
    return {
      degree: outDegree,
      strength: outStrength,
      inDegree: outDegree,
      outDegree,
      inStrength: outStrength,
      outStrength,
      balance: new Float64Array(n).fill(Number.NaN),
    };
  }
  const inDegree = new Int32Array(n);
  const inStrength = new Float64Array(n);
  rowSums(g.inOffsets, g.inWeights, inDegree, inStrength);
  const degree = new Int32Array(n);
  const strength = new Float64Array(n);
  const balance = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    degree[v] = inDegree[v]! + outDegree[v]!;
    const total = inStrength[v]! + outStrength[v]!;
    strength[v] = total;
    balance[v] = total > 0 ? (outStrength[v]! - inStrength[v]!) / total : Number.NaN;
  }
  return { degree, strength, inDegree, outDegree, inStrength, outStrength, balance };
}

function rowSums(offsets: Int32Array, weights: Float64Array, count: Int32Array, sum: Float64Array): void {
  for (let v = 0; v < count.length; v++) {
    const end = offsets[v + 1]!;
    let s = 0;
    for (let i = offsets[v]!; i < end; i++) s += weights[i]!;
    count[v] = end - offsets[v]!;
    sum[v] = s;
  }
}
