import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph, GraphInputError, undirected } from './csr.ts';
import { communityCount, modularity, renumberBySize } from './modularity.ts';

/** test/fixtures/graph/communities.json, written by test/reference/graph_communities.py. */
type CommunitiesFixture = {
  library: string;
  resolutions: string[];
  cases: Record<
    string,
    {
      partitions: Record<string, number[]>;
      /** partition → resolution → igraph's modularity (null: no ties, igraph's NaN). */
      modularity: Record<string, Record<string, number | null>>;
      igraph: Record<'multilevel' | 'leiden', Record<string, { modularity: number; communities: number } | null>>;
    }
  >;
};

const fixture = referenceFixture<CommunitiesFixture>('communities');
const cases = graphCases();

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('modularity', () => {
  it('has a reference for every case', () => {
    expect(Object.keys(fixture.cases).sort()).toEqual(cases.map((c) => c.name).sort());
  });

  for (const c of cases) {
    it(`matches igraph on ${c.name} for every partition and resolution`, () => {
      const ref = fixture.cases[c.name]!;
      for (const [name, membership] of Object.entries(ref.partitions)) {
        for (const r of fixture.resolutions) {
          const expected = ref.modularity[name]![r]!;
          const actual = modularity(c.graph, membership, Number(r));
          if (expected === null) expect(actual, `${name} at ${r}`).toBeNaN();
          else close(actual, expected);
        }
      }
    });
  }

  it('is NaN without ties, whatever the partition', () => {
    expect(modularity(buildGraph({ nodes: 3, source: [], target: [] }), [0, 0, 1])).toBeNaN();
    expect(modularity(buildGraph({ nodes: 0, source: [], target: [] }), [])).toBeNaN();
  });

  it('takes a directed graph as its undirected view, weights summed', () => {
    const directed = cases.find((c) => c.name === 'directed-weighted')!.graph;
    const membership = Array.from({ length: directed.nodes }, (_, v) => v % 4);
    expect(modularity(directed, membership)).toBe(modularity(undirected(directed), membership));
  });

  it('does not depend on the labels, only on the grouping', () => {
    const g = cases.find((c) => c.name === 'karate')!.graph;
    const a = Array.from({ length: g.nodes }, (_, v) => v % 3);
    const b = a.map((c) => [70, 5, 1_000_000_000][c]!);
    expect(modularity(g, b)).toBe(modularity(g, a));
  });

  it('is 0 for one community at resolution 1 and counts only inside ties at resolution 0', () => {
    const g = buildGraph({ nodes: 4, source: [0, 1, 2], target: [1, 2, 3], weight: [1, 2, 1] });
    expect(modularity(g, [0, 0, 0, 0])).toBeCloseTo(0, 15);
    expect(modularity(g, [0, 0, 1, 1], 0)).toBeCloseTo(2 / 4, 15);
  });

  it('names a bad membership', () => {
    const g = buildGraph({ nodes: 3, source: [0], target: [1] });
    expect(() => modularity(g, [0, 1])).toThrow(GraphInputError);
    expect(() => modularity(g, [0, -1, 2])).toThrow(/membership\[1\]/);
    expect(() => modularity(g, [0, 1.5, 2])).toThrow(/membership\[1\]/);
  });
});

describe('renumberBySize', () => {
  it('puts the largest community first, ties to the one with the smallest node', () => {
    expect([...renumberBySize([7, 3, 3, 9, 9, 7, 5])]).toEqual([0, 1, 1, 2, 2, 0, 3]);
    expect([...renumberBySize([4, 4, 8, 8, 8, 1])]).toEqual([1, 1, 0, 0, 0, 2]);
    expect([...renumberBySize([])]).toEqual([]);
  });

  it('keeps the grouping and numbers communities 0..k−1', () => {
    const m = Array.from({ length: 50 }, (_, v) => (v * 7) % 6);
    const r = renumberBySize(m);
    expect(communityCount(r)).toBe(6);
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) expect(r[a] === r[b]).toBe(m[a] === m[b]);
  });
});
