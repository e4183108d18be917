import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphCases } from '../../../test/graph-cases.ts';
import { metrics, runMetrics } from './metrics.ts';
import type { SnapshotGraph } from './snapshot.ts';

/** A snapshot around a fixture graph: schools with the case's attributes, every tie strong. */
function snapshotOf(name: string, directed = false): SnapshotGraph {
  const c = graphCases().find((x) => x.name === name)!;
  const g = c.graph;
  return {
    spec: { at: '2026-11-23', basis: 'activity', types: [] },
    schools: Array.from({ length: c.nodes }, (_, i) => ({
      id: i + 1,
      urn: 100000 + i,
      name: `School ${i}`,
      phase: c.attributes.phase[i]!,
      type: c.attributes.type[i]!,
      la: c.attributes.la[i]!,
      fsmPct: c.attributes.fsmBand[i]! * 10,
      grade: String(c.attributes.grade[i]),
      lat: c.attributes.lat[i]!,
      lon: c.attributes.lon[i]!,
    })),
    visible: new Uint8Array(c.nodes).fill(1),
    graph: g,
    directed: directed ? g : null,
    edgeClass: new Uint8Array(g.edges),
    sourceGave: new Int32Array(g.edges),
    targetGave: new Int32Array(g.edges),
    tieClassCounts: [g.edges, 0, 0],
    hasStrong: new Uint8Array(c.nodes).fill(1),
  };
}

describe('the metrics registry', () => {
  it('has unique keys, each documented with a formula and a meaning in docs/network.md', () => {
    const keys = metrics.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    const doc = readFileSync(new URL('../../../docs/network.md', import.meta.url), 'utf8');
    for (const m of metrics) {
      expect(doc, `docs/network.md lists ${m.key}`).toContain(`| \`${m.key}\` |`);
      expect(m.formula.length).toBeGreaterThan(0);
      expect(m.meaning.length).toBeGreaterThan(10);
    }
  });

  it('gives every school a value for every school metric, and the karate club its known structure', () => {
    const values = runMetrics(snapshotOf('karate'));
    for (const m of metrics.filter((x) => x.level === 'school')) expect(values.schools.get(m.key)!.length).toBe(34);
    // The club's two leaders (nodes 0 and 33) are its brokers: the top two by betweenness.
    const b = Array.from(values.schools.get('betweenness')!);
    const top = b.map((x, i) => [x, i] as const).sort((x, y) => y[0] - x[0]);
    expect(new Set([top[0]![1], top[1]![1]])).toEqual(new Set([0, 33]));
    expect(values.summary.schools).toBe(34);
    expect(values.summary.ties).toBe(78);
    expect(values.summary.density).toBeCloseTo(78 / 561, 12);
    expect(values.summary.pathsExact).toBe(1);
    expect(values.summary.modularity).toBeGreaterThan(0.4);
    expect(values.community.length).toBe(34);
  });

  it('estimates path metrics above the exact limit and states the error bound', () => {
    const values = runMetrics(snapshotOf('sparse-weighted'), { exactLimit: 50 });
    expect(values.summary.pathsExact).toBe(0);
    expect(values.summary.betweennessError).toBeGreaterThan(0);
    const exact = runMetrics(snapshotOf('sparse-weighted'));
    const eps = values.summary.betweennessError!;
    const est = values.schools.get('betweenness')!;
    const truth = exact.schools.get('betweenness')!;
    for (let i = 0; i < est.length; i++) expect(Math.abs(est[i]! - truth[i]!)).toBeLessThanOrEqual(eps);
  });

  it('copes with a graph without ties', () => {
    const values = runMetrics(snapshotOf('empty'));
    expect(values.summary.ties).toBe(0);
    expect(values.summary.isolated).toBe(5);
    expect(values.summary.modularity).toBeNull();
    expect(values.summary.density).toBe(0);
  });
});
