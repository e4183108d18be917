import { type Graph, undirected } from './csr.ts';

/** Called once per triangle {a, b, c} with the CSR positions of its arcs a→b, a→c (row a) and b→c (row b). */
export type TriangleVisitor = (a: number, b: number, c: number, ab: number, ac: number, bc: number) => void;

/**
 * Enumerates every triangle of an undirected graph exactly once: the "forward" algorithm
 * (Schank & Wagner 2005; Latapy 2008) with nodes ranked by degree, each node keeping only its
 * higher-ranked neighbours in rank order, and each tie's two forward lists intersected as sorted
 * rows. O(m^1.5) in the worst case, so a hub with thousands of ties does not cost its degree
 * squared. `u` must be undirected (pass `undirected(g)`).
 */
export function forEachTriangle(u: Graph, visit: TriangleVisitor): void {
  const n = u.nodes;
  const { offsets, targets } = u;
  // Rank by (degree, index) with a counting sort.
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, offsets[v + 1]! - offsets[v]!);
  const bucket = new Int32Array(maxDegree + 2);
  for (let v = 0; v < n; v++) bucket[offsets[v + 1]! - offsets[v]! + 1]!++;
  for (let d = 0; d <= maxDegree; d++) bucket[d + 1]! += bucket[d]!;
  const rank = new Int32Array(n);
  const byRank = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const r = bucket[offsets[v + 1]! - offsets[v]!]!++;
    rank[v] = r;
    byRank[r] = v;
  }
  // Forward lists: for each node the higher-ranked neighbours, ascending by rank, with the CSR
  // position of the arc from the node to them. Filling in rank order keeps each list sorted.
  const start = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) if (rank[targets[i]!]! > rank[v]!) start[v + 1]!++;
  }
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const forwardRank = new Int32Array(start[n]!);
  const forwardArc = new Int32Array(start[n]!);
  const reverse = reverseArcs(u);
  for (let r = 0; r < n; r++) {
    const v = byRank[r]!;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const w = targets[i]!;
      if (rank[w]! < r) {
        const k = fill[w]!++;
        forwardRank[k] = r;
        forwardArc[k] = reverse[i]!;
      }
    }
  }
  for (let a = 0; a < n; a++) {
    const endA = start[a + 1]!;
    for (let p = start[a]!; p < endA; p++) {
      const b = byRank[forwardRank[p]!]!;
      let i = p + 1;
      let j = start[b]!;
      const endB = start[b + 1]!;
      while (i < endA && j < endB) {
        const ri = forwardRank[i]!;
        const rj = forwardRank[j]!;
        if (ri < rj) i++;
        else if (ri > rj) j++;
        else {
          visit(a, b, byRank[ri]!, forwardArc[p]!, forwardArc[i]!, forwardArc[j]!);
          i++;
          j++;
        }
      }
    }
  }
}

/**
 * For every arc position i (v → w) of an undirected graph, the position of w → v. O(n + m): rows
 * are sorted, so the smaller neighbours of each node are met in increasing order.
 */
export function reverseArcs(u: Graph): Int32Array {
  const { offsets, targets } = u;
  const reverse = new Int32Array(targets.length);
  const cursor = offsets.slice(0, u.nodes);
  for (let v = 0; v < u.nodes; v++) {
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const w = targets[i]!;
      if (w > v) {
        const j = cursor[w]!++;
        reverse[i] = j;
        reverse[j] = i;
      }
    }
  }
  return reverse;
}

export type Clustering = {
  /** Triangles through each node. */
  triangles: Float64Array;
  /** Unweighted local clustering; 0 for nodes with fewer than two ties. */
  local: Float64Array;
  /** Barrat et al. (2004) weighted local clustering; 0 for nodes with fewer than two ties. */
  weighted: Float64Array;
  /** Mean of `local` over all nodes (zeros included); null for a graph with no nodes. */
  averageLocal: number | null;
  /** Mean of `weighted` over all nodes; null for a graph with no nodes. */
  averageWeighted: number | null;
  /** Global transitivity 3·triangles / connected triples; null when there is no connected triple. */
  transitivity: number | null;
};

/**
 * Clustering on the undirected view (a directed graph's arcs both ways merge, weights summed).
 *
 * - Local clustering (Watts & Strogatz 1998): C_i = 2 t_i / (k_i (k_i − 1)), t_i the triangles
 *   through i; nodes with k_i < 2 get 0 (igraph `transitivity_local_undirected(mode="zero")`,
 *   networkx `clustering`).
 * - Weighted local clustering, Barrat et al. (2004, PNAS 101:3747), chosen over Onnela's because
 *   it weighs a triangle by the ties the school itself puts into it rather than by the weakest
 *   tie among its partners, and it is igraph's weighted variant:
 *     C_i^w = 1 / (s_i (k_i − 1)) · Σ_{j,h} (w_ij + w_ih) / 2 · a_ij a_ih a_jh,
 *   over ordered pairs (j, h); equal to C_i when all weights are 1; 0 when k_i < 2.
 * - Transitivity (global clustering): 3 × triangles / connected triples
 *   = Σ_i t_i / Σ_i k_i (k_i − 1) / 2 (igraph `transitivity_undirected`), unweighted.
 * - Average local clustering: the mean of C_i (or C_i^w) over all nodes, zeros included
 *   (igraph `transitivity_avglocal_undirected(mode="zero")`).
 *
 * High clustering means a school's partners also work with one another: a closed, mutually
 * supporting group (good for trust and joint practice development, but it can shut out new ideas).
 */
export function clustering(g: Graph): Clustering {
  const u = undirected(g);
  const n = u.nodes;
  const { offsets, weights } = u;
  const triangles = new Float64Array(n);
  const barrat = new Float64Array(n);
  forEachTriangle(u, (a, b, c, ab, ac, bc) => {
    triangles[a]!++;
    triangles[b]!++;
    triangles[c]!++;
    const wab = weights[ab]!;
    const wac = weights[ac]!;
    const wbc = weights[bc]!;
    // Each triangle is both ordered pairs (j, h) and (h, j) at each corner: 2 · (w_ij + w_ih) / 2.
    barrat[a]! += wab + wac;
    barrat[b]! += wab + wbc;
    barrat[c]! += wac + wbc;
  });
  const local = new Float64Array(n);
  const weighted = new Float64Array(n);
  let sumLocal = 0;
  let sumWeighted = 0;
  let closed = 0;
  let triples = 0;
  for (let v = 0; v < n; v++) {
    const k = offsets[v + 1]! - offsets[v]!;
    if (k < 2) continue;
    let s = 0;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) s += weights[i]!;
    local[v] = (2 * triangles[v]!) / (k * (k - 1));
    weighted[v] = barrat[v]! / (s * (k - 1));
    sumLocal += local[v]!;
    sumWeighted += weighted[v]!;
    closed += triangles[v]!;
    triples += (k * (k - 1)) / 2;
  }
  return {
    triangles,
    local,
    weighted,
    averageLocal: n > 0 ? sumLocal / n : null,
    averageWeighted: n > 0 ? sumWeighted / n : null,
    transitivity: triples > 0 ? closed / triples : null,
  };
}
