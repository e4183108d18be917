/**
 * The `graph` part of `npm run bench` (bench/run.ts): every kernel of analytics/graph timed on
 * synthetic graphs and on the national graph of the real register, beside python3-igraph and
 * networkx on the same graphs in the same run (bench/graph_reference.py, run by Debian's
 * /usr/bin/python3), with Trellis's values checked against igraph's on the way.
 *
 *   npm run bench -- --only graph     about 10 minutes on two quiet cores; writes block (f) of
 *                                     bench/RESULTS.md and scratch files to bench/.out/graph/
 *
 * The graphs:
 * - three school-like synthetic graphs at the issue's sizes, 24k, 100k and 1M ties, mean degree
 *   10 (4,800, 20,000 and 200,000 schools; see `syntheticSchools`);
 * - the speed target's graph: an Erdős–Rényi random graph of 24,000 schools and 120,000 ties
 *   (G(n, m), uniform pairs), the "random graph of that size" igraph's 80 s were measured on;
 * - the national graph: the whole 2024 register through `loadNationalRegister` on a fresh
 *   PGlite, the ties part's 120,000 generated activities, and the snapshot the product builds
 *   (`snapshotScope`/`buildSnapshot`, the operator's view, on the ties part's date), on the
 *   activity basis (living ties, weight = tie strength) and on the membership basis (schools
 *   sharing a trust or federation, weight = networks shared).
 *
 * Every weighted metric uses the tie weights; path metrics use distance = 1 / weight. What is
 * compared like for like, and what is not, is written beside each row of the tables.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { degreeAssortativity, nominalAssortativity } from '../analytics/graph/assortativity.ts';
import { accumulatePathSums, type PathMetrics, pathMetrics } from '../analytics/graph/betweenness.ts';
import { pathMetricsInParallel } from '../analytics/graph/betweenness-parallel.ts';
import { sampledBetweenness } from '../analytics/graph/betweenness-sampled.ts';
import { brokerage } from '../analytics/graph/brokerage.ts';
import { closenessMetrics, sampledCloseness } from '../analytics/graph/closeness.ts';
import { clustering } from '../analytics/graph/clustering.ts';
import { cohesion } from '../analytics/graph/cohesion.ts';
import { corePeriphery } from '../analytics/graph/core-periphery.ts';
import { buildGraph, type Graph } from '../analytics/graph/csr.ts';
import { degreeProfile } from '../analytics/graph/degree.ts';
import { eigenvectorCentrality } from '../analytics/graph/eigenvector.ts';
import { coreNumbers } from '../analytics/graph/k-core.ts';
import { leiden } from '../analytics/graph/leiden.ts';
import { louvain } from '../analytics/graph/louvain.ts';
import { crossMixing, tieGeography } from '../analytics/graph/mixing.ts';
import { modularity } from '../analytics/graph/modularity.ts';
import { pageRank } from '../analytics/graph/pagerank.ts';
import { phaseBands } from '../common/typology.ts';
import type { DatabaseHandle } from '../server/db/open.ts';
import { buildSnapshot, snapshotScope } from '../server/domains/network/snapshot.ts';
import { loadNationalRegister } from '../server/domains/registry/demo.ts';

/** What bench/run.ts hands the part: its folders, its database and its activity generator. */
export type GraphBenchContext = {
  /** bench/.out: scratch files go to its graph/ folder. */
  out: string;
  /** ../shared/data, the public files the national register is loaded from. */
  sharedData: string;
  /** The ties part's fixed "today": the snapshot date. */
  today: string;
  freshDatabase: () => Promise<{ handle: DatabaseHandle; remove: () => Promise<void> }>;
  /** The ties part's 120,000 seeded activity records among the register's open schools. */
  generateActivities: (handle: DatabaseHandle) => Promise<{ parties: number }>;
  /** The command line, for the results block. */
  command: string;
};

/** A small deterministic generator (mulberry32), as bench/run.ts uses: the same graph every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  /** Standard normal by Box–Muller. */
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, int, normal };
}

