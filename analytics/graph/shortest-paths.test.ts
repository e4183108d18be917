import { describe, expect, it } from 'vitest';
import { buildGraph } from './csr.ts';
import { bfsFrom, createPathScratch, dijkstraFrom, sameDistance, seededRandom, shortestPathsFrom } from './shortest-paths.ts';

describe('shortest paths', () => {
  // 0 - 1 - 3 and 0 - 2 - 3 (two geodesics), 3 - 4; 5 isolated.
  const g = buildGraph({ nodes: 6, source: [0, 0, 1, 2, 3], target: [1, 2, 3, 3, 4], weight: [1, 2, 1, 4, 0.5] });

  it('counts shortest paths breadth-first and lists nodes by distance', () => {
    const s = createPathScratch(6);
    expect(bfsFrom(g, 0, s)).toBe(5);
    expect([...s.dist]).toEqual([0, 1, 1, 2, 3, Number.POSITIVE_INFINITY]);
    expect([...s.sigma]).toEqual([1, 1, 1, 2, 2, 0]);
    expect([...s.order.subarray(0, 5)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('uses distance = 1 / weight in Dijkstra: a strong tie is a short step', () => {
    const s = createPathScratch(6);
    expect(dijkstraFrom(g, 0, s)).toBe(5);
    // 0→2→3 = 0.5 + 0.25 beats 0→1→3 = 2; 3→4 adds 2.
    expect([...s.dist.subarray(0, 5)]).toEqual([0, 1, 0.5, 0.75, 2.75]);
    expect(s.sigma[3]).toBe(1);
    for (let i = 1; i < 5; i++) expect(s.dist[s.order[i]!]!).toBeGreaterThanOrEqual(s.dist[s.order[i - 1]!]!);
  });

  it('counts geodesics whose float sums differ in the last bit as ties (as igraph does)', () => {
    // 0→1→3 and 0→2→3 sum to 1.6666666666666665 in floats, the direct arc 1 / 0.6 is
    // 1.6666666666666667: all three are 5/3, so 3 geodesics.
    const h = buildGraph({ nodes: 4, source: [0, 1, 0, 2, 0], target: [1, 3, 2, 3, 3], weight: [0.75, 3, 3, 0.75, 0.6] });
    const s = createPathScratch(4);
    dijkstraFrom(h, 0, s);
    expect(s.sigma[3]).toBe(3);
    expect(sameDistance(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameDistance(1, 1 + 1e-6)).toBe(false);
  });

  it('follows out-arcs, or in-arcs for distances to the source, on directed graphs', () => {
    const d = buildGraph({ nodes: 3, source: [0, 1], target: [1, 2], directed: true });
    const s = createPathScratch(3);
    expect(shortestPathsFrom(d, 2, s, { weighted: false })).toBe(1);
    expect(shortestPathsFrom(d, 2, s, { weighted: false, direction: 'in' })).toBe(3);
    expect([...s.dist]).toEqual([2, 1, 0]);
    expect(shortestPathsFrom(d, 2, s, { weighted: true, direction: 'in' })).toBe(3);
    expect([...s.dist]).toEqual([2, 1, 0]);
  });

  it('resets what the previous search reached when the scratch is reused', () => {
    const s = createPathScratch(6);
    bfsFrom(g, 0, s);
    expect(dijkstraFrom(g, 5, s)).toBe(1);
    expect([...s.sigma]).toEqual([0, 0, 0, 0, 0, 1]);
    expect(s.dist.filter((d) => d === Number.POSITIVE_INFINITY).length).toBe(5);
  });

  it('draws the same numbers in [0, 1) for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((x, y) => x + y) / 1000).toBeCloseTo(0.5, 1);
  });
});
