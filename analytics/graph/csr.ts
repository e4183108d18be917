/**
 * Graphs in compressed sparse rows (CSR): the neighbours of node `v` are
 * `targets[offsets[v] .. offsets[v + 1])`, sorted ascending, with their weights beside them.
 * Nodes are dense indices 0..nodes-1; callers keep their own index → school id table.
 *
 * Input handling is one documented policy, applied before any metric sees the graph (and
 * applied the same way by the reference script, `scripts/reference/graph-cases.py`):
 * - self-loops are dropped (a school does not collaborate with itself);
 * - duplicate edges are merged and their weights summed (two activity streams between the same
 *   pair make one stronger tie); when undirected, (a, b) and (b, a) are the same edge;
 * - weights must be finite and > 0 (a tie of strength 0 is no tie).
 *
 * Weight means closeness (tie strength). Path-based metrics use distance = 1 / weight.
 */
export type Graph = {
  readonly nodes: number;
  readonly directed: boolean;
  /** Edges after merging: undirected pairs (source < target) or directed arcs. */
  readonly edges: number;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeWeight: Float64Array;
  /** Out-neighbours (all neighbours when undirected), length nodes + 1. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
  /** In-neighbours; the very same arrays as the out-neighbours when undirected. */
  readonly inOffsets: Int32Array;
  readonly sources: Int32Array;
  readonly inWeights: Float64Array;
};

export type EdgeList = {
  nodes: number;
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  /** Defaults to 1 for every edge. */
  weight?: ArrayLike<number>;
  directed?: boolean;
};

export class GraphInputError extends Error {}

/** Builds a CSR graph from an edge list under the policy above. O(E log E) for the merge. */
export function buildGraph(input: EdgeList): Graph {
  const { nodes, source, target, weight } = input;
  const directed = input.directed ?? false;
  if (!Number.isInteger(nodes) || nodes < 0) throw new GraphInputError(`nodes must be a whole number ≥ 0, got ${nodes}`);
  const m = source.length;
  if (target.length !== m || (weight && weight.length !== m)) throw new GraphInputError('source, target and weight must have the same length');
  // Keep non-loop edges, oriented (min, max) when undirected, then sort by (s, t) to merge.
  const s = new Int32Array(m);
  const t = new Int32Array(m);
  const w = new Float64Array(m);
  let k = 0;
  for (let e = 0; e < m; e++) {
    const a = source[e]!;
    const b = target[e]!;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= nodes || b >= nodes) {
      throw new GraphInputError(`edge ${e}: endpoints must be node indices in 0..${nodes - 1}, got ${a} → ${b}`);
    }
    const x = weight ? weight[e]! : 1;
    if (!(Number.isFinite(x) && x > 0)) throw new GraphInputError(`edge ${e}: weight must be finite and > 0, got ${x}`);
    if (a === b) continue;
    if (!directed && a > b) {
      s[k] = b;
      t[k] = a;
    } else {
      s[k] = a;
      t[k] = b;
    }
    w[k] = x;
    k++;
  }
  const order = sortPairs(s, t, k, nodes);
  const es: number[] = [];
  const et: number[] = [];
  const ew: number[] = [];
  for (let i = 0; i < k; i++) {
    const e = order[i]!;
    const last = es.length - 1;
    if (last >= 0 && es[last] === s[e] && et[last] === t[e]) ew[last]! += w[e]!;
    else {
      es.push(s[e]!);
      et.push(t[e]!);
      ew.push(w[e]!);
    }
  }
  return fromMergedEdges(nodes, directed, Int32Array.from(es), Int32Array.from(et), Float64Array.from(ew));
}

/** Sorts edge indices 0..k-1 by (s, t) with two counting-sort passes: O(k + nodes). */
function sortPairs(s: Int32Array, t: Int32Array, k: number, nodes: number): Int32Array {
  const byT = countingOrder(t, k, nodes, null);
  return countingOrder(s, k, nodes, byT);
}

function countingOrder(key: Int32Array, k: number, nodes: number, within: Int32Array | null): Int32Array {
  const count = new Int32Array(nodes + 1);
  for (let i = 0; i < k; i++) count[key[i]! + 1]!++;
  for (let v = 0; v < nodes; v++) count[v + 1]! += count[v]!;
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const e = within ? within[i]! : i;
    out[count[key[e]!]!++] = e;
  }
  return out;
}

