import type { Graph } from './csr.ts';

/**
 * Density: the share of possible ties that exist, 2m / (n (n − 1)) undirected and m / (n (n − 1))
 * directed (Wasserman & Faust 1994, §4.2; igraph `density(loops=False)`); null with fewer than two
 * nodes. A dense network of schools has many partners in common; a sparse one relies on few ties.
 */
export function density(g: Graph): number | null {
  const n = g.nodes;
  if (n < 2) return null;
  return ((g.directed ? 1 : 2) * g.edges) / (n * (n - 1));
}

export type Components = {
  /** Component of each node, numbered 0.. in the order of each component's lowest node (as igraph). */
  membership: Int32Array;
  count: number;
  /** Size of each component, by component number. */
  sizes: Int32Array;
  /** Nodes in the largest component; 0 for a graph with no nodes. */
  largest: number;
};

/**
 * Connected components (weak components when directed: arcs followed both ways), by breadth-first
 * search in O(n + m). Reference: igraph `connected_components(mode="weak")`. Several components
 * mean groups of schools that share no chain of collaboration at all.
 */
export function components(g: Graph): Components {
  const n = g.nodes;
  const membership = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sizes: number[] = [];
  for (let root = 0; root < n; root++) {
    if (membership[root] !== -1) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    membership[root] = id;
    while (head < tail) {
      const v = queue[head++]!;
      for (let i = g.offsets[v]!; i < g.offsets[v + 1]!; i++) {
        const w = g.targets[i]!;
        if (membership[w] === -1) {
          membership[w] = id;
          queue[tail++] = w;
        }
      }
      if (g.directed) {
        for (let i = g.inOffsets[v]!; i < g.inOffsets[v + 1]!; i++) {
          const w = g.sources[i]!;
          if (membership[w] === -1) {
            membership[w] = id;
            queue[tail++] = w;
          }
        }
      }
    }
    sizes.push(tail);
  }
  let largest = 0;
  for (const s of sizes) if (s > largest) largest = s;
  return { membership, count: sizes.length, sizes: Int32Array.from(sizes), largest };
}

/**
 * Freeman's (1979, Social Networks 1:215) degree centralisation:
 *
 *   C = Σ_i (max_j k_j − k_i) / T,
 *
 * T the value for the most centralised graph of the same size without loops: (n − 1)(n − 2)
 * undirected (a star), 2 (n − 1)(n − 2) directed, where k is total degree (in + out), as igraph
 * `centralization_degree(mode="all", loops=False, normalized=True)`. 0 when every school has the
 * same number of ties, 1 for a star: a network dominated by one member. Null when n < 3 (T = 0).
 */
export function degreeCentralisation(g: Graph): number | null {
  const n = g.nodes;
  if (n < 3) return null;
  const degree = new Int32Array(n);
  let max = 0;
  for (let v = 0; v < n; v++) {
    let k = g.offsets[v + 1]! - g.offsets[v]!;
    if (g.directed) k += g.inOffsets[v + 1]! - g.inOffsets[v]!;
    degree[v] = k;
    if (k > max) max = k;
  }
  let total = 0;
  for (let v = 0; v < n; v++) total += max - degree[v]!;
  return total / ((g.directed ? 2 : 1) * (n - 1) * (n - 2));
}

/**
 * Reciprocity of a directed graph: the share of arcs i → j whose reverse j → i also exists
 * (igraph `reciprocity(ignore_loops=True, mode="default")`, networkx `overall_reciprocity`).
 * Found by intersecting each node's sorted out-row and in-row, O(m). Null for an undirected graph
 * (direction was not recorded, so mutuality cannot be told) and for a directed graph with no arcs.
 * High reciprocity: support flows both ways, the mark of partnerships rather than one-way help.
 */
export function reciprocity(g: Graph): number | null {
  if (!g.directed || g.edges === 0) return null;
  let mutual = 0;
  for (let v = 0; v < g.nodes; v++) {
    let i = g.offsets[v]!;
    let j = g.inOffsets[v]!;
    const endI = g.offsets[v + 1]!;
    const endJ = g.inOffsets[v + 1]!;
    while (i < endI && j < endJ) {
      const a = g.targets[i]!;
      const b = g.sources[j]!;
      if (a < b) i++;
      else if (a > b) j++;
      else {
        mutual++;
        i++;
        j++;
      }
    }
  }
  return mutual / g.edges;
}

/** Nodes with no tie in either direction: schools in "splendid isolation". */
export function isolates(g: Graph): number {
  let count = 0;
  for (let v = 0; v < g.nodes; v++) {
    if (g.offsets[v + 1] === g.offsets[v] && g.inOffsets[v + 1] === g.inOffsets[v]) count++;
  }
  return count;
}

export type Cohesion = {
  nodes: number;
  ties: number;
  density: number | null;
  components: Components;
  degreeCentralisation: number | null;
  reciprocity: number | null;
  isolates: number;
};

/** Every network-level cohesion measure above, in one call. O(n + m). */
export function cohesion(g: Graph): Cohesion {
  return {
    nodes: g.nodes,
    ties: g.edges,
    density: density(g),
    components: components(g),
    degreeCentralisation: degreeCentralisation(g),
    reciprocity: reciprocity(g),
    isolates: isolates(g),
  };
}
