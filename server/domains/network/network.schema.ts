import { z } from 'zod';

/**
 * The network-analysis HTTP contract. Imports only zod, so the web app reuses it.
 *
 * A snapshot is the collaboration graph on one date: the schools in scope (a network's members
 * on that date, or every school the caller may see) and the ties between them derived from the
 * activity log up to that date, optionally only from some activity types. Its metrics are
 * computed once per snapshot and cached until a tie changes.
 */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');

/** What links two schools in the graph. */
export const GraphBasis = z
  .enum(['activity', 'membership'])
  .describe('activity: ties derived from the collaboration record (weighted by tie strength); membership: schools linked by sharing a network (trust, federation, cluster) on the date, weighted by the number of networks shared');
export type GraphBasis = z.infer<typeof GraphBasis>;

export const SnapshotQuery = z.object({
  network: z.coerce.number().int().positive().optional().describe('Only the members of this network on the date (default: every school you may see)'),
  at: IsoDate.optional().describe('The date of the snapshot (default: today)'),
  basis: GraphBasis.default('activity'),
  types: z
    .string()
    .regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/, 'a comma-separated list of activity type codes, e.g. joint_cpd,peer_review')
    .optional()
    .describe('Only ties from these activity types (activity basis)'),
  phase: z.string().optional().describe('Only schools of this phase: a register phase code (primary, secondary, all_through…), compared without case'),
  la: z.string().optional().describe('Only schools of this local authority (its name as in the register)'),
  directed: z.coerce.boolean().default(false).describe('Directed giving → receiving graph for the balance, reciprocity and directed centralities'),
});
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

/** One metric's documentation: shown beside its value in the web app and in the CSV header notes. */
export const MetricInfo = z.object({
  key: z.string(),
  label: z.string(),
  level: z.enum(['school', 'network']),
  formula: z.string().describe('The formula in one line'),
  meaning: z.string().describe('What it means for schools'),
});
export type MetricInfo = z.infer<typeof MetricInfo>;

/** How isolated a school is: no tie at all, or only weak or dormant ones, in the last 12 months. */
export const Isolation = z.enum(['isolated', 'weak-only']).nullable();

export const SchoolNode = z.object({
  id: z.number().int(),
  urn: z.number().int(),
  name: z.string(),
  phase: z.string().nullable(),
  type: z.string().nullable(),
  la: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  /** Metric key → value (null where undefined for this school, e.g. closeness of an isolate). */
  metrics: z.record(z.string(), z.number().nullable()),
  community: z.number().int().describe('Louvain community index (0 = largest)'),
  isolation: Isolation,
});
export type SchoolNode = z.infer<typeof SchoolNode>;

export const GraphTie = z.object({
  a: z.number().int().describe('school id'),
  b: z.number().int().describe('school id'),
  weight: z.number(),
  class: z.enum(['strong', 'weak', 'dormant', 'membership']),
  aToB: z.number().int().describe('occurrences where a gave to b'),
  bToA: z.number().int(),
});
export type GraphTie = z.infer<typeof GraphTie>;

export const Snapshot = z.object({
  key: z.string().describe('Cache key of the snapshot (changes when ties change)'),
  at: IsoDate,
  basis: GraphBasis,
  network: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  filters: z.object({ types: z.array(z.string()), phase: z.string().nullable(), la: z.string().nullable(), directed: z.boolean() }),
  computedAt: z.string(),
  seconds: z.number().describe('Time spent computing (0 when served from the cache)'),
  cached: z.boolean(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const NetworkAnalysis = z.object({
  snapshot: Snapshot,
  metrics: z.array(MetricInfo),
  /** Network-level metric key → value. */
  summary: z.record(z.string(), z.number().nullable()),
  schools: z.array(SchoolNode),
  ties: z.array(GraphTie),
  communities: z.array(z.object({ index: z.number().int(), size: z.number().int(), label: z.string() })),
});
export type NetworkAnalysis = z.infer<typeof NetworkAnalysis>;

export const ChangeQuery = SnapshotQuery.omit({ at: true }).extend({ from: IsoDate, to: IsoDate });
export type ChangeQuery = z.infer<typeof ChangeQuery>;

export const TieChange = z.object({
  a: z.number().int(),
  b: z.number().int(),
  aName: z.string(),
  bName: z.string(),
  change: z.enum(['new', 'ended', 'strengthened', 'weakened']),
  before: z.string().nullable().describe('tie class before (null: no tie)'),
  after: z.string().nullable(),
});

export const NetworkChange = z.object({
  from: Snapshot,
  to: Snapshot,
  /** The documentation of every metric (labels for the school and network columns). */
  metrics: z.array(MetricInfo),
  /** Network-level metric key → value on each date. */
  summary: z.array(z.object({ key: z.string(), label: z.string(), from: z.number().nullable(), to: z.number().nullable() })),
  ties: z.array(TieChange),
  schools: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      /** Metric key → [from, to]. */
      metrics: z.record(z.string(), z.tuple([z.number().nullable(), z.number().nullable()])),
      isolation: z.tuple([Isolation, Isolation]),
      joined: z.boolean().describe('in scope on `to` only'),
      left: z.boolean().describe('in scope on `from` only'),
    }),
  ),
});
export type NetworkChange = z.infer<typeof NetworkChange>;

/** Exact betweenness runs as a background job (it takes seconds to minutes on a national graph). */
export const BetweennessJob = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** 0..1, the share of source schools processed. */
  progress: z.number(),
  startedAt: z.string(),
  seconds: z.number(),
  error: z.string().nullable(),
  /** When done: school id → [unweighted, weighted] betweenness, normalised to 0..1. */
  result: z.array(z.object({ id: z.number().int(), name: z.string(), betweenness: z.number(), weighted: z.number() })).nullable(),
});
export type BetweennessJob = z.infer<typeof BetweennessJob>;
