import type { Graph } from './csr.ts';
import { type ArcRows, arcRows, createPathScratch, sameDistance, seededRandom, shortestPathsFrom } from './shortest-paths.ts';

/**
 * Betweenness estimated by shortest-path sampling with a guaranteed additive error
 * (M. Riondato & E. M. Kornaropoulos, "Fast approximation of betweenness centrality through
 * sampling", Data Min. Knowl. Disc. 30(2), 2016, Algorithm 1 and Theorem 2).
 *
 * Each sample draws an ordered pair s ≠ t uniformly, then one of the shortest s–t paths
 * uniformly, and credits 1 / r to each node strictly inside it. After
 * r = ⌈(c / ε²)(⌊log₂(VD − 2)⌋ + 1 + ln(1 / δ))⌉ samples (c = 0.5; VD an upper bound on the
 * vertex diameter, the most nodes on any shortest path), with probability ≥ 1 − δ every node's
 * estimate is within ε of its pair share b(v) = Σ_{s ≠ t} σ_st(v) / σ_st / (n (n − 1)).
 *
 * Each shortest path is found by a balanced bidirectional search from both ends (BFS level by
 * level, or Dijkstra when weighted), which on a network of schools meets after exploring a
 * small part of it; that is what makes tens of thousands of samples fit in a second.
 *
 * For a network of schools this finds the brokers interactively: a school whose estimate is
 * well above ε lies on a real share of the routes between other schools, while values below ε
 * only say "not a broker". Timings on a random 24,000-school, 120,000-tie network (2 cores):
 * unweighted ε = 0.01 (δ = 0.1) ≈ 0.4 s; weighted searches cost about ten times more per
 * sample, so use ε = 0.03 there for ≤ 1 s (exact values come from the background job).
 */
export type SampledBetweennessOptions = {
  /** Use distance = 1 / weight; otherwise every tie has length 1. */
  weighted: boolean;
  /** Additive error on the pair share b(v); default 0.01. */
  epsilon?: number;
  /** Failure probability of the bound; default 0.1. */
  delta?: number;
  /** Seed of the sampler; the same seed gives the same estimate. Default 1. */
  seed?: number;
};

export type SampledBetweenness = {
  /** Estimate of igraph's raw betweenness (unordered pairs when undirected, ordered when directed). */
  betweenness: Float64Array;
  /** Estimate of networkx's normalised betweenness (= pair share · n / (n − 2)). */
  betweennessNormalised: Float64Array;
  /** Estimate of the pair share b(v) (Riondato–Kornaropoulos's normalisation). */
  pairShare: Float64Array;
  /** With probability ≥ 1 − delta, |pairShare − exact| ≤ epsilon for every node at once. */
  epsilon: number;
  /** The same bound on betweennessNormalised: epsilon · n / (n − 2). */
  epsilonNormalised: number;
  /** The same bound on raw betweenness: epsilon · n (n − 1) / 2 undirected, epsilon · n (n − 1) directed. */
  epsilonRaw: number;
  delta: number;
  samples: number;
  /** The vertex-diameter upper bound VD that fixed the sample size. */
  vertexDiameter: number;
};

/** Riondato & Kornaropoulos's universal constant for the VC-dimension sample bound. */
const C = 0.5;

/** Sample size r of Riondato & Kornaropoulos, Theorem 2 (0 when no shortest path has an inside). */
export function sampleSize(vertexDiameter: number, epsilon: number, delta: number): number {
  if (vertexDiameter < 3) return 0;
  return Math.ceil((C / (epsilon * epsilon)) * (Math.floor(Math.log2(vertexDiameter - 2)) + 1 + Math.log(1 / delta)));
}

/**
 * An upper bound on the vertex diameter. Undirected: per component, a search from a node v (the
 * one of highest degree) reaches everything within ecc(v), so every shortest path has length
 * ≤ 2 ecc(v) and at most 2 ecc(v) / ℓ_min + 1 nodes (ℓ_min = the shortest arc; 1 unweighted),
 * and never more than the component's size (RK 2016 §5.1). Directed: the size of the largest weakly connected
 * component, as a directed shortest path stays inside one.
 */