function fromMergedEdges(nodes: number, directed: boolean, es: Int32Array, et: Int32Array, ew: Float64Array): Graph {
  const edges = es.length;
  const out = adjacency(nodes, edges, es, et, ew, !directed);
  const inn = directed ? adjacency(nodes, edges, et, es, ew, false) : out;
  return {
    nodes,
    directed,
    edges,
    edgeSource: es,
    edgeTarget: et,
    edgeWeight: ew,
    offsets: out.offsets,
    targets: out.targets,
    weights: out.weights,
    inOffsets: inn.offsets,
    sources: inn.targets,
    inWeights: inn.weights,
  };
}

/** Rows from (from → to) arcs, both ways when `symmetric`; each row sorted by neighbour. */
function adjacency(nodes: number, edges: number, from: Int32Array, to: Int32Array, w: Float64Array, symmetric: boolean) {
  const offsets = new Int32Array(nodes + 1);
  for (let e = 0; e < edges; e++) {
    offsets[from[e]! + 1]!++;
    if (symmetric) offsets[to[e]! + 1]!++;
  }
  for (let v = 0; v < nodes; v++) offsets[v + 1]! += offsets[v]!;
  const size = offsets[nodes]!;
  const targets = new Int32Array(size);
  const weights = new Float64Array(size);
  const fill = offsets.slice(0, nodes);
  // Arcs arrive sorted by (from, to). In a symmetric graph node v's smaller neighbours come
  // from the reverse arcs (u, v), u < v, and its larger ones from the forward arcs (v, w):
  // filling the reverse arcs first leaves every row ascending without a sort.
  if (symmetric) {
    for (let e = 0; e < edges; e++) {
      const i = fill[to[e]!]!++;
      targets[i] = from[e]!;
      weights[i] = w[e]!;
    }
  }
  for (let e = 0; e < edges; e++) {
    const i = fill[from[e]!]!++;
    targets[i] = to[e]!;
    weights[i] = w[e]!;
  }
  return { offsets, targets, weights };
}

const undirectedViews = new WeakMap<Graph, Graph>();

/**
 * The undirected graph underneath a directed one: arcs both ways merge, weights summed. Built
 * once per graph (graphs are immutable), since most metrics of a directed snapshot ask for it.
 */
export function undirected(g: Graph): Graph {
  if (!g.directed) return g;
  let u = undirectedViews.get(g);
  if (!u) {
    u = buildGraph({ nodes: g.nodes, source: g.edgeSource, target: g.edgeTarget, weight: g.edgeWeight, directed: false });
    undirectedViews.set(g, u);
  }
  return u;
}

/** Every weight set to 1 (the unweighted variant of a metric). */
export function unweighted(g: Graph): Graph {
  return fromMergedEdges(g.nodes, g.directed, g.edgeSource, g.edgeTarget, new Float64Array(g.edges).fill(1));
}

/**
 * The subgraph induced by the nodes with `keep[v] !== 0`, renumbered in order. Returns the graph
 * and `original[i]`, the index in `g` of the subgraph's node `i`.
 */
export function induced(g: Graph, keep: ArrayLike<number>): { graph: Graph; original: Int32Array } {
  const index = new Int32Array(g.nodes).fill(-1);
  let n = 0;
  for (let v = 0; v < g.nodes; v++) if (keep[v]) index[v] = n++;
  const original = new Int32Array(n);
  for (let v = 0; v < g.nodes; v++) if (index[v]! >= 0) original[index[v]!] = v;
  const es: number[] = [];
  const et: number[] = [];
  const ew: number[] = [];
  for (let e = 0; e < g.edges; e++) {
    const a = index[g.edgeSource[e]!]!;
    const b = index[g.edgeTarget[e]!]!;
    if (a < 0 || b < 0) continue;
    es.push(a);
    et.push(b);
    ew.push(g.edgeWeight[e]!);
  }
  const graph = fromMergedEdges(n, g.directed, Int32Array.from(es), Int32Array.from(et), Float64Array.from(ew));
  return { graph, original };
}

/** Out-degree (degree when undirected) of every node. */
export function degrees(g: Graph): Int32Array {
  const d = new Int32Array(g.nodes);
  for (let v = 0; v < g.nodes; v++) d[v] = g.offsets[v + 1]! - g.offsets[v]!;
  return d;
}
