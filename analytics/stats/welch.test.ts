import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hedgesG, welchTTest } from './welch.ts';

type WelchCase = {
  name: string;
  a: number[];
  b: number[];
  statistic: number;
  pvalue: number;
  df: number;
  diff: number;
  ci: [number, number];
  hedgesG: number;
  hedgesSe: number;
  hedgesCi: [number, number];
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/welch.json', import.meta.url), 'utf8')) as { cases: WelchCase[] };

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

describe('welchTTest and hedgesG against scipy', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const w = welchTTest(c.a, c.b);
      close(w.statistic, c.statistic);
      close(w.p, c.pvalue);
      close(w.df, c.df);
      close(w.difference, c.diff);
      close(w.ci[0], c.ci[0]);
      close(w.ci[1], c.ci[1]);
      const h = hedgesG(c.a, c.b);
      close(h.g, c.hedgesG);
      close(h.standardError, c.hedgesSe);
      close(h.ci[0], c.hedgesCi[0]);
      close(h.ci[1], c.hedgesCi[1]);
    });
  }

  it('needs two observations per group', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(RangeError);
  });
});
