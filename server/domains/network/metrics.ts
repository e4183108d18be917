import { degreeAssortativity, nominalAssortativity } from '../../../analytics/graph/assortativity.ts';
import { pathMetrics } from '../../../analytics/graph/betweenness.ts';
import { sampledBetweenness } from '../../../analytics/graph/betweenness-sampled.ts';
import { brokerage } from '../../../analytics/graph/brokerage.ts';
import { sampledCloseness } from '../../../analytics/graph/closeness.ts';
import { clustering } from '../../../analytics/graph/clustering.ts';
import { components, degreeCentralisation, density, reciprocity } from '../../../analytics/graph/cohesion.ts';
import { degreeProfile } from '../../../analytics/graph/degree.ts';
import { eigenvectorCentrality } from '../../../analytics/graph/eigenvector.ts';
import { corePeriphery } from '../../../analytics/graph/core-periphery.ts';
import { coreNumbers } from '../../../analytics/graph/k-core.ts';
import { leiden } from '../../../analytics/graph/leiden.ts';
import { louvain } from '../../../analytics/graph/louvain.ts';
import { crossMixing, tieGeography } from '../../../analytics/graph/mixing.ts';
import { pageRank } from '../../../analytics/graph/pagerank.ts';
import { phaseBands } from '../../../common/typology.ts';
import type { MetricInfo } from './network.schema.ts';
import type { SnapshotGraph } from './snapshot.ts';

/**
 * The metrics registry: one entry per metric, school level (a value per school) or network level
 * (one value). A new metric is its kernel in analytics/graph, its test, and one entry here.
 * Formulas and meanings are shown in the web app beside the values and listed in docs/network.md.
 */

/** Work shared between metrics of one snapshot (components, communities…), computed once. */
export type MetricRun = {
  snap: SnapshotGraph;
  /** Nodes above which path metrics are estimated by sampling (exact ones run as a job). */
  exactLimit: number;
  once<T>(key: string, compute: () => T): T;
};

export type SchoolMetric = MetricInfo & { level: 'school'; compute: (run: MetricRun) => ArrayLike<number> };
export type NetworkMetric = MetricInfo & { level: 'network'; compute: (run: MetricRun) => number | null };
export type Metric = SchoolMetric | NetworkMetric;

const school = (key: string, label: string, formula: string, meaning: string, compute: SchoolMetric['compute']): SchoolMetric => ({ key, label, level: 'school', formula, meaning, compute });
const network = (key: string, label: string, formula: string, meaning: string, compute: NetworkMetric['compute']): NetworkMetric => ({ key, label, level: 'network', formula, meaning, compute });

// Shared computations, once per snapshot.
const profile = (r: MetricRun) => r.once('degree', () => degreeProfile(r.snap.graph));
const flows = (r: MetricRun) => r.once('flows', () => (r.snap.directed ? degreeProfile(r.snap.directed) : null));
const triangles = (r: MetricRun) => r.once('clustering', () => clustering(r.snap.graph));
const brokers = (r: MetricRun) => r.once('brokerage', () => brokerage(r.snap.graph));
const parts = (r: MetricRun) => r.once('components', () => components(r.snap.graph));
const communities = (r: MetricRun) => r.once('louvain', () => louvain(r.snap.graph, { seed: 1 }));
const refined = (r: MetricRun) => r.once('leiden', () => leiden(r.snap.graph, { seed: 1 }));
const coreAndPeriphery = (r: MetricRun) => r.once('core-periphery', () => corePeriphery(r.snap.graph));
/**
 * Path metrics (unweighted: a step is a tie, whatever its strength, as brokerage is usually
 * read). Exact on snapshots up to `exactLimit` schools; above, Riondato–Kornaropoulos sampled
 * betweenness (ε = 0.03 on the normalised scale, δ = 0.1: about a second on the national graph,
 * whose long paths make samples dear) and 64-pivot Eppstein–Wang closeness,
 * their error bounds reported in the summary; the exact values come from the background job.
 */
