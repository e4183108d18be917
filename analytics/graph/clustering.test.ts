import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { clustering, forEachTriangle } from './clustering.ts';
import { buildGraph } from './csr.ts';

type Reference = {
  cases: Record<
    string,
    { clustering: { local: number[]; weighted: number[]; averageLocal: number | null; averageWeighted: number | null; transitivity: number | null } }
  >;
};
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser; null in the reference means null/NaN here. */
function close(a: number | null, x: number | null): boolean {
  if (x === null) return a === null || Number.isNaN(a);
  return a !== null && Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x));
}
function expectClose(actual: ArrayLike<number>, expected: (number | null)[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((x, i) => {
    expect(close(actual[i]!, x), `${what}[${i}] = ${actual[i]}, expected ${x}`).toBe(true);
  });
}

describe('clustering', () => {
  it.each(graphCases())('matches igraph transitivity (local, Barrat, global, average) on $name', (c) => {
    const ref = reference.cases[c.name]!.clustering;
    const r = clustering(c.graph);
    expectClose(r.local, ref.local, `${c.name} local`);
    expectClose(r.weighted, ref.weighted, `${c.name} Barrat`);
    expect(close(r.averageLocal, ref.averageLocal), `average ${r.averageLocal} vs ${ref.averageLocal}`).toBe(true);
    expect(close(r.averageWeighted, ref.averageWeighted), `weighted average ${r.averageWeighted} vs ${ref.averageWeighted}`).toBe(true);
    expect(close(r.transitivity, ref.transitivity), `transitivity ${r.transitivity} vs ${ref.transitivity}`).toBe(true);
  });

  it('visits every triangle of a complete graph once', () => {
    const s: number[] = [];
    const t: number[] = [];
    for (let a = 0; a < 6; a++) {
      for (let b = a + 1; b < 6; b++) {
        s.push(a);
        t.push(b);
      }
    }
    const g = buildGraph({ nodes: 6, source: s, target: t });
    const seen = new Set<string>();
    forEachTriangle(g, (a, b, c, ab, ac, bc) => {
      expect(g.targets[ab]).toBe(b);
      expect(g.targets[ac]).toBe(c);
      expect(g.targets[bc]).toBe(c);
      seen.add([a, b, c].sort().join());
    });
    expect(seen.size).toBe(20);
  });

  it('weights a triangle by the ties the school puts into it (Barrat)', () => {
    // School 0 has a strong tie to 1 and weak ties to 2 and 3; only 1 and 2 work together.
    const g = buildGraph({ nodes: 4, source: [0, 0, 0, 1], target: [1, 2, 3, 2], weight: [4, 1, 1, 1] });
    const r = clustering(g);
    expect(r.local[0]).toBeCloseTo(1 / 3, 14);
    expect(r.weighted[0]).toBeCloseTo((4 + 1) / (6 * 2), 14);
    expect(r.local[3]).toBe(0);
    expect(r.transitivity).toBeCloseTo(3 / 5, 14);
  });
});
