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

export const metrics: Metric[] = [];

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
  const community = run.once('communities', () => new Int32Array(snap.schools.length));
  return { info: metrics.map(({ key, label, level, formula, meaning }) => ({ key, label, level, formula, meaning })), schools, summary, community, seconds };
}