export function vertexDiameterBound(g: Graph, weighted: boolean): number {
  const n = g.nodes;
  if (n === 0) return 0;
  const scratch = createPathScratch(n);
  const seen = new Uint8Array(n);
  let bound = 1;
  if (g.directed) {
    const queue = scratch.order;
    for (let s = 0; s < n; s++) {
      if (seen[s]) continue;
      seen[s] = 1;
      queue[0] = s;
      let tail = 1;
      for (let head = 0; head < tail; head++) {
        const u = queue[head]!;
        for (let i = g.offsets[u]!; i < g.offsets[u + 1]!; i++) {
          const v = g.targets[i]!;
          if (!seen[v]) {
            seen[v] = 1;
            queue[tail++] = v;
          }
        }
        for (let i = g.inOffsets[u]!; i < g.inOffsets[u + 1]!; i++) {
          const v = g.sources[i]!;
          if (!seen[v]) {
            seen[v] = 1;
            queue[tail++] = v;
          }
        }
      }
      bound = Math.max(bound, tail);
    }
    return bound;
  }
  const shortest = weighted ? 1 / g.weights.reduce((a, b) => Math.max(a, b), 0) : 1;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    // Search again from the component's best-connected node: a central origin has a smaller
    // eccentricity, so a tighter bound.
    const size = shortestPathsFrom(g, s, scratch, { weighted: false });
    let origin = s;
    for (let i = 0; i < size; i++) {
      const v = scratch.order[i]!;
      seen[v] = 1;
      if (g.offsets[v + 1]! - g.offsets[v]! > g.offsets[origin + 1]! - g.offsets[origin]!) origin = v;
    }
    const r = shortestPathsFrom(g, origin, scratch, { weighted });
    const eccentricity = scratch.dist[scratch.order[r - 1]!]!;
    // The tolerance keeps 2·ecc/ℓ from flooring just below a whole number it equals.
    const hops = Math.floor(((2 * eccentricity) / shortest) * (1 + 1e-9));
    bound = Math.max(bound, Math.min(size, hops + 1));
  }
  return bound;
}

/**
 * Estimated betweenness with an additive error bound (see the file's header). The sample size
 * follows from epsilon, delta and the vertex-diameter bound; the result says which bound holds.
 * Cost: r bidirectional searches, each usually far smaller than one full search.
 */
export function sampledBetweenness(g: Graph, options: SampledBetweennessOptions): SampledBetweenness {
  const epsilon = options.epsilon ?? 0.01;
  const delta = options.delta ?? 0.1;
  if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
  if (!(delta > 0 && delta < 1)) throw new RangeError(`delta must be in (0, 1), got ${delta}`);
  const n = g.nodes;
  const vertexDiameter = vertexDiameterBound(g, options.weighted);
  const samples = n > 2 ? sampleSize(vertexDiameter, epsilon, delta) : 0;
  const hits = new Float64Array(n);
  if (samples > 0) {
    const sampler = createPathSampler(g, options.weighted, seededRandom(options.seed ?? 1));
    for (let i = 0; i < samples; i++) sampler.sample(hits);
  }
  const pairShare = new Float64Array(n);
  const betweenness = new Float64Array(n);
  const betweennessNormalised = new Float64Array(n);
  const pairs = n * (n - 1);
  const rawScale = g.directed ? pairs : pairs / 2;
  const normalisedScale = n > 2 ? n / (n - 2) : 0;
  for (let v = 0; v < n; v++) {
    pairShare[v] = samples > 0 ? hits[v]! / samples : 0;
    betweenness[v] = pairShare[v]! * rawScale;
    betweennessNormalised[v] = pairShare[v]! * normalisedScale;
  }
  return {
    betweenness,
    betweennessNormalised,
    pairShare,
    epsilon,
    epsilonNormalised: epsilon * normalisedScale,
    epsilonRaw: epsilon * rawScale,
    delta,
    samples,
    vertexDiameter,
  };
}

export type PathSampler = {
  /** Draws one pair and one of its shortest paths; adds 1 to `hits` of each node strictly inside. */
  sample(hits: Float64Array): void;
};

