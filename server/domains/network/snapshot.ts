import type { Kysely } from 'kysely';
import { buildGraph, type Graph } from '../../../analytics/graph/csr.ts';
import { dayNumber, deriveTies, selectEvents, TieClassCode } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import { Invalid } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { loadEventLog } from '../activities/index.ts';
import { activityKinds, recordsVisible, type ScopeSchool, schoolsInScope, sharedMemberships } from './network.repository.ts';
import type { GraphBasis } from './network.schema.ts';

/** An edge's class in a snapshot: the tie classes of analytics/ties, plus a shared membership. */
export const EdgeClass = { strong: TieClassCode.strong, weak: TieClassCode.weak, dormant: TieClassCode.dormant, membership: 3 } as const;
export const edgeClassNames = ['strong', 'weak', 'dormant', 'membership'] as const;

export type SnapshotSpec = {
  at: string;
  basis: GraphBasis;
  network?: number | undefined;
  types: readonly string[];
  phase?: string | undefined;
  la?: string | undefined;
};

/**
 * The collaboration graph on a date, ready for the metrics. Node `i` is `schools[i]`.
 *
 * Activity basis: the living network. `graph` holds the ties with contact in the 12 months up to
 * the date (strong and weak; weight = the tie's 0–1 strength score); dormant ties (no recent
 * contact) are not edges but are counted in `tieClassCounts` for the strong/weak/dormant shares.
 * `directed` holds giving → receiving arcs weighted by the occurrences in the window.
 * A tie counts when the caller may see the activity records of at least one of its two schools
 * (the rule of the network tie view, docs/access.md).
 *
 * Membership basis: two schools are linked when they share a network (trust, federation,
 * cluster…) on the date, weighted by how many they share.
 */
export type SnapshotGraph = {
  spec: SnapshotSpec;
  schools: ScopeSchool[];
  /** 1 where the caller may see the school's activity records (activity basis), else 0. */
  visible: Uint8Array;
  graph: Graph;
  directed: Graph | null;
  /** Per edge of `graph` (edgeSource/edgeTarget order): EdgeClass code. */
  edgeClass: Uint8Array;
  /** Per edge of `graph`: occurrences in the window where the source gave to the target, and back. */
  sourceGave: Int32Array;
  targetGave: Int32Array;
  /** Every tie in scope by class, dormant included: [strong, weak, dormant]. */
  tieClassCounts: [number, number, number];
  /** Per node: has at least one strong tie in the window. */
  hasStrong: Uint8Array;
};

/** Who and what a snapshot covers for one caller: decides its cache key before any tie is derived. */
export type SnapshotScope = { spec: SnapshotSpec; schools: ScopeSchool[]; visible: Uint8Array };

/** `actor` null: the operator at the command line, who holds the database and sees every school. */
export async function snapshotScope(db: Kysely<DB>, actor: Actor | null, spec: SnapshotSpec): Promise<SnapshotScope> {
  const schools = await schoolsInScope(db, spec);
  const visible = new Uint8Array(schools.length);
  if (spec.basis === 'membership' || actor === null) visible.fill(1);
  else {
    const seen = await recordsVisible(db, actor, schools.map((s) => s.id));
    schools.forEach((s, i) => {
      if (seen.has(s.id)) visible[i] = 1;
    });
  }
  return { spec, schools, visible };
}

export async function buildSnapshot(db: Kysely<DB>, scope: SnapshotScope): Promise<SnapshotGraph> {
  const { spec, schools, visible } = scope;
  const n = schools.length;
  const index = new Map<number, number>();
  schools.forEach((s, i) => {
    index.set(s.id, i);
  });
  if (spec.basis === 'membership') {
    const { a, b, shared } = await sharedMemberships(db, [...index.keys()], spec.at);
    const source = Int32Array.from(a, (id) => index.get(id)!);
    const target = Int32Array.from(b, (id) => index.get(id)!);
    const graph = buildGraph({ nodes: n, source, target, weight: shared });
    return {
      spec,
      schools,
      visible,
      graph,
      directed: null,
      edgeClass: new Uint8Array(graph.edges).fill(EdgeClass.membership),
      sourceGave: new Int32Array(graph.edges),
      targetGave: new Int32Array(graph.edges),
      tieClassCounts: [0, 0, 0],
      hasStrong: new Uint8Array(n),
    };
  }

  let { log } = await loadEventLog(
    db,
    spec.at,
    schools.filter((_, i) => visible[i]).map((s) => s.id),
  );
  if (spec.types.length > 0) {
    const kinds = await activityKinds(db);
    const unknown = spec.types.filter((t) => !kinds.includes(t));
    if (unknown.length > 0) throw new Invalid('types', `unknown activity type ${unknown.join(', ')}; see GET /api/activity-types for the codes`);
    const wanted = new Set(spec.types.map((t) => kinds.indexOf(t)));
    log = selectEvents(log, Uint8Array.from(log.kind, (k) => (wanted.has(k) ? 1 : 0)));
  }
  const ties = deriveTies(log, dayNumber(spec.at));
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  const cls: number[] = [];
  const gaveAB: number[] = [];
  const gaveBA: number[] = [];
  const counts: [number, number, number] = [0, 0, 0];
  const hasStrong = new Uint8Array(n);
  for (let r = 0; r < ties.size; r++) {
    const i = index.get(ties.a[r]!);
    const j = index.get(ties.b[r]!);
    // Both schools in scope, and at least one sharing its records with the caller.
    if (i === undefined || j === undefined || !(visible[i] || visible[j])) continue;
    const c = ties.tieClass[r]!;
    counts[c]!++;
    if (c === TieClassCode.dormant) continue;
    if (c === TieClassCode.strong) {
      hasStrong[i] = 1;
      hasStrong[j] = 1;
    }
    src.push(i);
    dst.push(j);
    weight.push(Math.max(ties.strength[r]!, 0.001));
    cls.push(c);
    gaveAB.push(ties.recentAToB[r]!);
    gaveBA.push(ties.recentBToA[r]!);
  }
  // Ties come one per pair (a < b) and ids map to indices in id order, so i < j already and
  // buildGraph's merged edge order is the order sorted by (i, j): sort our columns the same way.
  const order = src.map((_, k) => k).sort((x, y) => src[x]! - src[y]! || dst[x]! - dst[y]!);
  const pick = <T extends number>(xs: T[]) => order.map((k) => xs[k]!);
  const graph = buildGraph({ nodes: n, source: pick(src), target: pick(dst), weight: pick(weight) });
  const arcsFrom: number[] = [];
  const arcsTo: number[] = [];
  const arcsW: number[] = [];
  for (let k = 0; k < src.length; k++) {
    if (gaveAB[k]! > 0) {
      arcsFrom.push(src[k]!);
      arcsTo.push(dst[k]!);
      arcsW.push(gaveAB[k]!);
    }
    if (gaveBA[k]! > 0) {
      arcsFrom.push(dst[k]!);
      arcsTo.push(src[k]!);
      arcsW.push(gaveBA[k]!);
    }
  }
  const directed = buildGraph({ nodes: n, source: arcsFrom, target: arcsTo, weight: arcsW, directed: true });
  return {
    spec,
    schools,
    visible,
    graph,
    directed,
    edgeClass: Uint8Array.from(pick(cls)),
    sourceGave: Int32Array.from(pick(gaveAB)),
    targetGave: Int32Array.from(pick(gaveBA)),
    tieClassCounts: counts,
    hasStrong,
  };
}
