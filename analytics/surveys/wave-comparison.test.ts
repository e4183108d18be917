import { describe, expect, it } from 'vitest';
import { type ItemSpec, responseMatrix } from './response-matrix.ts';
import { overallGrouping, tally } from './tally.ts';
import { compareTallies, compareWaves, proportionDifference, WaveFlag, wilsonInterval } from './wave-comparison.ts';

/**
 * Reference intervals for p1 − p2 from statsmodels 0.13.5
 * `confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")` (Debian
 * python3-statsmodels). The first, second, fourth, fifth and sixth are also Newcombe's (1998)
 * Table II examples for method 10, to four places.
 */
const reference: [number, number, number, number, number, number][] = [
  [56, 70, 48, 80, 0.05243147240236498, 0.33387265403690614],
  [9, 10, 3, 10, 0.1705227239345029, 0.809017973535488],
  [6, 7, 2, 7, 0.05822792748231209, 0.8062496375242278],
  [5, 56, 0, 29, -0.038137147903536936, 0.19256001385511165],
  [0, 10, 0, 20, -0.1611251580528194, 0.27753279986288926],
  [10, 10, 0, 20, 0.6790860371419145, 1.0],
  [2, 10, 5, 10, -0.5998719821481643, 0.10667246527150648],
  [21, 31, 30, 49, -0.14982057265998366, 0.2608213330242683],
  [0, 31, 12, 49, -0.38086318987603934, -0.0968019758364363],
];

describe('Newcombe’s hybrid score interval', () => {
  it.each(reference)('%i/%i − %i/%i matches statsmodels', (x1, n1, x2, n2, lo, hi) => {
    const d = proportionDifference(x1, n1, x2, n2);
    expect(d.lower).toBeCloseTo(lo, 9);
    expect(d.upper).toBeCloseTo(hi, 9);
  });

  it('builds on Wilson intervals that stay inside [0, 1]', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBe(1);
    // Wilson (1927) for 8/10: 0.4902 to 0.9433.
    const w = wilsonInterval(8, 10);
    expect(w.lower).toBeCloseTo(0.4902, 4);
    expect(w.upper).toBeCloseTo(0.9433, 4);
    expect(() => wilsonInterval(3, 0)).toThrow(/n > 0/);
  });
});

describe('compareWaves', () => {
  it('reports the change in points with its interval, after minus before', () => {
    const c = compareWaves({ count: 21, n: 31 }, { count: 30, n: 49 });
    expect(c.change).toBeCloseTo(100 * (30 / 49 - 21 / 31), 12);
    expect(c.lower).toBeCloseTo(-26.08213330242683, 9);
    expect(c.upper).toBeCloseTo(14.982057265998366, 9);
    expect(c.countChange).toBe(9);
  });

  it('warns about small and unequal denominators at the documented thresholds', () => {
    expect(compareWaves({ count: 5, n: 10 }, { count: 7, n: 15 }).warnings).toEqual(['count-and-percent-disagree']);
    expect(compareWaves({ count: 5, n: 10 }, { count: 8, n: 16 }).warnings).toEqual(['unequal-denominators']);
    expect(compareWaves({ count: 5, n: 9 }, { count: 5, n: 9 }).warnings).toEqual(['small-denominator']);
    expect(compareWaves({ count: 10, n: 20 }, { count: 11, n: 20 }).warnings).toEqual([]);
  });
});

describe('compareTallies', () => {
  it('compares every slot of two waves and flags cells without data', () => {
    const items: ItemSpec[] = [{ format: 'endorse', strand: 0, stage: 0, deficit: false }];
    // Wave 0: 2 of 10 tick; wave 1: 5 of 10 tick.
    const n = 20;
    const answers = Uint8Array.from({ length: n }, (_, r) => (r < 2 || (r >= 10 && r < 15) ? 1 : 0));
    const m = responseMatrix({ items, answers, schools: 1, school: new Int32Array(n), roles: 1, role: new Uint8Array(n), wave: Uint8Array.from({ length: n }, (_, r) => (r < 10 ? 0 : 1)) });
    const c = compareTallies(tally(m, overallGrouping(m, 0)), tally(m, overallGrouping(m, 1)));
    // Slot 1 = ticks: 20% → 50%.
    expect(c.change[1]).toBeCloseTo(30, 12);
    expect(c.lower[1]).toBeCloseTo(-10.667246527150647, 9);
    expect(c.upper[1]).toBeCloseTo(59.98719821481643, 9);
    expect(c.flags[1]).toBe(0);
    const empty = compareTallies(tally(m, overallGrouping(m, 0)), tally(m, overallGrouping(m, 2)));
    expect(empty.flags[1]).toBe(WaveFlag.noData);
    expect(empty.change[1]).toBeNaN();
  });
});
