import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph } from './csr.ts';
import { coreNumbers } from './k-core.ts';

type Reference = { cases: Record<string, { coreness: number[] }> };
const reference = referenceFixture<Reference>('structure');

describe('coreNumbers', () => {
  it.each(graphCases())('matches igraph coreness (undirected view) on $name', (c) => {
    expect([...coreNumbers(c.graph)]).toEqual(reference.cases[c.name]!.coreness);
  });

  it('puts a clique in its own core and its pendant schools in the 1-core', () => {
    // K4 on 0..3, a pendant 4 on 0, a path 4–5, and an isolate 6.
    const g = buildGraph({ nodes: 7, source: [0, 0, 0, 1, 1, 2, 0, 4], target: [1, 2, 3, 2, 3, 3, 4, 5] });
    expect([...coreNumbers(g)]).toEqual([3, 3, 3, 3, 1, 1, 0]);
  });
});
