/**
 * fitOls and fitLogistic against R (lm, glm, and the HC1/cluster sandwiches built by hand in
 * test/reference/stats_reference.R), on the very datasets of the statsmodels fixtures: a second,
 * independent reference beside ols.test.ts and logistic.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic.ts';
import { fitOls } from './ols.ts';

type Data = { name: string; n: number; k: number; X: number[][]; y: number[]; clusters?: number[] };
type Inf = { bse: number[]; tvalues: number[]; pvalues: number[] };
type ROls = { name: string; params: number[]; rsquared: number; nonrobust: Inf; hc1: Inf; cluster: Inf; cluster_t: { pvalues: number[]; df: number } };
type RLogit = { name: string; converged: boolean; params: number[]; bse: number[]; zvalues: number[]; pvalues: number[]; llf: number };
type RSeparated = { name: string; converged: boolean; warnings: string[] };

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../test/fixtures/stats/${file}`, import.meta.url), 'utf8')) as T;
const olsData = read<{ cases: Data[] }>('ols.json').cases;
const logitData = read<{ cases: Data[]; separated: Data[] }>('logit.json');
const rOls = read<{ cases: ROls[] }>('r-ols.json').cases;
const rLogit = read<{ cases: RLogit[]; separated: RSeparated[] }>('r-logit.json');

/** Agreement to 1e-6, relative or absolute, whichever is looser. */
function close(actual: ArrayLike<number>, expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] ?? Number.NaN;
    expect(Math.abs(a - e), `${label}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
  });
}

function data(cases: Data[], name: string): Data {
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no dataset ${name}`);
  return found;
}

describe('fitOls against R lm', () => {
  for (const r of rOls) {
    it(r.name, () => {
      const d = data(olsData, r.name);
      const fit = fitOls({ x: Float64Array.from(d.X.flat()), n: d.n, k: d.k, y: d.y, clusters: d.clusters ?? [] });
      close(fit.coefficients, r.params, 'coefficients');
      close([fit.rSquared], [r.rsquared], 'R²');
      for (const [label, ours, theirs] of [
        ['classical', fit.classical, r.nonrobust],
        ['HC1', fit.hc1, r.hc1],
        ['cluster', fit.cluster, r.cluster],
      ] as const) {
        close(ours?.se ?? [], theirs.bse, `${label} se`);
        close(ours?.t ?? [], theirs.tvalues, `${label} t`);
        close(ours?.p ?? [], theirs.pvalues, `${label} p`);
      }
      close(fit.cluster?.pT ?? [], r.cluster_t.pvalues, 'cluster p, t(G−1)');
      expect(fit.cluster?.groups).toBe(r.cluster_t.df + 1);
    });
  }
});

describe('fitLogistic against R glm(family = binomial)', () => {
  for (const r of rLogit.cases) {
    it(r.name, () => {
      const d = data(logitData.cases, r.name);
      const fit = fitLogistic({ x: Float64Array.from(d.X.flat()), n: d.n, k: d.k, y: d.y });
      expect(r.converged).toBe(true);
      close(fit.coefficients, r.params, 'coefficients');
      close(fit.se, r.bse, 'se');
      close(fit.z, r.zvalues, 'z');
      close(fit.p, r.pvalues, 'p');
      close([fit.logLikelihood], [r.llf], 'log-likelihood');
    });
  }

  for (const r of rLogit.separated) {
    it(`${r.name}: separation reported where glm only warns`, () => {
      const d = data(logitData.separated, r.name);
      const fit = fitLogistic({ x: Float64Array.from(d.X.flat()), n: d.n, k: d.k, y: d.y });
      // glm stops and returns huge coefficients with a warning; we report no finite MLE.
      expect(r.warnings.some((w) => /fitted probabilities numerically 0 or 1/.test(w))).toBe(true);
      expect(fit.separation).toBe('complete');
    });
  }
});
