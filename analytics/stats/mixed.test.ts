import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainedVariance, fitRandomIntercept, fitSchoolSummaries, type MixedFit, type MixedInput, schoolSummaries, waldTest } from './mixed.ts';

type Wald = { indices: number[]; chi2: number; df: number; pvalue: number } | null;
type StatsmodelsFit = {
  params: number[];
  bse: number[];
  zvalues: number[];
  pvalues: number[];
  cov: number[][];
  scale: number;
  covRe: number;
  ratio: number;
  llf: number;
  wald: Wald;
};
type NlmeFit = { params: number[]; bse: number[]; zvalues: number[]; cov: number[]; sigma2Within: number; sigma2Between: number; ratio: number; logLik: number; wald: Wald };
type Case<T> = { name: string; n: number; groups: number; reml: T; ml: T };

const fixtures = new URL('../../test/fixtures/stats/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, fixtures), 'utf8');
const statsmodels = JSON.parse(read('mixed.json')) as { cases: Case<StatsmodelsFit>[] };
const nlme = JSON.parse(read('r-mixed.json')) as { cases: Case<NlmeFit>[] };

/** mixed-data.csv: dataset,school,y,x1..x4 (blank where a dataset has fewer columns). */
const rows = read('mixed-data.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const models = read('mixed-models.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [name = '', dataset = '', columns = ''] = line.split(',');
    return { name, dataset, columns: columns === '' ? [] : columns.split(' ').map((c) => Number(c.slice(1))) };
  });

/** The model's design with an intercept column, as the reference scripts build it. */
function input(name: string, method: 'reml' | 'ml'): MixedInput {
  const model = models.find((m) => m.name === name);
  if (!model) throw new Error(`no model ${name}`);
  const data = rows.filter((r) => r[0] === model.dataset);
  const n = data.length;
  const k = model.columns.length + 1;
  const x = new Float64Array(n * k);
  data.forEach((r, i) => {
    x[i] = 1;
    model.columns.forEach((c, j) => {
      x[(j + 1) * n + i] = Number(r[2 + c]);
    });
  });
  return { x, n, k, y: data.map((r) => Number(r[2])), groups: data.map((r) => Number(r[1])), method };
}

