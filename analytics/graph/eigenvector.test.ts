import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph } from './csr.ts';
import { eigenvectorCentrality } from './eigenvector.ts';

type Reference = { cases: Record<string, { eigenvector: { weighted: number[]; unweighted: number[] } }> };
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser. */
function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((x, i) => {
    expect(Math.abs(actual[i]! - x) <= 1e-9 * Math.max(1, Math.abs(x)), `${what}[${i}] = ${actual[i]}, expected ${x}`).toBe(true);
  });
}

describe('eigenvectorCentrality', () => {
  it.each(graphCases())('matches igraph (scale=True, undirected view) on $name, weighted and unweighted', (c) => {
    const ref = reference.cases[c.name]!.eigenvector;
    const weighted = eigenvectorCentrality(c.graph);
    const plain = eigenvectorCentrality(c.graph, { weighted: false });
    expect(weighted.converged && plain.converged).toBe(true);
    expectClose(weighted.values, ref.weighted, `${c.name} weighted`);
    expectClose(plain.values, ref.unweighted, `${c.name} unweighted`);
  });

  it('converges on a star, which is bipartite, with eigenvalue √(leaves)', () => {
    const g = buildGraph({ nodes: 5, source: [0, 0, 0, 0], target: [1, 2, 3, 4] });
    const r = eigenvectorCentrality(g);
    expect(r.converged).toBe(true);
    expect(r.eigenvalue).toBeCloseTo(2, 12);
    expect(r.values[0]).toBe(1);
    expect(r.values[1]).toBeCloseTo(0.5, 12);
  });

  it('converges on a long chain of schools, where λ₂ is within 0.1% of λ₁, to the closed form', () => {
    // Path on n nodes: x_i ∝ sin((i + 1)π / (n + 1)), λ₁ = 2 cos(π / (n + 1)).
    const n = 200;
    const g = buildGraph({ nodes: n, source: Array.from({ length: n - 1 }, (_, i) => i), target: Array.from({ length: n - 1 }, (_, i) => i + 1) });
    const r = eigenvectorCentrality(g);
    expect(r.converged).toBe(true);
    expect(r.eigenvalue).toBeCloseTo(2 * Math.cos(Math.PI / (n + 1)), 13);
    const top = Math.sin((100 * Math.PI) / (n + 1));
    const exact = Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)) / top);
    expectClose(r.values, exact, 'path');
  });

  it('scores only the component with the largest eigenvalue on a disconnected graph', () => {
    // A triangle (λ₁ = 2) and a separate single tie (λ₁ = 1).
    const g = buildGraph({ nodes: 5, source: [0, 1, 2, 3], target: [1, 2, 0, 4] });
    const r = eigenvectorCentrality(g);
    expect([...r.values.subarray(0, 3)]).toEqual([1, 1, 1]);
    expect(r.values[3]).toBeLessThan(1e-12);
  });
});
