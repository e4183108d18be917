import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { cohesion } from './cohesion.ts';
import { buildGraph } from './csr.ts';

type Reference = {
  cases: Record<
    string,
    {
      cohesion: {
        density: number | null;
        membership: number[];
        count: number;
        largest: number;
        degreeCentralisation: number | null;
        reciprocity: number | null;
        isolates: number;
      };
    }
  >;
};
const reference = referenceFixture<Reference>('structure');

/** 1e-9, relative or absolute whichever is looser; null must meet null. */
function close(a: number | null, x: number | null): boolean {
  if (x === null) return a === null;
  return a !== null && Math.abs(a - x) <= 1e-9 * Math.max(1, Math.abs(x));
}

describe('cohesion', () => {
  it.each(graphCases())('matches igraph density, components, centralisation, reciprocity on $name', (c) => {
    const ref = reference.cases[c.name]!.cohesion;
    const r = cohesion(c.graph);
    expect(close(r.density, ref.density), `density ${r.density} vs ${ref.density}`).toBe(true);
    expect([...r.components.membership]).toEqual(ref.membership);
    expect(r.components.count).toBe(ref.count);
    expect(r.components.largest).toBe(ref.largest);
    expect(close(r.degreeCentralisation, ref.degreeCentralisation), `centralisation ${r.degreeCentralisation} vs ${ref.degreeCentralisation}`).toBe(true);
    expect(close(r.reciprocity, ref.reciprocity), `reciprocity ${r.reciprocity} vs ${ref.reciprocity}`).toBe(true);
    expect(r.isolates).toBe(ref.isolates);
  });

  it('calls a star completely centralised and a ring not at all', () => {
    const star = buildGraph({ nodes: 5, source: [0, 0, 0, 0], target: [1, 2, 3, 4] });
    const ring = buildGraph({ nodes: 5, source: [0, 1, 2, 3, 4], target: [1, 2, 3, 4, 0] });
    expect(cohesion(star).degreeCentralisation).toBe(1);
    expect(cohesion(ring).degreeCentralisation).toBe(0);
    expect(cohesion(ring).density).toBe(0.5);
  });

  it('counts the share of arcs whose reverse exists: two of three', () => {
    const g = buildGraph({ nodes: 4, source: [0, 1, 2], target: [1, 0, 3], directed: true });
    const r = cohesion(g);
    expect(r.reciprocity).toBeCloseTo(2 / 3, 14);
    expect(r.components.count).toBe(2);
    expect([...r.components.sizes]).toEqual([2, 2]);
  });
});
