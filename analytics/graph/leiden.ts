import { type Graph, GraphInputError } from './csr.ts';
import {
  aggregate,
  type CommunityResult,
  checkedResolution,
  compactLabels,
  GAIN_TOLERANCE,
  identity,
  LevelScratch,
  type LevelGraph,
  levelGraph,
  nodeOrder,
  seededRandom,
} from './louvain.ts';
import { communityCount, renumberBySize } from './modularity.ts';

export type LeidenOptions = {
  /** γ in the modularity (default 1); below 1 favours fewer, larger communities. */
  resolution?: number;
  /** 'random' (default): nodes are visited in seeded shuffles; 'natural': by index. */
  order?: 'random' | 'natural';
  /** Seed of the shuffles and of the refinement's random choices (default 1). */
  seed?: number;
  /**
   * θ, the refinement's randomness (default 0.01, as in the paper and igraph's `beta`): a node
   * joins a sub-community with probability ∝ exp(ΔH / θ). 0 makes the refinement greedy (the
   * best merge, ties to the node's first-met neighbour) and, with order 'natural', the whole
   * run deterministic without a seed.
   */
  randomness?: number;
  /**
   * Leiden passes, each starting from the previous result (default 2, as igraph and leidenalg);
   * stops early when a pass changes nothing (the paper's "stable iteration"). More passes raise
   * modularity a little and cost about as much as the first each.
   */
  iterations?: number;
};

export type LeidenResult = CommunityResult & {
  /** Passes run (fewer than asked when one changed nothing). */
  iterations: number;
};

/**
 * Leiden community detection (Traag, Waltman & van Eck, "From Louvain to Leiden: guaranteeing
 * well-connected communities", Sci. Rep. 9, 5233, 2019), maximising weighted modularity with
 * resolution γ, written as the unnormalised quality H = Σ_c [L_c − γ K_c² / 4m]:
 *
 * 1. Fast local moving: a queue of nodes in random order; each node goes to the community
 *    (neighbouring or empty) with the largest ΔH = k_{v,C} − γ k_v K_C / 2m if that beats
 *    staying; when it moves, its neighbours outside the new community rejoin the queue.
 * 2. Refinement: within each community S, start from singletons; a node v that is still alone
 *    and well connected to S (k_{v,S−v} ≥ γ k_v (K_S − k_v) / 2m) joins a well-connected
 *    sub-community C of S (k_{C,S−C} ≥ γ K_C (K_S − K_C) / 2m) chosen with probability
 *    ∝ exp(ΔH / θ) among those with ΔH ≥ 0, itself included. Only merges along ties, so every
 *    sub-community is connected.
 * 3. Aggregation of the refined partition, with the unrefined one as the initial partition of
 *    the aggregate graph. Stop when every community is a single aggregate node.
 *
 * Every community returned is connected. Runs on the undirected view (a directed graph's
 * a → b and b → a summed into one tie); a graph with no ties keeps every school alone and has
 * modularity NaN.
 *
 * For a network of schools: clusters that collaborate far more among themselves than with the
 * rest, each a single connected group (no "community" of schools that never work together).
 */
export function leiden(g: Graph, options: LeidenOptions = {}): LeidenResult {
  const resolution = checkedResolution(options.resolution);
  const theta = options.randomness ?? 0.01;
  if (!(Number.isFinite(theta) && theta >= 0)) throw new GraphInputError(`randomness must be a finite number ≥ 0, got ${theta}`);
  const iterations = options.iterations ?? 2;
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw new GraphInputError(`iterations must be a whole number ≥ 1, got ${iterations}`);
  }
  const base = levelGraph(g);
  const run: Run = {
    scale: base.total > 0 ? resolution / base.total : 0,
    theta,
    random: seededRandom(options.seed ?? 1),
    shuffle: options.order !== 'natural',
    scratch: new LevelScratch(base.nodes),
    diff: new Float64Array(base.nodes),
  };
  let membership = identity(base.nodes);
  let passes = 0;
  for (;;) {
    const next = leidenPass(base, membership, run);
    passes++;
    const changed = !samePartition(membership, next);
    membership = next;
    if (!changed || passes >= iterations) break;
  }
  const renumbered = renumberBySize(membership);
  return { membership: renumbered, communities: communityCount(renumbered), modularity: partitionModularity(base, renumbered, resolution), iterations: passes };
}

type Run = {
  /** γ / 2m: ΔH = k_{v,C} − scale · k_v · K_C. */
  scale: number;
  theta: number;
  random: () => number;
  shuffle: boolean;
  scratch: LevelScratch;
  /** ΔH of each candidate sub-community during refinement. */
  diff: Float64Array;
};

