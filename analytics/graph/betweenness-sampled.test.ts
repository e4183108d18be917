import { describe, expect, it } from 'vitest';
import { graphCases } from '../../test/graph-cases.ts';
import { pathMetrics } from './betweenness.ts';
import { createPathSampler, sampledBetweenness, sampleSize, vertexDiameterBound } from './betweenness-sampled.ts';
import { buildGraph, type Graph } from './csr.ts';
import { createPathScratch, seededRandom, shortestPathsFrom } from './shortest-paths.ts';

const cases = graphCases();

function randomGraph(n: number, m: number, seed: number, directed: boolean): Graph {
  const random = seededRandom(seed);
  const strengths = [0.25, 0.5, 0.75, 1, 2, 4];
  const source: number[] = [];
  const target: number[] = [];
  const weight: number[] = [];
  for (let e = 0; e < m; e++) {
    source.push(Math.floor(random() * n));
    target.push(Math.floor(random() * n));
    weight.push(strengths[Math.floor(random() * strengths.length)]!);
  }
  return buildGraph({ nodes: n, source, target, weight, directed });
}

/** Every node's |estimate − exact| ≤ ε on networkx's normalised scale. */
function expectWithinBound(g: Graph, weighted: boolean, epsilon: number, seed: number): void {
  const exact = pathMetrics(g, { weighted });
  const est = sampledBetweenness(g, { weighted, epsilon, delta: 0.1, seed });
  for (let v = 0; v < g.nodes; v++) {
    expect(Math.abs(est.betweennessNormalised[v]! - exact.betweennessNormalised[v]!), `node ${v}`).toBeLessThanOrEqual(est.epsilonNormalised);
    expect(Math.abs(est.betweenness[v]! - exact.betweenness[v]!), `node ${v} raw`).toBeLessThanOrEqual(est.epsilonRaw);
  }
}

describe('sampledBetweenness (Riondato–Kornaropoulos)', () => {
  for (const c of cases) {
    it(`keeps every node within ε of the exact value on ${c.name}`, () => {
      expectWithinBound(c.graph, false, 0.03, 1);
      expectWithinBound(c.graph, true, 0.03, 2);
    });
  }

  it('keeps every node within ε on bigger random graphs, directed or not, weighted or not', () => {
    expectWithinBound(randomGraph(1200, 3000, 3, false), false, 0.01, 3);
    expectWithinBound(randomGraph(1200, 3000, 4, false), true, 0.01, 4);
    expectWithinBound(randomGraph(800, 3000, 5, true), false, 0.015, 5);
    expectWithinBound(randomGraph(800, 3000, 6, true), true, 0.015, 6);
  });

  it('converges to the exact pair shares (the path sampling is uniform)', () => {
    // Two routes of different multiplicity: a uniform path sampler must weight them 2 : 1.
    const g = buildGraph({ nodes: 6, source: [0, 0, 1, 2, 3, 4], target: [1, 2, 3, 3, 5, 5] });
    const exact = pathMetrics(g, { weighted: false });
    for (const weighted of [false, true]) {
      const sampler = createPathSampler(g, weighted, seededRandom(8));
      const hits = new Float64Array(6);
      const r = 200_000;
      for (let i = 0; i < r; i++) sampler.sample(hits);
      for (let v = 0; v < 6; v++) expect(hits[v]! / r).toBeCloseTo(exact.betweenness[v]! / 15, 2);
    }
  });

  it('bounds the vertex diameter from above', () => {
    const scratch = createPathScratch(200);
    for (const c of cases) {
      if (c.graph.directed) {
        expect(vertexDiameterBound(c.graph, false)).toBeLessThanOrEqual(c.graph.nodes);
        continue;
      }
      let hops = 0;
      for (let s = 0; s < c.graph.nodes; s++) {
        const r = shortestPathsFrom(c.graph, s, scratch, { weighted: false });
        hops = Math.max(hops, scratch.dist[scratch.order[r - 1]!]!);
      }
      expect(vertexDiameterBound(c.graph, false), c.name).toBeGreaterThanOrEqual(c.graph.nodes > 0 ? hops + 1 : 0);
      expect(vertexDiameterBound(c.graph, true)).toBeGreaterThanOrEqual(vertexDiameterBound(c.graph, false));
    }
  });

  it('sizes the sample by Theorem 2 and reports its bound', () => {
    expect(sampleSize(2, 0.01, 0.1)).toBe(0);
    expect(sampleSize(13, 0.01, 0.1)).toBe(Math.ceil(5000 * (3 + 1 + Math.log(10))));
    const g = cases.find((c) => c.name === 'karate')!.graph;
    const est = sampledBetweenness(g, { weighted: false, epsilon: 0.05, delta: 0.2, seed: 1 });
    expect(est.samples).toBe(sampleSize(est.vertexDiameter, 0.05, 0.2));
    expect(est.epsilonNormalised).toBeCloseTo(0.05 * (34 / 32), 12);
    expect(est.epsilonRaw).toBeCloseTo((0.05 * 34 * 33) / 2, 9);
    expect([...sampledBetweenness(g, { weighted: false, epsilon: 0.05, delta: 0.2, seed: 1 }).pairShare]).toEqual([...est.pairShare]);
    expect(() => sampledBetweenness(g, { weighted: false, epsilon: 0 })).toThrow(RangeError);
  });
});
