import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BalanceSide, balanceTable } from './balance.ts';
import { matchNearestNeighbours } from './matching.ts';

type Side = Omit<BalanceSide, 'flags'> & { flags: { smd: boolean; varianceRatio: boolean } };
type Row = { name: string; binary: boolean; pooledSd: number; before: Side; after: Side };

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/balance.json', import.meta.url), 'utf8')) as {
  n: number;
  strata: string[];
  treated: number[];
  covariates: Record<string, (number | null)[]>;
  propensity: { logit: (number | null)[] };
  cases: { name: string; match: { weights: number[]; ratio: number; replace: boolean; caliper: number | null; order: 'largest' | 'smallest' | 'data' }; balance: Row[] }[];
};

const nan = (xs: (number | null)[]) => Float64Array.from(xs, (v) => (v === null ? Number.NaN : v));

/** Agreement to 1e-9, relative or absolute, whichever is looser. */
function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

function sameSide(actual: BalanceSide, expected: Side, what: string): void {
  expect(actual.nTreated, `${what} nTreated`).toBe(expected.nTreated);
  expect(actual.nControl, `${what} nControl`).toBe(expected.nControl);
  for (const key of ['effectiveControls', 'treatedMean', 'controlMean', 'treatedVariance', 'controlVariance', 'smd', 'varianceRatio'] as const)
    close(actual[key], expected[key], `${what} ${key}`);
  close(actual.test.statistic, expected.test.statistic, `${what} t`);
  close(actual.test.df, expected.test.df, `${what} df`);
  close(actual.test.p, expected.test.p, `${what} p`);
  expect(actual.flags.smd, `${what} SMD flag`).toBe(expected.flags.smd);
  expect(actual.flags.varianceRatio, `${what} variance-ratio flag`).toBe(expected.flags.varianceRatio);
  expect(actual.flags.any).toBe(expected.flags.smd || expected.flags.varianceRatio);
}

const covariates = [
  ...Object.entries(fixture.covariates).map(([name, values]) => ({ name, values: nan(values) })),
  { name: 'logitPropensity', values: nan(fixture.propensity.logit) },
];

describe('balanceTable against numpy/scipy', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const rows = balanceTable({ covariates, treated: fixture.treated, stratum: fixture.strata, weights: c.match.weights });
      expect(rows.map((r) => r.name)).toEqual(c.balance.map((r) => r.name));
      rows.forEach((row, j) => {
        const e = c.balance[j] as Row;
        expect(row.binary).toBe(e.binary);
        close(row.pooledSd, e.pooledSd, `${row.name} pooled SD`);
        sameSide(row.before, e.before, `${row.name} before`);
        sameSide(row.after, e.after, `${row.name} after`);
      });
    });
  }

  it('takes the weights straight from the matching', () => {
    const c = fixture.cases[1];
    if (c === undefined) throw new Error('fixture has no 2:1 case');
    const m = matchNearestNeighbours({ score: covariates[6]?.values ?? [], treated: fixture.treated, stratum: fixture.strata, ratio: c.match.ratio, caliper: c.match.caliper });
    const rows = balanceTable({ covariates, treated: fixture.treated, stratum: fixture.strata, weights: m.weights });
    rows.forEach((row, j) => {
      close(row.after.smd, c.balance[j]?.after.smd ?? Number.NaN, row.name);
    });
  });
});

describe('balanceTable by hand', () => {
  it('counts only the non-missing values of each covariate', () => {
    const rows = balanceTable({
      covariates: [{ name: 'pctSen', values: [10, Number.NaN, 12, 14, 20, Number.NaN] }],
      treated: [1, 1, 1, 0, 0, 0],
      weights: [1, 1, 0, 1, 1, 0],
    });
    const row = rows[0];
    expect(row?.before.nTreated).toBe(2);
    expect(row?.before.nControl).toBe(2);
    expect(row?.after.nTreated).toBe(1);
    expect(row?.after.nControl).toBe(2);
    expect(row?.before.treatedMean).toBe(11);
    expect(row?.before.controlMean).toBe(17);
  });

  it('uses the before-matching pooled SD on both sides', () => {
    const rows = balanceTable({ covariates: [{ name: 'x', values: [1, 3, 2, 6, 10] }], treated: [1, 1, 0, 0, 0], weights: [1, 1, 1, 1, 0] });
    const row = rows[0];
    const sd = Math.sqrt((2 + 16) / 2);
    expect(row?.pooledSd).toBeCloseTo(sd, 14);
    expect(row?.before.smd).toBeCloseTo((2 - 6) / sd, 14);
    expect(row?.after.smd).toBeCloseTo((2 - 4) / sd, 14);
  });

  it('weights k:1 controls 1/k, with the n − 1 variance when weights are equal', () => {
    // Treated 0 and 1, each with two controls at weight 1/2: the weighted control mean is the mean of pair means.
    const rows = balanceTable({ covariates: [{ name: 'x', values: [0, 10, 1, 3, 8, 12] }], treated: [1, 1, 0, 0, 0, 0], weights: [1, 1, 0.5, 0.5, 0.5, 0.5] });
    const after = rows[0]?.after;
    expect(after?.controlMean).toBe(6);
    expect(after?.effectiveControls).toBe(4);
    const ss = (1 - 6) ** 2 + (3 - 6) ** 2 + (8 - 6) ** 2 + (12 - 6) ** 2;
    expect(after?.controlVariance).toBeCloseTo(ss / 3, 12);
  });

  it('restricts the before-matching controls to strata with a treated unit', () => {
    const rows = balanceTable({
      covariates: [{ name: 'roll', values: [200, 210, 190, 900, 1000] }],
      treated: [1, 0, 0, 0, 0],
      stratum: ['primary', 'primary', 'primary', 'secondary', 'secondary'],
      weights: [1, 1, 0, 0, 0],
    });
    expect(rows[0]?.before.nControl).toBe(2);
    expect(rows[0]?.before.controlMean).toBe(200);
  });

  it('flags |SMD| > 0.1 and a variance ratio outside [0.5, 2], the latter only for continuous covariates', () => {
    const rows = balanceTable({
      covariates: [
        { name: 'spread', values: [0, 10, 20, 9, 10, 11, 10, 10] },
        { name: 'urban', values: [1, 1, 1, 0, 0, 1, 0, 0] },
        { name: 'constant', values: [5, 5, 5, 5, 5, 5, 5, 5] },
      ],
      treated: [1, 1, 1, 0, 0, 0, 0, 0],
      weights: [1, 1, 1, 1, 1, 1, 0, 0],
    });
    const [spread, urban, constant] = rows;
    expect(spread?.before.flags).toEqual({ smd: false, varianceRatio: true, any: true });
    expect(urban?.binary).toBe(true);
    expect(urban?.before.flags.smd).toBe(true);
    expect(urban?.before.flags.varianceRatio).toBe(false);
    expect(constant?.before.smd).toBe(0);
    expect(constant?.before.flags.smd).toBe(false);
  });

  it('rejects mismatched lengths', () => {
    expect(() => balanceTable({ covariates: [{ name: 'x', values: [1, 2] }], treated: [1, 0, 0], weights: [1, 1, 0] })).toThrow(/covariate x/);
    expect(() => balanceTable({ covariates: [], treated: [1, 0], weights: [1] })).toThrow(/weights/);
  });
});
