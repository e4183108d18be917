import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ContextTable, DEFAULT_SIMILAR_K, indexSchools, similarSchools, similarSchoolsForEach } from './similar-schools.ts';

type Num = number | null;
type Result = { id: number; status: string; compared?: number; ids: number[]; distances: number[]; contributions: Num[][]; differences?: Num[][] };
type SimilarCase = {
  name: string;
  k: number;
  ids: number[];
  phases: (string | null)[];
  featureNames: string[];
  features: Num[][];
  weights: number[];
  exclude: number[];
  phaseLabels: string[];
  means: Num[][];
  sds: Num[][];
  z: Num[][];
  status: string[];
  results: Result[];
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/benchmarking/similar_schools.json', import.meta.url), 'utf8')) as { cases: SimilarCase[] };
const nan = (v: Num): number => v ?? Number.NaN;

/** Agreement to 1e-9, relative or absolute, whichever is looser; NaN must meet NaN. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, label = ''): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const e = expected[i] ?? Number.NaN;
    if (Number.isNaN(e)) expect(a, `${label} index ${i}`).toBeNaN();
    else expect(Math.abs(a - e), `${label} index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
  }
}

function tableOf(c: SimilarCase): ContextTable {
  return { ids: c.ids, phases: c.phases, featureNames: c.featureNames, features: Float64Array.from(c.features.flat(), nan), weights: c.weights };
}

describe('similar schools against the numpy reference', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: standardisation within phase and match status`, () => {
      const index = indexSchools(tableOf(c));
      expect(index.phaseLabels).toEqual(c.phaseLabels);
      close(index.means, c.means.flat().map(nan), 'means');
      close(index.sds, c.sds.flat().map(nan), 'sds');
      close(index.z, c.z.flat().map(nan), 'z');
      expect(index.status).toEqual(c.status);
      const unmatched = c.ids.filter((_, i) => c.status[i] !== 'matched');
      expect(index.unmatched.map((u) => u.id)).toEqual(unmatched);
    });

    it(`${c.name}: the k nearest of every school, with distances and contributions`, () => {
      const index = indexSchools(tableOf(c));
      const p = c.featureNames.length;
      const batch = similarSchoolsForEach(index, c.ids, { k: c.k, exclude: c.exclude });
      c.results.forEach((expected, i) => {
        const got = similarSchools(index, expected.id, { k: c.k, exclude: c.exclude });
        expect(batch[i]).toEqual(got);
        expect(got.status).toBe(expected.status);
        expect(Array.from(got.ids), `neighbours of ${expected.id}`).toEqual(expected.ids);
        close(got.distances, expected.distances, `distances of ${expected.id}`);
        close(got.contributions, expected.contributions.flat().map(nan), `contributions of ${expected.id}`);
        if (expected.status !== 'matched') return;
        expect(got.compared).toBe(expected.compared);
        close(got.differences, (expected.differences ?? []).flat().map(nan), `differences of ${expected.id}`);
        for (let r = 0; r < got.ids.length; r++) {
          let sum = 0;
          for (let j = 0; j < p; j++) sum += Number.isNaN(got.contributions[r * p + j] ?? 0) ? 0 : (got.contributions[r * p + j] ?? 0);
          close([sum], [(got.distances[r] ?? 0) ** 2], 'contributions sum to distance²');
        }
      });
    });
  }
});

/** A small table: one row per school as [id, phase, ...features]. */
function makeTable(rows: [number, string | null, ...number[]][], weights?: number[]): ContextTable {
  const p = rows[0] ? rows[0].length - 2 : 0;
  return {
    ids: rows.map((r) => r[0]),
    phases: rows.map((r) => r[1]),
    featureNames: Array.from({ length: p }, (_, j) => `f${j}`),
    features: Float64Array.from(rows.flatMap((r) => r.slice(2) as number[])),
    ...(weights ? { weights } : {}),
  };
}

describe('similar schools, hand-built cases', () => {
  // Four schools one step from school 10 along the axes: both features have mean 0 and the same
  // SD, so all four are equally far and the lower ids come first.
  const compass = makeTable([
    [10, 'primary', 0, 0],
    [7, 'primary', 1, 0],
    [5, 'primary', 0, 1],
    [3, 'primary', -1, 0],
    [9, 'primary', 0, -1],
  ]);

  it('breaks ties in distance by the lower id', () => {
    const index = indexSchools(compass);
    const all = similarSchools(index, 10);
    expect(Array.from(all.ids)).toEqual([3, 5, 7, 9]);
    expect(new Set(all.distances).size).toBe(1);
    expect(Array.from(similarSchools(index, 10, { k: 2 }).ids)).toEqual([3, 5]);
    // sd = sqrt(2/4), so one unit is sqrt(2) SDs
    close(all.distances, [Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2]);
  });

  it('leaves out the exclusion set (and ignores ids not in the table) and never returns the school itself', () => {
    const index = indexSchools(compass);
    const got = similarSchools(index, 10, { k: 2, exclude: [3, 10, 999] });
    expect(Array.from(got.ids)).toEqual([5, 7]);
    expect(got.compared).toBe(3);
    expect(Array.from(similarSchools(index, 7).ids)).not.toContain(7);
  });

  it('draws neighbours only from the same phase', () => {
    const index = indexSchools(
      makeTable([
        [1, 'primary', 10, 20],
        [2, 'primary', 11, 21],
        [3, 'primary', 30, 5],
        [4, 'secondary', 10, 20],
        [5, 'secondary', 10.5, 20.5],
        [6, 'secondary', 40, 1],
        [7, null, 10, 20],
      ]),
    );
    expect(Array.from(similarSchools(index, 1).ids)).toEqual([2, 3]);
    expect(Array.from(similarSchools(index, 4).ids)).toEqual([5, 6]);
    expect(similarSchools(index, 7).status).toBe('no-phase');
    expect(index.unmatched).toEqual([{ id: 7, row: 6, reason: 'no-phase' }]);
    expect(similarSchools(index, 42).status).toBe('not-in-table');
  });

  it('rescales the distance over shared features and refuses schools with fewer than half', () => {
    const N = Number.NaN;
    const index = indexSchools(
      makeTable([
        [1, 'primary', 0, 0, 0, 0],
        [2, 'primary', 1, 2, N, N], // half the features: matched
        [3, 'primary', 2, N, N, N], // one of four: not matched
        [4, 'primary', -1, -2, 1, 3],
        [5, 'primary', 3, 1, -2, 1],
      ]),
    );
    expect(index.status).toEqual(['matched', 'matched', 'too-few-features', 'matched', 'matched']);
    expect(index.unmatched).toEqual([{ id: 3, row: 2, reason: 'too-few-features' }]);
    const got = similarSchools(index, 1);
    expect(Array.from(got.ids)).not.toContain(3);
    expect(got.compared).toBe(3);
    const at = Array.from(got.ids).indexOf(2);
    expect(got.shared[at]).toBe(2);
    // School 2 shares two of four unit-weight features: the sum over them counts twice.
    const d0 = got.differences[at * 4] ?? 0;
    const d1 = got.differences[at * 4 + 1] ?? 0;
    close([got.distances[at] ?? 0], [Math.sqrt((d0 * d0 + d1 * d1) * 2)]);
    expect(got.contributions[at * 4 + 2]).toBeNaN();
    expect(similarSchools(index, 3).ids.length).toBe(0);
  });

  it('drops a feature with no spread in the phase, or with weight 0, from the phase', () => {
    const index = indexSchools(
      makeTable(
        [
          [1, 'primary', 5, 1, 0],
          [2, 'primary', 5, 2, 9],
          [3, 'primary', 5, 4, -9],
        ],
        [1, 1, 0],
      ),
    );
    expect(Array.from(index.usable)).toEqual([0, 1, 0]);
    expect(index.phaseFeatures[0]).toBe(1);
    const got = similarSchools(index, 1);
    expect(Array.from(got.ids)).toEqual([2, 3]);
    expect(got.featuresUsable).toBe(1);
    const single = indexSchools(makeTable([[1, 'special', 5, 1]]));
    expect(single.status).toEqual(['no-usable-features']);
  });

  it('returns fewer than k when the phase is small, and defaults k to 30', () => {
    const index = indexSchools(compass);
    expect(similarSchools(index, 10, { k: 50 }).ids.length).toBe(4);
    expect(DEFAULT_SIMILAR_K).toBe(30);
  });

  it('rejects malformed input', () => {
    expect(() => indexSchools({ ...compass, ids: [1, 1, 2, 3, 4] })).toThrow(/appears twice/);
    expect(() => indexSchools({ ...compass, weights: [1, -1] })).toThrow(/weight/);
    expect(() => indexSchools({ ...compass, features: new Float64Array(3) })).toThrow(/n·p/);
    expect(() => similarSchools(indexSchools(compass), 10, { k: 0 })).toThrow(/positive integer/);
  });
});

describe('similar schools at national scale', () => {
  // Speed is measured in bench/benchmarking.ts; here, that a national-size table behaves.
  it('finds k neighbours for a school of 24,000 and keeps a network out of its members’ groups', () => {
    // A deterministic pseudo-random table (LCG): 24,000 schools, 3 phases, 6 features, 5% missing.
    let state = 12345;
    const rand = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const n = 24_000;
    const p = 6;
    const features = new Float64Array(n * p);
    for (let i = 0; i < n * p; i++) features[i] = rand() < 0.05 ? Number.NaN : rand() * 100;
    const phases = Array.from({ length: n }, (_, i) => (i % 10 < 7 ? 'primary' : i % 10 < 9 ? 'secondary' : 'special'));
    const ids = Array.from({ length: n }, (_, i) => 100_000 + i);
    const table: ContextTable = { ids, phases, featureNames: ['roll', 'fsm', 'sen', 'eal', 'prior', 'urban'], features };
    const network = Array.from({ length: 50 }, (_, i) => 100_000 + i * 97);
    const index = indexSchools(table);
    const one = similarSchools(index, 100_010);
    const many = similarSchoolsForEach(index, network, { exclude: network });
    expect(one.ids.length).toBe(DEFAULT_SIMILAR_K);
    expect(many.filter((r) => r.status === 'matched').length).toBeGreaterThan(40);
    expect(many.every((r) => r.status !== 'matched' || r.ids.every((id) => !network.includes(id)))).toBe(true);
  });
});
