import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exactStrata, type MatchOptions, type MatchResult, matchNearestNeighbours, propensityScores, type UnmatchedReason } from './matching.ts';

type FixtureMatch = {
  ratio: number;
  replace: boolean;
  caliper: number | null;
  order: 'largest' | 'smallest' | 'data';
  scoreSd: number;
  caliperWidth: number | null;
  matches: { treated: number; controls: number[]; distances: number[] }[];
  unmatched: { unit: number; stratum: string; reason: UnmatchedReason }[];
  weights: number[];
};

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/balance.json', import.meta.url), 'utf8')) as {
  n: number;
  strata: string[];
  treated: number[];
  covariates: Record<string, (number | null)[]>;
  propensity: { params: number[]; bse: number[]; llf: number; logit: (number | null)[]; probability: (number | null)[]; incomplete: number[] };
  cases: { name: string; match: FixtureMatch; reasons: string[] }[];
};

const nan = (xs: (number | null)[]) => Float64Array.from(xs, (v) => (v === null ? Number.NaN : v));

function close(actual: number, expected: number | null, tolerance = 1e-6): void {
  if (expected === null) {
    expect(Number.isNaN(actual), `${actual} should be NaN`).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

/** mulberry32: seeded so every random case is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The obvious greedy algorithm: for each treated unit, scan every control. Written from the
 * specification, independently of the union–find version, so the two can be compared.
 */
function naiveMatch(o: MatchOptions): Pick<MatchResult, 'matches' | 'unmatched' | 'weights'> {
  const n = o.score.length;
  const ratio = o.ratio ?? 1;
  const caliper = o.caliper === undefined ? 0.2 : o.caliper;
  const key = (i: number) => (o.stratum === undefined ? '' : String(o.stratum[i]));
  const scored = (i: number) => !Number.isNaN(o.score[i] ?? Number.NaN);
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < n; i++) if (scored(i)) (o.treated[i] === 1 ? ts : cs).push(i);
  const variance = (xs: number[]) => {
    const m = xs.reduce((a, i) => a + (o.score[i] ?? 0), 0) / xs.length;
    return xs.reduce((a, i) => a + ((o.score[i] ?? 0) - m) ** 2, 0) / (xs.length - 1);
  };
  let width: number | null = null;
  if (caliper !== null) width = (o.caliperUnits ?? 'sd') === 'sd' ? caliper * Math.sqrt((variance(ts) + variance(cs)) / 2) : caliper;
  const s = (i: number) => o.score[i] ?? 0;
  const order = o.order ?? 'largest';
  const serving = [...ts];
  if (order === 'largest') serving.sort((a, b) => s(b) - s(a) || a - b);
  if (order === 'smallest') serving.sort((a, b) => s(a) - s(b) || a - b);
  const reasonFor = (t: number): UnmatchedReason => {
    const pool = cs.filter((c) => key(c) === key(t));
    if (pool.length === 0) return 'no control in stratum';
    if (width === null) return 'controls used up';
    return pool.some((c) => Math.abs(s(t) - s(c)) <= (width ?? 0)) ? 'controls used up' : 'none within caliper';
  };
  const got = new Map<number, { c: number; d: number }[]>(ts.map((t) => [t, []]));
  const reasons = new Map<number, UnmatchedReason>();
  if (!o.replace) {
    const used = new Set<number>();
    let active = serving;
    for (let r = 0; r < ratio; r++) {
      const still: number[] = [];
      for (const t of active) {
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (const c of cs) {
          if (key(c) !== key(t) || used.has(c)) continue;
          const d = Math.abs(s(t) - s(c));
          if (d < bestD || (d === bestD && c < best)) {
            best = c;
            bestD = d;
          }
        }
        if (best < 0 || (width !== null && bestD > width)) {
          if (r === 0) reasons.set(t, reasonFor(t));
          continue;
        }
        used.add(best);
        got.get(t)?.push({ c: best, d: bestD });
        still.push(t);
      }
      active = still;
    }
  } else {
    for (const t of serving) {
      const pool = cs
        .filter((c) => key(c) === key(t))
        .map((c) => ({ c, d: Math.abs(s(t) - s(c)) }))
        .sort((a, b) => a.d - b.d || a.c - b.c);
      if (pool.length === 0) {
        reasons.set(t, 'no control in stratum');
        continue;
      }
      const take = pool.filter((p) => width === null || p.d <= width).slice(0, ratio);
      if (take.length === 0) reasons.set(t, 'none within caliper');
      got.set(t, take);
    }
  }
  const weights = new Float64Array(n);
  const matches: MatchResult['matches'] = [];
  const unmatched: MatchResult['unmatched'] = [];
  for (let i = 0; i < n; i++) {
    if (o.treated[i] !== 1) continue;
    const g = got.get(i) ?? [];
    if (g.length === 0) {
      unmatched.push({ unit: i, stratum: key(i), reason: reasons.get(i) ?? 'no score' });
      continue;
    }
    weights[i] = 1;
    for (const { c } of g) weights[c] = (weights[c] ?? 0) + 1 / g.length;
    matches.push({ treated: i, controls: g.map((x) => x.c), distances: g.map((x) => x.d) });
  }
  return { matches, unmatched, weights };
}

describe('propensityScores against statsmodels Logit', () => {
  const names = Object.keys(fixture.covariates);
  const n = fixture.n;
  const x = new Float64Array(n * names.length);
  names.forEach((name, j) => {
    x.set(nan(fixture.covariates[name] ?? []), j * n);
  });
  const ps = propensityScores(x, n, names.length, fixture.treated);

  it('fits on complete cases with the intercept first', () => {
    expect(ps.usable).toBe(true);
    expect(ps.separation).toBe('none');
    expect(ps.incomplete).toEqual(fixture.propensity.incomplete);
    expect(ps.fit.coefficients.length).toBe(names.length + 1);
    fixture.propensity.params.forEach((b, j) => {
      close(ps.fit.coefficients[j] ?? Number.NaN, b);
    });
    fixture.propensity.bse.forEach((b, j) => {
      close(ps.fit.se[j] ?? Number.NaN, b);
    });
    close(ps.fit.logLikelihood, fixture.propensity.llf);
  });

  it('gives every complete unit its logit and probability, and incomplete units NaN', () => {
    fixture.propensity.logit.forEach((v, i) => {
      close(ps.logit[i] ?? Number.NaN, v);
    });
    fixture.propensity.probability.forEach((v, i) => {
      close(ps.probability[i] ?? Number.NaN, v);
    });
  });

  it('uses x as given when intercept is false', () => {
    const withConstant = new Float64Array(n * (names.length + 1));
    withConstant.fill(1, 0, n);
    withConstant.set(x, n);
    const own = propensityScores(withConstant, n, names.length + 1, fixture.treated, { intercept: false });
    expect(own.fit.coefficients.length).toBe(names.length + 1);
    fixture.propensity.logit.forEach((v, i) => {
      close(own.logit[i] ?? Number.NaN, v);
    });
  });

  it('reports a separated model and gives no scores to match on', () => {
    const xs = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const sep = propensityScores(xs, 8, 1, [0, 0, 0, 0, 1, 1, 1, 1]);
    expect(sep.separation).toBe('complete');
    expect(sep.usable).toBe(false);
    expect([...sep.logit].every(Number.isNaN)).toBe(true);
    const m = matchNearestNeighbours({ score: sep.logit, treated: [0, 0, 0, 0, 1, 1, 1, 1], caliper: null });
    expect(m.matches).toEqual([]);
    expect(m.unmatched.map((u) => u.reason)).toEqual(['no score', 'no score', 'no score', 'no score']);
  });
});

describe('matchNearestNeighbours reproduces the Python greedy reference', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const f = c.match;
      const m = matchNearestNeighbours({
        score: nan(fixture.propensity.logit),
        treated: fixture.treated,
        stratum: fixture.strata,
        ratio: f.ratio,
        replace: f.replace,
        caliper: f.caliper,
        order: f.order,
      });
      close(m.scoreSd, f.scoreSd, 1e-12);
      if (f.caliperWidth === null) expect(m.caliperWidth).toBeNull();
      else close(m.caliperWidth ?? Number.NaN, f.caliperWidth, 1e-12);
      expect(m.matches.map((s) => [s.treated, s.controls])).toEqual(f.matches.map((s) => [s.treated, s.controls]));
      m.matches.forEach((s, i) => {
        s.distances.forEach((d, j) => {
          close(d, f.matches[i]?.distances[j] ?? null, 1e-12);
        });
      });
      expect(m.unmatched).toEqual(f.unmatched);
      f.weights.forEach((w, i) => {
        close(m.weights[i] ?? Number.NaN, w, 1e-12);
      });
      const counted = m.strata.reduce((a, s) => a + s.unmatchedTreated, 0);
      expect(counted).toBe(f.unmatched.length);
    });
  }
});