/** Agreement to 1e-6, relative or absolute, whichever is looser. */
function close(actual: ArrayLike<number>, expected: number[], label: string, tolerance = 1e-6): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i] ?? Number.NaN;
    expect(Math.abs(a - e), `${label}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

const fits = new Map<string, MixedFit>();
function fitted(name: string, method: 'reml' | 'ml'): MixedFit {
  const key = `${name}/${method}`;
  let fit = fits.get(key);
  if (!fit) {
    fit = fitRandomIntercept(input(name, method));
    fits.set(key, fit);
  }
  return fit;
}

describe('fitRandomIntercept against statsmodels MixedLM', () => {
  for (const c of statsmodels.cases)
    for (const method of ['reml', 'ml'] as const) {
      it(`${c.name}, ${method}`, () => {
        const fit = fitted(c.name, method);
        const ref = c[method];
        expect(fit.n).toBe(c.n);
        expect(fit.groups).toBe(c.groups);
        expect(fit.converged).toBe(true);
        expect(fit.boundary).toBe(c.name === 'boundary');
        close(fit.coefficients, ref.params, 'params');
        close(fit.observed.se, ref.bse, 'bse');
        close(fit.observed.z, ref.zvalues, 'z');
        close(fit.observed.p, ref.pvalues, 'p');
        close(fit.observed.cov, ref.cov.flat(), 'cov');
        close([fit.sigma2Within, fit.sigma2Between, fit.varianceRatio, fit.logLik], [ref.scale, ref.covRe, ref.ratio, ref.llf], 'scale, covRe, ratio, llf');
        close([fit.icc], [ref.covRe / (ref.covRe + ref.scale)], 'icc');
        if (ref.wald) {
          const wald = waldTest(fit, ref.wald.indices, 'observed');
          close([wald.chi2, wald.p], [ref.wald.chi2, ref.wald.pvalue], 'wald');
          expect(wald.df).toBe(ref.wald.df);
        }
      });
    }
});

describe('fitRandomIntercept against R nlme::lme', () => {
  for (const c of nlme.cases)
    for (const method of ['reml', 'ml'] as const) {
      it(`${c.name}, ${method}`, () => {
        const fit = fitted(c.name, method);
        const ref = c[method];
        close(fit.coefficients, ref.params, 'params');
        close(fit.se, ref.bse, 'se');
        close(fit.z, ref.zvalues, 'z');
        close(fit.cov, ref.cov, 'cov');
        close([fit.sigma2Within, fit.sigma2Between, fit.logLik], [ref.sigma2Within, ref.sigma2Between, ref.logLik], 'sigma2Within, sigma2Between, logLik');
        if (ref.wald) {
          const wald = waldTest(fit, ref.wald.indices);
          close([wald.chi2, wald.p], [ref.wald.chi2, ref.wald.pvalue], 'wald');
        }
        // The two covariance conventions differ by under 2% here (most on the boundary), the observed one larger.
        fit.se.forEach((se, j) => {
          const ratio = (fit.observed.se[j] ?? 0) / se;
          expect(ratio).toBeGreaterThan(0.999);
          expect(ratio).toBeLessThan(1.02);
        });
      });
    }
});

describe('fitRandomIntercept: the boundary and the edge cases', () => {
  it('puts σ²u at exactly 0 on the boundary, where the fit is OLS', () => {
    const fit = fitted('boundary', 'reml');
    expect(fit.boundary).toBe(true);
    expect(fit.sigma2Between).toBe(0);
    expect(fit.icc).toBe(0);
    // At γ = 0 the REML fit is ordinary least squares: σ̂²e = RSS/(n − k), cov = σ̂²e(XᵀX)⁻¹.
    const { x, n, k, y } = input('boundary', 'reml');
    const ys = Float64Array.from(y);
    const rss = Array.from(ys).reduce((s, v, i) => s + (v - (fit.coefficients[0] ?? 0) - (fit.coefficients[1] ?? 0) * (x[n + i] ?? 0)) ** 2, 0);
    close([fit.sigma2Within], [rss / (n - k)], 'sigma2Within', 1e-12);
  });

  it('takes any labels and rows in any order', () => {
    const base = input('unbalanced', 'reml');
    const { n, k } = base;
    // 7919 is prime and n = 835 is not a multiple of it, so i ↦ 7919·i mod n is a permutation.
    const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const x = new Float64Array(n * k);
    for (let c = 0; c < k; c++)
      for (let to = 0; to < n; to++) x[c * n + to] = base.x[c * n + (order[to] ?? 0)] ?? 0;
    const y = order.map((from) => base.y[from] ?? 0);
    const groups = order.map((from) => `school ${base.groups[from]}`);
    const shuffled = fitRandomIntercept({ x, n, k, y, groups });
    const original = fitted('unbalanced', 'reml');
    close(shuffled.coefficients, Array.from(original.coefficients), 'params', 1e-10);
    close([shuffled.sigma2Between, shuffled.sigma2Within], [original.sigma2Between, original.sigma2Within], 'variances', 1e-10);
  });

  it('fits REML and ML from one set of school summaries', () => {
    const summaries = schoolSummaries(input('school-covariates', 'reml'));
    expect(summaries.groups).toBe(30);
    expect(fitSchoolSummaries(summaries, 'ml').logLik).toBeCloseTo(fitted('school-covariates', 'ml').logLik, 9);
    expect(fitSchoolSummaries(summaries).coefficients).toEqual(fitted('school-covariates', 'reml').coefficients);
  });

  it('rejects a rank-deficient design, naming the column', () => {
    const base = input('school-covariates', 'reml');
    const { n } = base;
    // A fifth column equal to 2·federated − 1: a combination of the intercept and column 3.
    const x = new Float64Array(n * 6);
    x.set(base.x);
    for (let i = 0; i < n; i++) x[5 * n + i] = 2 * (base.x[3 * n + i] ?? 0) - 1;
    expect(() => fitRandomIntercept({ ...base, x, k: 6 })).toThrow(/rank-deficient: column 5/);
  });

  it('rejects fewer than two schools', () => {
    const n = 6;
    const x = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6]);
    expect(() => fitRandomIntercept({ x, n, k: 2, y: [1, 3, 2, 5, 4, 6], groups: [9, 9, 9, 9, 9, 9] })).toThrow(/at least two schools/);
  });

  it('rejects data where every school has one pupil', () => {
    const x = new Float64Array(5).fill(1);
    expect(() => fitRandomIntercept({ x, n: 5, k: 1, y: [1, 2, 4, 3, 5], groups: [1, 2, 3, 4, 5] })).toThrow(/single pupil/);
  });

  it('rejects data with no residual variation within schools', () => {
    const x = new Float64Array(8).fill(1);
    expect(() => fitRandomIntercept({ x, n: 8, k: 1, y: [1, 1, 3, 3, 2, 2, 7, 7], groups: [1, 1, 2, 2, 3, 3, 4, 4] })).toThrow(
      /no residual variation within schools/,
    );
  });

  it('rejects malformed input', () => {
    const x = new Float64Array(6).fill(1);
    expect(() => fitRandomIntercept({ x, n: 6, k: 1, y: [1, 2, 3, 4, 5, Number.NaN], groups: [1, 1, 1, 2, 2, 2] })).toThrow(/y\[5\]/);
    expect(() => fitRandomIntercept({ x, n: 6, k: 1, y: [1, 2, 3], groups: [1, 1, 1, 2, 2, 2] })).toThrow(/expected n = 6/);
  });
});

describe('explainedVariance and waldTest', () => {
  it('reduces variance per level as DOMAIN.md §7 defines it, negative where the full model moves variance to a level', () => {
    const ref = (name: string) => statsmodels.cases.find((c) => c.name === name)?.reml as StatsmodelsFit;
    const full = ref('school-covariates');
    const empty = ref('school-covariates-null');
    const explained = explainedVariance(fitted('school-covariates-null', 'reml'), fitted('school-covariates', 'reml'));
    close(
      [explained.level1, explained.level2, explained.total],
      [
        (empty.scale - full.scale) / empty.scale,
        (empty.covRe - full.covRe) / empty.covRe,
        (empty.scale + empty.covRe - full.scale - full.covRe) / (empty.scale + empty.covRe),
      ],
      'explained',
    );
    // Prior attainment explains much of the within-school variance but σ̂²u rises once it is fitted.
    expect(explained.level1).toBeGreaterThan(0.4);
    expect(explained.level2).toBeLessThan(0);
    expect(explained.total).toBeGreaterThan(0);
  });

  it('refuses fits on different data', () => {
    expect(() => explainedVariance(fitted('unbalanced-null', 'reml'), fitted('school-covariates', 'reml'))).toThrow(/different data/);
    expect(() => explainedVariance(fitted('unbalanced-null', 'reml'), fitted('unbalanced', 'ml'))).toThrow(/different methods/);
  });

  it('reduces to z² for one coefficient and checks its indices', () => {
    const fit = fitted('balanced', 'reml');
    const one = waldTest(fit, [1]);
    close([one.chi2, one.p], [(fit.z[1] ?? 0) ** 2, fit.p[1] ?? 0], 'one coefficient', 1e-12);
    expect(() => waldTest(fit, [])).toThrow(/at least one/);
    expect(() => waldTest(fit, [1, 1])).toThrow(/repeat/);
    expect(() => waldTest(fit, [3])).toThrow(/outside 0..2/);
  });
});
