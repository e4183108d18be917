import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can } from '../access/policy.ts';
import type { BetweennessJobs } from './betweenness-jobs.ts';
import { runMetrics } from './metrics.ts';
import { analysisGeneration } from './network.repository.ts';
import type { BetweennessJob, ChangeQuery, GraphTie, NetworkAnalysis, NetworkChange, SchoolNode, Snapshot, SnapshotQuery } from './network.schema.ts';
import { type CachedSnapshot, SnapshotCache, visibilityHash } from './snapshot-cache.ts';
import { buildSnapshot, edgeClassNames, type SnapshotGraph, type SnapshotScope, type SnapshotSpec, snapshotScope } from './snapshot.ts';

/** What the network-analysis services run with: one cache per running app. */
export type NetworkContext = { db: Kysely<DB>; today: () => string; cache: SnapshotCache };

export function networkContext(db: Kysely<DB>, today: () => string): NetworkContext {
  return { db, today, cache: new SnapshotCache() };
}

/** The snapshot a query asks for, validated: a date no later than today, a network that exists. */
async function specOf(ctx: NetworkContext, q: Omit<SnapshotQuery, 'at'>, at: string | undefined): Promise<{ spec: SnapshotSpec; network: { id: number; name: string } | null }> {
  const today = ctx.today();
  const date = at ?? today;
  if (date > today) throw new Invalid('at', `${date} is after today; the network is analysed as it stood up to today`);
  let network: { id: number; name: string } | null = null;
  if (q.network !== undefined) {
    const row = await ctx.db.selectFrom('network').select(['id', 'name']).where('id', '=', q.network).executeTakeFirst();
    if (!row) throw new NotFound(`network ${q.network}`);
    network = { id: Number(row.id), name: row.name };
  }
  const types = q.types ? [...new Set(q.types.split(','))].sort() : [];
  if (q.basis === 'membership' && types.length > 0) throw new Invalid('types', 'activity types filter the activity basis only; drop types or use basis=activity');
  return { spec: { at: date, basis: q.basis, network: q.network, types, phase: q.phase, la: q.la }, network };
}

/** The analysed snapshot for this caller: from the cache when nothing it depends on has changed. */
async function analysed(ctx: NetworkContext, actor: Actor | null, spec: SnapshotSpec): Promise<{ scope: SnapshotScope; entry: CachedSnapshot; cached: boolean }> {
  const scope = await snapshotScope(ctx.db, actor, spec);
  const generation = await analysisGeneration(ctx.db);
  const key = [spec.basis, spec.network ?? '*', spec.at, spec.types.join('+'), spec.phase ?? '*', spec.la ?? '*', `g${generation}`, `v${visibilityHash(scope.visible)}`, scope.schools.length].join('|');
  const { entry, cached } = await ctx.cache.get(key, async () => {
    const started = performance.now();
    const snap = await buildSnapshot(ctx.db, scope);
    const values = runMetrics(snap);
    return { key, snap, values, computedAt: new Date().toISOString(), seconds: (performance.now() - started) / 1000 };
  });
  await auditRead(ctx, actor, entry.snap);
  return { scope, entry, cached };
}

/** Reading other schools' activity records through the analysis is a sensitive read (docs/access.md). */
async function auditRead(ctx: NetworkContext, actor: Actor | null, snap: SnapshotGraph): Promise<void> {
  if (actor === null || snap.spec.basis !== 'activity' || snap.graph.edges === 0) return;
  const own = new Set(ownSchoolIds(actor));
  const others = snap.schools.filter((s, i) => snap.visible[i] && !own.has(s.id)).length;
  if (others === 0) return;
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'read.sensitive',
    resourceType: 'network-analysis',
    resourceId: snap.spec.network ?? 'all',
    networkId: snap.spec.network ?? null,
    detail: { dataClass: 'activity_records', schools: others, on: snap.spec.at, types: snap.spec.types },
  });
}

function snapshotOf(entry: CachedSnapshot, cached: boolean, network: { id: number; name: string } | null, directed: boolean): Snapshot {
  const { spec } = entry.snap;
  return {
    key: entry.key,
    at: spec.at,
    basis: spec.basis,
    network,
    filters: { types: [...spec.types], phase: spec.phase ?? null, la: spec.la ?? null, directed },
    computedAt: entry.computedAt,
    seconds: cached ? 0 : Math.round(entry.seconds * 1000) / 1000,
    cached,
  };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : null);

/** Isolation of node i: no tie in the window, or (activity basis) only weak ones. */
function isolationOf(snap: SnapshotGraph, i: number): SchoolNode['isolation'] {
  if (snap.graph.offsets[i + 1] === snap.graph.offsets[i]) return 'isolated';
  if (snap.spec.basis === 'activity' && !snap.hasStrong[i]) return 'weak-only';
  return null;
}

