import { describe, expect, it } from 'vitest';
import { type AllocationInput, type AllocationObjective, type AllocationResult, allocate } from './allocate.ts';

type Edge = [request: number, supporter: number, score: number];

function makeInput(requests: number, capacity: number[], list: Edge[], extra: Partial<AllocationInput> = {}): AllocationInput {
  return {
    requests,
    supporters: capacity.length,
    capacity: Int32Array.from(capacity),
    edges: {
      request: Int32Array.from(list, (e) => e[0]),
      supporter: Int32Array.from(list, (e) => e[1]),
      score: Float64Array.from(list, (e) => e[2]),
      count: list.length,
    },
    ...extra,
  };
}

const pairsOf = (r: AllocationResult) => r.pairs.map((p) => [p.request, p.supporter]);

/** Seeded LCG. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Value = { count: number; total: number };
const better = (a: Value, b: Value, objective: AllocationObjective): boolean =>
  objective === 'score' ? a.total > b.total + 1e-12 : a.count > b.count || (a.count === b.count && a.total > b.total + 1e-12);

/**
 * The optimum by enumeration: every request picks a set of at most m of the supporters it may
 * use, within every supporter's capacity; requests outside `active` pick nothing.
 */
function bruteForce(R: number, capacity: number[], list: Edge[], m: number, objective: AllocationObjective, active: (r: number) => boolean = () => true): Value {
  const options: Edge[][][] = [];
  for (let r = 0; r < R; r++) {
    const mine = list.filter((e) => e[0] === r);
    const subsets: Edge[][] = [[]];
    if (active(r)) {
      for (let mask = 1; mask < 1 << mine.length; mask++) {
        const set = mine.filter((_, j) => mask & (1 << j));
        if (set.length <= m) subsets.push(set);
      }
    }
    options.push(subsets);
  }
  let best: Value = { count: 0, total: 0 };
  const left = [...capacity];
  const walk = (r: number, count: number, total: number): void => {
    if (r === R) {
      if (better({ count, total }, best, objective)) best = { count, total };
      return;
    }
    for (const set of options[r]!) {
      if (set.some((e) => left[e[1]]! <= 0)) continue;
      for (const e of set) left[e[1]]!--;
      walk(
        r + 1,
        count + set.length,
        set.reduce((s, e) => s + e[2], total),
      );
      for (const e of set) left[e[1]]!++;
    }
  };
  walk(0, 0, 0);
  return best;
}

/** The allocation respects capacities, allowed pairs, one offer per pair and the per-request limit. */
function checkFeasible(result: AllocationResult, R: number, capacity: number[], list: Edge[], m: number): void {
  const used = capacity.map(() => 0);
  const per = new Array<number>(R).fill(0);
  const seen = new Set<string>();
  for (const p of result.pairs) {
    const key = `${p.request},${p.supporter}`;
    expect(seen.has(key), key).toBe(false);
    seen.add(key);
    const best = Math.max(...list.filter((e) => e[0] === p.request && e[1] === p.supporter).map((e) => e[2]));
    expect(p.score).toBe(best);
    used[p.supporter]!++;
    per[p.request]!++;
  }
  used.forEach((u, s) => {
    expect(u).toBeLessThanOrEqual(Math.max(0, capacity[s]!));
  });
  per.forEach((k, r) => {
    expect(k).toBeLessThanOrEqual(m);
    expect(result.offers[r]).toBe(k);
  });
  expect(result.unassigned).toEqual(per.flatMap((k, r) => (k === 0 ? [r] : [])));
  expect(result.total).toBeCloseTo(
    result.pairs.reduce((s, p) => s + p.score, 0),
    12,
  );
}

function randomCase(rand: () => number): { R: number; capacity: number[]; list: Edge[] } {
  const R = 1 + Math.floor(rand() * 5);
  const S = 1 + Math.floor(rand() * 4);
  const capacity = Array.from({ length: S }, () => (rand() < 0.1 ? 0 : 1 + Math.floor(rand() * 2)));
  const list: Edge[] = [];
  for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) if (rand() < 0.6) list.push([r, s, rand() < 0.1 ? 0 : Math.round(rand() * 1000) / 1000 - (rand() < 0.1 ? 0.5 : 0)]);
  return { R, capacity, list };
}

