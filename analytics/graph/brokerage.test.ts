import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { brokerage } from './brokerage.ts';
import { buildGraph } from './csr.ts';

type Measures = { constraint: (number | null)[]; effectiveSize: (number | null)[] };
type Reference = { cases: Record<string, { brokerage: { weighted: Measures; unweighted: Measures } }> };
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser; null in the reference means NaN here. */
function expectClose(actual: ArrayLike<number>, expected: (number | null)[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((x, i) => {
    const a = actual[i]!;
    if (x === null) expect(Number.isNaN(a), `${what}[${i}] = ${a}, expected NaN`).toBe(true);
    else expect(Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x)), `${what}[${i}] = ${a}, expected ${x}`).toBe(true);
  });
}

describe('brokerage', () => {
  it.each(graphCases())('matches igraph constraint and networkx effective size on $name', (c) => {
    const ref = reference.cases[c.name]!.brokerage;
    const weighted = brokerage(c.graph);
    const plain = brokerage(c.graph, { weighted: false });
    expectClose(weighted.constraint, ref.weighted.constraint, `${c.name} constraint`);
    expectClose(weighted.effectiveSize, ref.weighted.effectiveSize, `${c.name} effective size`);
    expectClose(plain.constraint, ref.unweighted.constraint, `${c.name} unweighted constraint`);
    expectClose(plain.effectiveSize, ref.unweighted.effectiveSize, `${c.name} unweighted effective size`);
  });

  it('finds the broker between two groups that do not otherwise meet', () => {
    // Two triangles {0, 1, 2} and {4, 5, 6}; school 3 has ties into both.
    const g = buildGraph({ nodes: 7, source: [0, 0, 1, 4, 4, 5, 3, 3], target: [1, 2, 2, 5, 6, 6, 0, 4] });
    const r = brokerage(g);
    const lowest = r.constraint.indexOf(Math.min(...r.constraint));
    expect(lowest).toBe(3);
    expect(r.effectiveSize[3]).toBe(2);
    expect(r.constraint[3]).toBeCloseTo(0.5, 14);
  });
});
