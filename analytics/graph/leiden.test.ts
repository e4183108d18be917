import { describe, expect, it } from 'vitest';
import { graphCases, referenceFixture } from '../../test/graph-cases.ts';
import { buildGraph, type Graph, GraphInputError, undirected } from './csr.ts';
import { leiden } from './leiden.ts';
import { seededRandom } from './louvain.ts';
import { communityCount, modularity, renumberBySize } from './modularity.ts';

/** The parts of test/fixtures/graph/communities.json (graph_communities.py) used here. */
type CommunitiesFixture = {
  resolutions: string[];
  cases: Record<string, { partitions: Record<string, number[]>; igraph: Record<'leiden', Record<string, { modularity: number } | null>> }>;
};

const fixture = referenceFixture<CommunitiesFixture>('communities');
const cases = graphCases();

/** Every community induces a connected subgraph of the undirected view (breadth-first search). */
function allConnected(g: Graph, membership: Int32Array): boolean {
  const u = undirected(g);
  const seen = new Uint8Array(u.nodes);
  const started = new Set<number>();
  for (let root = 0; root < u.nodes; root++) {
    if (seen[root]) continue;
    // A second search root in a community already met means a second piece.
    if (started.has(membership[root]!)) return false;
    started.add(membership[root]!);
    const queue = [root];
    seen[root] = 1;
    while (queue.length > 0) {
      const v = queue.pop()!;
      for (let e = u.offsets[v]!; e < u.offsets[v + 1]!; e++) {
        const w = u.targets[e]!;
        if (!seen[w] && membership[w] === membership[v]) {
          seen[w] = 1;
          queue.push(w);
        }
      }
    }
  }
  return true;
}

function randomGraph(random: () => number, n: number, ties: number, directed: boolean): Graph {
  const s: number[] = [];
  const t: number[] = [];
  const w: number[] = [];
  for (let e = 0; e < ties; e++) {
    s.push(Math.floor(random() * n));
    t.push(Math.floor(random() * n));
    w.push([0.25, 0.5, 1, 2, 4][Math.floor(random() * 5)]!);
  }
  return buildGraph({ nodes: n, source: s, target: t, weight: w, directed });
}

describe('leiden', () => {
  for (const c of cases) {
    it(`reaches igraph's community_leiden modularity (− 0.02) on ${c.name}, with connected communities`, () => {
      for (const r of fixture.resolutions) {
        const result = leiden(c.graph, { resolution: Number(r) });
        expect(allConnected(c.graph, result.membership)).toBe(true);
        const reference = fixture.cases[c.name]!.igraph.leiden[r];
        if (reference === null) {
          expect(result.modularity).toBeNaN();
          expect(result.communities).toBe(c.nodes);
          continue;
        }
        expect(result.modularity).toBeGreaterThanOrEqual(reference!.modularity - 0.02);
        expect(Math.abs(result.modularity - modularity(c.graph, result.membership, Number(r)))).toBeLessThan(1e-12);
      }
    });
  }

  it('has a connectivity check that sees a community in two pieces', () => {
    const path = buildGraph({ nodes: 4, source: [0, 1, 2], target: [1, 2, 3] });
    expect(allConnected(path, Int32Array.from([0, 0, 1, 1]))).toBe(true);
    expect(allConnected(path, Int32Array.from([0, 1, 1, 0]))).toBe(false);
  });

  it('keeps every community connected on every case, seed and setting', () => {
    for (const c of cases) {
      for (const seed of [1, 2, 3, 4, 5]) {
        for (const randomness of [0.01, 0, 1]) {
          for (const resolution of [0.25, 1, 2]) {
            const { membership } = leiden(c.graph, { seed, randomness, resolution, order: seed === 5 ? 'natural' : 'random' });
            expect(allConnected(c.graph, membership), `${c.name} seed ${seed} θ ${randomness} γ ${resolution}`).toBe(true);
          }
        }
      }
    }
  });

  it('keeps every community connected on random graphs, sparse to dense, directed or not', () => {
    const random = seededRandom(2019);
    for (let trial = 0; trial < 60; trial++) {
      const n = 5 + Math.floor(random() * 200);
      const g = randomGraph(random, n, Math.floor(n * (0.5 + random() * 6)), trial % 4 === 0);
      for (const resolution of [0.5, 1, 3]) {
        const result = leiden(g, { seed: trial, resolution, iterations: 1 + (trial % 3) });
        expect(allConnected(g, result.membership), `trial ${trial} γ ${resolution}`).toBe(true);
      }
    }
  });

  it('recovers the planted groups, as igraph does', () => {
    const planted = cases.find((c) => c.name === 'planted')!;
    for (const order of ['random', 'natural'] as const) {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const { membership } = leiden(planted.graph, { order, seed });
        // Planted blocks of 25, except node 77 (one tie into its block, one to node 29):
        // modularity puts it with node 29's block, and so does igraph.
        const expected = Array.from({ length: planted.nodes }, (_, v) => (v === 77 ? 1 : Math.floor(v / 25)));
        expect([...renumberBySize(membership)]).toEqual([...renumberBySize(expected)]);
        expect([...renumberBySize(membership)]).toEqual([...renumberBySize(fixture.cases.planted!.partitions.igraphMultilevel!)]);
      }
    }
  });

  it('is reproducible: same seed, same communities; θ = 0 in natural order needs no seed', () => {
    const g = cases.find((c) => c.name === 'sparse-weighted')!.graph;
    expect([...leiden(g, { seed: 7 }).membership]).toEqual([...leiden(g, { seed: 7 }).membership]);
    const a = leiden(g, { randomness: 0, order: 'natural', seed: 1 });
    const b = leiden(g, { randomness: 0, order: 'natural', seed: 99 });
    expect([...a.membership]).toEqual([...b.membership]);
    expect([...a.membership]).toEqual([...renumberBySize(a.membership)]);
    expect(a.communities).toBe(communityCount(a.membership));
  });

  it('stops early when a pass changes nothing, and more passes never lower modularity', () => {
    const g = cases.find((c) => c.name === 'dense')!.graph;
    const one = leiden(g, { iterations: 1, randomness: 0 });
    const many = leiden(g, { iterations: 50, randomness: 0 });
    expect(one.iterations).toBe(1);
    expect(many.iterations).toBeLessThan(50);
    expect(many.modularity).toBeGreaterThanOrEqual(one.modularity - 1e-12);
  });

  it('leaves a tie-less graph as singletons with NaN', () => {
    const none = leiden(buildGraph({ nodes: 4, source: [], target: [] }));
    expect([...none.membership]).toEqual([0, 1, 2, 3]);
    expect(none.modularity).toBeNaN();
    expect(leiden(buildGraph({ nodes: 0, source: [], target: [] })).communities).toBe(0);
  });

  it('names bad options', () => {
    const g = cases[0]!.graph;
    expect(() => leiden(g, { resolution: -1 })).toThrow(GraphInputError);
    expect(() => leiden(g, { randomness: -0.1 })).toThrow(/randomness/);
    expect(() => leiden(g, { iterations: 0 })).toThrow(/iterations/);
  });
});
