import type { Graph } from './csr.ts';

/**
 * Single-source shortest paths on a CSR graph (csr.ts): breadth-first search when unweighted,
 * Dijkstra (1959) with an indexed binary heap in typed arrays when weighted. A tie's weight is
 * its strength, so a path's length is the sum of `1 / weight` over its ties: two schools joined
 * by a strong tie are close, and a chain of weak ties is long. Directed graphs follow out-arcs
 * (`direction: 'out'`, from the source) or in-arcs (`'in'`, distances *to* the source).
 *
 * Every search also counts σ(v), the number of shortest paths from the source to v, and lists
 * the reached nodes in the order they were settled (non-decreasing distance): Brandes's
 * betweenness walks that list backwards.
 *
 * Weighted ties: two path lengths are equal when they differ by at most `DISTANCE_TOLERANCE`
 * relative to their sum, as igraph does (`igraph_cmp_epsilon`, ε = 1e-10): merged weights such
 * as 0.75 give distances that are not exact binary fractions, so two geodesics of the same
 * length can sum to floats an ulp apart, and they must still both count.
 */
export type Direction = 'out' | 'in';

export type SearchOptions = {
  /** Use distance = 1 / weight; otherwise every tie has length 1. */
  weighted: boolean;
  /** 'out' (default): distances from the source along arcs; 'in': distances to the source. */
  direction?: Direction;
};

/**
 * Buffers one search writes into, reused from source to source so that an all-sources loop
 * allocates nothing per source. Each search resets only the entries the previous one reached.
 */
export type PathScratch = {
  /** Distance from the source; Infinity when not reached. */
  readonly dist: Float64Array;
  /** Number of shortest paths from the source (1 at the source, 0 when not reached). */
  readonly sigma: Float64Array;
  /** `order[0 .. reached)`: the reached nodes, source first, by non-decreasing distance. */
  readonly order: Int32Array;
  /** How many entries of `order` the last search filled (the source included). */
  reached: number;
  /** 0 unseen, 1 queued, 2 settled. */
  readonly state: Uint8Array;
  /** Indexed binary heap of queued nodes keyed by `dist`, and each node's slot in it. */
  readonly heap: Int32Array;
  readonly slot: Int32Array;
  /**
   * When present (Brandes's kernel asks for them), outward searches record each reached node's
   * predecessors on its shortest paths: those of v are
   * `predecessors[inOffsets[v] .. inOffsets[v] + predecessorCount[v])`, at most its in-degree.
   */
  readonly predecessors: Int32Array | null;
  readonly predecessorCount: Int32Array | null;
};

/** Relative tolerance under which two path lengths count as equal (igraph's value). */
export const DISTANCE_TOLERANCE = 1e-10;

/** True when path lengths `a` and `b` (finite, ≥ 0) are equal within `DISTANCE_TOLERANCE`. */
export function sameDistance(a: number, b: number): boolean {
  return Math.abs(a - b) <= DISTANCE_TOLERANCE * (a + b);
}

export function createPathScratch(nodes: number, predecessorSlots = -1): PathScratch {
  return {
    dist: new Float64Array(nodes).fill(Number.POSITIVE_INFINITY),
    sigma: new Float64Array(nodes),
    order: new Int32Array(nodes),
    reached: 0,
    state: new Uint8Array(nodes),
    heap: new Int32Array(nodes),
    slot: new Int32Array(nodes),
    predecessors: predecessorSlots >= 0 ? new Int32Array(predecessorSlots) : null,
    predecessorCount: predecessorSlots >= 0 ? new Int32Array(nodes) : null,
  };
}

/** The adjacency rows a search in `direction` walks, with arc lengths (1 / weight). */
export type ArcRows = { offsets: Int32Array; targets: Int32Array; length: Float64Array };

const lengthCache = new WeakMap<Graph, { out: Float64Array; in: Float64Array }>();

/**
 * Arc lengths 1 / weight, computed once per graph and cached (the graph is immutable), so the
 * hot loops do not divide. The in-rows of an undirected graph are its out-rows.
 */
export function arcRows(g: Graph, direction: Direction): ArcRows {
  let cached = lengthCache.get(g);
  if (!cached) {
    const out = new Float64Array(g.weights.length);
    for (let i = 0; i < out.length; i++) out[i] = 1 / g.weights[i]!;
    let inn = out;
    if (g.directed) {
      inn = new Float64Array(g.inWeights.length);
      for (let i = 0; i < inn.length; i++) inn[i] = 1 / g.inWeights[i]!;
    }
    cached = { out, in: inn };
    lengthCache.set(g, cached);
  }
  return direction === 'out'
    ? { offsets: g.offsets, targets: g.targets, length: cached.out }
    : { offsets: g.inOffsets, targets: g.sources, length: cached.in };
}

function reset(s: PathScratch): void {
  const { order, dist, sigma, state } = s;
  for (let i = 0; i < s.reached; i++) {
    const v = order[i]!;
    dist[v] = Number.POSITIVE_INFINITY;
    sigma[v] = 0;
    state[v] = 0;
  }
  s.reached = 0;
}