describe('matchNearestNeighbours against the naive O(n·m) greedy on random cases', () => {
  const rand = seeded(20110301);
  for (let trial = 0; trial < 300; trial++) {
    const n = 5 + Math.floor(rand() * 120);
    const strataCount = 1 + Math.floor(rand() * 4);
    const discrete = rand() < 0.4; // many exact ties
    const treatedShare = 0.15 + rand() * 0.5;
    const score = Float64Array.from({ length: n }, () => {
      if (rand() < 0.05) return Number.NaN;
      return discrete ? Math.floor(rand() * 12) / 4 - 1.5 : (rand() - 0.5) * 4;
    });
    const treated = Int32Array.from({ length: n }, () => (rand() < treatedShare ? 1 : 0));
    const stratum = Array.from({ length: n }, () => `s${Math.floor(rand() * strataCount)}`);
    const ratio = 1 + Math.floor(rand() * 3);
    const replace = rand() < 0.3;
    const caliperPick = rand();
    const caliper = caliperPick < 0.3 ? null : caliperPick < 0.6 ? 0.2 : caliperPick < 0.8 ? 0.05 : 0.5;
    const order = (['largest', 'smallest', 'data'] as const)[Math.floor(rand() * 3)] ?? 'largest';
    const hasTwo = (t: number) => {
      let c = 0;
      for (let i = 0; i < n; i++) if (treated[i] === t && !Number.isNaN(score[i] ?? Number.NaN)) c++;
      return c >= 2;
    };
    const options: MatchOptions = { score, treated, stratum, ratio, replace, caliper, order };
    if (caliper !== null && !(hasTwo(0) && hasTwo(1))) options.caliperUnits = 'score';
    it(`case ${trial}: n ${n}, ${strataCount} strata, ${ratio}:1, ${replace ? 'with' : 'without'} replacement, caliper ${caliper}, ${order}${discrete ? ', ties' : ''}`, () => {
      const fast = matchNearestNeighbours(options);
      const slow = naiveMatch(options);
      expect(fast.matches).toEqual(slow.matches);
      expect(fast.unmatched).toEqual(slow.unmatched);
      expect([...fast.weights]).toEqual([...slow.weights]);
    });
  }
});