/** Index of the first entry of ascending `cumulative` above `x` (a draw in proportion to the increments). */
function pickCumulative(cumulative: Float64Array, x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Interleaves the low 16 bits of x and y (a Morton code): sorting by it keeps near points near. */
function morton(x: number, y: number): number {
  const spread = (v: number) => {
    let w = v & 0xffff;
    w = (w | (w << 8)) & 0x00ff00ff;
    w = (w | (w << 4)) & 0x0f0f0f0f;
    w = (w | (w << 2)) & 0x33333333;
    w = (w | (w << 1)) & 0x55555555;
    return w;
  };
  return (spread(x) | (spread(y) << 1)) >>> 0;
}

export type SyntheticSchools = {
  nodes: number;
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  /** Cluster ("local authority") of each school, e.g. "LA 17". */
  la: string[];
  phase: string[];
  lat: Float64Array;
  lon: Float64Array;
};

const phaseShares: readonly (readonly [string, number])[] = [
  ['primary', 0.72],
  ['secondary', 0.15],
  ['nursery', 0.02],
  ['all_through', 0.03],
  ['post_16', 0.04],
  ['middle', 0.04],
];
/** Tie strengths and their shares: most ties light, a few intense (weights as in the issue). */
const tieWeights: readonly (readonly [number, number])[] = [
  [0.25, 0.3],
  [0.5, 0.3],
  [1, 0.2],
  [2, 0.12],
  [4, 0.08],
];

/**
 * A seeded, weighted graph shaped like school collaboration: schools in clusters of about 160
 * ("local authorities") scattered over England's latitude and longitude, each school with a
 * lognormal propensity to collaborate (σ = 0.9, so a heavy-ish tail of busy schools). Each tie
 * starts at a school drawn by propensity and goes to a near neighbour (70%: one of the ±20 next
 * schools in Morton order of position, which keeps near schools near), another school of its
 * cluster (20%), or anywhere, drawn by propensity squared (10%: long ties, mostly to the busiest
 * schools, as national trusts and teaching hubs have). Pairs are drawn until `ties` distinct ones
 * exist; weights from {0.25, 0.5, 1, 2, 4}, long ties one step lighter. Phases by the register's
 * rough shares.
 */
export function syntheticSchools(nodes: number, ties: number, seed: number): SyntheticSchools {
  if (ties > (nodes * (nodes - 1)) / 4) throw new RangeError(`${ties} ties is too dense for ${nodes} schools`);
  const r = seeded(seed);
  const clusters = Math.max(1, Math.round(nodes / 160));
  const centreLat = Float64Array.from({ length: clusters }, () => 50.4 + r.next() * 4.6);
  const centreLon = Float64Array.from({ length: clusters }, () => -4.5 + r.next() * 6);
  const cluster = new Int32Array(nodes);
  const lat = new Float64Array(nodes);
  const lon = new Float64Array(nodes);
  const phase: string[] = [];
  const propensity = new Float64Array(nodes);
  for (let v = 0; v < nodes; v++) {
    const c = r.int(0, clusters - 1);
    cluster[v] = c;
    lat[v] = centreLat[c]! + 0.08 * r.normal();
    lon[v] = centreLon[c]! + 0.12 * r.normal();
    let x = r.next();
    let p = phaseShares[0]![0];
    for (const [name, share] of phaseShares) {
      p = name;
      x -= share;
      if (x < 0) break;
    }
    phase.push(p);
    propensity[v] = Math.exp(0.9 * r.normal());
  }
  // Position of each school along the Morton curve, and the schools in that order.
  const code = Float64Array.from({ length: nodes }, (_, v) => morton(Math.round(((lon[v]! + 6) / 9) * 65535), Math.round(((lat[v]! - 49.5) / 6.5) * 65535)));
  const byPosition = Int32Array.from({ length: nodes }, (_, v) => v).sort((a, b) => code[a]! - code[b]! || a - b);
  const position = new Int32Array(nodes);
  for (let i = 0; i < nodes; i++) position[byPosition[i]!] = i;
  // Members of each cluster, for within-cluster ties.
  const clusterStart = new Int32Array(clusters + 1);
  for (let v = 0; v < nodes; v++) clusterStart[cluster[v]! + 1]!++;
  for (let c = 0; c < clusters; c++) clusterStart[c + 1]! += clusterStart[c]!;
  const fill = clusterStart.slice(0, clusters);
  const members = new Int32Array(nodes);
  for (let v = 0; v < nodes; v++) members[fill[cluster[v]!]!++] = v;
  const cumulative = new Float64Array(nodes);
  const cumulativeSquared = new Float64Array(nodes);
  let sum = 0;
  let sumSquared = 0;
  for (let v = 0; v < nodes; v++) {
    sum += propensity[v]!;
    sumSquared += propensity[v]! ** 2;
    cumulative[v] = sum;
    cumulativeSquared[v] = sumSquared;
  }
  const seen = new Set<number>();
  const source = new Int32Array(ties);
  const target = new Int32Array(ties);
  const weight = new Float64Array(ties);
  let made = 0;
  while (made < ties) {
    const a = pickCumulative(cumulative, r.next() * sum);
    const kind = r.next();
    let b: number;
    if (kind < 0.7) {
      const step = r.int(1, 20) * (r.next() < 0.5 ? -1 : 1);
      b = byPosition[(position[a]! + step + nodes) % nodes]!;
    } else if (kind < 0.9) {
      const c = cluster[a]!;
      b = members[r.int(clusterStart[c]!, clusterStart[c + 1]! - 1)]!;
    } else b = pickCumulative(cumulativeSquared, r.next() * sumSquared);
    if (a === b) continue;
    const key = a < b ? a * nodes + b : b * nodes + a;
    if (seen.has(key)) continue;
    seen.add(key);
    let x = r.next();
    let w = tieWeights[0]![0];
    for (const [value, share] of tieWeights) {
      w = value;
      x -= share;
      if (x < 0) break;
    }
    source[made] = a;
    target[made] = b;
    weight[made] = kind >= 0.9 && w > 0.25 ? w / 2 : w;
    made++;
  }
  return { nodes, source, target, weight, la: Array.from(cluster, (c) => `LA ${c}`), phase, lat, lon };
}

/** An Erdős–Rényi G(n, m) graph: `ties` distinct pairs drawn uniformly, weights as `syntheticSchools`. */
export function randomGraph(nodes: number, ties: number, seed: number): SyntheticSchools {
  const r = seeded(seed);
  const seen = new Set<number>();
  const source = new Int32Array(ties);
  const target = new Int32Array(ties);
  const weight = new Float64Array(ties);
  let made = 0;
  while (made < ties) {
    const a = r.int(0, nodes - 1);
    const b = r.int(0, nodes - 1);
    if (a === b) continue;
    const key = a < b ? a * nodes + b : b * nodes + a;
    if (seen.has(key)) continue;
    seen.add(key);
    source[made] = a;
    target[made] = b;
    weight[made] = tieWeights[r.int(0, tieWeights.length - 1)]![0];
    made++;
  }
  // Attributes drawn independently of the ties: the assortativity and mixing kernels still run
  // their full course, on values that mean nothing here.
  const la = Array.from({ length: nodes }, () => `LA ${r.int(0, Math.round(nodes / 160) - 1)}`);
  const phase = Array.from({ length: nodes }, () => phaseShares[r.int(0, phaseShares.length - 1)]![0]);
  const lat = Float64Array.from({ length: nodes }, () => 50.4 + r.next() * 4.6);
  const lon = Float64Array.from({ length: nodes }, () => -4.5 + r.next() * 6);
  return { nodes, source, target, weight, la, phase, lat, lon };
}

// ---------------------------------------------------------------------------------------------
// The graphs and what runs on each

type Variant = 'unweighted' | 'weighted';
const variants: readonly Variant[] = ['unweighted', 'weighted'];

/**
 * How exact path metrics are run on a graph: every source, or a timed sample scaled up. Every
 * source (with igraph beside it) where that fits the part's ~10 minutes: the speed target's
 * unweighted pass (the target itself), the 24k-tie graph and the national graphs.
 */
type ExactPlan = { trellis: 'full' | 'sample'; igraph: boolean };

type BenchGraph = {
  key: string;
  label: string;
  about: string;
  graph: Graph;
  la: (string | null)[];
  phase: (string | null)[];
  lat: (number | null)[];
  lon: (number | null)[];
  exact: Record<Variant, ExactPlan>;
  /** Exact closeness in Trellis (`closenessMetrics`) and igraph on every source. */
  closenessExact: boolean;
  /** The weighted sampled betweenness, which takes minutes on the biggest graphs. */
  sampledWeighted: boolean;
};

function fromSynthetic(key: string, label: string, about: string, s: SyntheticSchools, exact: Record<Variant, ExactPlan>, closenessExact: boolean, sampledWeighted = true): BenchGraph {
  return {
    key,
    label,
    about,
    graph: buildGraph({ nodes: s.nodes, source: s.source, target: s.target, weight: s.weight }),
    la: s.la,
    phase: s.phase,
    lat: Array.from(s.lat),
    lon: Array.from(s.lon),
    exact,
    closenessExact,
    sampledWeighted,
  };
}

const full: ExactPlan = { trellis: 'full', igraph: true };
const sampleOnly: ExactPlan = { trellis: 'sample', igraph: false };

function syntheticGraphs(): BenchGraph[] {
  const schoolLike = 'school-like (clusters of ~160 schools, 70% ties to near neighbours, 20% within the cluster, 10% long ties to busy schools; lognormal activity, weights {0.25, 0.5, 1, 2, 4})';
  return [
    fromSynthetic('school-24k', 'Synthetic, 24k ties', `${schoolLike}, seed 1`, syntheticSchools(4_800, 24_000, 1), { unweighted: full, weighted: full }, true),
    fromSynthetic(
      'random-24k',
      'Random graph, 24,000 schools and 120,000 ties (the speed target)',
      'Erdős–Rényi G(n, m): uniform random pairs, weights drawn uniformly from {0.25, 0.5, 1, 2, 4}, seed 2; the graph the targets are stated on',
      randomGraph(24_000, 120_000, 2),
      { unweighted: full, weighted: sampleOnly },
      false,
    ),
    fromSynthetic('school-100k', 'Synthetic, 100k ties', `${schoolLike}, seed 3`, syntheticSchools(20_000, 100_000, 3), { unweighted: sampleOnly, weighted: sampleOnly }, false, false),
    fromSynthetic('school-1m', 'Synthetic, 1M ties', `${schoolLike}, seed 4`, syntheticSchools(200_000, 1_000_000, 4), { unweighted: sampleOnly, weighted: sampleOnly }, false, false),
  ];
}

/** The register, the ties part's activities and the product's snapshots on both bases. */
async function nationalGraphs(ctx: GraphBenchContext): Promise<{ graphs: BenchGraph[]; about: string }> {
  const { handle, remove } = await ctx.freshDatabase();
  try {
    const started = performance.now();
    await loadNationalRegister(handle.db, ctx.sharedData);
    const loaded = performance.now();
    const made = await ctx.generateActivities(handle);
    // Statistics, as autovacuum would gather on a running server; without them the snapshot's
    // activity query plans for a few hundred rows and takes minutes (as in the ties part).
    await sql`analyze`.execute(handle.db);
    const generated = performance.now();
    const graphs: BenchGraph[] = [];
    const builds: string[] = [];
    for (const basis of ['activity', 'membership'] as const) {
      const before = performance.now();
      const scope = await snapshotScope(handle.db, null, { at: ctx.today, basis, types: [] });
      const snap = await buildSnapshot(handle.db, scope);
      builds.push(`${basis} ${secs(performance.now() - before)} s`);
      const schools = snap.schools;
      graphs.push({
        key: `national-${basis}`,
        label: `National graph, ${basis} basis`,
        about:
          basis === 'activity'
            ? `the real register's ${int(schools.length)} schools open on ${ctx.today}; living ties (contact in the 12 months to that date) from the ties part's generated activities, weight = tie strength (0–1)`
            : `the same ${int(schools.length)} schools; two are tied when they share a federation or trust on the date, weight = networks shared`,
        graph: snap.graph,
        la: schools.map((x) => x.la),
        phase: schools.map((x) => x.phase),
        lat: schools.map((x) => x.lat),
        lon: schools.map((x) => x.lon),
        exact: basis === 'activity' ? { unweighted: full, weighted: sampleOnly } : { unweighted: full, weighted: full },
        closenessExact: basis === 'membership',
        sampledWeighted: true,
      });
    }
    const about = `National graph: register loaded (every public file, \`loadNationalRegister\`) in ${secs(loaded - started)} s, ${int(made.parties)} activity parties generated in ${secs(generated - loaded)} s (then \`analyze\`); snapshots built in ${builds.join(', ')} (untimed by the tables).`;
    return { graphs, about };
  } finally {
    await remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Timing

/** One measured figure: ran (every run in ms), estimated from a sample of sources, skipped, or none (no such metric). */
type Cell = {
  status: 'ran' | 'estimated' | 'skipped' | 'stopped' | 'none';
  ms: number | null;
  runs?: number[];
  note: string;
  value?: number | number[];
  sources?: number;
  /** CPU time of the process (median run), and the machine's 1-minute load average when it ended. */
  cpuMs?: number;
  load?: number;
};

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
/** The median of the warm runs (all but the first) when there are three or more runs, else of all. */
const warmMedian = (runs: readonly number[]) => median(runs.length >= 3 ? runs.slice(1) : runs);

/** Runs `fn` up to `maxRuns` times, stopping once the runs add up to `enoughMs`; the first run's value. */
function measure<T>(fn: () => T, maxRuns: number, enoughMs = 3000): { value: T; cell: Cell } {
  let start = performance.now();
  const value = fn();
  const runs = [performance.now() - start];
  while (runs.length < maxRuns && runs.reduce((a, b) => a + b, 0) < enoughMs) {
    start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  return { value, cell: { status: 'ran', ms: warmMedian(runs), runs, note: '' } };
}

/**
 * One run of a long computation, with its CPU time (every thread of this process: the workers'
 * too) and the load average when it ended: wall time well above CPU time on one thread, or a
 * load above the two cores, means other work on the machine took its share.
 */
async function measureOnce<T>(fn: () => Promise<T> | T): Promise<{ value: T; cell: Cell }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, cell: { status: 'ran', ms, runs: [ms], note: '', cpuMs: (used.user + used.system) / 1000, load: loadavg()[0] } };
}

/** A seeded sample of `count` distinct nodes (partial Fisher–Yates). */
function sampleNodes(n: number, count: number, seed: number): Int32Array {
  const r = seeded(seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const k = Math.min(n, count);
  for (let i = 0; i < k; i++) {
    const j = r.int(i, n - 1);
    const x = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = x;
  }
  return pool.slice(0, k);
}

/**
 * The time of an exact all-sources pass, estimated: Brandes's kernel on a growing seeded sample
 * of sources until one sample takes about a quarter of `budgetMs`, then scaled by n / sources
 * (one search and one back-propagation per source, so the cost is linear in the sources).
 */
function estimateExact(g: Graph, weighted: boolean, budgetMs: number): Cell {
  let count = 2;
  for (;;) {
    const sources = sampleNodes(g.nodes, count, 7);
    const start = performance.now();
    accumulatePathSums(g, { weighted }, sources);
    const ms = performance.now() - start;
    if (ms >= budgetMs / 4 || count >= g.nodes) {
      return { status: 'estimated', ms: (ms / sources.length) * g.nodes, note: `${int(sources.length)} sources timed, scaled to ${int(g.nodes)}`, sources: sources.length };
    }
    count = Math.min(g.nodes, Math.max(2 * count, Math.floor((count * budgetMs) / Math.max(ms, 1) / 2)));
  }
}

// ---------------------------------------------------------------------------------------------
// The rows: one per metric, in the order of the tables

type Row = {
  key: string;
  label: string;
  /** In "every per-school and per-network metric except exact betweenness, plus Louvain". */
  interactive: boolean;
  /** The metric key in graph_reference.py's results. */
  reference: string;
  /** False where Trellis samples and the others compute exactly: no ratio is given. */
  likeForLike: boolean;
  /** What is compared like for like, and what is not. */
  note: string;
};

const rows: Row[] = [
  { key: 'degree', label: 'Degree and strength', likeForLike: true, interactive: true, reference: 'degree', note: 'same: degree and weighted strength' },
  { key: 'eigenvector', label: 'Eigenvector centrality, weighted', likeForLike: true, interactive: true, reference: 'eigenvector', note: 'same; Trellis LOBPCG to a 1e-13 relative residual, igraph and networkx ARPACK' },
  { key: 'pagerank', label: 'PageRank, weighted, d = 0.85', likeForLike: true, interactive: true, reference: 'pagerank', note: 'same; Trellis and networkx power iteration to an L1 change < 1e-13, igraph PRPACK (a direct solve)' },
  { key: 'clustering', label: 'Clustering: local, Barrat weighted, transitivity', likeForLike: true, interactive: true, reference: 'clustering', note: 'igraph the same (three calls); networkx unweighted local and transitivity only' },
  { key: 'brokerage', label: 'Burt constraint and effective size, weighted', likeForLike: true, interactive: true, reference: 'brokerage', note: 'igraph constraint only (no effective size); networkx both' },
  { key: 'kcore', label: 'k-core numbers', likeForLike: true, interactive: true, reference: 'kcore', note: 'same' },
  { key: 'cohesion', label: 'Cohesion: density, components, centralisation, isolates', likeForLike: true, interactive: true, reference: 'cohesion', note: 'same (centralisation from the degree list in Python)' },
  { key: 'assortativity', label: 'Assortativity: degree, by LA, by phase', likeForLike: true, interactive: true, reference: 'assortativity', note: 'same (unknown categories left out with their ties)' },
  { key: 'mixing', label: 'Mixing: cross-phase share, tie distances', likeForLike: true, interactive: true, reference: 'mixing', note: 'no counterpart in either library' },
  { key: 'modularity', label: 'Modularity of the LA partition, weighted', likeForLike: true, interactive: true, reference: 'modularity', note: 'same' },
  { key: 'louvain', label: 'Louvain communities, weighted', likeForLike: true, interactive: true, reference: 'louvain', note: 'same method; each its own node order and tie-breaking, so the modularity reached is compared' },
  { key: 'coreperiphery', label: 'Core–periphery (Borgatti–Everett)', likeForLike: true, interactive: true, reference: 'coreperiphery', note: 'no counterpart in either library' },
  {
    key: 'closeness-sampled-unweighted',
    label: 'Closeness, harmonic, average path length: unweighted, sampled (64 pivots)',
    likeForLike: false, interactive: true,
    reference: 'closeness-unweighted',
    note: '**not like for like**: Trellis estimates from 64 pivot searches with stated bounds; igraph and networkx compute every source exactly',
  },
  {
    key: 'closeness-sampled-weighted',
    label: 'Closeness, harmonic, average path length: weighted, sampled (64 pivots)',
    likeForLike: false, interactive: true,
    reference: 'closeness-weighted',
    note: '**not like for like**, as the row above',
  },
  { key: 'leiden', label: 'Leiden communities, weighted (2 iterations)', likeForLike: true, interactive: false, reference: 'leiden', note: 'same method (igraph `community_leiden`, modularity, β = 0.01); the modularity reached is compared' },
  { key: 'closeness-exact-unweighted', label: 'Closeness, harmonic, average path length: unweighted, exact', likeForLike: true, interactive: false, reference: 'closeness-unweighted', note: 'same: every source (igraph: three passes)' },
  { key: 'closeness-exact-weighted', label: 'Closeness, harmonic, average path length: weighted, exact', likeForLike: true, interactive: false, reference: 'closeness-weighted', note: 'same: every source (igraph: three passes)' },
  {
    key: 'betweenness-sampled-unweighted',
    label: 'Betweenness, sampled (ε = 0.01, δ = 0.1): unweighted',
    likeForLike: true, interactive: false,
    reference: 'betweenness-sampled-unweighted',
    note: 'Riondato–Kornaropoulos; no counterpart with an error bound',
  },
  { key: 'betweenness-sampled-weighted', label: 'Betweenness, sampled (ε = 0.01, δ = 0.1): weighted', likeForLike: true, interactive: false, reference: 'betweenness-sampled-weighted', note: 'as the row above' },
  {
    key: 'betweenness-unweighted',
    label: 'Exact betweenness, unweighted, 1 thread',
    likeForLike: true, interactive: false,
    reference: 'betweenness-unweighted',
    note: 'same; Trellis\'s pass also gives exact closeness, harmonic and average path length',
  },
  { key: 'betweenness-unweighted-parallel', label: 'Exact betweenness, unweighted, 2 workers', likeForLike: true, interactive: false, reference: 'betweenness-unweighted', note: 'against igraph\'s single thread (igraph has no parallel betweenness)' },
  { key: 'betweenness-weighted', label: 'Exact betweenness, weighted, 1 thread', likeForLike: true, interactive: false, reference: 'betweenness-weighted', note: 'same, distance = 1 / weight' },
  { key: 'betweenness-weighted-parallel', label: 'Exact betweenness, weighted, 2 workers', likeForLike: true, interactive: false, reference: 'betweenness-weighted', note: 'against igraph\'s single thread' },
];

/** Trellis's cells and the values checked against igraph's, for one graph. */
type Measured = { cells: Map<string, Cell>; values: Map<string, ArrayLike<number> | number | null>; checks: Map<string, string> };

/** Sampled betweenness and closeness need their exact counterparts to check their bounds. */
type Exact = Partial<Record<Variant, PathMetrics>>;

const phaseBand = (phase: string | null) => (phase ? (phaseBands[phase.toLowerCase()] ?? phase.toLowerCase()) : null);

/** Group codes of the LA partition: an unknown LA is a group of its own (as graph_reference.py). */
function laGroups(la: readonly (string | null)[]): Int32Array {
  const index = new Map<string, number>();
  for (const x of la) if (x !== null && !index.has(x)) index.set(x, index.size);
  return Int32Array.from(la, (x) => (x === null ? index.size : index.get(x)!));
}

async function measureTrellis(b: BenchGraph, sampleMs: number, log: (line: string) => void): Promise<Measured> {
  const g = b.graph;
  const cells = new Map<string, Cell>();
  const values = new Map<string, ArrayLike<number> | number | null>();
  const checks = new Map<string, string>();
  const runs = g.edges > 200_000 ? 3 : 5;
  const bands = b.phase.map(phaseBand);
  const groups = laGroups(b.la);
  const time = <T>(key: string, fn: () => T, maxRuns = runs): T => {
    const { value, cell } = measure(fn, maxRuns);
    cells.set(key, cell);
    log(`    ${key}: ${ms(cell.ms)} ms`);
    return value;
  };

  values.set('strength', time('degree', () => degreeProfile(g)).strength);
  const eigen = time('eigenvector', () => eigenvectorCentrality(g));
  values.set('eigenvector', eigen.values);
  values.set('eigenvalue', eigen.eigenvalue);
  values.set('pagerank', time('pagerank', () => pageRank(g)).values);
  const c = time('clustering', () => clustering(g));
  values.set('local', c.local);
  values.set('barrat', c.weighted);
  values.set('transitivity', c.transitivity);
  values.set('constraint', time('brokerage', () => brokerage(g)).constraint);
  values.set('coreness', time('kcore', () => coreNumbers(g)));
  values.set('components', time('cohesion', () => cohesion(g)).components.count);
  const r = time('assortativity', () => [degreeAssortativity(g), nominalAssortativity(g, b.la), nominalAssortativity(g, b.phase)]);
  values.set('assortativity-degree', r[0] ?? null);
  values.set('assortativity-la', r[1] ?? null);
  values.set('assortativity-phase', r[2] ?? null);
  time('mixing', () => [crossMixing(g, bands), tieGeography(g, b.lat, b.lon)]);
  values.set('modularity', time('modularity', () => modularity(g, groups)));
  const found = time('louvain', () => louvain(g));
  values.set('louvain', found.modularity);
  checks.set('louvain', `${found.communities} communities`);
  const core = time('coreperiphery', () => corePeriphery(g));
  checks.set('coreperiphery', `core of ${int(core.coreSize)}, fit ${core.fit.toFixed(3)}`);
  const sampled = {
    unweighted: time('closeness-sampled-unweighted', () => sampledCloseness(g, { weighted: false })),
    weighted: time('closeness-sampled-weighted', () => sampledCloseness(g, { weighted: true })),
  };
  const communities = time('leiden', () => leiden(g), 3);
  values.set('leiden', communities.modularity);
  checks.set('leiden', `${communities.communities} communities`);
  if (b.closenessExact) {
    for (const variant of variants) {
      const exact = time(`closeness-exact-${variant}`, () => closenessMetrics(g, { weighted: variant === 'weighted' }), 1);
      values.set(`closeness-${variant}`, exact.closenessReachable);
      values.set(`harmonic-${variant}`, exact.harmonic);
      values.set(`apl-${variant}`, exact.averagePathLength);
    }
  }
  const estimates = {
    unweighted: time('betweenness-sampled-unweighted', () => sampledBetweenness(g, { weighted: false, epsilon: 0.01, delta: 0.1 }), 3),
    weighted: b.sampledWeighted ? time('betweenness-sampled-weighted', () => sampledBetweenness(g, { weighted: true, epsilon: 0.01, delta: 0.1 }), 1) : null,
  };
  if (!b.sampledWeighted) {
    cells.set('betweenness-sampled-weighted', { status: 'skipped', ms: null, note: 'not run on this graph: it takes from 15 s to minutes here, and the part is kept near 10 minutes' });
  }

  const exact: Exact = {};
  for (const variant of variants) {
    const weighted = variant === 'weighted';
    const plan = b.exact[variant];
    if (plan.trellis === 'sample') {
      const cell = estimateExact(g, weighted, sampleMs);
      cells.set(`betweenness-${variant}`, cell);
      cells.set(`betweenness-${variant}-parallel`, { status: 'skipped', ms: null, note: 'not run (see the 1-thread estimate)' });
      log(`    betweenness-${variant}: ≈ ${ms(cell.ms)} ms (${cell.note})`);
      continue;
    }
    const single = await measureOnce(() => pathMetrics(g, { weighted }));
    cells.set(`betweenness-${variant}`, single.cell);
    log(`    betweenness-${variant}: ${ms(single.cell.ms)} ms`);
    const parallel = await measureOnce(() => pathMetricsInParallel(g, { weighted, workers: 2 }));
    cells.set(`betweenness-${variant}-parallel`, parallel.cell);
    log(`    betweenness-${variant}-parallel: ${ms(parallel.cell.ms)} ms`);
    exact[variant] = single.value;
    values.set(`betweenness-${variant}`, single.value.betweenness);
    const same = maxRelativeDifference(parallel.value.betweenness, single.value.betweenness);
    checks.set(`betweenness-${variant}-parallel`, same <= 1e-9 ? 'the same values as 1 thread' : `**differs from 1 thread by ${sci(same)}**`);
    if (!b.closenessExact) {
      values.set(`closeness-${variant}`, single.value.closenessReachable);
      values.set(`harmonic-${variant}`, single.value.harmonic);
      values.set(`apl-${variant}`, single.value.averagePathLength);
    }
  }

  for (const variant of variants) {
    const estimate = estimates[variant];
    const truth = exact[variant];
    const n = g.nodes;
    if (!estimate) {
      // Not run (see above).
    } else if (!truth) {
      checks.set(`betweenness-sampled-${variant}`, `${int(estimate.samples)} samples; no exact values here to check ε against`);
    } else {
      // Exact pair share: raw (unordered pairs) × 2 / (n (n − 1)), Riondato–Kornaropoulos's scale.
      let worst = 0;
      let top = 0;
      for (let v = 0; v < n; v++) {
        const share = (truth.betweenness[v]! * 2) / (n * (n - 1));
        top = Math.max(top, share);
        worst = Math.max(worst, Math.abs(estimate.pairShare[v]! - share));
      }
      checks.set(
        `betweenness-sampled-${variant}`,
        `${int(estimate.samples)} samples; largest error on the pair share ${sci(worst)} ${worst <= estimate.epsilon ? '≤' : '**>**'} ε = ${estimate.epsilon} (largest exact share ${sci(top)})`,
      );
    }
    const s = sampled[variant];
    const harmonicExact = values.get(`harmonic-${variant}`);
    if (harmonicExact && typeof harmonicExact !== 'number') {
      let worst = 0;
      for (let v = 0; v < n; v++) worst = Math.max(worst, Math.abs(s.harmonicNormalised[v]! - harmonicExact[v]! / (n - 1)));
      checks.set(
        `closeness-sampled-${variant}`,
        `${s.exact ? 'exact (small components only)' : `${s.searches} searches`}; normalised harmonic off by at most ${sci(worst)} ${worst <= s.harmonicError ? '≤' : '**>**'} its bound ${sci(s.harmonicError)}`,
      );
    } else checks.set(`closeness-sampled-${variant}`, `${s.searches} searches; stated bound on normalised harmonic ${sci(s.harmonicError)}`);
  }
  return { cells, values, checks };
}

/**
 * Largest |a − b| / max(|a|, |b|) over the entries, with a floor of 1e-12 × max |b| on the
 * denominator (so values at round-off level, such as eigenvector scores off the main component,
 * do not count as large relative differences). Both NaN counts as equal; one NaN as Infinity.
 */
function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i]!)) scale = Math.max(scale, Math.abs(b[i]!));
  const floor = 1e-12 * scale || Number.MIN_VALUE;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), floor));
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// igraph and networkx: files for graph_reference.py, its run and its answers

