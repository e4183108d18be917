import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { degreeAssortativity, nominalAssortativity, numericAssortativity } from './assortativity.ts';
import { buildGraph, GraphInputError } from './csr.ts';

type Values = { phase: number | null; fsmBand: number | null; degree: number | null };
type Reference = {
  cases: Record<
    string,
    {
      assortativity: Values & {
        masks: { phase: (string | null)[]; fsmBand: (number | null)[] };
        type: number | null;
        la: number | null;
        grade: number | null;
        phaseMasked: number | null;
        fsmBandMasked: number | null;
        singleCategory: number | null;
        undirected?: Values;
      };
    }
  >;
};
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser; null must meet null. */
function expectClose(a: number | null, x: number | null, what: string): void {
  const ok = x === null ? a === null : a !== null && Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x));
  expect(ok, `${what}: ${a}, expected ${x}`).toBe(true);
}

describe('assortativity', () => {
  it.each(graphCases())('matches igraph assortativity (nominal, numeric, degree; missing values left out) on $name', (c) => {
    const ref = reference.cases[c.name]!.assortativity;
    const g = c.graph;
    const at = c.attributes;
    expectClose(nominalAssortativity(g, at.phase), ref.phase, 'phase');
    expectClose(nominalAssortativity(g, at.type), ref.type, 'type');
    expectClose(nominalAssortativity(g, at.la), ref.la, 'la');
    expectClose(numericAssortativity(g, at.fsmBand), ref.fsmBand, 'fsmBand');
    expectClose(numericAssortativity(g, at.grade), ref.grade, 'grade');
    expectClose(degreeAssortativity(g), ref.degree, 'degree');
    expectClose(nominalAssortativity(g, ref.masks.phase), ref.phaseMasked, 'phase with missing values');
    expectClose(numericAssortativity(g, ref.masks.fsmBand), ref.fsmBandMasked, 'fsmBand with missing values');
    expectClose(nominalAssortativity(g, at.phase.map(() => 'primary')), ref.singleCategory, 'single category');
    if (ref.undirected) {
      expectClose(nominalAssortativity(g, at.phase, { directed: false }), ref.undirected.phase, 'undirected phase');
      expectClose(numericAssortativity(g, at.fsmBand, { directed: false }), ref.undirected.fsmBand, 'undirected fsmBand');
      expectClose(degreeAssortativity(g, { directed: false }), ref.undirected.degree, 'undirected degree');
    }
  });

  it('is 1 when schools only work within their phase and −1 for a pure hub-and-spoke', () => {
    const g = buildGraph({ nodes: 4, source: [0, 2], target: [1, 3] });
    expect(nominalAssortativity(g, ['primary', 'primary', 'secondary', 'secondary'])).toBe(1);
    expect(nominalAssortativity(g, ['primary', 'secondary', 'primary', 'secondary'])).toBe(-1);
    const star = buildGraph({ nodes: 4, source: [0, 0, 0], target: [1, 2, 3] });
    expect(degreeAssortativity(star)).toBeCloseTo(-1, 14);
  });

  it('is null without ties or variation, and names a wrong-length attribute', () => {
    const empty = buildGraph({ nodes: 3, source: [], target: [] });
    expect(nominalAssortativity(empty, ['a', 'b', 'c'])).toBeNull();
    const g = buildGraph({ nodes: 3, source: [0, 1], target: [1, 2] });
    expect(numericAssortativity(g, [2, 2, 2])).toBeNull();
    expect(numericAssortativity(g, [1, null, 2])).toBeNull();
    expect(() => numericAssortativity(g, [1, 2])).toThrow(GraphInputError);
  });
});
