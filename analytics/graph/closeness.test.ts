import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { pathMetrics } from './betweenness.ts';
import { buildGraph, type Graph } from './csr.ts';
import { closenessMetrics, sampledCloseness } from './closeness.ts';
import { seededRandom } from './shortest-paths.ts';

type Reference = {
  closeness: number[];
  closenessReachable: (number | null)[];
  harmonic: number[];
  harmonicNormalised: (number | null)[];
  averagePathLength: number | null;
};
const fixture = referenceFixture<{ cases: { name: string; unweighted: Reference; weighted: Reference }[] }>('paths');
const cases = graphCases();

/** Within 1e-9, relative or absolute (whichever is looser); null (NaN in JSON) only matches NaN. */
function close(actual: number, expected: number | null): boolean {
  if (expected === null || Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

/** A seeded random graph: a big component, a small one of `smallSize` nodes, and isolates. */
function randomGraph(n: number, m: number, seed: number, directed: boolean, smallSize = 0): Graph {
  const random = seededRandom(seed);
  const strengths = [0.25, 0.5, 1, 2, 4];
  const source: number[] = [];
  const target: number[] = [];
  const weight: number[] = [];
  const big = n - smallSize - 5;
  for (let e = 0; e < m; e++) {
    source.push(Math.floor(random() * big));
    target.push(Math.floor(random() * big));
    weight.push(strengths[Math.floor(random() * 5)]!);
  }
  for (let v = big; v < big + smallSize - 1; v++) {
    source.push(v);
    target.push(v + 1);
    weight.push(1);
  }
  return buildGraph({ nodes: n, source, target, weight, directed });
}

describe('closenessMetrics (exact)', () => {
  for (const c of cases) {
    for (const variant of ['unweighted', 'weighted'] as const) {
      it(`matches networkx/igraph on ${c.name} (${variant})`, () => {
        const reference = fixture.cases.find((r) => r.name === c.name)![variant];
        const m = closenessMetrics(c.graph, { weighted: variant === 'weighted' });
        for (const key of ['closeness', 'closenessReachable', 'harmonic', 'harmonicNormalised'] as const) {
          reference[key].forEach((expected, v) => {
            expect(close(m[key][v]!, expected), `${c.name} ${key}[${v}]: ${m[key][v]} vs ${expected}`).toBe(true);
          });
        }
        expect(close(m.averagePathLength, reference.averagePathLength), `${c.name} average path length`).toBe(true);
      });
    }
  }

  it('penalises a pair that only works with each other (Wasserman–Faust), unlike igraph', () => {
    const g = buildGraph({ nodes: 6, source: [0, 0, 0, 4], target: [1, 2, 3, 5] });
    const m = closenessMetrics(g, { weighted: false });
    expect(m.closenessReachable[4]).toBe(1);
    expect(m.closeness[4]).toBeCloseTo(1 / 5, 12);
    expect(m.closeness[0]).toBeCloseTo((3 / 3) * (3 / 5), 12);
  });
});

describe('sampledCloseness (pivots)', () => {
  it('is exact when every component fits in the pivot budget', () => {
    for (const c of cases) {
      for (const weighted of [false, true]) {
        const exact = closenessMetrics(c.graph, { weighted });
        const est = sampledCloseness(c.graph, { weighted, pivots: c.graph.nodes });
        expect(est.exact).toBe(true);
        for (let v = 0; v < c.graph.nodes; v++) expect(close(est.harmonicNormalised[v]!, exact.harmonicNormalised[v]!)).toBe(true);
        if (c.graph.directed) {
          expect(est.closeness).toBeNull();
          continue;
        }
        for (let v = 0; v < c.graph.nodes; v++) expect(close(est.closeness![v]!, exact.closeness[v]!), `${c.name} closeness[${v}]`).toBe(true);
        expect(close(est.averagePathLength!, exact.averagePathLength)).toBe(true);
      }
    }
  });

  it('stays within its stated bounds on every node of bigger random graphs', () => {
    for (const directed of [false, true]) {
      const g = randomGraph(1500, 4000, directed ? 31 : 30, directed, 40);
      for (const weighted of [false, true]) {
        const exact = pathMetrics(g, { weighted });
        const est = sampledCloseness(g, { weighted, pivots: 48, seed: 9 });
        expect(est.exact).toBe(false);
        expect(est.searches).toBeLessThan(200);
        for (let v = 0; v < g.nodes; v++) {
          expect(Math.abs(est.harmonicNormalised[v]! - exact.harmonicNormalised[v]!)).toBeLessThanOrEqual(est.harmonicError);
          if (directed) continue;
          const reaches = exact.closenessReachable[v]!;
          if (Number.isNaN(reaches)) expect(est.closenessReachable![v]).toBeNaN();
          else expect(Math.abs(1 / est.closenessReachable![v]! - 1 / reaches)).toBeLessThanOrEqual(est.meanDistanceError!);
        }
        if (!directed) expect(Math.abs(est.averagePathLength! - exact.averagePathLength)).toBeLessThanOrEqual(est.averagePathLengthError!);
        else expect(est.averagePathLength).toBeNull();
      }
    }
  });

  it('repeats exactly for a seed', () => {
    const g = randomGraph(600, 1500, 4, false);
    const a = sampledCloseness(g, { weighted: true, pivots: 20, seed: 5 });
    const b = sampledCloseness(g, { weighted: true, pivots: 20, seed: 5 });
    expect([...a.harmonic]).toEqual([...b.harmonic]);
    expect(() => sampledCloseness(g, { weighted: true, delta: 0 })).toThrow(RangeError);
  });
});
