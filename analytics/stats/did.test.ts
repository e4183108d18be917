import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CellMean, type DidEstimate, differenceInDifferences, eventStudy } from './did.ts';

type Estimate = Omit<DidEstimate, 'ci' | 'ciNormal'> & { ci: [number, number]; ciNormal: [number, number] };
type DidCase = {
  name: string;
  unit: number[];
  treated: number[];
  year: number[];
  post: number[];
  y: (number | null)[];
  n: number;
  clusters: number;
  did: Estimate & { cells: Record<'controlPre' | 'controlPost' | 'treatedPre' | 'treatedPost', CellMean> };
  event: {
    baselineYears: number[];
    years: (Estimate & { year: number; treated: CellMean; control: CellMean })[];
    baseline: { treated: CellMean; control: CellMean };
  };
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/did.json', import.meta.url), 'utf8')) as { cases: DidCase[] };

/** Agreement to 1e-6, relative or absolute, whichever is looser. */
function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

function sameEstimate(actual: DidEstimate, expected: Estimate, what: string): void {
  for (const key of ['estimate', 'se', 't', 'df', 'pNormal', 'pT'] as const) close(actual[key], expected[key], `${what} ${key}`);
  close(actual.ci[0], expected.ci[0], `${what} ci low`);
  close(actual.ci[1], expected.ci[1], `${what} ci high`);
  close(actual.ciNormal[0], expected.ciNormal[0], `${what} normal ci low`);
  close(actual.ciNormal[1], expected.ciNormal[1], `${what} normal ci high`);
}

function sameCell(actual: CellMean, expected: CellMean, what: string): void {
  expect(actual.n, `${what} n`).toBe(expected.n);
  close(actual.mean, expected.mean, `${what} mean`);
}

const y = (c: DidCase) => Float64Array.from(c.y, (v) => (v === null ? Number.NaN : v));

describe('differenceInDifferences against statsmodels OLS with cluster SEs', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const r = differenceInDifferences({ y: y(c), unit: c.unit, treated: c.treated, post: c.post });
      expect(r.n).toBe(c.n);
      expect(r.clusters).toBe(c.clusters);
      sameEstimate(r, c.did, 'DiD');
      for (const key of ['controlPre', 'controlPost', 'treatedPre', 'treatedPost'] as const) sameCell(r.cells[key], c.did.cells[key], key);
      const { treatedPost, treatedPre, controlPost, controlPre } = r.cells;
      close(r.estimate, treatedPost.mean - treatedPre.mean - (controlPost.mean - controlPre.mean), 'DiD of the cell means');
    });
  }
});

describe('eventStudy against statsmodels OLS with cluster SEs', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const r = eventStudy({ y: y(c), unit: c.unit.map((u) => `school ${u}`), treated: c.treated, year: c.year, baselineYears: c.event.baselineYears });
      expect(r.n).toBe(c.n);
      expect(r.clusters).toBe(c.clusters);
      expect(r.years.map((e) => e.year)).toEqual(c.event.years.map((e) => e.year));
      expect(r.baseline.years).toEqual(c.event.baselineYears);
      sameCell(r.baseline.treated, c.event.baseline.treated, 'baseline treated');
      sameCell(r.baseline.control, c.event.baseline.control, 'baseline control');
      r.years.forEach((e, j) => {
        const expected = c.event.years[j];
        if (expected === undefined) throw new Error(`no reference for year ${e.year}`);
        sameEstimate(e, expected, String(e.year));
        sameCell(e.treated, expected.treated, `${e.year} treated`);
        sameCell(e.control, expected.control, `${e.year} control`);
        const dd = e.treated.mean - e.control.mean - (r.baseline.treated.mean - r.baseline.control.mean);
        close(e.estimate, dd, `${e.year} as a difference of cell means`);
      });
      expect(r.columns.length).toBe(2 + 2 * r.years.length);
    });
  }
});

describe('difference-in-differences by hand', () => {
  it('recovers an exact effect on a noiseless panel', () => {
    // Two treated and two control schools, two periods: treated gain 3 more than controls.
    const r = differenceInDifferences({
      y: [10, 12, 20, 22.5, 11, 16, 21, 26.5],
      unit: ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'],
      treated: [0, 0, 0, 0, 1, 1, 1, 1],
      post: [0, 1, 0, 1, 0, 1, 0, 1],
    });
    expect(r.estimate).toBeCloseTo(5.25 - 2.25, 12);
    expect(r.cells.treatedPre).toEqual({ mean: 16, n: 2 });
    expect(r.df).toBe(3);
  });

  it('rejects a unit that is treated in some rows only, and an empty cell', () => {
    expect(() => differenceInDifferences({ y: [1, 2, 3, 4], unit: [1, 1, 2, 2], treated: [1, 0, 0, 0], post: [0, 1, 0, 1] })).toThrow(/unit 1/);
    expect(() => differenceInDifferences({ y: [1, 2, 3, 4], unit: [1, 1, 2, 2], treated: [1, 1, 0, 0], post: [0, 0, 0, 1] })).toThrow(/treated, post/);
    expect(() => eventStudy({ y: [1, 2, 3, 4, 5], unit: [1, 1, 2, 2, 2], treated: [1, 1, 0, 0, 0], year: [1, 2, 1, 2, 3], baselineYears: [1] })).toThrow(/year 3/);
    expect(() => eventStudy({ y: [1, 2], unit: [1, 2], treated: [1, 0], year: [1, 2], baselineYears: [] })).toThrow(/baseline/);
  });
});