const paths = (r: MetricRun) =>
  r.once('paths', () => {
    const g = r.snap.graph;
    if (g.nodes <= r.exactLimit) {
      const m = pathMetrics(g, { weighted: false });
      return { ...m, betweennessError: 0, harmonicError: 0, averagePathLengthError: 0, exact: true };
    }
    const b = sampledBetweenness(g, { weighted: false, epsilon: 0.03, delta: 0.1, seed: 1 });
    const c = sampledCloseness(g, { weighted: false, pivots: 64, delta: 0.1, seed: 1 });
    return {
      betweennessNormalised: b.betweennessNormalised,
      closeness: c.closeness ?? nan(g.nodes),
      harmonicNormalised: c.harmonicNormalised,
      averagePathLength: c.averagePathLength ?? Number.NaN,
      betweennessError: b.epsilonNormalised,
      harmonicError: c.harmonicError,
      averagePathLengthError: c.averagePathLengthError ?? Number.NaN,
      exact: false,
    };
  });
const nan = (n: number) => new Float64Array(n).fill(Number.NaN);

/** FSM bands (share of pupils eligible for free school meals): the bands we group schools by. */
export function fsmBand(pct: number | null): string | null {
  if (pct === null) return null;
  return pct < 10 ? 'under 10%' : pct < 20 ? '10–20%' : pct < 35 ? '20–35%' : '35% or more';
}
const attribute = (r: MetricRun, key: string, pick: (s: SnapshotGraph['schools'][number]) => string | null) =>
  r.once(`attr:${key}`, () => r.snap.schools.map((s) => pick(s)));

/** Assortativity by a school attribute: do schools collaborate with schools like themselves? */
const mixingBy = (key: string, label: string, pick: (s: SnapshotGraph['schools'][number]) => string | null) =>
  network(
    `assortativity${key}`,
    `Homophily by ${label}`,
    'Newman’s nominal assortativity r = (Σᵢ eᵢᵢ − Σᵢ aᵢbᵢ) / (1 − Σᵢ aᵢbᵢ) over the tie mixing matrix e (schools without a value left out)',
    `From −1 (ties always join schools of different ${label}) through 0 (no preference) to +1 (only schools of the same ${label} work together).`,
    (r) => nominalAssortativity(r.snap.graph, attribute(r, key, pick)),
  );

