import { type Graph, GraphInputError, undirected } from './csr.ts';
import { communityCount, renumberBySize } from './modularity.ts';

/**
 * One level of a multilevel community search: nodes are groups of schools (the schools
 * themselves at level 0), `inside[i]` the tie strength within group i (each tie once) and
 * `strength[i]` its k_i = Σ_j A_ij + 2·inside[i]. `total` is 2m, the same at every level.
 */
export type LevelGraph = {
  readonly nodes: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
  readonly inside: Float64Array;
  readonly strength: Float64Array;
  readonly total: number;
};

export type CommunityResult = {
  /** Community of each node, renumbered by `renumberBySize` (0 = largest). */
  membership: Int32Array;
  communities: number;
  /** Modularity of `membership` at the resolution used; NaN when the graph has no ties. */
  modularity: number;
};

export type LouvainOptions = {
  /** γ in the modularity (default 1); below 1 favours fewer, larger communities. */
  resolution?: number;
  /** 'random' (default): each level visits nodes in a seeded shuffle; 'natural': by index. */
  order?: 'random' | 'natural';
  /** Seed of the shuffle (default 1); the same seed gives the same communities. */
  seed?: number;
};

export type LouvainResult = CommunityResult & {
  /** Modularity after each aggregation level, increasing; the last equals `modularity`. */
  levels: number[];
};

/**
 * Louvain community detection (Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of
 * communities in large networks", J. Stat. Mech. P10008, 2008), maximising weighted modularity
 * with resolution γ:
 *
 *   Q = Σ_c [ L_c / m − γ (K_c / 2m)² ]            (see `modularity`)
 *
 * Phase 1 (local moving): visit the nodes in a seeded random order (or by index); take node i
 * out of its community and put it in the neighbouring community c (its own included) with the
 * largest gain  ΔQ ∝ k_{i,c} − γ k_i K_c / 2m,  moving only on a strict gain; sweep until no
 * node moves. Phase 2 (aggregation): each community becomes one node carrying its internal
 * strength as a self-loop. Repeat until a level moves nothing.
 *
 * Runs on the undirected view (a directed graph's a → b and b → a summed into one tie). A graph
 * with no ties keeps every school alone and has modularity NaN. Louvain can leave a community
 * internally disconnected (Traag et al. 2019); `leiden` cannot.
 *
 * For a network of schools: the clusters that collaborate far more among themselves than with
 * the rest (informal families of schools, whether or not they match trusts or local authorities).
 */
export function louvain(g: Graph, options: LouvainOptions = {}): LouvainResult {
  const resolution = checkedResolution(options.resolution);
  const random = options.order === 'natural' ? null : seededRandom(options.seed ?? 1);
  let level = levelGraph(g);
  const n = level.nodes;
  const top = identity(n);
  const scratch = new LevelScratch(n);
  const levels: number[] = [];
  for (;;) {
    const community = identity(level.nodes);
    if (!moveNodes(level, community, resolution, random, scratch)) break;
    const count = compactLabels(community, scratch.relabel);
    for (let v = 0; v < n; v++) top[v] = community[top[v]!]!;
    level = aggregate(level, community, count, scratch);
    levels.push(levelModularity(level, resolution));
    if (count === 1) break;
  }
  const membership = renumberBySize(top);
  return { membership, communities: communityCount(membership), modularity: levels.at(-1) ?? levelModularity(level, resolution), levels };
}

/** Phase 1: sweeps of local moving until a sweep moves nothing. Returns whether any node moved. */
function moveNodes(level: LevelGraph, community: Int32Array, resolution: number, random: (() => number) | null, scratch: LevelScratch): boolean {
  const { nodes: n, offsets, targets, weights, strength } = level;
  const scale = resolution / level.total;
  const tot = scratch.tot.subarray(0, n).fill(0);
  for (let i = 0; i < n; i++) tot[community[i]!]! += strength[i]!;
  const { weightTo, touched } = scratch;
  const order = nodeOrder(n, random);
  let movedAny = false;
  for (;;) {
    let moved = 0;
    for (let idx = 0; idx < n; idx++) {
      const i = order[idx]!;
      const own = community[i]!;
      const k = strength[i]!;
      const stamp = scratch.nextStamp();
      const mark = scratch.mark;
      let count = 0;
      mark[own] = stamp;
      weightTo[own] = 0;
      touched[count++] = own;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const c = community[targets[e]!]!;
        if (mark[c] !== stamp) {
          mark[c] = stamp;
          weightTo[c] = 0;
          touched[count++] = c;
        }
        weightTo[c]! += weights[e]!;
      }
      tot[own]! -= k;
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
      // A relative tolerance so that rounding cannot make two equal gains trade a node forever.
      if (best !== own && bestGain - stay > GAIN_TOLERANCE * k) {
        community[i] = best;
        moved++;
      } else best = own;
      tot[best]! += k;
    }
    if (moved === 0) return movedAny;
    movedAny = true;
  }
}

