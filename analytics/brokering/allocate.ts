/**
 * System-wide allocation of support (issue 8): given every open request in an area, every
 * supporter's capacity and the allowed request–supporter pairs with their match scores, choose
 * the offers that serve as many requests as possible and, among those choices, have the largest
 * total score. Scoring each request on its own and handing out its best candidate would let the
 * first requests take the scarce supporters that later ones needed; solving for the whole area
 * at once does not, which matters most to the schools nobody would pick by themselves
 * (DOMAIN.md §8: under pure voluntarism the schools most in need are left unpicked).
 *
 * THE PROBLEM, as a minimum-cost flow (Ahuja, Magnanti & Orlin 1993, *Network Flows*, ch. 9):
 * nodes are the requests r, the supporters s and a sink t; arcs r → s (capacity 1, one offer per
 * pair) for each allowed pair with cost −score, s → t with capacity = the supporter's capacity
 * and cost 0, and an artificial arc r → t (capacity = the request's supply) that stands for
 * "left without this offer" (the artificial arcs AMO ch. 9 add so that every supply is
 * routable). Each request supplies m units (m = maxPerRequest in a round), t absorbs them all.
 *
 * THE OBJECTIVE ('cardinality-then-score', the default): serve as many (request, offer) pairs as
 * possible; among the allocations that do, maximise the total score. The costs are lexicographic
 * pairs (number of artificial arcs used, −score), compared first on the first component, so no
 * "big M" is needed and the scores keep full precision. For a broker: no request that could be
 * served is left out to make someone else's match slightly better. The alternative 'score'
 * prices the artificial arc at (0, 0) and so maximises the total score alone; a request is then
 * left out when serving it would cost others more than it gains. Both are exact.
 *
 * THE ALGORITHM: successive shortest paths (AMO §9.7), one unit at a time from each request's
 * node to the sink, by Dijkstra's algorithm on reduced costs c(u,v) + π(u) − π(v) ≥ 0 (Edmonds &
 * Karp 1972; Tomizawa 1971). The search stops as soon as the sink is settled, and only settled
 * nodes' potentials change, π(v) += d(v) − d(t), which keeps every reduced cost non-negative
 * (the device of Jonker & Volgenant 1987 for assignment). After each augmentation the flow is of
 * minimum cost for the supplies routed so far, so after the last it is optimal. Initial
 * potentials: 0 at requests, min over incoming arcs of −score at supporters, the minimum of those
 * (and 0) at the sink. Time: one Dijkstra per unit routed, each usually touching only the
 * neighbourhood of the request; O(U · A log N) at worst for U units, A arcs, N nodes.
 *
 * FAIRNESS. 'one-before-second' (the default) solves round 1 with one offer per request, fixes
 * it, then solves round 2 with one more offer for each request served in round 1, on the
 * capacity left and without repeating a pair, and so on up to maxPerRequest rounds. Every
 * request thus gets an offer before any gets a second. Each round is optimal given the rounds
 * before it; the whole is not necessarily the best over all rounds at once. 'none' solves one
 * problem with maxPerRequest units per request, so one request may receive two offers while
 * another receives none if that serves more pairs or (for equal numbers) a larger total score.
 *
 * Ties between equally good allocations are broken by the order of the input, deterministically.
 */

/** Offers per request by default. */
export const DEFAULT_MAX_PER_REQUEST = 1;

/** What the allocation maximises; see the module note. */
export type AllocationObjective = 'cardinality-then-score' | 'score';

/** Requests, supporters, capacities and the allowed pairs. */
export type AllocationInput = {
  /** R requests, numbered 0..R−1. */
  requests: number;
  /** S supporters (candidate rows), numbered 0..S−1. */
  supporters: number;
  /** Per supporter, how many requests it can take (integer ≥ 0; fractions are floored). */
  capacity: Float64Array | Int32Array;
  /** Allowed pairs with their scores (higher better, finite); a pair listed twice keeps its best score; pairs absent are not allowed. */
  edges: { request: Int32Array; supporter: Int32Array; score: Float64Array; count: number };
  /** Offers per request (default 1). */
  maxPerRequest?: number;
  /** Default 'one-before-second'. */
  fairness?: 'none' | 'one-before-second';
  /** Default 'cardinality-then-score'. */
  objective?: AllocationObjective;
};

/** One offer: request r is offered supporter s, in fairness round `round` (1-based; 1 when fairness is 'none'). */
export type AllocatedPair = { request: number; supporter: number; score: number; round: number };

