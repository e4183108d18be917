import { describe, expect, it } from 'vitest';
import { buildGraph, degrees, GraphInputError, induced, undirected, unweighted } from './csr.ts';

const row = (g: ReturnType<typeof buildGraph>, v: number) => [...g.targets.subarray(g.offsets[v]!, g.offsets[v + 1]!)];
const rowWeights = (g: ReturnType<typeof buildGraph>, v: number) => [...g.weights.subarray(g.offsets[v]!, g.offsets[v + 1]!)];

describe('buildGraph', () => {
  it('drops self-loops, merges duplicates both ways and sums their weights', () => {
    const g = buildGraph({ nodes: 4, source: [0, 1, 2, 2, 0, 3], target: [1, 0, 2, 3, 1, 0], weight: [1, 2, 9, 1, 0.5, 4] });
    expect(g.edges).toBe(3);
    expect(row(g, 0)).toEqual([1, 3]);
    expect(rowWeights(g, 0)).toEqual([3.5, 4]);
    expect(row(g, 2)).toEqual([3]);
    expect(row(g, 3)).toEqual([0, 2]);
    expect([...degrees(g)]).toEqual([2, 1, 1, 2]);
  });

  it('keeps direction when asked: in-rows and out-rows differ', () => {
    const g = buildGraph({ nodes: 3, source: [0, 1, 0, 2], target: [1, 0, 1, 0], directed: true });
    expect(g.edges).toBe(3);
    expect(row(g, 0)).toEqual([1]);
    expect(rowWeights(g, 0)).toEqual([2]);
    expect([...g.sources.subarray(g.inOffsets[0]!, g.inOffsets[1]!)]).toEqual([1, 2]);
    const u = undirected(g);
    expect(u.edges).toBe(2);
    expect(rowWeights(u, 0)).toEqual([3, 1]);
  });

  it('keeps rows sorted for large random input', () => {
    const n = 300;
    const s: number[] = [];
    const t: number[] = [];
    let x = 7;
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s.push(x % n);
      x = (x * 1103515245 + 12345) % 2147483648;
      t.push(x % n);
    }
    const g = buildGraph({ nodes: n, source: s, target: t });
    const pairs = new Set<string>();
    for (let i = 0; i < s.length; i++) if (s[i] !== t[i]) pairs.add(`${Math.min(s[i]!, t[i]!)}-${Math.max(s[i]!, t[i]!)}`);
    expect(g.edges).toBe(pairs.size);
    for (let v = 0; v < n; v++) {
      const r = row(g, v);
      expect(r).toEqual([...r].sort((a, b) => a - b));
    }
  });

  it('names the bad edge', () => {
    expect(() => buildGraph({ nodes: 2, source: [0], target: [2] })).toThrow(/edge 0: endpoints/);
    expect(() => buildGraph({ nodes: 2, source: [0], target: [1], weight: [0] })).toThrow(GraphInputError);
  });

  it('induces subgraphs and drops weights on request', () => {
    const g = buildGraph({ nodes: 4, source: [0, 1, 2], target: [1, 2, 3], weight: [2, 3, 4] });
    const { graph, original } = induced(g, [0, 1, 1, 1]);
    expect([...original]).toEqual([1, 2, 3]);
    expect(graph.edges).toBe(2);
    expect(rowWeights(graph, 1)).toEqual([3, 4]);
    expect([...unweighted(g).weights]).toEqual(new Array(6).fill(1));
  });
});