function schoolNodes(entry: CachedSnapshot): SchoolNode[] {
  const { snap, values } = entry;
  return snap.schools.map((s, i) => {
    const shown = snap.visible[i] === 1;
    const metrics: Record<string, number | null> = {};
    for (const [key, xs] of values.schools) metrics[key] = shown ? round(xs[i]!) : null;
    return {
      id: s.id,
      urn: s.urn,
      name: s.name,
      phase: s.phase,
      type: s.type,
      la: s.la,
      lat: s.lat,
      lon: s.lon,
      metrics,
      community: values.community[i] ?? 0,
      isolation: shown ? isolationOf(snap, i) : null,
    };
  });
}

function graphTies(snap: SnapshotGraph): GraphTie[] {
  const g = snap.graph;
  const out: GraphTie[] = new Array(g.edges);
  for (let e = 0; e < g.edges; e++) {
    out[e] = {
      a: snap.schools[g.edgeSource[e]!]!.id,
      b: snap.schools[g.edgeTarget[e]!]!.id,
      weight: Math.round(g.edgeWeight[e]! * 1000) / 1000,
      class: edgeClassNames[snap.edgeClass[e]!]!,
      aToB: snap.sourceGave[e]!,
      bToA: snap.targetGave[e]!,
    };
  }
  return out;
}

/**
 * The collaboration graph of a network (or of every school the caller may see) on a date, with
 * every school-level and network-level metric. Per-school values are shown only for schools
 * whose activity records the caller may see; ties count when either end is visible.
 */
export async function analyseNetwork(ctx: NetworkContext, actor: Actor | null, q: SnapshotQuery): Promise<NetworkAnalysis> {
  const { spec, network } = await specOf(ctx, q, q.at);
  const { entry, cached } = await analysed(ctx, actor, spec);
  const { values } = entry;
  const sizes = new Map<number, number>();
  for (const c of values.community) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  return {
    snapshot: snapshotOf(entry, cached, network, q.directed),
    metrics: values.info,
    summary: Object.fromEntries(Object.entries(values.summary).map(([k, v]) => [k, v === null ? null : round(v)])),
    schools: schoolNodes(entry),
    ties: graphTies(entry.snap),
    communities: [...sizes.entries()].sort((x, y) => x[0] - y[0]).map(([index, size]) => ({ index, size, label: `Community ${index + 1}` })),
  };
}

/** The per-school metrics table as CSV: one row per school, one column per metric (labels in the header). */
export async function analysisCsv(ctx: NetworkContext, actor: Actor | null, q: SnapshotQuery): Promise<string> {
  return analysisTableCsv(await analyseNetwork(ctx, actor, q));
}

/** The CSV of an analysis already made. */
export function analysisTableCsv(result: NetworkAnalysis): string {
  const keys = result.metrics.filter((m) => m.level === 'school').map((m) => m.key);
  const header = ['school_id', 'urn', 'name', 'phase', 'type', 'local_authority', 'community', 'isolation', ...keys];
  const rows = result.schools.map((s) => [s.id, s.urn, s.name, s.phase ?? '', s.type ?? '', s.la ?? '', s.community + 1, s.isolation ?? '', ...keys.map((k) => s.metrics[k] ?? '')]);
  return stringify([header, ...rows]);
}

const tieRank: Record<string, number> = { strong: 2, weak: 1, membership: 1 };

/**
 * What changed between two dates: the network summary on each, the ties that appeared, ended,
 * strengthened or weakened (by class), and every school whose metrics or isolation moved.
 */
