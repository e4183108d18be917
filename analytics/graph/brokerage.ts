import { forEachTriangle, reverseArcs } from './clustering.ts';
import { type Graph, undirected, unweighted } from './csr.ts';

/** Burt's structural-hole measures per school; NaN for a school with no ties. */
export type Brokerage = {
  constraint: Float64Array;
  effectiveSize: Float64Array;
};

/**
 * Burt's (1992, Structural Holes, ch. 2) structural-hole measures on the undirected view (a
 * directed graph's arcs both ways merge, weights summed), using the tie weights, or counting every
 * tie of the undirected view as 1 with `weighted: false`. With p_ij = w_ij / s_i, the share of i's
 * collaboration invested in j:
 *
 * - Constraint: c_i = Σ_{j ∈ N(i)} ( p_ij + Σ_{q ∈ N(i), q ≠ j} p_iq p_qj )², as igraph
 *   `constraint`. From 1/k_i (k_i partners who do not know each other) up to about 1 (one partner,
 *   or partners all tied to each other). High constraint: the school's partners all know each
 *   other, so it hears nothing they do not.
 * - Effective size: ES_i = Σ_{j ∈ N(i)} ( 1 − Σ_{q ∈ N(i)} p_iq m_jq ), m_jq = w_jq / max_k w_jk,
 *   as networkx `effective_size`; with unit weights this is Borgatti's (1997) k_i − 2 t_i / k_i
 *   (t_i ties among i's partners). The number of non-redundant partners: a school with a large
 *   effective size reaches groups that are not otherwise connected.
 *
 * Schools with low constraint and large effective size span structural holes: they are the
 * brokers that carry practice between groups of schools that do not otherwise work together.
 * A school with no ties gets NaN for both (as igraph and networkx): it constrains nothing and
 * brokers nothing, so neither number would mean anything; report it as isolated instead.
 * O(m^1.5) via one pass over the triangles.
 */
export function brokerage(g: Graph, options: { weighted?: boolean } = {}): Brokerage {
  const u = options.weighted === false ? unweighted(undirected(g)) : undirected(g);
  const n = u.nodes;
  const { offsets, weights } = u;
  const arcs = weights.length;
  // share[x] = p_ij for the arc x = i → j; heaviest[v] = max_k w_vk.
  const share = new Float64Array(arcs);
  const heaviest = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let s = 0;
    let max = 0;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      s += weights[i]!;
      if (weights[i]! > max) max = weights[i]!;
    }
    heaviest[v] = max;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) share[i] = weights[i]! / s;
  }
  const reverse = reverseArcs(u);
  const contribution = share.slice();
  const redundancy = new Float64Array(n);
  forEachTriangle(u, (a, b, c, ab, ac, bc) => {
    const ba = reverse[ab]!;
    const ca = reverse[ac]!;
    const cb = reverse[bc]!;
    const pab = share[ab]!;
    const pac = share[ac]!;
    const pba = share[ba]!;
    const pbc = share[bc]!;
    const pca = share[ca]!;
    const pcb = share[cb]!;
    // Indirect investment: i reaches j through the third school of the triangle.
    contribution[ab]! += pac * pcb;
    contribution[ac]! += pab * pbc;
    contribution[ba]! += pbc * pca;
    contribution[bc]! += pba * pac;
    contribution[ca]! += pcb * pba;
    contribution[cb]! += pca * pab;
    // Redundancy of each partner j of ego i through the other partner q: p_iq · m_jq, both ways.
    const wab = weights[ab]!;
    const wac = weights[ac]!;
    const wbc = weights[bc]!;
    redundancy[a]! += (pac * wbc) / heaviest[b]! + (pab * wbc) / heaviest[c]!;
    redundancy[b]! += (pbc * wac) / heaviest[a]! + (pba * wac) / heaviest[c]!;
    redundancy[c]! += (pcb * wab) / heaviest[a]! + (pca * wab) / heaviest[b]!;
  });
  const constraint = new Float64Array(n);
  const effectiveSize = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const k = offsets[v + 1]! - offsets[v]!;
    if (k === 0) {
      constraint[v] = Number.NaN;
      effectiveSize[v] = Number.NaN;
      continue;
    }
    let c = 0;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) c += contribution[i]! * contribution[i]!;
    constraint[v] = c;
    effectiveSize[v] = k - redundancy[v]!;
  }
  return { constraint, effectiveSize };
}
