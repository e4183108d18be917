import { type Graph, GraphInputError, undirected } from './csr.ts';

export type AssortativityOptions = {
  /**
   * Use arc direction (out-value of the source against in-value of the target). Defaults to the
   * graph's own; `false` on a directed graph uses its undirected view (arcs both ways merge).
   */
  directed?: boolean;
};

/**
 * Nominal assortativity of a categorical attribute (Newman 2003, Phys. Rev. E 67:026126, eq. 2):
 *
 *   r = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i),
 *
 * e_ij the share of tie ends running from category i to category j (each undirected tie counted
 * both ways), a_i = Σ_j e_ij, b_j = Σ_i e_ij. Unweighted: every tie counts once whatever its
 * strength. 1: schools collaborate only within their category (e.g. phase, local authority); 0:
 * as mixed as chance; negative: ties run mostly across categories.
 *
 * Schools whose category is missing (null/undefined) are left out with their ties, i.e. r is
 * that of the subgraph induced by the schools with a value. Null when no tie has both ends known,
 * or when only one category is present (0/0). Reference: igraph `assortativity_nominal`,
 * networkx `attribute_assortativity_coefficient`.
 */
export function nominalAssortativity(g: Graph, categories: ReadonlyArray<string | null | undefined>, options: AssortativityOptions = {}): number | null {
  checkLength(g, categories.length);
  const h = view(g, options);
  const index = new Map<string, number>();
  const code = new Int32Array(h.nodes);
  for (let v = 0; v < h.nodes; v++) {
    const c = categories[v];
    if (c === null || c === undefined) {
      code[v] = -1;
      continue;
    }
    let k = index.get(c);
    if (k === undefined) {
      k = index.size;
      index.set(c, k);
    }
    code[v] = k;
  }
  const a = new Float64Array(index.size);
  const b = new Float64Array(index.size);
  let within = 0;
  let total = 0;
  for (let e = 0; e < h.edges; e++) {
    const s = code[h.edgeSource[e]!]!;
    const t = code[h.edgeTarget[e]!]!;
    if (s < 0 || t < 0) continue;
    const ends = h.directed ? 1 : 2;
    if (s === t) within += ends;
    total += ends;
    a[s]! += 1;
    b[t]! += 1;
    if (!h.directed) {
      a[t]! += 1;
      b[s]! += 1;
    }
  }
  if (total === 0) return null;
  let expected = 0;
  for (let k = 0; k < a.length; k++) expected += (a[k]! / total) * (b[k]! / total);
  const r = (within / total - expected) / (1 - expected);
  return Number.isFinite(r) ? r : null;
}

/**
 * Numeric assortativity (Newman 2003, eq. 21; eq. 26 for directed graphs): the Pearson
 * correlation of the values at the two ends of every tie, each undirected tie counted both ways;
 * directed, the source's value against the target's. Unweighted. Positive: schools collaborate
 * with schools like themselves on that measure (e.g. disadvantage band, inspection grade);
 * negative: with schools unlike themselves, as when stronger schools support weaker ones.
 *
 * Schools with a missing value (null/undefined/NaN) are left out with their ties (the induced
 * subgraph of schools with a value). Null when no tie has both ends known or the values at the
 * tie ends do not vary (0/0). Computed on centred values (two passes) for accuracy. Reference:
 * igraph `assortativity`, networkx `numeric_assortativity_coefficient`.
 */
export function numericAssortativity(g: Graph, values: ReadonlyArray<number | null | undefined>, options: AssortativityOptions = {}): number | null {
  checkLength(g, values.length);
  const h = view(g, options);
  const x = new Float64Array(h.nodes);
  for (let v = 0; v < h.nodes; v++) {
    const value = values[v];
    x[v] = value === null || value === undefined ? Number.NaN : value;
  }
  return h.directed ? pearsonDirected(h, x, x) : pearsonUndirected(h, x);
}

/**
 * Degree assortativity (Newman 2002, Phys. Rev. Lett. 89:208701): numeric assortativity with
 * each school's number of ties as its value; directed, the source's out-degree against the
 * target's in-degree (igraph `assortativity_degree`, networkx `degree_assortativity_coefficient`).
 * Negative (disassortative): well-connected schools partner with schools that have few ties, as
 * in hub-and-spoke networks around a lead school; positive: a connected core and a sparse edge.
 * Null with no ties or when every tie joins schools of the same degree.
 */
export function degreeAssortativity(g: Graph, options: AssortativityOptions = {}): number | null {
  const h = view(g, options);
  const out = new Float64Array(h.nodes);
  const inn = new Float64Array(h.nodes);
  for (let v = 0; v < h.nodes; v++) {
    out[v] = h.offsets[v + 1]! - h.offsets[v]!;
    inn[v] = h.inOffsets[v + 1]! - h.inOffsets[v]!;
  }
  return h.directed ? pearsonDirected(h, out, inn) : pearsonUndirected(h, out);
}

function view(g: Graph, options: AssortativityOptions): Graph {
  const directed = options.directed ?? g.directed;
  return g.directed && !directed ? undirected(g) : g;
}

function checkLength(g: Graph, length: number): void {
  if (length !== g.nodes) throw new GraphInputError(`one attribute value per node expected: ${g.nodes} nodes, ${length} values`);
}

/** r over ties with both ends known (NaN = unknown), each tie counted in both directions. */
function pearsonUndirected(h: Graph, x: Float64Array): number | null {
  let ends = 0;
  let sum = 0;
  for (let e = 0; e < h.edges; e++) {
    const s = x[h.edgeSource[e]!]!;
    const t = x[h.edgeTarget[e]!]!;
    if (Number.isNaN(s) || Number.isNaN(t)) continue;
    ends += 2;
    sum += s + t;
  }
  if (ends === 0) return null;
  const mean = sum / ends;
  let cov = 0;
  let variance = 0;
  for (let e = 0; e < h.edges; e++) {
    const s = x[h.edgeSource[e]!]! - mean;
    const t = x[h.edgeTarget[e]!]! - mean;
    if (Number.isNaN(s) || Number.isNaN(t)) continue;
    cov += 2 * s * t;
    variance += s * s + t * t;
  }
  const r = cov / variance;
  return Number.isFinite(r) ? r : null;
}

/** r between the source's `x` and the target's `y` over arcs with both ends known. */
function pearsonDirected(h: Graph, x: Float64Array, y: Float64Array): number | null {
  let m = 0;
  let sumX = 0;
  let sumY = 0;
  for (let e = 0; e < h.edges; e++) {
    const s = x[h.edgeSource[e]!]!;
    const t = y[h.edgeTarget[e]!]!;
    if (Number.isNaN(s) || Number.isNaN(t)) continue;
    m++;
    sumX += s;
    sumY += t;
  }
  if (m === 0) return null;
  const meanX = sumX / m;
  const meanY = sumY / m;
  let cov = 0;
  let varX = 0;
  let varY = 0;
  for (let e = 0; e < h.edges; e++) {
    const s = x[h.edgeSource[e]!]! - meanX;
    const t = y[h.edgeTarget[e]!]! - meanY;
    if (Number.isNaN(s) || Number.isNaN(t)) continue;
    cov += s * t;
    varX += s * s;
    varY += t * t;
  }
  const r = cov / Math.sqrt(varX * varY);
  return Number.isFinite(r) ? r : null;
}
