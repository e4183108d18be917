import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holmAdjust } from './holm.ts';

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/holm.json', import.meta.url), 'utf8')) as {
  cases: { p: number[]; adjusted: number[] }[];
};

describe('holmAdjust against statsmodels multipletests(method="holm")', () => {
  fixture.cases.forEach((c, n) => {
    it(`case ${n}`, () => {
      const adjusted = holmAdjust(c.p);
      c.adjusted.forEach((e, i) => {
        expect(Math.abs((adjusted[i] ?? Number.NaN) - e)).toBeLessThanOrEqual(1e-12);
      });
    });
  });

  it('rejects values that are not probabilities', () => {
    expect(() => holmAdjust([0.1, Number.NaN])).toThrow(RangeError);
  });

  it('returns an empty array for no tests', () => {
    expect(holmAdjust([]).length).toBe(0);
  });
});