export const metrics: Metric[] = [
  // ----- per school
  school('degree', 'Partners', 'dᵢ = number of schools with a living tie to i', 'How many schools this school works with now (contact in the last 12 months).', (r) => profile(r).degree),
  school('strength', 'Tie strength', 'sᵢ = Σⱼ wᵢⱼ, w = the tie’s 0–1 strength score', 'How much collaboration the school carries: many strong ties score high, a few weak ones low.', (r) => profile(r).strength),
  school('gave', 'Support given', 'Σ occurrences in the last 12 months where i gave to a partner', 'How often the school supported others (the giving side of directed activities).', (r) => flows(r)?.outStrength ?? nan(r.snap.schools.length)),
  school('received', 'Support received', 'Σ occurrences in the last 12 months where i received from a partner', 'How often the school was supported by others.', (r) => flows(r)?.inStrength ?? nan(r.snap.schools.length)),
  school('balance', 'Giving balance', '(gave − received) / (gave + received)', '+1 only gives, −1 only receives, 0 even: one-way "deficit" relationships show as values near ±1.', (r) => flows(r)?.balance ?? nan(r.snap.schools.length)),
  school(
    'betweenness',
    'Betweenness',
    'Brandes: Σ_{s≠i≠t} σ_st(i)/σ_st, normalised by 2/((n−1)(n−2)); sampled with error ±ε above the exact limit',
    'How often the school lies on the shortest chain of ties between two others: a broker or gatekeeper between groups that do not otherwise meet.',
    (r) => paths(r).betweennessNormalised,
  ),
  school(
    'closeness',
    'Closeness',
    'Wasserman–Faust: ((r−1)/(n−1)) · ((r−1)/Σ_t d(i,t)) over the r schools i reaches',
    'How few steps separate the school from all the others it can reach, discounted when it reaches few: how quickly practice can spread from it.',
    (r) => paths(r).closeness,
  ),
  school('harmonic', 'Harmonic closeness', 'Σ_{t≠i} 1/d(i,t) / (n−1), unreachable schools adding 0', 'Closeness that also works across separate groups: 0 for a school in splendid isolation.', (r) => paths(r).harmonicNormalised),
  school(
    'eigenvector',
    'Eigenvector centrality',
    'xᵢ ∝ Σⱼ wᵢⱼ xⱼ (leading eigenvector of the weighted adjacency, scaled so the maximum is 1)',
    'High when the school works with schools that are themselves well connected: influence within the core.',
    (r) => eigenvectorCentrality(r.snap.graph).values,
  ),
  school('pagerank', 'PageRank', 'PRᵢ = (1−d)/n + d Σⱼ (wⱼᵢ / sⱼ) PRⱼ, d = 0.85', 'The share of time a random walk along ties spends at the school: prominence that counts who its partners are.', (r) => pageRank(r.snap.graph).values),
  school('clustering', 'Local clustering', 'Cᵢ = triangles through i / (dᵢ(dᵢ−1)/2); 0 when dᵢ < 2', 'Whether the school’s partners also work with each other (a close-knit group) or only through it.', (r) => triangles(r).local),
  school('weightedClustering', 'Weighted clustering', 'Barrat et al. (2004): Σ (wᵢⱼ + wᵢₖ)/2 over triangles / (sᵢ (dᵢ − 1))', 'Local clustering counting strong ties more than weak ones.', (r) => triangles(r).weighted),
  school(
    'constraint',
    'Constraint (Burt)',
    'cᵢ = Σⱼ (pᵢⱼ + Σ_q pᵢ_q p_qⱼ)², p = proportional tie strength',
    'Low constraint marks a broker spanning structural holes between groups that do not otherwise meet; high constraint, a school whose partners all know each other.',
    (r) => brokers(r).constraint,
  ),
  school('effectiveSize', 'Effective size (Burt)', 'Burt’s effective size: partners minus their redundancy (Borgatti: dᵢ − 2tᵢ/dᵢ unweighted)', 'The number of non-redundant partners: how many separate groups the school reaches.', (r) => brokers(r).effectiveSize),
  school(
    'core',
    'In the core',
    'Borgatti–Everett discrete core–periphery: 1 in the core, 0 in the periphery',
    'Core schools work densely with each other; peripheral ones are tied to the core, if at all, but not to each other.',
    (r) => Float64Array.from(coreAndPeriphery(r).core),
  ),
  school('coreNumber', 'k-core', 'the largest k such that i is in a subgraph where every school has ≥ k partners', 'How deep in the densely connected core of the network the school sits.', (r) => coreNumbers(r.snap.graph)),

  // ----- per network
  network('schools', 'Schools', 'n', 'Schools in the snapshot.', (r) => r.snap.schools.length),
  network('ties', 'Living ties', 'm = ties with contact in the last 12 months', 'Pairs of schools working together now.', (r) => r.snap.graph.edges),
  network('density', 'Density', '2m / (n(n−1))', 'The share of possible pairs that work together: near 1 everybody works with everybody; small networks can be dense, large ones rarely are.', (r) => density(r.snap.graph)),
  network('components', 'Components', 'connected groups (isolated schools count one each)', 'Separate islands of collaboration.', (r) => parts(r).count),
  network('largestComponent', 'Largest component', 'schools in the largest connected group', 'How much of the network is reachable from its main body.', (r) => parts(r).largest),
  network(
    'isolated',
    'Isolated schools',
    'schools with no living tie',
    '"Splendid isolation": schools that have had no contact with another in the last 12 months.',
    (r) => degreeProfile(r.snap.graph).degree.filter((d) => d === 0).length,
  ),
  network(
    'weakOnly',
    'Schools with weak ties only',
    'schools with living ties but no strong one',
    'Near-isolated schools: in touch, but with no deep, two-way, multi-level partnership.',
    (r) => (r.snap.spec.basis === 'activity' ? degreeProfile(r.snap.graph).degree.filter((d, i) => d > 0 && !r.snap.hasStrong[i]).length : null),
  ),
  network(
    'modularity',
    'Modularity (Louvain)',
    'Q = Σ_c [L_c/m − (K_c/2m)²] of the Louvain partition (Blondel et al. 2008)',
    'How clearly the network falls into groups that work mostly among themselves: above about 0.3, distinct sub-networks.',
    (r) => communities(r).modularity,
  ),
  network('communities', 'Communities (Louvain)', 'groups of the Louvain partition (isolated schools are groups of one)', 'Sub-networks of schools that work mostly with each other.', (r) => communities(r).communities),
  network(
    'leidenModularity',
    'Modularity (Leiden)',
    'Q of the Leiden partition (Traag, Waltman & van Eck 2019): every community internally connected',
    'As Louvain, with the guarantee that no community is split into parts that do not work together.',
    (r) => refined(r).modularity,
  ),
  network('leidenCommunities', 'Communities (Leiden)', 'groups of the Leiden partition', 'Sub-networks, each internally connected.', (r) => refined(r).communities),
  network('coreSize', 'Core size', 'schools in the core of the Borgatti–Everett partition', 'How many schools form the densely connected centre.', (r) => {
    const cp = coreAndPeriphery(r);
    return Number.isNaN(cp.fit) ? null : cp.coreSize;
  }),
  network(
    'coreFit',
    'Core–periphery fit',
    'ρ = correlation between the ties and the ideal pattern (core–core tied, periphery–periphery not; core–periphery pairs ignored)',
    'Near 1: a clear centre and periphery (in large networks, a few schools do the collaborating); near 0: no such structure.',
    (r) => coreAndPeriphery(r).fit,
  ),
  network(
    'averagePathLength',
    'Average path length',
    'mean d(s,t) over connected pairs s ≠ t (steps of one tie)',
    'How many introductions, typically, separate two schools that are connected at all: short paths let practice travel.',
    (r) => paths(r).averagePathLength,
  ),
  network(
    'betweennessError',
    'Betweenness error bound',
    '0 when exact; else ε such that every school’s sampled betweenness is within ±ε with probability ≥ 0.9',
    'How far the interactive betweenness may be from the exact value; run the exact job to remove it.',
    (r) => paths(r).betweennessError,
  ),
  network('pathsExact', 'Path metrics exact', '1 when betweenness, closeness and path length are exact, 0 when sampled', 'Large snapshots are estimated interactively and computed exactly in the background.', (r) => (paths(r).exact ? 1 : 0)),
  network('transitivity', 'Transitivity', '3 × triangles / connected triples', 'How often two partners of a school also work together: closure, the mark of close-knit groups.', (r) => triangles(r).transitivity),
  network('averageClustering', 'Average clustering', 'mean of Cᵢ over all schools (0 for schools with < 2 partners)', 'The typical close-knittedness of a school’s partners.', (r) => triangles(r).averageLocal),
  network(
    'degreeCentralisation',
    'Degree centralisation',
    'Freeman: Σᵢ (d_max − dᵢ) / ((n−1)(n−2))',
    'Concentration of power: 1 for a star where one school is every other school’s only partner, 0 when all have as many partners.',
    (r) => degreeCentralisation(r.snap.graph),
  ),
  network(
    'reciprocity',
    'Reciprocity',
    'share of giving arcs i→j whose reverse j→i also exists',
    'How two-way the support is: low values mean help flows one way (the deficit model the research warns about).',
    (r) => (r.snap.directed && r.snap.directed.edges > 0 ? reciprocity(r.snap.directed) : null),
  ),
  network(
    'topGiverShare',
    'Largest giver’s share',
    'max_i gaveᵢ / Σᵢ gaveᵢ',
    'How much of all support one school gives: near 1, the network depends on (and may be dominated by) one member.',
    (r) => {
      const f = flows(r);
      if (!f) return null;
      let total = 0;
      let top = 0;
      for (const x of f.outStrength) {
        total += x;
        if (x > top) top = x;
      }
      return total === 0 ? null : top / total;
    },
  ),
  mixingBy('Phase', 'phase', (s) => s.phase),
  mixingBy('Type', 'school type', (s) => s.type),
  mixingBy('FsmBand', 'FSM band', (s) => fsmBand(s.fsmPct)),
  mixingBy('La', 'local authority', (s) => s.la),
  mixingBy('Grade', 'inspection grade', (s) => s.grade),
  network('assortativityDegree', 'Degree assortativity', 'Pearson correlation of the partner counts at the two ends of a tie', 'Positive: well-connected schools work with each other (a core); negative: hubs support schools with few ties (a hub-and-spoke network).', (r) =>
    degreeAssortativity(r.snap.graph),
  ),
  network(
    'crossPhaseShare',
    'Cross-phase ties',
    'ties joining schools of different phase bands / ties with both phases known',
    'Vertical collaboration along pupils’ paths (e.g. primary with secondary on transition) against horizontal collaboration between peers.',
    (r) => crossMixing(r.snap.graph, attribute(r, 'band', (s) => (s.phase ? (phaseBands[s.phase.toLowerCase()] ?? s.phase.toLowerCase()) : null))).crossShare,
  ),
  network('distanceMedianKm', 'Median tie distance (km)', 'median great-circle distance between tied schools', 'How local collaboration is.', (r) => geography(r).median),
  network('distanceMeanKm', 'Mean tie distance (km)', 'mean great-circle distance between tied schools', 'Geographic spread of the ties.', (r) => geography(r).mean),
  network('distanceP90Km', 'Tie distance, 90th percentile (km)', '90th percentile of the distances (linear interpolation)', 'How far the longest-reaching tenth of ties go.', (r) => geography(r).p90),
  network('strongShare', 'Strong ties', 'strong ties / all ties (dormant included)', 'Deep, two-way, varied and frequent partnerships among all the ties ever formed.', (r) => classShare(r, 0)),
  network('weakShare', 'Weak ties', 'weak ties / all ties (dormant included)', 'Occasional contact: weak ties bring new information but carry little joint work.', (r) => classShare(r, 1)),
  network('dormantShare', 'Dormant ties', 'ties with no contact in the last 12 months / all ties', 'Partnerships that have gone quiet.', (r) => classShare(r, 2)),
];