describe('matchNearestNeighbours by hand', () => {
  const noCaliper = { caliper: null } as const;

  it('matches within exact strata only and says when a stratum has no control', () => {
    const m = matchNearestNeighbours({
      score: [0.0, 0.1, 5.0, 0.05, 9],
      treated: [1, 0, 0, 1, 1],
      stratum: exactStrata(['primary', 'primary', 'secondary', 'secondary', 'special'], ['academy', 'academy', 'academy', 'academy', 'academy'], ['mixed', 'mixed', 'mixed', 'mixed', 'mixed']),
      ...noCaliper,
    });
    expect(m.matches).toEqual([
      { treated: 0, controls: [1], distances: [0.1] },
      { treated: 3, controls: [2], distances: [4.95] },
    ]);
    expect(m.unmatched).toEqual([{ unit: 4, stratum: 'special|academy|mixed', reason: 'no control in stratum' }]);
    expect(m.strata.map((s) => [s.stratum, s.treated, s.controls, s.matchedTreated, s.matchedControls, s.unmatchedTreated])).toEqual([
      ['primary|academy|mixed', 1, 1, 1, 1, 0],
      ['secondary|academy|mixed', 1, 1, 1, 1, 0],
      ['special|academy|mixed', 1, 0, 0, 0, 1],
    ]);
  });

  it('tells "none within caliper" (no support) from "controls used up" (competition)', () => {
    // Treated at 1.0 and 1.05 compete for the one close control (1.02); treated at 5 has none near.
    const m = matchNearestNeighbours({ score: [1.0, 1.05, 5, 1.02, 3], treated: [1, 1, 1, 0, 0], caliper: 0.1, caliperUnits: 'score' });
    expect(m.matches).toEqual([{ treated: 1, controls: [3], distances: [Math.abs(1.05 - 1.02)] }]);
    expect(m.unmatched).toEqual([
      { unit: 0, stratum: '', reason: 'controls used up' },
      { unit: 2, stratum: '', reason: 'none within caliper' },
    ]);
  });

  it('without a caliper, a treated unit left over is "controls used up"', () => {
    const m = matchNearestNeighbours({ score: [1, 2, 3], treated: [1, 1, 0], ...noCaliper });
    expect(m.matches).toEqual([{ treated: 1, controls: [2], distances: [1] }]);
    expect(m.unmatched).toEqual([{ unit: 0, stratum: '', reason: 'controls used up' }]);
  });

  it('serves the largest score first by default, the smallest or data order on request', () => {
    // One control at 5.5 wanted by treated units at 4 and 6: whoever is served first takes it.
    const base = { score: [4, 6, 5.5], treated: [1, 1, 0], ...noCaliper };
    expect(matchNearestNeighbours(base).matches.map((s) => [s.treated, s.controls])).toEqual([[1, [2]]]);
    expect(matchNearestNeighbours({ ...base, order: 'smallest' }).matches.map((s) => [s.treated, s.controls])).toEqual([[0, [2]]]);
    expect(matchNearestNeighbours({ ...base, order: 'data' }).matches.map((s) => [s.treated, s.controls])).toEqual([[0, [2]]]);
  });

  it('breaks ties by the lower index: equal scores, and equal distances on either side', () => {
    // Controls 1, 2, 3 all at 0.5 (distance 0.5 from the treated unit at 1.0), control 4 at 1.5.
    const equal = matchNearestNeighbours({ score: [1.0, 0.5, 0.5, 0.5, 1.5], treated: [1, 0, 0, 0, 0], ...noCaliper });
    expect(equal.matches[0]?.controls).toEqual([1]);
    // Left run below the treated unit is read from its lowest index even when the nearest used one is higher.
    const left = matchNearestNeighbours({ score: [1.0, 1.5, 0.5, 0.5], treated: [1, 0, 0, 0], ...noCaliper });
    expect(left.matches[0]?.controls).toEqual([1]);
    const right = matchNearestNeighbours({ score: [1.0, 0.5, 1.5], treated: [1, 0, 0], ...noCaliper });
    expect(right.matches[0]?.controls).toEqual([1]);
    const rightFirst = matchNearestNeighbours({ score: [1.0, 1.5, 0.5], treated: [1, 0, 0], ...noCaliper });
    expect(rightFirst.matches[0]?.controls).toEqual([1]);
    // Treated ties are served by index: unit 0 takes the exact match, unit 1 the next.
    const served = matchNearestNeighbours({ score: [2, 2, 2, 2.25], treated: [1, 1, 0, 0], ...noCaliper });
    expect(served.matches.map((s) => s.controls)).toEqual([[2], [3]]);
  });

  it('includes a control exactly at the caliper', () => {
    const m = matchNearestNeighbours({ score: [0, 0.25], treated: [1, 0], caliper: 0.25, caliperUnits: 'score' });
    expect(m.matches[0]?.controls).toEqual([1]);
  });

  it('k:1 gives every treated unit its first control before anyone gets a second', () => {
    // Treated at 0 and 1; controls at 0.1, 0.2, 0.9, 5. Largest first: 1 → 0.9; 0 → 0.1; then 1 → 0.2, 0 → 5.
    const m = matchNearestNeighbours({ score: [0, 1, 0.1, 0.2, 0.9, 5], treated: [1, 1, 0, 0, 0, 0], ratio: 2, ...noCaliper });
    expect(m.matches.map((s) => [s.treated, s.controls])).toEqual([
      [0, [2, 5]],
      [1, [4, 3]],
    ]);
    expect([...m.weights]).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5]);
  });

  it('k:1 with a caliper keeps the controls found, fewer than k, and weights them 1/m', () => {
    const m = matchNearestNeighbours({ score: [0, 0.1, 3], treated: [1, 0, 0], ratio: 2, caliper: 0.5, caliperUnits: 'score' });
    expect(m.matches).toEqual([{ treated: 0, controls: [1], distances: [0.1] }]);
    expect(m.weights[1]).toBe(1);
    expect(m.weights[2]).toBe(0);
  });

  it('with replacement lets controls serve several treated units and sums their weights', () => {
    const m = matchNearestNeighbours({ score: [1, 1.1, 1.05, 3, 1.2], treated: [1, 1, 0, 0, 0], ratio: 2, replace: true, ...noCaliper });
    expect(m.matches).toEqual([
      { treated: 0, controls: [2, 4], distances: [Math.abs(1 - 1.05), Math.abs(1 - 1.2)] },
      { treated: 1, controls: [2, 4], distances: [Math.abs(1.1 - 1.05), Math.abs(1.1 - 1.2)] },
    ]);
    expect(m.weights[2]).toBe(1);
    expect(m.strata[0]?.matchedControls).toBe(2);
  });

  it('gives units without a score the reason "no score" and leaves such controls out', () => {
    const m = matchNearestNeighbours({ score: [Number.NaN, 1, Number.NaN, 1.1], treated: [1, 1, 0, 0], ...noCaliper });
    expect(m.matches).toEqual([{ treated: 1, controls: [3], distances: [Math.abs(1 - 1.1)] }]);
    expect(m.unmatched).toEqual([{ unit: 0, stratum: '', reason: 'no score' }]);
    expect(m.strata[0]?.withoutScore).toBe(2);
  });

  it('puts the default caliper at 0.2 pooled SDs of the score', () => {
    const score = [0, 1, 2, 3, 0.5, 1.5, 4, 8];
    const treated = [1, 1, 1, 1, 0, 0, 0, 0];
    const m = matchNearestNeighbours({ score, treated });
    const v = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    };
    const sd = Math.sqrt((v([0, 1, 2, 3]) + v([0.5, 1.5, 4, 8])) / 2);
    expect(m.scoreSd).toBeCloseTo(sd, 14);
    expect(m.caliperWidth).toBeCloseTo(0.2 * sd, 14);
  });

  it('rejects bad input', () => {
    expect(() => matchNearestNeighbours({ score: [1, 2], treated: [1, 2] })).toThrow(/expected 0 or 1/);
    expect(() => matchNearestNeighbours({ score: [1, 2], treated: [1, 0], ratio: 0 })).toThrow(/ratio/);
    expect(() => matchNearestNeighbours({ score: [1, 2], treated: [1, 0] })).toThrow(/SD units/);
    expect(() => matchNearestNeighbours({ score: [1, 2], treated: [1] })).toThrow(/entries/);
    expect(() => exactStrata(['a', 'b'], ['c'])).toThrow(/one entry per unit/);
  });
});

describe('matchNearestNeighbours at national scale', () => {
  it('matches 600 treated among 24,000 units quickly and as the naive scan does', () => {
    const rand = seeded(7);
    const n = 24_000;
    const score = Float64Array.from({ length: n }, () => (rand() - 0.5) * 6);
    const treated = Int32Array.from({ length: n }, () => (rand() < 0.025 ? 1 : 0));
    const stratum = Array.from({ length: n }, () => `s${Math.floor(rand() * 36)}`);
    const t0 = performance.now();
    const fast = matchNearestNeighbours({ score, treated, stratum, ratio: 2 });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(500);
    const slow = naiveMatch({ score, treated, stratum, ratio: 2 });
    expect(fast.matches).toEqual(slow.matches);
  });
});