type Reference = { igraph?: Cell; networkx?: Cell };
type ReferenceResults = { versions: Record<string, string>; graphs: Record<string, Record<string, Reference>> };

/** Category codes for Python: -1 for unknown. */
function codes(values: readonly (string | null)[]): Int32Array {
  const index = new Map<string, number>();
  return Int32Array.from(values, (x) => {
    if (x === null) return -1;
    let k = index.get(x);
    if (k === undefined) {
      k = index.size;
      index.set(x, k);
    }
    return k;
  });
}

/** `source<TAB>target<TAB>weight` per merged tie and `la<TAB>phase` codes per school. */
function writeGraphFiles(b: BenchGraph, folder: string): { edgeFile: string; nodeFile: string } {
  const g = b.graph;
  const edgeFile = join(folder, `${b.key}.edges.tsv`);
  const nodeFile = join(folder, `${b.key}.nodes.tsv`);
  const lines: string[] = [];
  for (let e = 0; e < g.edges; e++) lines.push(`${g.edgeSource[e]}\t${g.edgeTarget[e]}\t${g.edgeWeight[e]}`);
  writeFileSync(edgeFile, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  const la = codes(b.la);
  const phase = codes(b.phase);
  writeFileSync(nodeFile, `${Array.from(la, (x, v) => `${x}\t${phase[v]}`).join('\n')}\n`);
  return { edgeFile, nodeFile };
}

function runReference(manifestFile: string, resultsFile: string): { results: ReferenceResults | null; error: string | null; seconds: number } {
  const python = '/usr/bin/python3';
  const started = performance.now();
  if (!existsSync(python)) return { results: null, error: `${python} is missing (Debian's python3 with python3-igraph and python3-networkx)`, seconds: 0 };
  rmSync(resultsFile, { force: true });
  const script = join(import.meta.dirname, 'graph_reference.py');
  const run = spawnSync(python, [script, manifestFile], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 || !existsSync(resultsFile)) {
    const tail = (run.stderr ?? run.error?.message ?? '').trim().split('\n').slice(-3).join(' ');
    return { results: null, error: `graph_reference.py failed (exit ${run.status}): ${tail}`, seconds };
  }
  return { results: JSON.parse(readFileSync(resultsFile, 'utf8')) satisfies ReferenceResults, error: null, seconds };
}

function readValues(folder: string, key: string, name: string): Float64Array | null {
  const file = join(folder, `${key}.${name}.f64`);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Trellis's values against igraph's: one short phrase per row. */
function compareWithIgraph(b: BenchGraph, m: Measured, ref: Record<string, Reference>, folder: string): void {
  const arrays = (row: string, pairs: [string, string][]) => {
    const parts: string[] = [];
    for (const [name, label] of pairs) {
      const ours = m.values.get(name);
      const theirs = readValues(folder, b.key, name);
      if (!theirs || !ours || typeof ours === 'number') continue;
      parts.push(`${label} ${agreement(maxRelativeDifference(ours, theirs))}`);
    }
    if (parts.length > 0) m.checks.set(row, [m.checks.get(row), `vs igraph: ${parts.join(', ')}`].filter(Boolean).join('; '));
  };
  const scalar = (row: string, label: string, ours: number | null | undefined, theirs: unknown) => {
    if (typeof theirs !== 'number' || ours === null || ours === undefined) return;
    const d = Math.abs(ours - theirs) / Math.max(1, Math.abs(ours), Math.abs(theirs));
    m.checks.set(row, [m.checks.get(row), `${label} ${agreement(d)}`].filter(Boolean).join('; '));
  };
  const value = (key: string) => ref[key]?.igraph?.value;
  const num = (key: string) => {
    const v = m.values.get(key);
    return typeof v === 'number' ? v : null;
  };
  arrays('degree', [['strength', 'strength']]);
  eigenvectors(b, m, ref, folder);
  arrays('pagerank', [['pagerank', 'scores']]);
  arrays('clustering', [
    ['local', 'local'],
    ['barrat', 'Barrat'],
  ]);
  scalar('clustering', 'transitivity', num('transitivity'), value('clustering'));
  arrays('brokerage', [['constraint', 'constraint']]);
  arrays('kcore', [['coreness', 'core numbers']]);
  scalar('cohesion', 'components vs igraph', num('components'), value('cohesion'));
  const assortativity = value('assortativity');
  if (Array.isArray(assortativity)) {
    scalar('assortativity', 'degree vs igraph', num('assortativity-degree'), assortativity[0]);
    scalar('assortativity', 'LA', num('assortativity-la'), assortativity[1]);
    scalar('assortativity', 'phase', num('assortativity-phase'), assortativity[2]);
  }
  scalar('modularity', 'vs igraph', num('modularity'), value('modularity'));
  for (const method of ['louvain', 'leiden']) {
    const ours = num(method);
    const qi = value(method);
    const qn = ref[method]?.networkx?.value;
    const said = [`modularity ${ours?.toFixed(4) ?? '—'}`, typeof qi === 'number' ? `igraph ${qi.toFixed(4)}` : '', typeof qn === 'number' ? `networkx ${qn.toFixed(4)}` : ''];
    m.checks.set(method, [m.checks.get(method), said.filter(Boolean).join(', ')].filter(Boolean).join('; '));
  }
  for (const variant of variants) {
    const row = b.closenessExact ? `closeness-exact-${variant}` : `betweenness-${variant}`;
    arrays(row, [
      [`closeness-${variant}`, 'closeness'],
      [`harmonic-${variant}`, 'harmonic'],
    ]);
    if (b.closenessExact) scalar(row, 'average path length', num(`apl-${variant}`), value(`closeness-${variant}`));
    arrays(`betweenness-${variant}`, [[`betweenness-${variant}`, 'betweenness']]);
  }
}

/**
 * Eigenvector scores are compared on the scale of the top score (= 1): a school far from the
 * core scores ~1e-9, where both solvers' last digits are noise. On a disconnected graph two
 * components may share the leading eigenvalue, and then the eigenvector is not unique
 * (eigenvector.ts): the solvers may each return a different one, so the eigenvalues are compared too.
 */
function eigenvectors(b: BenchGraph, m: Measured, ref: Record<string, Reference>, folder: string): void {
  const ours = m.values.get('eigenvector');
  const theirs = readValues(folder, b.key, 'eigenvector');
  const value = ref.eigenvector?.igraph?.value;
  const lambda = m.values.get('eigenvalue');
  if (!ours || typeof ours === 'number' || !theirs) return;
  let worst = 0;
  for (let v = 0; v < theirs.length; v++) worst = Math.max(worst, Math.abs(ours[v]! - theirs[v]!));
  const said = [`vs igraph: scores ${agreement(worst)} (on the top score's scale)`];
  if (typeof value === 'number' && typeof lambda === 'number') {
    const d = Math.abs(value - lambda) / Math.abs(value);
    said.push(`λ₁ ${agreement(d)}`);
    if (worst > 1e-9 && d <= 1e-9) said.push('the eigenvalue is shared by several components here, so the eigenvector is not unique and each solver returns a different one');
  }
  m.checks.set('eigenvector', said.join('; '));
}

function agreement(d: number): string {
  return d === 0 ? 'identical' : d <= 1e-9 ? `agree (${sci(d)})` : `**differ by ${sci(d)}**`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const secs = (milliseconds: number) => (milliseconds / 1000).toFixed(2);
const ms = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x >= 100 ? int(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sci = (x: number) => (x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(0) : String(x));
const times = (x: number) => (x >= 10 ? `${int(x)}×` : x >= 0.1 ? `${x.toFixed(1)}×` : `${x.toPrecision(1)}×`);

function markdownTable(head: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/** A cell's figure: the median, the first run beside it when much slower (JIT), ≈ for estimates. */
function figure(c: Cell | undefined): string {
  if (!c || c.status === 'none') return '—';
  if (c.status === 'skipped') return c.ms === null ? 'skipped' : `skipped (est. ${int(c.ms / 1000)} s)`;
  if (c.status === 'stopped') return `> ${int((c.ms ?? 0) / 1000)} s (stopped)`;
  if (c.status === 'estimated') return `≈ ${ms(c.ms)} (est.)`;
  const first = c.runs?.[0];
  const slowFirst = c.runs && c.runs.length >= 3 && first !== undefined && c.ms !== null && first > 1.5 * c.ms && first - c.ms > 5;
  return slowFirst ? `${ms(c.ms)} (1st ${ms(first)})` : ms(c.ms);
}

/** igraph's or networkx's time over Trellis's: above 1, Trellis is that many times faster. */
function ratio(ours: Cell | undefined, theirs: Cell | undefined): string {
  if (!ours || !theirs || ours.ms === null || theirs.ms === null || theirs.status === 'none' || ours.status === 'none') return '—';
  if (ours.status === 'skipped' || (theirs.status === 'skipped' && theirs.ms === null)) return '—';
  const r = theirs.ms / ours.ms;
  const estimated = ours.status !== 'ran' || theirs.status !== 'ran';
  return `${theirs.status === 'stopped' ? '> ' : estimated ? '≈ ' : ''}${times(r)}`;
}

/** "Trellis CPU 98.1 s, load 2.3": for the long single runs, where other work on the machine shows most. */
function cpuAndLoad(who: string, c: Cell | undefined): string {
  if (c?.status !== 'ran' || c.cpuMs === undefined || c.load === undefined || c.ms === null || c.ms < 1000) return '';
  return `${who} CPU ${secs(c.cpuMs)} s, load ${c.load.toFixed(1)}`;
}

function rowApplies(row: Row, b: BenchGraph): boolean {
  return !row.key.startsWith('closeness-exact') || b.closenessExact;
}

/**
 * Sums over the interactive rows ("every per-school and per-network metric except exact
 * betweenness, plus Louvain"): Trellis over all of them, and over the rows igraph also has and
 * computes the same way (`shared`, leaving out mixing, core–periphery and the sampled path
 * metrics), with igraph's and networkx's sums over those same rows.
 */
type Totals = { trellis: number; shared: number; igraph: Cell; networkx: Cell; networkxMark: string };

function interactiveTotals(m: Measured, ref: Record<string, Reference> | undefined): Totals {
  let trellis = 0;
  let shared = 0;
  let igraph = 0;
  let networkx = 0;
  let networkxMark = '';
  for (const row of rows.filter((r) => r.interactive)) {
    const ours = m.cells.get(row.key)?.ms ?? 0;
    trellis += ours;
    const i = ref?.[row.reference]?.igraph;
    if (!row.likeForLike || !i || i.status !== 'ran' || i.ms === null) continue;
    shared += ours;
    igraph += i.ms;
    const x = ref?.[row.reference]?.networkx;
    if (x?.ms != null && x.status !== 'none') networkx += x.ms;
    // A stopped run is a lower bound; a skipped one adds its predicted time.
    if (x?.status === 'stopped') networkxMark = '≥ ';
    else if (x?.status === 'skipped' && networkxMark === '') networkxMark = '≈ ';
  }
  return {
    trellis,
    shared,
    igraph: ref ? { status: 'ran', ms: igraph, note: '' } : { status: 'none', ms: null, note: '' },
    networkx: ref ? { status: networkxMark === '' ? 'ran' : 'estimated', ms: networkx, note: '' } : { status: 'none', ms: null, note: '' },
    networkxMark,
  };
}

function graphTable(b: BenchGraph, m: Measured, ref: Record<string, Reference> | undefined): string {
  const body = rows
    .filter((row) => rowApplies(row, b))
    .map((row) => {
      const ours = m.cells.get(row.key);
      const i = ref?.[row.reference]?.igraph;
      const x = ref?.[row.reference]?.networkx;
      const load = row.key.startsWith('betweenness-') && !row.key.includes('sampled') ? [cpuAndLoad('Trellis', ours), cpuAndLoad('igraph', i)] : [];
      const notes = [row.note, i?.note && i.status !== 'ran' ? `igraph: ${i.note}` : '', x?.note && x.status !== 'ran' ? `networkx: ${x.note}` : '', ours?.status !== 'ran' && ours?.note ? `Trellis: ${ours.note}` : '', ...load, m.checks.get(row.key) ?? '']
        .filter(Boolean)
        .join('. ');
      const ratios = row.likeForLike ? [ratio(ours, i), ratio(ours, x)] : ['n/a', 'n/a'];
      return [row.interactive ? row.label : `_${row.label}_`, figure(ours), figure(i), figure(x), ...ratios, notes];
    });
  const t = interactiveTotals(m, ref);
  const shared: Cell = { status: 'ran', ms: t.shared, note: '' };
  body.push(
    ['**Interactive set**: every row in roman type', `**${ms(t.trellis)}**`, '', '', '', '', 'every per-school and per-network metric except exact betweenness, plus Louvain'],
    [
      '**… of which the rows igraph also has**',
      ms(t.shared),
      t.igraph.status === 'none' ? '—' : ms(t.igraph.ms),
      t.networkx.status === 'none' ? '—' : `${t.networkxMark}${ms(t.networkx.ms)}`,
      ratio(shared, t.igraph),
      t.networkx.status === 'none' ? '—' : `${t.networkxMark}${ratio(shared, { ...t.networkx, status: 'ran' })}`,
      'like for like: without mixing, core–periphery and the sampled path metrics; networkx "≈" when some of them are predictions (skipped), "≥" when one was stopped at its budget',
    ],
  );
  const g = b.graph;
  const c = cohesion(g);
  let maxDegree = 0;
  for (let v = 0; v < g.nodes; v++) maxDegree = Math.max(maxDegree, g.offsets[v + 1]! - g.offsets[v]!);
  return [
    `### ${b.label}`,
    '',
    `${int(g.nodes)} schools, ${int(g.edges)} ties (mean degree ${((2 * g.edges) / Math.max(1, g.nodes)).toFixed(1)}, largest ${int(maxDegree)}), ${int(c.components.count)} components (largest ${int(c.components.largest)}), ${int(c.isolates)} isolated. ${b.about[0]!.toUpperCase()}${b.about.slice(1)}.`,
    '',
    markdownTable(['Metric', 'Trellis ms', 'igraph ms', 'networkx ms', 'igraph ÷ Trellis', 'networkx ÷ Trellis', 'Like for like; checks'], body),
  ].join('\n');
}

/** The targets, on the random graph of 24,000 schools and 120,000 ties. */
function targets(m: Measured, ref: Record<string, Reference> | undefined): string {
  const t = interactiveTotals(m, ref);
  const sampledU = m.cells.get('betweenness-sampled-unweighted');
  const sampledW = m.cells.get('betweenness-sampled-weighted');
  const withSampled = t.trellis + (sampledU?.ms ?? 0);
  const single = m.cells.get('betweenness-unweighted');
  const parallel = m.cells.get('betweenness-unweighted-parallel');
  const igraphExact = ref?.['betweenness-unweighted']?.igraph;
  const wall = (c: Cell | undefined) => (c?.status === 'ran' && c.ms !== null ? `${secs(c.ms)} s (CPU ${secs(c.cpuMs ?? Number.NaN)} s, load ${c.load?.toFixed(1) ?? '?'})` : '—');
  // A run that got the cores it asked for used about that many seconds of CPU per second of wall
  // time; less means other work on the machine took some of them, and the verdict is unsafe.
  const starved = (c: Cell | undefined, cores: number) => c?.cpuMs !== undefined && c.ms !== null && c.cpuMs < 0.9 * cores * c.ms;
  const exactVerdict = (c: Cell | undefined, cores: number) => {
    if (c?.ms == null || igraphExact?.status !== 'ran' || igraphExact.ms === null) return 'no igraph figure';
    const said = c.ms < igraphExact.ms ? `met (${times(igraphExact.ms / c.ms)} faster)` : `**not met** (${times(c.ms / igraphExact.ms)} slower)`;
    return starved(c, cores) || starved(igraphExact, 1)
      ? `${said}, but other work on the machine took CPU from ${starved(c, cores) ? 'Trellis' : 'igraph'} (CPU time under 90% of cores × wall time): run it again on a quiet machine before trusting this`
      : said;
  };
  const within = (x: number | null | undefined, limit: number) => (x != null && x <= limit ? 'met' : '**not met**');
  return markdownTable(
    ['Target', 'Trellis', 'igraph (1 thread)', 'Verdict'],
    [
      [
        'Every per-school and per-network metric except exact betweenness, plus Louvain: ≤ 2 s',
        `${ms(t.trellis)} ms (of which ${ms(t.shared)} ms on the rows igraph also has)`,
        t.igraph.status === 'none' ? '—' : `${ms(t.igraph.ms)} ms on those rows`,
        within(t.trellis, 2000),
      ],
      ['… with the unweighted sampled betweenness added', `${ms(withSampled)} ms`, '—', within(withSampled, 2000)],
      ['Sampled betweenness, unweighted: ≤ 1 s, its ε checked against the exact values', `${ms(sampledU?.ms)} ms; ${m.checks.get('betweenness-sampled-unweighted') ?? ''}`, 'no sampler', within(sampledU?.ms, 1000)],
      ['Sampled betweenness, weighted (the same target, for reference)', `${ms(sampledW?.ms)} ms; ${m.checks.get('betweenness-sampled-weighted') ?? ''}`, 'no sampler', within(sampledW?.ms, 1000)],
      ['Exact betweenness, unweighted, 1 thread: faster than igraph', wall(single), wall(igraphExact), exactVerdict(single, 1)],
      ['Exact betweenness, unweighted, 2 workers: faster than igraph', wall(parallel), wall(igraphExact), exactVerdict(parallel, 2)],
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// The part

/** networkx metrics predicted to take longer than this on a graph are skipped. */
const networkxBudgetSeconds = 15;
/** Exact all-sources passes too long to run in full are timed on sources for about this long. */
const sampleSeconds = 1.5;

export async function benchGraph(ctx: GraphBenchContext): Promise<string> {
  const folder = join(ctx.out, 'graph');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const log = (line: string) => console.log(line);
  const loadAtStart = loadavg();
  const started = performance.now();
  // Peak resident memory of this process (the national graph's PGlite included), as the other parts report it.
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  sampler.unref();
  log('  building the synthetic graphs');
  const synthetic = syntheticGraphs();
  const builtSynthetic = performance.now();
  log('  loading the national register, generating activities, building the snapshots');
  const national = await nationalGraphs(ctx);
  const bySize = [...synthetic, ...national.graphs].sort((a, b) => a.graph.edges + a.graph.nodes - (b.graph.edges + b.graph.nodes));
  const find = (key: string) => [...synthetic, ...national.graphs].find((b) => b.key === key)!;

  const measured = new Map<string, Measured>();
  for (const b of [find('school-24k'), find('random-24k'), ...bySize.filter((x) => x.key !== 'school-24k' && x.key !== 'random-24k')]) {
    log(`  Trellis: ${b.key} (${int(b.graph.nodes)} nodes, ${int(b.graph.edges)} ties)`);
    measured.set(b.key, await measureTrellis(b, sampleSeconds * 1000, log));
  }
  const trellisDone = performance.now();

  const manifest = {
    out: folder,
    results: join(folder, 'results.json'),
    budgetSeconds: networkxBudgetSeconds,
    sampleSeconds,
    graphs: bySize.map((b) => ({
      key: b.key,
      nodes: b.graph.nodes,
      edges: b.graph.edges,
      ...writeGraphFiles(b, folder),
      closenessExact: b.closenessExact,
      igraphBetweenness: { unweighted: b.exact.unweighted.igraph, weighted: b.exact.weighted.igraph },
      igraphBetweennessNote: 'not run: it would take minutes, and igraph 0.10 cannot time a sample of sources for an estimate',
    })),
  };
  const manifestFile = join(folder, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  log('  igraph and networkx (/usr/bin/python3 bench/graph_reference.py)');
  const reference = runReference(manifestFile, manifest.results);
  for (const b of bySize) {
    const ref = reference.results?.graphs[b.key];
    if (ref) compareWithIgraph(b, measured.get(b.key)!, ref, folder);
  }

  clearInterval(sampler);
  const target = find('random-24k');
  const versions = reference.results?.versions;
  const cpu = cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(', ');
  const order = ['random-24k', 'school-24k', 'school-100k', 'school-1m', 'national-activity', 'national-membership'];
  return [
    `\`${ctx.command}\`: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}, Node ${process.version}${versions ? `, Python ${versions.python} (/usr/bin/python3) with python-igraph ${versions.igraph}, networkx ${versions.networkx}, numpy ${versions.numpy}, scipy ${versions.scipy}` : ''}. Load average ${load(loadAtStart)} at the start and ${load(loadavg())} at the end (1, 5, 15 min; above 2, other work shared the two cores and slowed some figures by an uneven amount). Trellis ${secs(trellisDone - started)} s (synthetic graphs built in ${secs(builtSynthetic - started)} s; peak RSS of the bench process ${int(peak / 1024 / 1024)} MB), igraph and networkx ${reference.seconds.toFixed(1)} s.`,
    '',
    reference.error ? `**igraph and networkx did not run**: ${reference.error}. Trellis's figures stand alone below.` : '',
    '',
    `**The targets**, on the random graph of 24,000 schools and 120,000 ties:`,
    '',
    targets(measured.get(target.key)!, reference.results?.graphs[target.key]),
    '',
    'How to read the tables: times in ms, Trellis\'s the median of the warm runs (all but the first, when there were three or more; up to five runs, fewer once they add up to 3 s), the first beside it when it was much slower (compiling); igraph\'s the median of up to five runs (fewer once they add up to 1 s), networkx\'s likewise. "≈ (est.)": an exact all-sources pass timed on a seeded sample of sources and scaled up (its cost is one search per source). "skipped (est.)": a networkx metric whose time, scaled from the previous graph, exceeds its ' +
      `${networkxBudgetSeconds} s budget. Ratios are the other library's time over Trellis's: above 1, Trellis is that many times faster; none is given where Trellis samples and the others are exact. Rows in italics are not in the interactive set. Only each metric call is timed, not loading. BLAS runs on one thread; Trellis uses one core except in the "2 workers" rows. Values are checked against igraph's where it has the metric ("agree" = largest relative difference ≤ 1e-9).`,
    '',
    national.about,
    '',
    ...order.flatMap((key) => {
      const b = find(key);
      return [graphTable(b, measured.get(key)!, reference.results?.graphs[key]), ''];
    }),
    `Scratch files (edge lists, the manifest, igraph's values and results.json) are in \`bench/.out/graph/\`.`,
  ].join('\n');
}
