import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSchools, pupilVariation, quantileOfSorted, quartileCuts, quartileOf } from './variation.ts';

type Num = number | null;
type AnovaCase = {
  name: string;
  school: number[];
  score: Num[];
  pupils: number;
  missing: number;
  groups: number;
  ids: number[];
  n: number[];
  mean: number[];
  sd: Num[];
  grandMean: number;
  ssBetween: number;
  ssWithin: number;
  msBetween: number;
  msWithin: number;
  f: number;
  fSf: number;
  chi2P: number;
  n0: number;
  tauSquaredRaw: number;
  icc: number;
  iccRaw: number;
};
type DescribeCase = {
  name: string;
  ids: number[];
  values: Num[];
  n: number;
  missing: number;
  mean: number;
  sd: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  range: number;
  iqr: number;
  minId: number;
  maxId: number;
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/benchmarking/variation.json', import.meta.url), 'utf8')) as {
  anova: AnovaCase[];
  describe: DescribeCase[];
};
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

describe('pupilVariation against scipy', () => {
  for (const c of fixture.anova) {
    it(c.name, () => {
      const got = pupilVariation({ school: c.school, score: c.score.map(nan) });
      expect(got.pupils).toBe(c.pupils);
      expect(got.missing).toBe(c.missing);
      expect(got.groups).toBe(c.groups);
      expect(Array.from(got.schools.ids)).toEqual(c.ids);
      expect(Array.from(got.schools.n)).toEqual(c.n);
      close(got.schools.mean, c.mean, 'means');
      close(got.schools.sd, c.sd.map(nan), 'SDs');
      close([got.grandMean, got.ssBetween, got.ssWithin, got.msBetween, got.msWithin], [c.grandMean, c.ssBetween, c.ssWithin, c.msBetween, c.msWithin], 'sums of squares');
      close([got.f], [c.f], 'F');
      expect(got.dfBetween).toBe(c.groups - 1);
      expect(got.dfWithin).toBe(c.pupils - c.groups);
      expect(got.pExact).toBeNull();
      close([got.pLargeSample], [c.chi2P], 'large-sample p');
      close([got.n0, got.tauSquaredRaw, got.icc, got.iccRaw], [c.n0, c.tauSquaredRaw, c.icc, c.iccRaw], 'ICC');
      close([got.sigmaSquared], [c.msWithin], 'sigma²');
    });
  }

  it('the large-sample p is near the exact F p when N − J is in the hundreds or more', () => {
    for (const c of fixture.anova.filter((a) => a.pupils - a.groups >= 500)) {
      const got = pupilVariation({ school: c.school, score: c.score.map(nan) });
      expect(Math.abs(got.pLargeSample - c.fSf), c.name).toBeLessThan(0.01);
    }
  });

  it('gives the textbook balanced case: ñ = n and ICC from the mean squares', () => {
    // Three schools of three pupils: means 2, 5, 8; every school's SD is 1.
    const got = pupilVariation({ school: [1, 1, 1, 2, 2, 2, 3, 3, 3], score: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect(got.n0).toBe(3);
    expect(got.ssBetween).toBe(54);
    expect(got.ssWithin).toBe(6);
    expect(got.f).toBe(27);
    // τ² = (27 − 1)/3, σ² = 1
    close([got.tauSquared, got.icc], [26 / 3, 26 / 3 / (26 / 3 + 1)]);
  });

  it('truncates a negative between-school variance at 0 and keeps the raw value', () => {
    const got = pupilVariation({ school: [1, 1, 2, 2], score: [0, 10, 0, 10] });
    expect(got.tauSquaredRaw).toBeLessThan(0);
    expect(got.tauSquared).toBe(0);
    expect(got.icc).toBe(0);
    expect(got.iccRaw).toBeLessThan(0);
  });

  it('reports F as NaN without two schools or without within-school replication', () => {
    expect(pupilVariation({ school: [1, 1, 1], score: [1, 2, 3] }).f).toBeNaN();
    expect(pupilVariation({ school: [1, 2, 3], score: [1, 2, 3] }).f).toBeNaN();
    expect(() => pupilVariation({ school: [1], score: [1, 2] })).toThrow(RangeError);
  });
});

describe('describeSchools against numpy', () => {
  for (const c of fixture.describe) {
    it(c.name, () => {
      const got = describeSchools(c.values.map(nan), c.ids);
      expect(got.n).toBe(c.n);
      expect(got.missing).toBe(c.missing);
      close(
        [got.mean, got.sd, got.min, got.q1, got.median, got.q3, got.max, got.range, got.iqr],
        [c.mean, c.sd, c.min, c.q1, c.median, c.q3, c.max, c.range, c.iqr],
      );
      expect(got.minId).toBe(c.minId);
      expect(got.maxId).toBe(c.maxId);
    });
  }

  it('handles no schools and one school', () => {
    const none = describeSchools([Number.NaN]);
    expect(none.n).toBe(0);
    expect(none.mean).toBeNaN();
    expect(none.range).toBeNaN();
    const one = describeSchools([7], [42]);
    expect([one.mean, one.median, one.range, one.maxId]).toEqual([7, 7, 0, 42]);
    expect(one.sd).toBeNaN();
  });
});

describe('quartiles', () => {
  it('interpolates between order statistics (Hyndman & Fan 7) and closes bins on the right', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quartileCuts([4, Number.NaN, 1, 3, 2])).toEqual([1.75, 2.5, 3.25]);
    const cuts: [number, number, number] = [1.75, 2.5, 3.25];
    expect([1, 1.75, 2, 2.5, 3.25, 4, Number.NaN].map((x) => quartileOf(x, cuts))).toEqual([1, 1, 2, 2, 3, 4, 0]);
  });
});
