import { describe, expect, it } from 'vitest';
import { graphCases } from '../../test/graph-cases.ts';
import { corePeriphery, corePeripheryFit, type CorePeripheryOptions } from './core-periphery.ts';
import { buildGraph, type Graph, GraphInputError, undirected } from './csr.ts';
import { seededRandom } from './louvain.ts';

const WEIGHTS = [0.25, 0.5, 1, 2, 4];

/** Pearson correlation of ties and the ideal pattern over the pairs the model counts, from its definition. */
function directFit(g: Graph, core: ArrayLike<number>, options: CorePeripheryOptions = {}): number {
  const u = undirected(g);
  const tie = (a: number, b: number) => {
    for (let e = u.offsets[a]!; e < u.offsets[a + 1]!; e++) if (u.targets[e] === b) return options.weighted ? u.weights[e]! : 1;
    return 0;
  };
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < u.nodes; i++) {
    for (let j = i + 1; j < u.nodes; j++) {
      const both = Boolean(core[i] && core[j]);
      const neither = !core[i] && !core[j];
      if (options.coreToPeriphery !== 'tie' && !both && !neither) continue;
      xs.push(neither ? 0 : 1);
      ys.push(tie(i, j));
    }
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < xs.length; k++) {
    sxy += (xs[k]! - mx) * (ys[k]! - my);
    sxx += (xs[k]! - mx) ** 2;
    syy += (ys[k]! - my) ** 2;
  }
  return sxx > 0 && syy > 1e-12 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** The best ρ over every subset, by `directFit`. */
function bruteForce(g: Graph, options: CorePeripheryOptions): number {
  let best = Number.NaN;
  for (let mask = 0; mask < 2 ** g.nodes; mask++) {
    const r = directFit(g, Array.from({ length: g.nodes }, (_, v) => (mask >> v) & 1), options);
    if (!Number.isNaN(r) && !(r <= best)) best = r;
  }
  return best;
}

function members(core: Uint8Array): number[] {
  return [...core].flatMap((x, v) => (x ? [v] : []));
}

/** A clique of `size` schools, each with `pendants` schools tied only to it. */
function cliqueWithPendants(size: number, pendants: number): Graph {
  const s: number[] = [];
  const t: number[] = [];
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      s.push(a);
      t.push(b);
    }
    for (let p = 0; p < pendants; p++) {
      s.push(a);
      t.push(size + a * pendants + p);
    }
  }
  return buildGraph({ nodes: size * (1 + pendants), source: s, target: t });
}

function randomGraph(random: () => number, n: number, density: number, weighted: boolean): Graph {
  const s: number[] = [];
  const t: number[] = [];
  const w: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (random() >= density) continue;
      s.push(a);
      t.push(b);
      w.push(weighted ? WEIGHTS[Math.floor(random() * WEIGHTS.length)]! : 1);
    }
  }
  return buildGraph({ nodes: n, source: s, target: t, weight: w });
}