/** One run of the Leiden algorithm from `initial` (labels 0..k−1); returns labels of base nodes. */
function leidenPass(base: LevelGraph, initial: Int32Array, run: Run): Int32Array {
  let level = base;
  let community = initial.slice();
  compactLabels(community, run.scratch.relabel);
  const top = identity(base.nodes);
  for (;;) {
    fastMoveNodes(level, community, run);
    const count = compactLabels(community, run.scratch.relabel);
    if (count === level.nodes) break;
    let refined = refine(level, community, count, run);
    let refinedCount = compactLabels(refined, run.scratch.relabel);
    if (refinedCount === level.nodes) {
      // No merge in the refinement (possible only by chance or through rounding): aggregate
      // the communities' connected pieces instead, which keeps progress and connectivity.
      refined = connectedPieces(level, community);
      refinedCount = compactLabels(refined, run.scratch.relabel);
      if (refinedCount === level.nodes) break;
    }
    const next = new Int32Array(refinedCount);
    for (let i = 0; i < level.nodes; i++) next[refined[i]!] = community[i]!;
    for (let v = 0; v < base.nodes; v++) top[v] = refined[top[v]!]!;
    level = aggregate(level, refined, refinedCount, run.scratch);
    community = next;
  }
  const out = new Int32Array(base.nodes);
  for (let v = 0; v < base.nodes; v++) out[v] = community[top[v]!]!;
  return out;
}

/** Step 1 (the paper's MoveNodesFast), in place on `community` (labels 0..nodes−1). */
function fastMoveNodes(level: LevelGraph, community: Int32Array, run: Run): void {
  const { nodes: n, offsets, targets, weights, strength } = level;
  const { scale, scratch } = run;
  const tot = scratch.tot.subarray(0, n).fill(0);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    tot[community[i]!]! += strength[i]!;
    size[community[i]!]!++;
  }
  const empty = new Int32Array(n);
  let emptyCount = 0;
  for (let c = n - 1; c >= 0; c--) if (size[c] === 0) empty[emptyCount++] = c;
  const queue = nodeOrder(n, run.shuffle ? run.random : null);
  const queued = new Uint8Array(n).fill(1);
  let head = 0;
  let pending = n;
  const { weightTo, touched } = scratch;
  while (pending > 0) {
    const v = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    pending--;
    queued[v] = 0;
    const own = community[v]!;
    const k = strength[v]!;
    const stamp = scratch.nextStamp();
    const mark = scratch.mark;
    let count = 0;
    mark[own] = stamp;
    weightTo[own] = 0;
    touched[count++] = own;
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
      const c = community[targets[e]!]!;
      if (mark[c] !== stamp) {
        mark[c] = stamp;
        weightTo[c] = 0;
        touched[count++] = c;
      }
      weightTo[c]! += weights[e]!;
    }
    tot[own]! -= k;
    size[own]!--;
    const stay = weightTo[own]! - scale * k * tot[own]!;
    let best = own;
    let bestGain = stay;
    for (let t = 1; t < count; t++) {
      const c = touched[t]!;
      const gain = weightTo[c]! - scale * k * tot[c]!;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    // The empty community (ΔH = 0); when v was alone, staying already is that option.
    if (bestGain < 0 && size[own]! > 0) {
      bestGain = 0;
      best = empty[emptyCount - 1]!;
    }
    if (best === own || !(bestGain - stay > GAIN_TOLERANCE * k)) best = own;
    else {
      if (best === empty[emptyCount - 1] && size[best] === 0) emptyCount--;
      community[v] = best;
      if (size[own] === 0) empty[emptyCount++] = own;
      for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
        const u = targets[e]!;
        if (queued[u] === 0 && community[u] !== best) {
          queued[u] = 1;
          queue[(head + pending) % n] = u;
          pending++;
        }
      }
    }
    tot[best]! += k;
    size[best]!++;
  }
}

