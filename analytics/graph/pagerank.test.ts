import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph } from './csr.ts';
import { pageRank } from './pagerank.ts';

type Reference = { cases: Record<string, { pagerank: { weighted: number[]; unweighted: number[] } }> };
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser. */
function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((x, i) => {
    expect(Math.abs(actual[i]! - x) <= 1e-9 * Math.max(1, Math.abs(x)), `${what}[${i}] = ${actual[i]}, expected ${x}`).toBe(true);
  });
}

describe('pageRank', () => {
  it.each(graphCases())('matches igraph PRPACK (and networkx) on $name, weighted and unweighted', (c) => {
    const ref = reference.cases[c.name]!.pagerank;
    const weighted = pageRank(c.graph);
    const plain = pageRank(c.graph, { weighted: false });
    expect(weighted.converged && plain.converged).toBe(true);
    expectClose(weighted.values, ref.weighted, `${c.name} weighted`);
    expectClose(plain.values, ref.unweighted, `${c.name} unweighted`);
  });

  it('redistributes a dangling school uniformly and sums to 1', () => {
    // 0 → 1 → 2, and 2 supports nobody: its score is spread over all three.
    const g = buildGraph({ nodes: 3, source: [0, 1], target: [1, 2], directed: true });
    const r = pageRank(g);
    const sum = r.values.reduce((s, x) => s + x, 0);
    expect(sum).toBeCloseTo(1, 14);
    expect(r.values[2]).toBeGreaterThan(r.values[1]!);
    expect(r.values[1]).toBeGreaterThan(r.values[0]!);
  });

  it('gives every school 1/n without ties', () => {
    expect([...pageRank(buildGraph({ nodes: 4, source: [], target: [] })).values]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
