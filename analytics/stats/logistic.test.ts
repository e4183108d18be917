import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic.ts';

type LogitCase = { name: string; n: number; k: number; X: number[][]; y: number[]; params: number[]; bse: number[]; zvalues: number[]; pvalues: number[]; llf: number };

type SeparatedCase = { name: string; n: number; k: number; X: number[][]; y: number[]; statsmodels: string };

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/logit.json', import.meta.url), 'utf8')) as {
  cases: LogitCase[];
  separated: SeparatedCase[];
};

function close(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] ?? Number.NaN;
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  });
}

/** Column-major design with an intercept and one covariate. */
function design(xs: number[]): Float64Array {
  return Float64Array.from([...xs.map(() => 1), ...xs]);
}

describe('fitLogistic against statsmodels Logit', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const fit = fitLogistic({ x: Float64Array.from(c.X.flat()), n: c.n, k: c.k, y: c.y });
      expect(fit.converged).toBe(true);
      expect(fit.separation).toBe('none');
      close(fit.coefficients, c.params);
      close(fit.se, c.bse);
      close(fit.z, c.zvalues);
      close(fit.p, c.pvalues);
      close([fit.logLikelihood], [c.llf]);
    });
  }

  it('reports complete separation instead of diverging', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8];
    const fit = fitLogistic({ x: design(xs), n: 8, k: 2, y: [0, 0, 0, 0, 1, 1, 1, 1] });
    expect(fit.separation).toBe('complete');
    expect(fit.converged).toBe(false);
    expect(Number.isNaN(fit.coefficients[1])).toBe(true);
    expect(fit.separatedObservations.length).toBe(8);
  });

  for (const c of fixture.separated) {
    it(`${c.name}: reported where statsmodels raises ${c.statsmodels}`, () => {
      const fit = fitLogistic({ x: Float64Array.from(c.X.flat()), n: c.n, k: c.k, y: c.y });
      expect(c.statsmodels).toBe('PerfectSeparationError');
      expect(fit.separation).toBe('complete');
      expect(fit.converged).toBe(false);
    });
  }

  it('reports quasi-complete separation', () => {
    // x ≤ 3 are all 0; the x = 4 observations overlap, so only part of the sample separates.
    const xs = [1, 2, 3, 4, 4, 4, 4, 5, 6];
    const fit = fitLogistic({ x: design(xs), n: 9, k: 2, y: [0, 0, 0, 0, 1, 0, 1, 1, 1] });
    expect(fit.separation).toBe('quasi-complete');
    expect(fit.separatedObservations).toEqual(expect.arrayContaining([0, 1, 2, 7, 8]));
    expect(fit.separatedObservations).not.toContain(3);
  });

  it('rejects outcomes other than 0 and 1', () => {
    expect(() => fitLogistic({ x: design([1, 2, 3]), n: 3, k: 2, y: [0, 2, 1] })).toThrow(RangeError);
  });
});
