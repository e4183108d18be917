import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph, GraphInputError } from './csr.ts';
import { crossMixing, haversineKm, percentile, tieClassShares, tieGeography } from './mixing.ts';

type Cross = { ties: number; crossTies: number; crossShare: number | null; weight: number; crossWeight: number; crossWeightShare: number | null };
type Geography = { count: number; mean: number | null; median: number | null; p90: number | null; weightedMean: number | null; distances: (number | null)[] };
type Reference = {
  cases: Record<
    string,
    {
      assortativity: { masks: { phase: (string | null)[] } };
      mixing: {
        phase: Cross;
        phaseMasked: Cross;
        geography: Geography;
        latMasked: (number | null)[];
        geographyMasked: Geography;
        edgeClass: number[];
        classShares: { counts: number[]; weights: number[]; shares: (number | null)[]; weightShares: (number | null)[] };
      };
    }
  >;
};
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser; null in the reference means null or NaN here. */
function close(a: number | null, x: number | null): boolean {
  if (x === null) return a === null || Number.isNaN(a);
  return a !== null && Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x));
}
function expectRecord(actual: Record<string, number | null>, expected: Record<string, number | null>, what: string): void {
  for (const [key, x] of Object.entries(expected)) expect(close(actual[key] ?? null, x), `${what}.${key}: ${actual[key]}, expected ${x}`).toBe(true);
}
function expectClose(actual: ArrayLike<number>, expected: (number | null)[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((x, i) => {
    expect(close(actual[i]!, x), `${what}[${i}] = ${actual[i]}, expected ${x}`).toBe(true);
  });
}

describe('mixing', () => {
  it.each(graphCases())('matches the numpy reference for cross-phase share, tie distances and class shares on $name', (c) => {
    const ref = reference.cases[c.name]!;
    const g = c.graph;
    expectRecord(crossMixing(g, c.attributes.phase), ref.mixing.phase, 'phase');
    expectRecord(crossMixing(g, ref.assortativity.masks.phase), ref.mixing.phaseMasked, 'masked phase');
    for (const [geo, lat, what] of [
      [ref.mixing.geography, c.attributes.lat, 'geography'],
      [ref.mixing.geographyMasked, ref.mixing.latMasked, 'masked geography'],
    ] as const) {
      const { distances, ...summary } = tieGeography(g, lat, c.attributes.lon);
      const { distances: expected, ...expectedSummary } = geo;
      expectRecord(summary, expectedSummary, what);
      expectClose(distances, expected, `${what} distances`);
    }
    const shares = tieClassShares(g, Uint8Array.from(ref.mixing.edgeClass), 3);
    const x = ref.mixing.classShares;
    expectClose(shares.counts, x.counts, 'class counts');
    expectClose(shares.weights, x.weights, 'class weights');
    expectClose(shares.shares, x.shares, 'class shares');
    expectClose(shares.weightShares, x.weightShares, 'class weight shares');
  });

  it('tells vertical (cross-phase) from horizontal ties, by count and by weight', () => {
    const g = buildGraph({ nodes: 4, source: [0, 0, 2], target: [1, 2, 3], weight: [1, 3, 1] });
    const r = crossMixing(g, ['primary', 'primary', 'secondary', null]);
    expect(r).toMatchObject({ ties: 2, crossTies: 1, crossShare: 0.5, weight: 4, crossWeight: 3, crossWeightShare: 0.75 });
  });

  it('measures great-circle distance and numpy-style percentiles', () => {
    // One degree of latitude is 2πR/360 km.
    expect(haversineKm(50, -4, 51, -4)).toBeCloseTo((2 * Math.PI * 6371.0088) / 360, 9);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 14);
    expect(percentile([5], 50)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });

  it('rejects class codes that do not fit', () => {
    const g = buildGraph({ nodes: 2, source: [0], target: [1] });
    expect(() => tieClassShares(g, Uint8Array.from([3]), 3)).toThrow(GraphInputError);
    expect(() => tieClassShares(g, new Uint8Array(2), 3)).toThrow(/one class code per tie/);
  });
});