function geography(r: MetricRun) {
  return r.once('geography', () =>
    tieGeography(
      r.snap.graph,
      r.snap.schools.map((s) => s.lat),
      r.snap.schools.map((s) => s.lon),
    ),
  );
}

function classShare(r: MetricRun, c: 0 | 1 | 2): number | null {
  if (r.snap.spec.basis !== 'activity') return null;
  const counts = r.snap.tieClassCounts;
  const total = counts[0] + counts[1] + counts[2];
  return total === 0 ? null : counts[c] / total;
}

export type MetricValues = {
  info: MetricInfo[];
  /** key → one value per school (NaN = undefined for that school). */
  schools: Map<string, ArrayLike<number>>;
  summary: Record<string, number | null>;
  /** Louvain community of every school, 0 = largest. */
  community: Int32Array;
  seconds: Record<string, number>;
};

export function runMetrics(snap: SnapshotGraph, options: { exactLimit?: number } = {}): MetricValues {
  const memo = new Map<string, unknown>();
  const run: MetricRun = {
    snap,
    exactLimit: options.exactLimit ?? 3000,
    once<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
  const schools = new Map<string, ArrayLike<number>>();
  const summary: Record<string, number | null> = {};
  const seconds: Record<string, number> = {};
  for (const m of metrics) {
    const started = performance.now();
    if (m.level === 'school') schools.set(m.key, m.compute(run));
    else {
      const v = m.compute(run);
      summary[m.key] = v === null || Number.isNaN(v) ? null : v;
    }
    seconds[m.key] = (performance.now() - started) / 1000;
  }
  const community = communities(run).membership;
  return { info: metrics.map(({ key, label, level, formula, meaning }) => ({ key, label, level, formula, meaning })), schools, summary, community, seconds };
}