describe('corePeriphery', () => {
  it('finds exactly the clique as the core when periphery schools hang off it', () => {
    for (const [size, pendants] of [
      [5, 2],
      [8, 3],
      [12, 1],
    ] as const) {
      const g = cliqueWithPendants(size, pendants);
      for (const exactUpTo of [16, 0]) {
        const result = corePeriphery(g, { exactUpTo });
        expect(members(result.core)).toEqual(Array.from({ length: size }, (_, v) => v));
        expect(result.fit).toBeCloseTo(1, 12);
        expect(result.exact).toBe(g.nodes <= exactUpTo);
      }
    }
  });

  it('finds the two hubs of two joined stars', () => {
    // Hubs 0 and 1 tied to each other; leaves 2–7 on hub 0, leaves 8–13 on hub 1.
    const s = [0, ...new Array(12).fill(0).map((_, i) => (i < 6 ? 0 : 1))];
    const t = [1, ...new Array(12).fill(0).map((_, i) => 2 + i)];
    const g = buildGraph({ nodes: 14, source: s, target: t });
    for (const exactUpTo of [16, 0]) {
      const result = corePeriphery(g, { exactUpTo });
      expect(members(result.core)).toEqual([0, 1]);
      expect(result.fit).toBeCloseTo(1, 12);
    }
  });

  it('needs two core schools when core–periphery pairs are ignored; one hub fits when they count as ties', () => {
    const star = graphCases().find((c) => c.name === 'star')!.graph;
    const ignored = corePeriphery(star);
    expect(members(ignored.core)).toEqual([0, 1]);
    expect(ignored.fit).toBeCloseTo(1, 12);
    const tie = corePeriphery(star, { coreToPeriphery: 'tie' });
    expect(members(tie.core)).toEqual([0]);
    expect(tie.fit).toBeCloseTo(1, 12);
  });

  it('has no core and no fit without ties, or with too few schools', () => {
    for (const g of [buildGraph({ nodes: 5, source: [], target: [] }), buildGraph({ nodes: 40, source: [], target: [] }), buildGraph({ nodes: 3, source: [0, 1], target: [1, 2] })]) {
      const result = corePeriphery(g);
      expect(result.fit).toBeNaN();
      expect(result.coreSize).toBe(0);
      expect([...result.core]).toEqual(new Array(g.nodes).fill(0));
    }
  });

  it('finds the optimum of every subset on small random graphs (exhaustive up to 16 nodes)', () => {
    const random = seededRandom(2000);
    for (let trial = 0; trial < 60; trial++) {
      const n = 4 + Math.floor(random() * 7);
      const options: CorePeripheryOptions = { weighted: trial % 2 === 0, coreToPeriphery: trial % 3 === 0 ? 'tie' : 'ignored' };
      const g = randomGraph(random, n, 0.15 + random() * 0.6, options.weighted!);
      const best = bruteForce(g, options);
      const result = corePeriphery(g, options);
      expect(result.exact).toBe(true);
      if (Number.isNaN(best)) expect(result.fit).toBeNaN();
      else {
        expect(Math.abs(result.fit - best)).toBeLessThan(1e-9);
        expect(Math.abs(directFit(g, result.core, options) - result.fit)).toBeLessThan(1e-9);
      }
    }
  });

  it('searches within 0.05 of the optimum, and reaches it on ≥ 95% of small random graphs', () => {
    const random = seededRandom(1999);
    let compared = 0;
    let optimal = 0;
    let worst = 0;
    for (let trial = 0; trial < 150; trial++) {
      const n = 4 + Math.floor(random() * 9);
      const options: CorePeripheryOptions = { weighted: trial % 2 === 0, coreToPeriphery: trial % 3 === 0 ? 'tie' : 'ignored' };
      const g = randomGraph(random, n, 0.15 + random() * 0.6, options.weighted!);
      const exact = corePeriphery(g, options);
      const searched = corePeriphery(g, { ...options, exactUpTo: 0 });
      expect(searched.exact).toBe(false);
      if (Number.isNaN(exact.fit)) {
        expect(searched.fit).toBeNaN();
        continue;
      }
      expect(Math.abs(directFit(g, searched.core, options) - searched.fit)).toBeLessThan(1e-9);
      compared++;
      if (searched.fit >= exact.fit - 1e-9) optimal++;
      worst = Math.max(worst, exact.fit - searched.fit);
    }
    expect(worst).toBeLessThanOrEqual(0.05);
    expect(optimal / compared).toBeGreaterThanOrEqual(0.95);
  });

  it('scores a given core by the definition, weighted or not, on every test graph', () => {
    const random = seededRandom(7);
    for (const c of graphCases()) {
      for (const options of [{}, { weighted: true }, { coreToPeriphery: 'tie' }, { weighted: true, coreToPeriphery: 'tie' }] satisfies CorePeripheryOptions[]) {
        const core = Array.from({ length: c.nodes }, () => (random() < 0.3 ? 1 : 0));
        const expected = directFit(c.graph, core, options);
        const actual = corePeripheryFit(c.graph, core, options);
        if (Number.isNaN(expected)) expect(actual).toBeNaN();
        else expect(Math.abs(actual - expected)).toBeLessThan(1e-9);
        const found = corePeriphery(c.graph, options);
        expect(found.exact).toBe(c.nodes <= 16);
        if (Number.isNaN(found.fit)) expect(c.graph.edges === 0 || c.nodes < 4).toBe(true);
        else {
          expect(Math.abs(corePeripheryFit(c.graph, found.core, options) - found.fit)).toBeLessThan(1e-9);
          expect(found.fit).toBeGreaterThanOrEqual(actual || -1);
          expect(found.coreSize).toBe(members(found.core).length);
        }
      }
    }
  });

  it('takes a directed graph as its undirected view', () => {
    const directed = buildGraph({ nodes: 6, source: [0, 1, 2, 0, 3, 4], target: [1, 2, 0, 3, 5, 0], weight: [1, 2, 1, 1, 1, 4], directed: true });
    const symmetric = undirected(directed);
    for (const weighted of [false, true]) expect(corePeriphery(directed, { weighted })).toEqual(corePeriphery(symmetric, { weighted }));
  });

  it('names bad input', () => {
    const g = buildGraph({ nodes: 3, source: [0], target: [1] });
    expect(() => corePeripheryFit(g, [1, 0])).toThrow(GraphInputError);
    expect(() => corePeriphery(g, { exactUpTo: 21 })).toThrow(/exactUpTo/);
  });
});
