import { type Graph, GraphInputError, undirected } from './csr.ts';

/**
 * Newman–Girvan modularity of a partition, weighted, with a resolution γ:
 *
 *   Q = (1 / 2m) Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j)
 *     = Σ_c [ L_c / m − γ (K_c / 2m)² ]
 *
 * where A_ij is the tie strength, k_i = Σ_j A_ij the school's total strength, m the total tie
 * strength of the network, L_c the strength of ties inside community c and K_c the summed
 * strength of its members. Newman & Girvan, Phys. Rev. E 69, 026113 (2004); the weighted form is
 * Newman, Phys. Rev. E 70, 056131 (2004); γ is Reichardt & Bornholdt, Phys. Rev. E 74, 016110
 * (2006). Matches igraph's `modularity(membership, weights, resolution)`.
 *
 * Taken on the undirected view (`undirected()` in csr.ts): a directed graph's a → b and b → a
 * are summed into one tie. A network with no ties has no modularity: NaN (igraph also gives NaN),
 * which the web app shows as "—".
 *
 * For a network of schools: how much more the schools collaborate inside the given groups
 * (trusts, local authorities, detected communities) than chance would put there; near 0 means
 * the groups do not shape who works with whom, above ~0.3 means clear, separate clusters.
 *
 * @param membership community label of each node: whole numbers ≥ 0, any labels.
 * @param resolution γ > 0 weighs the chance term; below 1 favours fewer, larger communities.
 */
export function modularity(g: Graph, membership: ArrayLike<number>, resolution = 1): number {
  const u = undirected(g);
  const labels = compactLabels(membership, u.nodes);
  let communities = 0;
  for (let v = 0; v < u.nodes; v++) communities = Math.max(communities, labels[v]! + 1);
  const inside = new Float64Array(communities);
  const strength = new Float64Array(communities);
  let m = 0;
  for (let e = 0; e < u.edges; e++) {
    const a = labels[u.edgeSource[e]!]!;
    const b = labels[u.edgeTarget[e]!]!;
    const w = u.edgeWeight[e]!;
    m += w;
    strength[a]! += w;
    strength[b]! += w;
    if (a === b) inside[a]! += w;
  }
  if (m === 0) return Number.NaN;
  let q = 0;
  for (let c = 0; c < communities; c++) {
    const share = strength[c]! / (2 * m);
    q += inside[c]! / m - resolution * share * share;
  }
  return q;
}

/**
 * Community labels renumbered 0..k−1 so that community 0 is the largest (most nodes), ties
 * broken by the smallest node index in the community; the web app colours communities by this
 * index, so the same network keeps the same colours from run to run.
 */
export function renumberBySize(membership: ArrayLike<number>): Int32Array {
  const n = membership.length;
  const labels = compactLabels(membership, n);
  let k = 0;
  for (let v = 0; v < n; v++) k = Math.max(k, labels[v]! + 1);
  // compactLabels numbers labels by first appearance, so label order is smallest-member order.
  const size = new Int32Array(k);
  for (let v = 0; v < n; v++) size[labels[v]!]!++;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => size[b]! - size[a]! || a - b);
  const rank = new Int32Array(k);
  for (let i = 0; i < k; i++) rank[order[i]!] = i;
  const out = new Int32Array(n);
  for (let v = 0; v < n; v++) out[v] = rank[labels[v]!]!;
  return out;
}

/** Number of communities in a membership labelled 0..k−1 (as every function here returns). */
export function communityCount(membership: ArrayLike<number>): number {
  let k = 0;
  for (let v = 0; v < membership.length; v++) k = Math.max(k, membership[v]! + 1);
  return k;
}

/** Labels renumbered 0..k−1 in order of first appearance; rejects anything but whole numbers ≥ 0. */
function compactLabels(membership: ArrayLike<number>, nodes: number): Int32Array {
  if (membership.length !== nodes) throw new GraphInputError(`membership has ${membership.length} labels for ${nodes} nodes`);
  let max = -1;
  for (let v = 0; v < nodes; v++) {
    const c = membership[v]!;
    if (!Number.isSafeInteger(c) || c < 0) throw new GraphInputError(`membership[${v}] must be a whole number ≥ 0, got ${c}`);
    if (c > max) max = c;
  }
  const out = new Int32Array(nodes);
  // Labels beyond the node count are rare (caller's own codes); a Map keeps memory bounded then.
  if (max < 4 * nodes + 16) {
    const index = new Int32Array(max + 1).fill(-1);
    let k = 0;
    for (let v = 0; v < nodes; v++) {
      const c = membership[v]!;
      if (index[c]! < 0) index[c] = k++;
      out[v] = index[c]!;
    }
  } else {
    const index = new Map<number, number>();
    for (let v = 0; v < nodes; v++) {
      const c = membership[v]!;
      let i = index.get(c);
      if (i === undefined) {
        i = index.size;
        index.set(c, i);
      }
      out[v] = i;
    }
  }
  return out;
}