/**
 * The sampler behind `sampledBetweenness`. Per side (F from s along out-arcs, B from t along
 * in-arcs) a node's distance and σ sit side by side in one array (`node[2v]`, `node[2v + 1]`),
 * so that one cache line serves both, and its state is one stamp (`2·id` reached, `2·id + 1`
 * settled in sample `id`), so that nothing is cleared or allocated per sample.
 */
export function createPathSampler(g: Graph, weighted: boolean, random: () => number): PathSampler {
  const n = g.nodes;
  const out = arcRows(g, 'out');
  const inn = arcRows(g, 'in');
  const markF = new Int32Array(n);
  const markB = new Int32Array(n);
  const nodeF = new Float64Array(2 * n);
  const nodeB = new Float64Array(2 * n);
  const listF = new Int32Array(n);
  const listB = new Int32Array(n);
  const heapF = new Int32Array(weighted ? n : 0);
  const heapB = new Int32Array(weighted ? n : 0);
  const slotF = new Int32Array(weighted ? n : 0);
  const slotB = new Int32Array(weighted ? n : 0);
  let id = 0;
  let reachedMark = 0;
  let settledMark = 1;
  // Weighted search state, kept here rather than per sample so the settle functions are
  // created once (and can be inlined).
  let mu = Number.POSITIVE_INFINITY;
  let sizeF = 0;
  let sizeB = 0;
  // Arcs u→v met between the forward- and backward-settled regions, with d_F(u) + ℓ + d_B(v).
  let candidates = 0;
  let candidateFrom = new Int32Array(16);
  let candidateTo = new Int32Array(16);
  let candidateLength = new Float64Array(16);

  function growCandidates(): void {
    const size = candidateFrom.length * 2;
    const from = new Int32Array(size);
    const to = new Int32Array(size);
    const length = new Float64Array(size);
    from.set(candidateFrom);
    to.set(candidateTo);
    length.set(candidateLength);
    candidateFrom = from;
    candidateTo = to;
    candidateLength = length;
  }

  function pickPair(): [number, number] {
    const s = Math.floor(random() * n);
    let t = Math.floor(random() * (n - 1));
    if (t >= s) t++;
    return [s, t];
  }

  /** Credits the nodes strictly inside one uniform shortest path s…u→v…t (u = v allowed). */
  function credit(s: number, t: number, u: number, v: number, hits: Float64Array): void {
    // Back from u to s over predecessors drawn in proportion to σ_F, which makes the path uniform.
    let y = u;
    while (y !== s) {
      if (y !== t) hits[y]! += 1;
      y = pick(y, inn, nodeF, markF);
    }
    y = v;
    if (v !== u && v !== t) hits[v]! += 1;
    while (y !== t) {
      y = pick(y, out, nodeB, markB);
      if (y !== t) hits[y]! += 1;
    }
  }

  /** A settled neighbour z of y one step nearer the search's origin, drawn with probability σ(z) / σ(y). */
  function pick(y: number, rows: ArcRows, node: Float64Array, mark: Int32Array): number {
    const target = random() * node[2 * y + 1]!;
    const dy = node[2 * y]!;
    let cumulative = 0;
    let last = -1;
    for (let i = rows.offsets[y]!, end = rows.offsets[y + 1]!; i < end; i++) {
      const z = rows.targets[i]!;
      if (mark[z] !== settledMark) continue;
      const dz = node[2 * z]!;
      if (weighted ? !(dz < dy && sameDistance(dz + rows.length[i]!, dy)) : dz !== dy - 1) continue;
      last = z;
      cumulative += node[2 * z + 1]!;
      if (cumulative > target) return z;
    }
    return last;
  }

  function start(s: number, t: number): void {
    markF[s] = settledMark;
    nodeF[2 * s] = 0;
    nodeF[2 * s + 1] = 1;
    markB[t] = settledMark;
    nodeB[2 * t] = 0;
    nodeB[2 * t + 1] = 1;
  }

  /**
   * Balanced bidirectional BFS: expands, a whole level at a time, the side whose frontier has
   * the smaller degree sum (as KADABRA does). Every node is settled when discovered.
   */
  function sampleUnweighted(hits: Float64Array): void {
    const [s, t] = pickPair();
    start(s, t);
    listF[0] = s;
    listB[0] = t;
    let fromF = 0;
    let endF = 1;
    let fromB = 0;
    let endB = 1;
    let degreeF = out.offsets[s + 1]! - out.offsets[s]!;
    let degreeB = inn.offsets[t + 1]! - inn.offsets[t]!;
    for (;;) {
      if (fromF === endF || fromB === endB) return; // one side ran out: t is not reachable from s
      const forward = degreeF <= degreeB;
      const rows = forward ? out : inn;
      const list = forward ? listF : listB;
      const mark = forward ? markF : markB;
      const other = forward ? markB : markF;
      const node = forward ? nodeF : nodeB;
      const from = forward ? fromF : fromB;
      const end = forward ? endF : endB;
      let next = end;
      let degree = 0;
      let met = false;
      for (let i = from; i < end; i++) {
        const u = list[i]!;
        const du = node[2 * u]! + 1;
        const su = node[2 * u + 1]!;
        for (let j = rows.offsets[u]!, stop = rows.offsets[u + 1]!; j < stop; j++) {
          const x = rows.targets[j]!;
          if (mark[x] !== settledMark) {
            mark[x] = settledMark;
            node[2 * x] = du;
            node[2 * x + 1] = su;
            list[next++] = x;
            degree += rows.offsets[x + 1]! - rows.offsets[x]!;
            if (other[x] === settledMark) met = true;
          } else if (node[2 * x] === du) node[2 * x + 1]! += su;
        }
      }
      if (forward) {
        fromF = end;
        endF = next;
        degreeF = degree;
      } else {
        fromB = end;
        endB = next;
        degreeB = degree;
      }
      if (!met) continue;
      // No node was seen from both sides a level earlier, so every shortest path crosses the
      // new level at exactly one node x seen from both, with σ_F(x) σ_B(x) paths through x.
      let total = 0;
      for (let i = end; i < next; i++) {
        const x = list[i]!;
        if (other[x] === settledMark) total += nodeF[2 * x + 1]! * nodeB[2 * x + 1]!;
      }
      const target = random() * total;
      let cumulative = 0;
      let chosen = -1;
      for (let i = end; i < next; i++) {
        const x = list[i]!;
        if (other[x] !== settledMark) continue;
        chosen = x;
        cumulative += nodeF[2 * x + 1]! * nodeB[2 * x + 1]!;
        if (cumulative > target) break;
      }
      credit(s, t, chosen, chosen, hits);
      return;
    }
  }

  /** Settles the nearest queued node of one side and relaxes its arcs; keeps μ, the best s–t length seen. */
  function settle(forward: boolean): void {
    const heap = forward ? heapF : heapB;
    const slot = forward ? slotF : slotB;
    const node = forward ? nodeF : nodeB;
    const mark = forward ? markF : markB;
    const other = forward ? markB : markF;
    const otherNode = forward ? nodeB : nodeF;
    const rows = forward ? out : inn;
    const u = heap[0]!;
    const size = forward ? --sizeF : --sizeB;
    if (size > 0) {
      heap[0] = heap[size]!;
      slot[heap[0]!] = 0;
      heapDown(heap, slot, node, size, 0);
    }
    mark[u] = settledMark;
    const du = node[2 * u]!;
    const su = node[2 * u + 1]!;
    let grown = size;
    for (let i = rows.offsets[u]!, end = rows.offsets[u + 1]!; i < end; i++) {
      const x = rows.targets[i]!;
      const state = mark[x]!;
      if (state === settledMark) continue;
      const alt = du + rows.length[i]!;
      if (state !== reachedMark) {
        mark[x] = reachedMark;
        node[2 * x] = alt;
        node[2 * x + 1] = su;
        heap[grown] = x;
        slot[x] = grown;
        heapUp(heap, slot, node, grown++);
      } else {
        const dx = node[2 * x]!;
        if (sameDistance(alt, dx)) node[2 * x + 1]! += su;
        else if (alt < dx) {
          node[2 * x] = alt;
          node[2 * x + 1] = su;
          heapUp(heap, slot, node, slot[x]!);
        }
      }
      if (other[x] === settledMark) {
        // An arc between the two settled regions: a candidate s–t length (and maybe a crossing arc).
        const length = alt + otherNode[2 * x]!;
        if (length < mu || sameDistance(length, mu)) {
          if (length < mu) mu = length;
          if (candidates === candidateFrom.length) growCandidates();
          candidateFrom[candidates] = forward ? u : x;
          candidateTo[candidates] = forward ? x : u;
          candidateLength[candidates++] = length;
        }
      }
    }
    if (forward) sizeF = grown;
    else sizeB = grown;
  }

  /**
   * Balanced bidirectional Dijkstra: settles from the side with fewer queued nodes until
   * topF + topB exceeds μ. Then every shortest path has exactly one arc u→v with u settled
   * forward, v settled backward and v not settled forward (the arc leaving the forward-settled
   * prefix: the node after it has d_F ≥ topF, so d_B < topB), and
   * σ_st = Σ over those arcs with d_F(u) + ℓ(u, v) + d_B(v) = μ of σ_F(u) σ_B(v).
   */
  function sampleWeighted(hits: Float64Array): void {
    const [s, t] = pickPair();
    mu = Number.POSITIVE_INFINITY;
    candidates = 0;
    start(s, t);
    // Both ends start queued and are settled first, so an arc into t or out of s is seen
    // from an already settled side and μ is recorded.
    markF[s] = reachedMark;
    markB[t] = reachedMark;
    heapF[0] = s;
    slotF[s] = 0;
    heapB[0] = t;
    slotB[t] = 0;
    sizeF = 1;
    sizeB = 1;
    settle(true);
    settle(false);
    while (sizeF > 0 && sizeB > 0) {
      const top = nodeF[2 * heapF[0]!]! + nodeB[2 * heapB[0]!]!;
      if (top > mu && !sameDistance(top, mu)) break;
      settle(sizeF <= sizeB);
    }
    if (mu === Number.POSITIVE_INFINITY) return;
    // Every crossing arc was recorded when its second end was settled (see above); keep those
    // of length μ whose head is still not settled forward.
    let total = 0;
    let kept = 0;
    for (let i = 0; i < candidates; i++) {
      const u = candidateFrom[i]!;
      const v = candidateTo[i]!;
      if (markF[v] === settledMark || !sameDistance(candidateLength[i]!, mu)) continue;
      candidateFrom[kept] = u;
      candidateTo[kept++] = v;
      total += nodeF[2 * u + 1]! * nodeB[2 * v + 1]!;
    }
    const target = random() * total;
    let cumulative = 0;
    for (let i = 0; i < kept; i++) {
      const u = candidateFrom[i]!;
      const v = candidateTo[i]!;
      cumulative += nodeF[2 * u + 1]! * nodeB[2 * v + 1]!;
      if (cumulative > target || i === kept - 1) {
        credit(s, t, u, v, hits);
        return;
      }
    }
  }

  return {
    sample(hits: Float64Array): void {
      id++;
      if (id > 1 << 29) {
        // Stamps would overflow: start again from clean marks.
        markF.fill(0);
        markB.fill(0);
        id = 1;
      }
      reachedMark = 2 * id;
      settledMark = 2 * id + 1;
      if (weighted) sampleWeighted(hits);
      else sampleUnweighted(hits);
    },
  };
}

/** Heap sift-up keyed by the distances interleaved in `node` (node[2v]). */
function heapUp(heap: Int32Array, slot: Int32Array, node: Float64Array, i: number): void {
  const v = heap[i]!;
  const kv = node[2 * v]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const u = heap[p]!;
    if (node[2 * u]! <= kv) break;
    heap[i] = u;
    slot[u] = i;
    i = p;
  }
  heap[i] = v;
  slot[v] = i;
}

/** Heap sift-down among the first `size` slots, keyed like heapUp. */
function heapDown(heap: Int32Array, slot: Int32Array, node: Float64Array, size: number, i: number): void {
  const v = heap[i]!;
  const kv = node[2 * v]!;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && node[2 * heap[c + 1]!]! < node[2 * heap[c]!]!) c++;
    const u = heap[c]!;
    if (node[2 * u]! >= kv) break;
    heap[i] = u;
    slot[u] = i;
    i = c;
  }
  heap[i] = v;
  slot[v] = i;
}
