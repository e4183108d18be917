import { type Graph, undirected } from './csr.ts';

/**
 * Core number of every node on the undirected view (a directed graph's arcs both ways merge into
 * one tie): the largest k such that the node belongs to the k-core, the maximal subgraph in which
 * every node has at least k ties (Seidman 1983). Isolates are in the 0-core. Unweighted by
 * definition. Computed with Batagelj & Zaversnik's (2003, arXiv cs/0310049) bucket algorithm in
 * O(n + m). Reference: igraph `coreness(mode="all")` on the undirected view, networkx `core_number`.
 *
 * A high core number marks a school inside the densely interlinked heart of the network, whose
 * ties survive when the loosely attached schools around it drop away.
 */
export function coreNumbers(g: Graph): Int32Array {
  const u = undirected(g);
  const n = u.nodes;
  const { offsets, targets } = u;
  const degree = new Int32Array(n);
  let maxDegree = 0;
  for (let v = 0; v < n; v++) {
    degree[v] = offsets[v + 1]! - offsets[v]!;
    if (degree[v]! > maxDegree) maxDegree = degree[v]!;
  }
  // bin[d]: first position in `vert` of the nodes whose current degree is d.
  const bin = new Int32Array(maxDegree + 1);
  for (let v = 0; v < n; v++) bin[degree[v]!]!++;
  let start = 0;
  for (let d = 0; d <= maxDegree; d++) {
    const count = bin[d]!;
    bin[d] = start;
    start += count;
  }
  const vert = new Int32Array(n);
  const pos = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    pos[v] = bin[degree[v]!]!++;
    vert[pos[v]!] = v;
  }
  for (let d = maxDegree; d > 0; d--) bin[d] = bin[d - 1]!;
  bin[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = vert[i]!;
    const dv = degree[v]!;
    for (let j = offsets[v]!; j < offsets[v + 1]!; j++) {
      const w = targets[j]!;
      const dw = degree[w]!;
      if (dw > dv) {
        // Swap w with the first node of its bin, then shrink that bin by one: w's degree drops.
        const pw = pos[w]!;
        const pFirst = bin[dw]!;
        const first = vert[pFirst]!;
        if (first !== w) {
          pos[w] = pFirst;
          vert[pFirst] = w;
          pos[first] = pw;
          vert[pw] = first;
        }
        bin[dw]!++;
        degree[w] = dw - 1;
      }
    }
  }
  return degree;
}
