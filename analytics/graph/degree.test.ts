import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph } from './csr.ts';
import { degreeProfile } from './degree.ts';

type Reference = {
  cases: Record<string, { degree: Record<'degree' | 'strength' | 'inDegree' | 'outDegree' | 'inStrength' | 'outStrength' | 'balance', (number | null)[]> }>;
};
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

describe('degreeProfile', () => {
  it.each(graphCases())('matches igraph degree and strength on $name', (c) => {
    const ref = reference.cases[c.name]!.degree;
    const p = degreeProfile(c.graph);
    for (const key of ['degree', 'strength', 'inDegree', 'outDegree', 'inStrength', 'outStrength', 'balance'] as const) {
      expectClose(p[key], ref[key], `${c.name} ${key}`);
    }
  });

  it('a school that mostly gives support has a positive balance', () => {
    // 0 helps 1 (weight 3) and 2 (weight 1); 1 helps 0 back a little (weight 1).
    const g = buildGraph({ nodes: 4, source: [0, 0, 1], target: [1, 2, 0], weight: [3, 1, 1], directed: true });
    const p = degreeProfile(g);
    expect(p.balance[0]).toBeCloseTo((4 - 1) / 5, 12);
    expect(p.balance[2]).toBe(-1);
    expect(p.balance[3]).toBeNaN();
    expect([...p.degree]).toEqual([3, 2, 1, 0]);
  });

  it('has no balance without direction', () => {
    const p = degreeProfile(buildGraph({ nodes: 2, source: [0], target: [1], weight: [2] }));
    expect([...p.strength]).toEqual([2, 2]);
    expect(p.inDegree).toBe(p.outDegree);
    expect(Number.isNaN(p.balance[0]!)).toBe(true);
  });
});