describe('allocation on hand-built cases', () => {
  it('a binding capacity goes to the request it helps most; the other takes its second choice', () => {
    // Supporter 0 (capacity 1) is both requests' first choice; request 1 loses least by moving.
    const r = allocate(
      makeInput(2, [1, 1], [
        [0, 0, 0.9],
        [0, 1, 0.2],
        [1, 0, 0.8],
        [1, 1, 0.7],
      ]),
    );
    expect(pairsOf(r)).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(r.total).toBeCloseTo(1.6, 12);
    expect(r.unassigned).toEqual([]);
  });

  it('serves the request nobody else can before improving another’s match (cardinality first)', () => {
    // Greedy by score gives request 0 supporter 0 and leaves request 1 with nothing.
    const list: Edge[] = [
      [0, 0, 0.9],
      [0, 1, 0.1],
      [1, 0, 0.5],
    ];
    const byCount = allocate(makeInput(2, [1, 1], list));
    expect(pairsOf(byCount)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(byCount.total).toBeCloseTo(0.6, 12);
    const byScore = allocate(makeInput(2, [1, 1], list, { objective: 'score' }));
    expect(pairsOf(byScore)).toEqual([[0, 0]]);
    expect(byScore.total).toBeCloseTo(0.9, 12);
    expect(byScore.unassigned).toEqual([1]);
  });

  it('swaps who is left out when a later request matches the scarce supporter better', () => {
    const r = allocate(
      makeInput(2, [1], [
        [0, 0, 0.5],
        [1, 0, 0.9],
      ]),
    );
    expect(pairsOf(r)).toEqual([[1, 0]]);
    expect(r.unassigned).toEqual([0]);
  });

  it('a request with no allowed pair is unassigned; a supporter with no capacity takes nobody', () => {
    const r = allocate(
      makeInput(3, [0, 2], [
        [0, 0, 0.9],
        [0, 1, 0.3],
        [2, 1, 0.4],
      ]),
    );
    expect(pairsOf(r)).toEqual([
      [0, 1],
      [2, 1],
    ]);
    expect(r.unassigned).toEqual([1]);
  });

  it('ties: an optimal total, the same answer every time', () => {
    const list: Edge[] = [
      [0, 0, 0.5],
      [0, 1, 0.5],
      [1, 0, 0.5],
      [1, 1, 0.5],
    ];
    const a = allocate(makeInput(2, [1, 1], list));
    expect(a.total).toBe(1);
    expect(a.pairs).toHaveLength(2);
    expect(allocate(makeInput(2, [1, 1], list))).toEqual(a);
  });

  it('one before second: every request gets a first offer before any gets a second', () => {
    // Supporters 0 and 1 are request 0's two best; with fairness 'none' request 0 takes both.
    const list: Edge[] = [
      [0, 0, 0.9],
      [0, 1, 0.8],
      [1, 1, 0.3],
    ];
    const fair = allocate(makeInput(2, [1, 1], list, { maxPerRequest: 2 }));
    expect(fair.pairs).toEqual([
      { request: 0, supporter: 0, score: 0.9, round: 1 },
      { request: 1, supporter: 1, score: 0.3, round: 1 },
    ]);
    expect(fair.phases).toBe(2);
    const free = allocate(makeInput(2, [1, 1], list, { maxPerRequest: 2, fairness: 'none', objective: 'score' }));
    expect(pairsOf(free)).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(free.unassigned).toEqual([1]);
  });

  it('second offers use the capacity left and never repeat a supporter', () => {
    const list: Edge[] = [
      [0, 0, 0.9],
      [0, 1, 0.5],
      [1, 0, 0.8],
      [1, 1, 0.4],
    ];
    const r = allocate(makeInput(2, [2, 2], list, { maxPerRequest: 2 }));
    expect(r.pairs.map((p) => [p.request, p.supporter, p.round])).toEqual([
      [0, 0, 1],
      [0, 1, 2],
      [1, 0, 1],
      [1, 1, 2],
    ]);
  });

  it('keeps a duplicated pair once, at its best score; rejects bad edges', () => {
    const r = allocate(
      makeInput(1, [2], [
        [0, 0, 0.2],
        [0, 0, 0.7],
      ], { maxPerRequest: 2, fairness: 'none' }),
    );
    expect(r.pairs).toEqual([{ request: 0, supporter: 0, score: 0.7, round: 1 }]);
    expect(() => allocate(makeInput(1, [1], [[0, 3, 0.5]]))).toThrow(RangeError);
    expect(() => allocate(makeInput(1, [1], [[0, 0, Number.NaN]]))).toThrow(RangeError);
  });

  it('empty inputs', () => {
    const r = allocate(makeInput(0, [], []));
    expect(r).toMatchObject({ pairs: [], total: 0, unassigned: [], phases: 0 });
    expect(allocate(makeInput(2, [1], [])).unassigned).toEqual([0, 1]);
  });
});

describe('allocation is optimal against brute force (R ≤ 5, S ≤ 4, capacities 0–2)', () => {
  for (const objective of ['cardinality-then-score', 'score'] as const) {
    it(`fairness 'none', ${objective}, one and two offers per request`, () => {
      const rand = lcg(objective === 'score' ? 17 : 29);
      for (let trial = 0; trial < 400; trial++) {
        const { R, capacity, list } = randomCase(rand);
        for (const m of [1, 2]) {
          const result = allocate(makeInput(R, capacity, list, { maxPerRequest: m, fairness: 'none', objective }));
          checkFeasible(result, R, capacity, list, m);
          const best = bruteForce(R, capacity, list, m, objective);
          if (objective === 'cardinality-then-score') expect(result.pairs.length, `trial ${trial}`).toBe(best.count);
          expect(result.total, `trial ${trial} m ${m}`).toBeCloseTo(best.total, 9);
        }
      }
    });

    it(`fairness 'one-before-second', ${objective}: each round optimal given the earlier ones`, () => {
      const rand = lcg(objective === 'score' ? 41 : 43);
      for (let trial = 0; trial < 400; trial++) {
        const { R, capacity, list } = randomCase(rand);
        const m = 2;
        const result = allocate(makeInput(R, capacity, list, { maxPerRequest: m, objective }));
        checkFeasible(result, R, capacity, list, m);
        const left = [...capacity];
        let remaining = list;
        let servedBefore = (_r: number) => true;
        for (let round = 1; round <= m; round++) {
          const mine = result.pairs.filter((p) => p.round === round);
          const best = bruteForce(R, left, remaining, 1, objective, servedBefore);
          if (objective === 'cardinality-then-score') expect(mine.length, `trial ${trial} round ${round}`).toBe(best.count);
          expect(
            mine.reduce((s, p) => s + p.score, 0),
            `trial ${trial} round ${round}`,
          ).toBeCloseTo(best.total, 9);
          for (const p of mine) left[p.supporter]!--;
          const taken = new Set(mine.map((p) => `${p.request},${p.supporter}`));
          const served = new Set(mine.map((p) => p.request));
          remaining = remaining.filter((e) => !taken.has(`${e[0]},${e[1]}`));
          servedBefore = (r) => served.has(r);
        }
        // Second offers only go to requests that hold a first.
        for (const p of result.pairs) if (p.round === 2) expect(result.pairs.some((q) => q.request === p.request && q.round === 1)).toBe(true);
      }
    });
  }
});

describe('a larger case against brute force', () => {
  it('7 requests × 5 supporters, one offer each', () => {
    const rand = lcg(99);
    for (let trial = 0; trial < 30; trial++) {
      const R = 7;
      const capacity = Array.from({ length: 5 }, () => 1 + Math.floor(rand() * 2));
      const list: Edge[] = [];
      for (let r = 0; r < R; r++) for (let s = 0; s < 5; s++) if (rand() < 0.5) list.push([r, s, rand()]);
      const result = allocate(makeInput(R, capacity, list, { fairness: 'none' }));
      checkFeasible(result, R, capacity, list, 1);
      const best = bruteForce(R, capacity, list, 1, 'cardinality-then-score');
      expect(result.pairs.length).toBe(best.count);
      expect(result.total).toBeCloseTo(best.total, 9);
    }
  });
});