/** The allocation. */
export type AllocationResult = {
  /** Offers, by request, then round, then supporter. */
  pairs: AllocatedPair[];
  /** Sum of the pairs' scores, in the order listed. */
  total: number;
  /** Requests that received no offer, ascending. */
  unassigned: number[];
  /** Number of offers per request. */
  offers: Int32Array;
  /** The algorithm, objective and fairness, in words. */
  method: string;
  objective: AllocationObjective;
  /** Rounds solved (1, or up to maxPerRequest under 'one-before-second'). */
  phases: number;
  /** Shortest-path computations, one per unit of supply routed. */
  augmentations: number;
};

/** Lazy-deletion binary min-heap on lexicographic (a, b) keys. */
class PairHeap {
  a = new Float64Array(1024);
  b = new Float64Array(1024);
  node = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  private less(i: number, j: number): boolean {
    const ai = this.a[i]!;
    const aj = this.a[j]!;
    return ai < aj || (ai === aj && this.b[i]! < this.b[j]!);
  }

  private swap(i: number, j: number): void {
    const { a, b, node } = this;
    const ta = a[i]!;
    a[i] = a[j]!;
    a[j] = ta;
    const tb = b[i]!;
    b[i] = b[j]!;
    b[j] = tb;
    const tn = node[i]!;
    node[i] = node[j]!;
    node[j] = tn;
  }

  push(ka: number, kb: number, v: number): void {
    if (this.size === this.node.length) {
      const grow = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
        fresh.set(old);
        return fresh;
      };
      const cap = this.size * 2;
      this.a = grow(this.a, new Float64Array(cap));
      this.b = grow(this.b, new Float64Array(cap));
      this.node = grow(this.node, new Int32Array(cap));
    }
    let at = this.size++;
    this.a[at] = ka;
    this.b[at] = kb;
    this.node[at] = v;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!this.less(at, up)) break;
      this.swap(at, up);
      at = up;
    }
  }

  /** Removes the top; its key and node are left at index size (read before the next push). */
  pop(): void {
    const last = --this.size;
    this.swap(0, last);
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && this.less(r, l) ? r : l;
      if (!this.less(m, at)) break;
      this.swap(m, at);
      at = m;
    }
  }
}

/** One round's network; arcs 2k and 2k + 1 are each other's reverse. */
type Round = {
  /** Pair arcs first (arc 2e for the e-th pair of the round), then supporter → sink, then artificial. */
  to: Int32Array;
  cap: Int32Array;
  costA: Float64Array;
  costB: Float64Array;
  /** CSR of arcs leaving each node. */
  start: Int32Array;
  arcs: Int32Array;
};

/**
 * Build the residual network of a round: `pairEdges` lists the input edges allowed this round,
 * `supply[r]` the units request r sends, `capLeft[s]` the supporter's remaining capacity.
 */
function buildRound(R: number, S: number, input: AllocationInput['edges'], pairEdges: Int32Array, supply: Int32Array, capLeft: Int32Array, artificialA: number): Round {
  const sink = R + S;
  const nodes = sink + 1;
  let supporterArcs = 0;
  for (let s = 0; s < S; s++) if (capLeft[s]! > 0) supporterArcs++;
  let artificial = 0;
  for (let r = 0; r < R; r++) if (supply[r]! > 0) artificial++;
  const arcCount = 2 * (pairEdges.length + supporterArcs + artificial);
  const to = new Int32Array(arcCount);
  const from = new Int32Array(arcCount);
  const cap = new Int32Array(arcCount);
  const costA = new Float64Array(arcCount);
  const costB = new Float64Array(arcCount);
  let k = 0;
  const add = (u: number, v: number, c: number, ca: number, cb: number): void => {
    from[k] = u;
    to[k] = v;
    cap[k] = c;
    costA[k] = ca;
    costB[k] = cb;
    from[k + 1] = v;
    to[k + 1] = u;
    cap[k + 1] = 0;
    costA[k + 1] = -ca;
    costB[k + 1] = -cb;
    k += 2;
  };
  for (let e = 0; e < pairEdges.length; e++) {
    const i = pairEdges[e]!;
    add(input.request[i]!, R + input.supporter[i]!, 1, 0, -input.score[i]!);
  }
  for (let s = 0; s < S; s++) if (capLeft[s]! > 0) add(R + s, sink, capLeft[s]!, 0, 0);
  for (let r = 0; r < R; r++) if (supply[r]! > 0) add(r, sink, supply[r]!, artificialA, 0);
  const start = new Int32Array(nodes + 1);
  for (let a = 0; a < arcCount; a++) start[from[a]! + 1]!++;
  for (let v = 0; v < nodes; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodes);
  const arcs = new Int32Array(arcCount);
  for (let a = 0; a < arcCount; a++) arcs[fill[from[a]!]!++] = a;
  return { to, cap, costA, costB, start, arcs };
}

