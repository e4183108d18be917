import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { againstTheOdds } from './against-the-odds.ts';

type Num = number | null;
type OddsCase = {
  name: string;
  ids: number[];
  attainment: Num[];
  context: { name: string; values: Num[] }[];
  n: number;
  excluded: number;
  rsquared: number;
  params: number[];
  hc1: { bse: number[]; tvalues: number[]; pvalues: number[] };
  nonrobust: { bse: number[] };
  predicted: Num[];
  resid: Num[];
  studentized: Num[];
  cuts: { attainment: number[]; predicted: number[]; disadvantage: number[] };
  attainmentQuartile: number[];
  predictedQuartile: number[];
  disadvantageQuartile: number[];
  flag: number[];
  flagSource: number[];
  ranking: number[];
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/benchmarking/against_the_odds.json', import.meta.url), 'utf8')) as { cases: OddsCase[] };
const nan = (v: Num): number => v ?? Number.NaN;

/** Agreement to `tol`, relative or absolute, whichever is looser; NaN must meet NaN. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label = ''): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const e = expected[i] ?? Number.NaN;
    if (Number.isNaN(e)) expect(a, `${label} index ${i}`).toBeNaN();
    else expect(Math.abs(a - e), `${label} index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

function inputOf(c: OddsCase) {
  return {
    ids: c.ids,
    attainment: c.attainment.map(nan),
    context: c.context.map((col) => ({ name: col.name, values: col.values.map(nan) })),
    disadvantage: 'fsmPct',
  };
}

describe('againstTheOdds against statsmodels', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const got = againstTheOdds(inputOf(c));
      expect(got.n).toBe(c.n);
      expect(got.excluded).toBe(c.excluded);
      close([got.rSquared], [c.rsquared], 1e-9, 'R²');
      close(
        got.coefficients.map((b) => b.estimate),
        c.params,
        1e-9,
        'coefficients',
      );
      expect(got.coefficients.map((b) => b.name)).toEqual(['intercept', ...c.context.map((col) => col.name)]);
      close(
        got.coefficients.map((b) => b.se),
        c.hc1.bse,
        1e-6,
        'HC1 SEs',
      );
      close(
        got.coefficients.map((b) => b.z),
        c.hc1.tvalues,
        1e-6,
        'z',
      );
      close(
        got.coefficients.map((b) => b.p),
        c.hc1.pvalues,
        1e-6,
        'p',
      );
      close(got.ols.classical.se, c.nonrobust.bse, 1e-6, 'classical SEs');
      close(got.predicted, c.predicted.map(nan), 1e-9, 'predicted');
      close(got.residual, c.resid.map(nan), 1e-9, 'residuals');
      close(got.standardisedResidual, c.studentized.map(nan), 1e-9, 'standardised residuals');
      close(got.cuts.attainment, c.cuts.attainment, 1e-9, 'attainment cuts');
      close(got.cuts.predicted, c.cuts.predicted, 1e-9, 'predicted cuts');
      close(got.cuts.disadvantage, c.cuts.disadvantage, 1e-9, 'disadvantage cuts');
      expect(Array.from(got.attainmentQuartile)).toEqual(c.attainmentQuartile);
      expect(Array.from(got.predictedQuartile)).toEqual(c.predictedQuartile);
      expect(Array.from(got.disadvantageQuartile)).toEqual(c.disadvantageQuartile);
      expect(Array.from(got.againstTheOdds)).toEqual(c.flag);
      expect(Array.from(got.ranking)).toEqual(c.ranking);
      expect(Array.from(got.included).reduce((a, b) => a + b, 0)).toBe(c.n);

      const source = againstTheOdds({ ...inputOf(c), flagRule: { disadvantageAtLeast: 35, attainmentQuartileAtLeast: 3 } });
      expect(Array.from(source.againstTheOdds)).toEqual(c.flagSource);
    });
  }
});

describe('againstTheOdds, hand-built cases', () => {
  // Eight schools on a line y = 10 − 0.2·fsm, except two that beat it by 3 and 1.
  const fsm = [5, 10, 15, 20, 25, 30, 35, 40];
  const base = fsm.map((f) => 10 - 0.2 * f);
  const attainment = base.map((y, i) => (i === 7 ? y + 3 : i === 2 ? y + 1 : y));

  it('ranks schools by residual, largest first, ties to the lower id', () => {
    const got = againstTheOdds({ ids: [80, 70, 60, 50, 40, 30, 20, 10], attainment, context: [{ name: 'fsm', values: fsm }], disadvantage: 'fsm' });
    expect(got.ranking[0]).toBe(7);
    expect(got.ranking[1]).toBe(2);
    const residualOf = (row: number) => got.residual[row] ?? 0;
    for (let r = 1; r < got.ranking.length; r++) expect(residualOf(got.ranking[r - 1] ?? 0)).toBeGreaterThanOrEqual(residualOf(got.ranking[r] ?? 0));
  });

  it('flags a school with the highest FSM and top-quartile attainment', () => {
    // Attainment falls with FSM, so only a school that beats its prediction by a lot can be both.
    const att = fsm.map((f, i) => (i === 7 ? 12 : 20 - 0.4 * f));
    const got = againstTheOdds({ ids: fsm.map((_, i) => i + 1), attainment: att, context: [{ name: 'fsm', values: fsm }], disadvantage: 'fsm' });
    expect(Array.from(got.disadvantageQuartile)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(Array.from(got.attainmentQuartile)).toEqual([4, 4, 3, 2, 2, 1, 1, 2]);
    expect(Array.from(got.againstTheOdds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const high = againstTheOdds({
      ids: fsm.map((_, i) => i + 1),
      attainment: att.map((y, i) => (i === 7 ? 19 : y)),
      context: [{ name: 'fsm', values: fsm }],
      disadvantage: 'fsm',
    });
    expect(Array.from(high.againstTheOdds)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(high.ranking[0]).toBe(7);
  });

  it('counts and leaves out schools with a missing value', () => {
    const got = againstTheOdds({
      ids: fsm.map((_, i) => i + 1),
      attainment: attainment.map((y, i) => (i === 0 ? Number.NaN : y)),
      context: [{ name: 'fsm', values: fsm.map((f, i) => (i === 5 ? Number.NaN : f)) }],
      disadvantage: 'fsm',
    });
    expect(got.n).toBe(6);
    expect(got.excluded).toBe(2);
    expect(got.predicted[0]).toBeNaN();
    expect(got.attainmentQuartile[5]).toBe(0);
    expect(got.ranking).not.toContain(0);
  });

  it('rejects an unknown disadvantage column and too few schools', () => {
    expect(() => againstTheOdds({ ids: [1, 2, 3], attainment: [1, 2, 3], context: [{ name: 'fsm', values: [1, 2, 4] }], disadvantage: 'sen' })).toThrow(/not among/);
    expect(() => againstTheOdds({ ids: [1, 2], attainment: [1, 2], context: [{ name: 'fsm', values: [1, 2] }], disadvantage: 'fsm' })).toThrow(/more observations/);
  });
});