/** Step 2 (the paper's RefinePartition and MergeNodesSubset): sub-communities of `community`. */
function refine(level: LevelGraph, community: Int32Array, count: number, run: Run): Int32Array {
  const { nodes: n, offsets, targets, weights, strength } = level;
  const { scale, theta, scratch, diff } = run;
  const refined = identity(n);
  const communityWeight = new Float64Array(count);
  const towardsOwn = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const s = community[v]!;
    communityWeight[s]! += strength[v]!;
    let w = 0;
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) if (community[targets[e]!] === s) w += weights[e]!;
    towardsOwn[v] = w;
  }
  // Per sub-community C (labelled by its first node): K_C, k_{C,S−C} and its node count.
  const weight = strength.slice();
  const external = towardsOwn.slice();
  const members = new Int32Array(n).fill(1);
  const { weightTo, touched } = scratch;
  const order = nodeOrder(n, run.shuffle ? run.random : null);
  for (let idx = 0; idx < n; idx++) {
    const v = order[idx]!;
    if (members[v] !== 1 || refined[v] !== v) continue;
    const s = community[v]!;
    const k = strength[v]!;
    const total = communityWeight[s]!;
    if (towardsOwn[v]! < scale * k * (total - k)) continue;
    const stamp = scratch.nextStamp();
    const mark = scratch.mark;
    let candidates = 0;
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
      const u = targets[e]!;
      if (community[u] !== s) continue;
      const c = refined[u]!;
      if (mark[c] !== stamp) {
        mark[c] = stamp;
        weightTo[c] = 0;
        touched[candidates++] = c;
      }
      weightTo[c]! += weights[e]!;
    }
    // Staying alone is the candidate with ΔH = 0; others must be well connected and ΔH ≥ 0.
    let best = v;
    let bestDiff = 0;
    let kept = 0;
    for (let t = 0; t < candidates; t++) {
      const c = touched[t]!;
      const kc = weight[c]!;
      const gain = weightTo[c]! - scale * k * kc;
      if (gain < 0 || external[c]! < scale * kc * (total - kc)) continue;
      touched[kept] = c;
      diff[kept++] = gain;
      if (gain > bestDiff) {
        bestDiff = gain;
        best = c;
      }
    }
    if (kept === 0) continue;
    let chosen = best;
    if (theta > 0) {
      let sum = Math.exp(-bestDiff / theta);
      for (let t = 0; t < kept; t++) sum += Math.exp((diff[t]! - bestDiff) / theta);
      let r = run.random() * sum - Math.exp(-bestDiff / theta);
      chosen = v;
      for (let t = 0; t < kept && r >= 0; t++) {
        chosen = touched[t]!;
        r -= Math.exp((diff[t]! - bestDiff) / theta);
      }
    }
    if (chosen === v) continue;
    refined[v] = chosen;
    members[v] = 0;
    members[chosen]!++;
    external[chosen] = external[chosen]! + towardsOwn[v]! - 2 * weightTo[chosen]!;
    weight[chosen]! += k;
  }
  // A sub-community keeps the label of its founding node, which never moves once joined (it
  // is no longer alone), so the labels need no path following.
  return refined;
}

/** The connected pieces of each community (breadth-first within the community). */
function connectedPieces(level: LevelGraph, community: Int32Array): Int32Array {
  const n = level.nodes;
  const piece = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let pieces = 0;
  for (let root = 0; root < n; root++) {
    if (piece[root]! >= 0) continue;
    piece[root] = pieces;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    while (head < tail) {
      const v = queue[head++]!;
      for (let e = level.offsets[v]!; e < level.offsets[v + 1]!; e++) {
        const u = level.targets[e]!;
        if (piece[u]! < 0 && community[u] === community[v]) {
          piece[u] = pieces;
          queue[tail++] = u;
        }
      }
    }
    pieces++;
  }
  return piece;
}

function samePartition(a: Int32Array, b: Int32Array): boolean {
  const ab = new Int32Array(a.length).fill(-1);
  const ba = new Int32Array(b.length).fill(-1);
  for (let v = 0; v < a.length; v++) {
    const x = a[v]!;
    const y = b[v]!;
    if (ab[x] === -1 && ba[y] === -1) {
      ab[x] = y;
      ba[y] = x;
    } else if (ab[x] !== y || ba[y] !== x) return false;
  }
  return true;
}

/** Modularity of a membership (labels 0..k−1) of the level-0 graph. */
function partitionModularity(base: LevelGraph, membership: Int32Array, resolution: number): number {
  if (base.total === 0) return Number.NaN;
  const k = communityCount(membership);
  const inside = new Float64Array(k);
  const strength = new Float64Array(k);
  for (let v = 0; v < base.nodes; v++) {
    const c = membership[v]!;
    strength[c]! += base.strength[v]!;
    for (let e = base.offsets[v]!; e < base.offsets[v + 1]!; e++) if (membership[base.targets[e]!] === c) inside[c]! += base.weights[e]!;
  }
  const m = base.total / 2;
  let q = 0;
  for (let c = 0; c < k; c++) {
    const share = strength[c]! / base.total;
    // Each inside tie was met from both ends.
    q += inside[c]! / (2 * m) - resolution * share * share;
  }
  return q;
}