/**
 * Route every request's supply by successive shortest paths; returns the number of
 * augmentations. Afterwards, pair e of the round carries flow iff cap[2e] === 0.
 */
function routeRound(R: number, S: number, net: Round, pairEdges: Int32Array, edges: AllocationInput['edges'], supply: Int32Array): number {
  const sink = R + S;
  const nodes = sink + 1;
  const { to, cap, costA, costB, start, arcs } = net;
  // Potentials (lexicographic): requests 0, supporters the least −score coming in, sink below all.
  const piA = new Float64Array(nodes);
  const piB = new Float64Array(nodes);
  for (let e = 0; e < pairEdges.length; e++) {
    const v = R + edges.supporter[pairEdges[e]!]!;
    const c = -edges.score[pairEdges[e]!]!;
    if (c < piB[v]!) piB[v] = c;
  }
  let sinkB = 0;
  for (let s = R; s < sink; s++) if (piB[s]! < sinkB) sinkB = piB[s]!;
  piB[sink] = sinkB;

  const dA = new Float64Array(nodes);
  const dB = new Float64Array(nodes);
  const prevArc = new Int32Array(nodes);
  const reached = new Int32Array(nodes); // run number when d was last set
  const settled = new Int32Array(nodes); // run number when settled
  const settledList = new Int32Array(nodes);
  const heap = new PairHeap();
  let run = 0;
  for (let r = 0; r < R; r++) {
    for (let unit = 0; unit < supply[r]!; unit++) {
      run++;
      heap.clear();
      dA[r] = 0;
      dB[r] = 0;
      reached[r] = run;
      heap.push(0, 0, r);
      let nSettled = 0;
      while (heap.size > 0) {
        heap.pop();
        const u = heap.node[heap.size]!;
        if (settled[u] === run) continue;
        const ka = heap.a[heap.size]!;
        const kb = heap.b[heap.size]!;
        if (ka !== dA[u] || kb !== dB[u]) continue; // a stale entry
        settled[u] = run;
        settledList[nSettled++] = u;
        if (u === sink) break;
        for (let q = start[u]!; q < start[u + 1]!; q++) {
          const a = arcs[q]!;
          if (cap[a] === 0) continue;
          const v = to[a]!;
          if (settled[v] === run) continue;
          const ra = costA[a]! + piA[u]! - piA[v]!;
          let rb = costB[a]! + piB[u]! - piB[v]!;
          // Reduced costs are ≥ 0 in exact arithmetic; clamp the rounding residue of the score part.
          if (ra === 0 && rb < 0) rb = 0;
          const na = ka + ra;
          const nb = kb + rb;
          if (reached[v] !== run || na < dA[v]! || (na === dA[v] && nb < dB[v]!)) {
            reached[v] = run;
            dA[v] = na;
            dB[v] = nb;
            prevArc[v] = a;
            heap.push(na, nb, v);
          }
        }
      }
      // The artificial arc r → t always has room for r's own supply, so the sink is settled.
      const tA = dA[sink]!;
      const tB = dB[sink]!;
      for (let j = 0; j < nSettled; j++) {
        const v = settledList[j]!;
        piA[v]! += dA[v]! - tA;
        piB[v]! += dB[v]! - tB;
      }
      for (let v = sink; v !== r; ) {
        const a = prevArc[v]!;
        cap[a]!--;
        cap[a ^ 1]!++;
        v = to[a ^ 1]!;
      }
    }
  }
  return run;
}

/**
 * Allocate supporters to requests: the exact optimum of the documented objective (max number of
 * pairs, then max total score; or max total score alone) by min-cost flow with successive
 * shortest paths (Ahuja, Magnanti & Orlin 1993), with 'one-before-second' fairness solved round
 * by round (optimal within each round). Throws RangeError on an edge outside the ranges, a
 * non-finite score, or a negative maxPerRequest.
 */
