import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { accumulatePathSums, createPathSums, finishPathSums, mergePathSums, type PathMetrics, pathMetrics } from './betweenness.ts';
import { buildGraph } from './csr.ts';

/** One variant (unweighted or weighted) of a case in paths.json; null stands for NaN. */
type PathsReference = {
  betweenness: number[];
  betweennessNormalised: number[];
  closeness: number[];
  closenessReachable: (number | null)[];
  harmonic: number[];
  harmonicNormalised: (number | null)[];
  averagePathLength: number | null;
};
type PathsFixture = { cases: { name: string; unweighted: PathsReference; weighted: PathsReference }[] };

/** Within 1e-9, relative or absolute (whichever is looser); NaN only matches null or NaN. */
function expectClose(actual: number, expected: number | null, label: string): void {
  if (expected === null || Number.isNaN(expected)) {
    expect(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function expectMatches(metrics: Partial<Record<keyof PathsReference, ArrayLike<number> | number>>, reference: PathsReference, label: string): void {
  for (const [key, value] of Object.entries(metrics)) {
    const expected = reference[key as keyof PathsReference];
    if (typeof value === 'number') {
      expectClose(value, expected as number | null, `${label} ${key}`);
      continue;
    }
    const list = expected as (number | null)[];
    expect(value.length, `${label} ${key} length`).toBe(list.length);
    for (let v = 0; v < list.length; v++) expectClose(value[v]!, list[v]!, `${label} ${key}[${v}]`);
  }
}

const fixture = referenceFixture<PathsFixture>('paths');
const cases = graphCases();

function metricsOf(m: PathMetrics) {
  const { directed: _d, weighted: _w, ...rest } = m;
  return rest;
}

describe('pathMetrics (Brandes, one pass for every path metric)', () => {
  it('covers every reference case', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(cases.map((c) => c.name));
  });

  for (const c of cases) {
    for (const variant of ['unweighted', 'weighted'] as const) {
      it(`matches igraph/networkx on ${c.name} (${variant})`, () => {
        const reference = fixture.cases.find((r) => r.name === c.name)![variant];
        const m = pathMetrics(c.graph, { weighted: variant === 'weighted' });
        expect(Object.keys(metricsOf(m)).sort()).toEqual(Object.keys(reference).sort());
        expectMatches(metricsOf(m), reference, `${c.name} ${variant}`);
      });
    }
  }

  it('gives a star its textbook values: the hub lies between all 28 pairs of leaves', () => {
    const star = buildGraph({ nodes: 9, source: [0, 0, 0, 0, 0, 0, 0, 0], target: [1, 2, 3, 4, 5, 6, 7, 8] });
    const m = pathMetrics(star, { weighted: false });
    expect(m.betweenness[0]).toBe(28);
    expect(m.betweennessNormalised[0]).toBe(1);
    expect(m.betweenness[1]).toBe(0);
    expect(m.closeness[0]).toBe(1);
    expect(m.averagePathLength).toBeCloseTo((8 * 1 * 2 + 8 * 7 * 2) / 72, 12);
  });

  it('adds up partial sums over disjoint source sets, ranges or lists, to the whole', () => {
    for (const name of ['sparse-weighted', 'directed-weighted']) {
      const g = cases.find((c) => c.name === name)!.graph;
      const whole = pathMetrics(g, { weighted: true });
      const half = Math.floor(g.nodes / 2);
      const odd = Array.from({ length: g.nodes }, (_, v) => v).filter((v) => v % 2 === 1 && v >= half);
      const even = Array.from({ length: g.nodes }, (_, v) => v).filter((v) => v % 2 === 0 && v >= half);
      const sums = accumulatePathSums(g, { weighted: true }, { from: 0, to: half });
      mergePathSums(sums, accumulatePathSums(g, { weighted: true }, odd));
      mergePathSums(sums, accumulatePathSums(g, { weighted: true }, even));
      const split = finishPathSums(sums);
      for (let v = 0; v < g.nodes; v++) {
        expectClose(split.betweenness[v]!, whole.betweenness[v]!, `${name} betweenness[${v}]`);
        expectClose(split.closeness[v]!, whole.closeness[v]!, `${name} closeness[${v}]`);
      }
      expectClose(split.averagePathLength, whole.averagePathLength, `${name} average path length`);
    }
  });

  it('refuses to finish sums that do not cover every source', () => {
    const g = cases.find((c) => c.name === 'karate')!.graph;
    expect(() => finishPathSums(accumulatePathSums(g, { weighted: false }, { from: 0, to: 10 }))).toThrow(/cover 10 of 34/);
    expect(finishPathSums(createPathSums(0, false, false)).averagePathLength).toBeNaN();
  });
});