/**
 * Shortest paths from `source`: fills `scratch` (see PathScratch) and returns the number of
 * nodes reached, the source included. O(n + m) unweighted, O((n + m) log n) weighted, plus the
 * size of the previous search's reach for the reset.
 */
export function shortestPathsFrom(g: Graph, source: number, scratch: PathScratch, options: SearchOptions): number {
  const direction = options.direction ?? 'out';
  return options.weighted ? dijkstraFrom(g, source, scratch, direction) : bfsFrom(g, source, scratch, direction);
}

/** Breadth-first search: every tie has length 1. Returns the number of nodes reached. */
export function bfsFrom(g: Graph, source: number, scratch: PathScratch, direction: Direction = 'out'): number {
  reset(scratch);
  const { dist, sigma, order, state } = scratch;
  const offsets = direction === 'out' ? g.offsets : g.inOffsets;
  const targets = direction === 'out' ? g.targets : g.sources;
  const preds = direction === 'out' ? scratch.predecessors : null;
  const count = scratch.predecessorCount!;
  const base = g.inOffsets;
  dist[source] = 0;
  sigma[source] = 1;
  state[source] = 2;
  order[0] = source;
  // `order` doubles as the queue: BFS settles nodes in the order it discovers them.
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const u = order[head]!;
    const next = dist[u]! + 1;
    const su = sigma[u]!;
    for (let i = offsets[u]!, end = offsets[u + 1]!; i < end; i++) {
      const v = targets[i]!;
      if (state[v] === 0) {
        state[v] = 2;
        dist[v] = next;
        sigma[v] = su;
        order[tail++] = v;
        if (preds) {
          preds[base[v]!] = u;
          count[v] = 1;
        }
      } else if (dist[v] === next) {
        sigma[v]! += su;
        if (preds) preds[base[v]! + count[v]!++] = u;
      }
    }
  }
  scratch.reached = tail;
  return tail;
}

/** Dijkstra with distance = 1 / weight. Returns the number of nodes reached. */
export function dijkstraFrom(g: Graph, source: number, scratch: PathScratch, direction: Direction = 'out'): number {
  reset(scratch);
  const { dist, sigma, order, state, heap, slot } = scratch;
  const { offsets, targets, length } = arcRows(g, direction);
  const preds = direction === 'out' ? scratch.predecessors : null;
  const count = scratch.predecessorCount!;
  const base = g.inOffsets;
  dist[source] = 0;
  sigma[source] = 1;
  state[source] = 1;
  heap[0] = source;
  slot[source] = 0;
  let size = 1;
  let settled = 0;
  while (size > 0) {
    const u: number = heap[0]!;
    size--;
    if (size > 0) {
      heap[0] = heap[size]!;
      slot[heap[0]!] = 0;
      siftDown(heap, slot, dist, size, 0);
    }
    state[u] = 2;
    order[settled++] = u;
    const du = dist[u]!;
    const su = sigma[u]!;
    for (let i: number = offsets[u]!, end: number = offsets[u + 1]!; i < end; i++) {
      const v = targets[i]!;
      const sv = state[v]!;
      if (sv === 2) continue;
      const alt = du + length[i]!;
      if (sv === 0) {
        state[v] = 1;
        dist[v] = alt;
        sigma[v] = su;
        heap[size] = v;
        slot[v] = size;
        siftUp(heap, slot, dist, size++);
        if (preds) {
          preds[base[v]!] = u;
          count[v] = 1;
        }
        continue;
      }
      const dv = dist[v]!;
      if (sameDistance(alt, dv)) {
        sigma[v]! += su;
        if (preds) preds[base[v]! + count[v]!++] = u;
      } else if (alt < dv) {
        dist[v] = alt;
        sigma[v] = su;
        siftUp(heap, slot, dist, slot[v]!);
        if (preds) {
          preds[base[v]!] = u;
          count[v] = 1;
        }
      }
    }
  }
  scratch.reached = settled;
  return settled;
}

/** Moves the node at heap slot `i` up until its parent is no further than it. */
export function siftUp(heap: Int32Array, slot: Int32Array, key: Float64Array, i: number): void {
  const v = heap[i]!;
  const kv = key[v]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const u = heap[p]!;
    if (key[u]! <= kv) break;
    heap[i] = u;
    slot[u] = i;
    i = p;
  }
  heap[i] = v;
  slot[v] = i;
}

/** Moves the node at heap slot `i` down among the first `size` slots. */
export function siftDown(heap: Int32Array, slot: Int32Array, key: Float64Array, size: number, i: number): void {
  const v = heap[i]!;
  const kv = key[v]!;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && key[heap[c + 1]!]! < key[heap[c]!]!) c++;
    const u = heap[c]!;
    if (key[u]! >= kv) break;
    heap[i] = u;
    slot[u] = i;
    i = c;
  }
  heap[i] = v;
  slot[v] = i;
}

/**
 * A small seeded generator (mulberry32) returning floats in [0, 1): the samplers (pairs for
 * betweenness, pivots for closeness) use it so that a seed gives the same estimate every run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