/** Gains below this fraction of the node's strength count as no gain (rounding, not structure). */
export const GAIN_TOLERANCE = 1e-12;

/** The level-0 graph: the undirected view with no self-loops. */
export function levelGraph(g: Graph): LevelGraph {
  const u = undirected(g);
  const strength = new Float64Array(u.nodes);
  let total = 0;
  for (let v = 0; v < u.nodes; v++) {
    let s = 0;
    for (let e = u.offsets[v]!; e < u.offsets[v + 1]!; e++) s += u.weights[e]!;
    strength[v] = s;
    total += s;
  }
  return { nodes: u.nodes, offsets: u.offsets, targets: u.targets, weights: u.weights, inside: new Float64Array(u.nodes), strength, total };
}

/**
 * Phase 2: one node per community (labels 0..count−1), ties between communities summed, ties
 * within a community added to its `inside`. O(nodes + ties) with a counting sort by community.
 */
export function aggregate(level: LevelGraph, community: Int32Array, count: number, scratch: LevelScratch): LevelGraph {
  const { nodes: n, offsets, targets, weights } = level;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) start[community[i]! + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, count);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[community[i]!]!++] = i;
  const nextOffsets = new Int32Array(count + 1);
  const nextTargets = new Int32Array(targets.length);
  const nextWeights = new Float64Array(targets.length);
  const inside = new Float64Array(count);
  const strength = new Float64Array(count);
  const slot = scratch.touched;
  let cursor = 0;
  for (let c = 0; c < count; c++) {
    const stamp = scratch.nextStamp();
    const mark = scratch.mark;
    let within = 0;
    for (let p = start[c]!; p < start[c + 1]!; p++) {
      const i = members[p]!;
      inside[c]! += level.inside[i]!;
      strength[c]! += level.strength[i]!;
      for (let e = offsets[i]!, end = offsets[i + 1]!; e < end; e++) {
        const d = community[targets[e]!]!;
        const w = weights[e]!;
        if (d === c) within += w;
        else if (mark[d] !== stamp) {
          mark[d] = stamp;
          slot[d] = cursor;
          nextTargets[cursor] = d;
          nextWeights[cursor++] = w;
        } else nextWeights[slot[d]!]! += w;
      }
    }
    // Each tie inside the community was met from both ends.
    inside[c]! += within / 2;
    nextOffsets[c + 1] = cursor;
  }
  return {
    nodes: count,
    offsets: nextOffsets,
    targets: nextTargets.slice(0, cursor),
    weights: nextWeights.slice(0, cursor),
    inside,
    strength,
    total: level.total,
  };
}

/** Modularity of the partition that puts each node of `level` in its own community. */
export function levelModularity(level: LevelGraph, resolution: number): number {
  const m = level.total / 2;
  if (m === 0) return Number.NaN;
  let q = 0;
  for (let c = 0; c < level.nodes; c++) {
    const share = level.strength[c]! / level.total;
    q += level.inside[c]! / m - resolution * share * share;
  }
  return q;
}

/** Reusable per-run arrays, so that no level allocates per node. */
export class LevelScratch {
  readonly tot: Float64Array;
  readonly weightTo: Float64Array;
  readonly touched: Int32Array;
  readonly mark: Int32Array;
  /** For `compactLabels` only: kept apart from `mark`, whose stamps must not be overwritten. */
  readonly relabel: Int32Array;
  private stamp = 0;
  constructor(n: number) {
    this.tot = new Float64Array(n);
    this.weightTo = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.relabel = new Int32Array(n);
  }
  /** A fresh marker value: `mark[x] === stamp` means "seen in this round" with no clearing. */
  nextStamp(): number {
    if (this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

/** Relabels in place 0..k−1 by first appearance (labels must lie in 0..length−1); returns k. */
export function compactLabels(labels: Int32Array, scratch: Int32Array): number {
  const index = scratch.subarray(0, labels.length).fill(-1);
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (index[c]! < 0) index[c] = k++;
    labels[i] = index[c]!;
  }
  return k;
}

export function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** 0..n−1, shuffled by Fisher–Yates when a generator is given. */
export function nodeOrder(n: number, random: (() => number) | null): Int32Array {
  const order = identity(n);
  if (random) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
  return order;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit seeded generator of uniform numbers in
 * [0, 1). Ours rather than Math.random so the same seed gives the same communities everywhere.
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

export function checkedResolution(resolution: number | undefined): number {
  const r = resolution ?? 1;
  if (!(Number.isFinite(r) && r >= 0)) throw new GraphInputError(`resolution must be a finite number ≥ 0, got ${r}`);
  return r;
}