export async function networkChange(ctx: NetworkContext, actor: Actor | null, q: ChangeQuery): Promise<NetworkChange> {
  if (q.from >= q.to) throw new Invalid('from', `from (${q.from}) must be before to (${q.to})`);
  const { spec: fromSpec, network } = await specOf(ctx, q, q.from);
  const { spec: toSpec } = await specOf(ctx, q, q.to);
  const before = await analysed(ctx, actor, fromSpec);
  const after = await analysed(ctx, actor, toSpec);
  const a = before.entry;
  const b = after.entry;
  const names = new Map<number, string>();
  for (const s of [...a.snap.schools, ...b.snap.schools]) names.set(s.id, s.name);
  const tiesOf = (snap: SnapshotGraph) => {
    const m = new Map<string, { a: number; b: number; cls: string }>();
    for (const t of graphTies(snap)) m.set(`${t.a}:${t.b}`, { a: t.a, b: t.b, cls: t.class });
    return m;
  };
  const t0 = tiesOf(a.snap);
  const t1 = tiesOf(b.snap);
  const ties: NetworkChange['ties'] = [];
  for (const [k, x] of t1) {
    const y = t0.get(k);
    if (!y) ties.push({ a: x.a, b: x.b, aName: names.get(x.a)!, bName: names.get(x.b)!, change: 'new', before: null, after: x.cls });
    else if (tieRank[x.cls]! > tieRank[y.cls]!) ties.push({ a: x.a, b: x.b, aName: names.get(x.a)!, bName: names.get(x.b)!, change: 'strengthened', before: y.cls, after: x.cls });
    else if (tieRank[x.cls]! < tieRank[y.cls]!) ties.push({ a: x.a, b: x.b, aName: names.get(x.a)!, bName: names.get(x.b)!, change: 'weakened', before: y.cls, after: x.cls });
  }
  for (const [k, y] of t0) if (!t1.has(k)) ties.push({ a: y.a, b: y.b, aName: names.get(y.a)!, bName: names.get(y.b)!, change: 'ended', before: y.cls, after: null });

  const nodes0 = new Map(schoolNodes(a).map((s) => [s.id, s]));
  const nodes1 = new Map(schoolNodes(b).map((s) => [s.id, s]));
  const keys = b.values.info.filter((m) => m.level === 'school').map((m) => m.key);
  const schools: NetworkChange['schools'] = [];
  for (const id of new Set([...nodes0.keys(), ...nodes1.keys()])) {
    const x = nodes0.get(id);
    const y = nodes1.get(id);
    const metrics: Record<string, [number | null, number | null]> = {};
    let moved = !x || !y || x.isolation !== y.isolation;
    for (const k of keys) {
      const pair: [number | null, number | null] = [x?.metrics[k] ?? null, y?.metrics[k] ?? null];
      metrics[k] = pair;
      if (pair[0] !== pair[1]) moved = true;
    }
    if (moved) schools.push({ id, name: names.get(id)!, metrics, isolation: [x?.isolation ?? null, y?.isolation ?? null], joined: !x, left: !y });
  }
  const move = (s: (typeof schools)[number]) => Math.abs((s.metrics.strength?.[1] ?? 0) - (s.metrics.strength?.[0] ?? 0)) + Math.abs((s.metrics.degree?.[1] ?? 0) - (s.metrics.degree?.[0] ?? 0));
  schools.sort((x, y) => move(y) - move(x) || x.name.localeCompare(y.name));
  return {
    from: snapshotOf(a, before.cached, network, q.directed),
    to: snapshotOf(b, after.cached, network, q.directed),
    metrics: b.values.info,
    summary: b.values.info
      .filter((m) => m.level === 'network')
      .map((m) => ({ key: m.key, label: m.label, from: a.values.summary[m.key] ?? null, to: b.values.summary[m.key] ?? null })),
    ties: ties.sort((x, y) => x.change.localeCompare(y.change) || x.aName.localeCompare(y.aName)),
    schools,
  };
}

/** Starts exact betweenness for the snapshot a query names; the job reads only what the caller may see. */
export async function startBetweenness(ctx: NetworkContext, jobs: BetweennessJobs, actor: Actor, q: SnapshotQuery): Promise<BetweennessJob> {
  const { spec } = await specOf(ctx, q, q.at);
  const { entry } = await analysed(ctx, actor, spec);
  return jobs.start(actor, entry.snap.graph, entry.snap.schools, entry.snap.visible);
}

/** What the collaboration graph of a network tells its typology (registry typology.ts decides the dimensions). */
export type NetworkGraphFacts = {
  members: number;
  ties: number;
  density: number | null;
  degreeCentralisation: number | null;
  topGiverShare: number | null;
  coreSize: number | null;
  coreFit: number | null;
};

/**
 * The network's own collaboration graph on a date, reduced to the aggregates its typology uses.
 * Aggregates over every tie among the members (no school's rows), so only for callers who may
 * read the network's aggregates (policy `network.aggregate.read`); null for anyone else.
 */
export async function networkGraphFacts(ctx: NetworkContext, actor: Actor, networkId: number, at: string): Promise<NetworkGraphFacts | null> {
  if (!(await can(ctx, actor, 'network.aggregate.read', { networkId }))) return null;
  const spec: SnapshotSpec = { at, basis: 'activity', network: networkId, types: [] };
  // The operator's view (every tie among the members): an aggregate, not any school's records.
  const { entry } = await analysed(ctx, null, spec);
  const s = entry.values.summary;
  const value = (k: string) => s[k] ?? null;
  return {
    members: entry.snap.schools.length,
    ties: entry.snap.graph.edges,
    density: value('density'),
    degreeCentralisation: value('degreeCentralisation'),
    topGiverShare: value('topGiverShare'),
    coreSize: value('coreSize'),
    coreFit: value('coreFit'),
  };
}