export function allocate(input: AllocationInput): AllocationResult {
  const R = input.requests;
  const S = input.supporters;
  if (!Number.isInteger(R) || R < 0 || !Number.isInteger(S) || S < 0) throw new RangeError('requests and supporters must be whole numbers ≥ 0');
  if (input.capacity.length < S) throw new RangeError(`capacity has ${input.capacity.length} entries for ${S} supporters`);
  const maxPerRequest = Math.floor(input.maxPerRequest ?? DEFAULT_MAX_PER_REQUEST);
  if (!(maxPerRequest >= 0)) throw new RangeError(`maxPerRequest must be ≥ 0, got ${input.maxPerRequest}`);
  const fairness = input.fairness ?? 'one-before-second';
  const objective = input.objective ?? 'cardinality-then-score';
  const { edges } = input;
  const m = edges.count;
  if (edges.request.length < m || edges.supporter.length < m || edges.score.length < m) throw new RangeError(`edge arrays are shorter than count = ${m}`);

  // Keep one edge per pair (its best score; the first of equals), in input order.
  const keep: number[] = [];
  const bestOf = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const r = edges.request[i]!;
    const s = edges.supporter[i]!;
    const score = edges.score[i]!;
    if (!(r >= 0 && r < R) || !(s >= 0 && s < S)) throw new RangeError(`edge ${i} (${r}, ${s}) is outside ${R} requests × ${S} supporters`);
    if (!Number.isFinite(score)) throw new RangeError(`edge ${i} has a non-finite score ${score}`);
    const key = r * S + s;
    const seen = bestOf.get(key);
    if (seen === undefined) {
      bestOf.set(key, keep.length);
      keep.push(i);
    } else if (score > edges.score[keep[seen]!]!) keep[seen] = i;
  }

  const capLeft = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    const c = Math.floor(input.capacity[s]!);
    capLeft[s] = c > 0 ? Math.min(c, 2 ** 30) : 0;
  }
  const usedPair = new Uint8Array(keep.length);
  const offers = new Int32Array(R);
  const pairs: AllocatedPair[] = [];
  const rounds = fairness === 'one-before-second' ? maxPerRequest : Math.min(1, maxPerRequest);
  const perRound = fairness === 'one-before-second' ? 1 : maxPerRequest;
  const artificialA = objective === 'score' ? 0 : 1;
  let phases = 0;
  let augmentations = 0;
  for (let round = 1; round <= rounds; round++) {
    // Round k > 1 is for requests served in every earlier round.
    const supply = new Int32Array(R);
    let any = false;
    for (let r = 0; r < R; r++) {
      if (offers[r] === round - 1) {
        supply[r] = perRound;
        any = true;
      }
    }
    if (!any) break;
    const allowed: number[] = [];
    for (let j = 0; j < keep.length; j++) {
      const i = keep[j]!;
      if (usedPair[j] === 0 && supply[edges.request[i]!]! > 0 && capLeft[edges.supporter[i]!]! > 0) allowed.push(j);
    }
    const local = Int32Array.from(allowed, (j) => keep[j]!);
    const net = buildRound(R, S, edges, local, supply, capLeft, artificialA);
    augmentations += routeRound(R, S, net, local, edges, supply);
    phases++;
    let served = 0;
    for (let e = 0; e < local.length; e++) {
      if (net.cap[2 * e] !== 0) continue;
      const i = local[e]!;
      const r = edges.request[i]!;
      const s = edges.supporter[i]!;
      usedPair[allowed[e]!] = 1;
      capLeft[s]!--;
      offers[r]!++;
      served++;
      pairs.push({ request: r, supporter: s, score: edges.score[i]!, round });
    }
    if (served === 0) break;
  }
  pairs.sort((x, y) => x.request - y.request || x.round - y.round || x.supporter - y.supporter);
  let total = 0;
  for (const pr of pairs) total += pr.score;
  const unassigned: number[] = [];
  for (let r = 0; r < R; r++) if (offers[r] === 0) unassigned.push(r);
  const goal = objective === 'score' ? 'maximum total score' : 'most pairs served, then maximum total score';
  const rule =
    fairness === 'one-before-second' && maxPerRequest > 1
      ? `one offer per request per round, up to ${maxPerRequest} rounds, each round optimal given the earlier ones`
      : `up to ${maxPerRequest} offer${maxPerRequest === 1 ? '' : 's'} per request, solved at once`;
  return {
    pairs,
    total,
    unassigned,
    offers,
    method: `min-cost flow by successive shortest paths (Dijkstra on reduced costs; Ahuja, Magnanti & Orlin 1993): ${goal}; ${rule}`,
    objective,
    phases,
    augmentations,
  };
}
