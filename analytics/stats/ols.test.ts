import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitOls } from './ols.ts';

type Inf = { bse: number[]; tvalues: number[]; pvalues: number[] };
type OlsCase = {
  name: string;
  n: number;
  k: number;
  X: number[][];
  y: number[];
  clusters: number[];
  params: number[];
  rsquared: number;
  fitted: number[];
  resid: number[];
  nonrobust: Inf;
  hc1: Inf;
  cluster: Inf;
  cluster_t: { pvalues: number[] };
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/ols.json', import.meta.url), 'utf8')) as { cases: OlsCase[] };

/** Agreement to 1e-6, relative or absolute, whichever is looser. */
function close(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] ?? Number.NaN;
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  });
}

describe('fitOls against statsmodels', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const fit = fitOls({ x: Float64Array.from(c.X.flat()), n: c.n, k: c.k, y: c.y, clusters: c.clusters });
      close(fit.coefficients, c.params);
      close(fit.fitted, c.fitted);
      close(fit.residuals, c.resid);
      close([fit.rSquared], [c.rsquared]);
      close(fit.classical.se, c.nonrobust.bse);
      close(fit.classical.t, c.nonrobust.tvalues);
      close(fit.classical.p, c.nonrobust.pvalues);
      close(fit.hc1.se, c.hc1.bse);
      close(fit.hc1.t, c.hc1.tvalues);
      close(fit.hc1.p, c.hc1.pvalues);
      close(fit.cluster?.se ?? [], c.cluster.bse);
      close(fit.cluster?.t ?? [], c.cluster.tvalues);
      close(fit.cluster?.p ?? [], c.cluster.pvalues);
      close(fit.cluster?.pT ?? [], c.cluster_t.pvalues);
    });
  }

  it('rejects a rank-deficient design', () => {
    const n = 6;
    const x = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      x[i] = 1;
      x[n + i] = i;
      x[2 * n + i] = 2 * i + 1;
    }
    expect(() => fitOls({ x, n, k: 3, y: [1, 2, 3, 5, 4, 6] })).toThrow(/rank-deficient/);
  });

  it('accepts string cluster labels and omits cluster SEs without them', () => {
    const c = fixture.cases[0] as OlsCase;
    const x = Float64Array.from(c.X.flat());
    const labelled = fitOls({ x, n: c.n, k: c.k, y: c.y, clusters: c.clusters.map((g) => `school-${g}`) });
    close(labelled.cluster?.se ?? [], c.cluster.bse);
    expect(fitOls({ x, n: c.n, k: c.k, y: c.y }).cluster).toBeUndefined();
  });
});
