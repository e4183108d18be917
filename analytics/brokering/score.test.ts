import { describe, expect, it } from 'vitest';
import { haversineKm } from '../graph/mixing.ts';
import {
  type CandidateTable,
  defaultWeights,
  explainCandidate,
  type FactorCode,
  factorInfo,
  factorOrder,
  type RankedCandidate,
  rankCandidates,
  type ScoreWeights,
  type SupportRequest,
} from './score.ts';

/** One candidate row, by field; every field has a neutral default. */
type RowSpec = {
  id: number;
  schoolId: number;
  phase: string | null;
  open: boolean;
  latitude: number;
  longitude: number;
  strength: number;
  context: number[];
  capacityLeft: number;
  tieStrength: number;
  offersBack: number;
  partner: boolean;
};

// The requester sits at 52° N, 1° W; 0.01° of latitude is about 1.11 km.
const HOME = { latitude: 52, longitude: -1 };
const north = (km: number) => HOME.latitude + km / 111.195;

function makeRow(overrides: Partial<RowSpec> & { id: number }): RowSpec {
  return {
    schoolId: overrides.id,
    phase: 'secondary',
    open: true,
    latitude: north(20),
    longitude: HOME.longitude,
    strength: 1,
    context: [0, 0],
    capacityLeft: 10,
    tieStrength: 0,
    offersBack: 0,
    partner: false,
    ...overrides,
  };
}

function makeTable(specs: Partial<RowSpec>[] & { id: number }[], p = 2): { table: CandidateTable; offersBack: Float64Array } {
  const rows = specs.map(makeRow);
  const table: CandidateTable = {
    n: rows.length,
    id: Int32Array.from(rows, (r) => r.id),
    schoolId: Int32Array.from(rows, (r) => r.schoolId),
    phase: rows.map((r) => r.phase),
    open: Uint8Array.from(rows, (r) => (r.open ? 1 : 0)),
    latitude: Float64Array.from(rows, (r) => r.latitude),
    longitude: Float64Array.from(rows, (r) => r.longitude),
    strength: Float64Array.from(rows, (r) => r.strength),
    context: Float64Array.from(rows.flatMap((r) => r.context)),
    p,
    capacityLeft: Float64Array.from(rows, (r) => r.capacityLeft),
    tieStrength: Float64Array.from(rows, (r) => r.tieStrength),
    partnersOfRequester: Uint8Array.from(rows, (r) => (r.partner ? 1 : 0)),
  };
  return { table, offersBack: Float64Array.from(rows, (r) => r.offersBack) };
}

function makeRequest(offersBack: Float64Array, overrides: Partial<SupportRequest> = {}): SupportRequest {
  return {
    schoolId: 1,
    phase: 'secondary',
    ...HOME,
    context: Float64Array.of(0, 0),
    offersBack,
    partnerContexts: new Float64Array(0),
    partners: 0,
    conflicts: new Set(),
    daysNeeded: 2,
    catchmentKm: 3,
    ...overrides,
  };
}

function rank(specs: Partial<RowSpec>[] & { id: number }[], request: Partial<SupportRequest> = {}, weights?: ScoreWeights) {
  const { table, offersBack } = makeTable(specs);
  return rankCandidates(makeRequest(offersBack, request), table, weights ? { weights } : {});
}

const ids = (ranked: RankedCandidate[]) => ranked.map((c) => c.id);
const factor = (c: RankedCandidate, f: FactorCode) => c.factors.find((x) => x.factor === f)!;

/** Seeded LCG for the random tables. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomCase(n: number, seed: number, p = 4): { table: CandidateTable; request: SupportRequest } {
  const rand = lcg(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const maybe = (v: number, pMissing: number) => (rand() < pMissing ? Number.NaN : v);
  const table: CandidateTable = {
    n,
    id: Int32Array.from({ length: n }, (_, i) => 1000 + ((i * 7919) % n)),
    schoolId: Int32Array.from({ length: n }, (_, i) => 1000 + ((i * 7919) % n)),
    phase: Array.from({ length: n }, () => (rand() < 0.6 ? 'primary' : rand() < 0.9 ? 'secondary' : null)),
    open: Uint8Array.from({ length: n }, () => (rand() < 0.97 ? 1 : 0)),
    latitude: Float64Array.from({ length: n }, () => maybe(51 + rand() * 2, 0.02)),
    longitude: Float64Array.from({ length: n }, () => maybe(-2 + rand() * 2, 0.02)),
    strength: Float64Array.from({ length: n }, () => maybe(normal(), 0.05)),
    context: Float64Array.from({ length: n * p }, () => maybe(normal(), 0.1)),
    p,
    capacityLeft: Float64Array.from({ length: n }, () => Math.floor(rand() * 12)),
    tieStrength: Float64Array.from({ length: n }, () => (rand() < 0.05 ? rand() : 0)),
  };
  const request: SupportRequest = {
    schoolId: 1000 + 3,
    phase: 'primary',
    latitude: 52,
    longitude: -1,
    context: Float64Array.from({ length: p }, () => normal()),
    offersBack: Float64Array.from({ length: n }, () => maybe(normal(), 0.2)),
    partnerContexts: Float64Array.from({ length: 3 * p }, () => maybe(normal(), 0.1)),
    partners: 3,
    conflicts: new Set([1000 + 5, 1000 + 8]),
    daysNeeded: 3,
    catchmentKm: 3,
  };
  return { table, request };
}

describe('factor information', () => {
  it('lists every factor once, with a label, a meaning and a range, and default weights summing to 1', () => {
    expect(new Set(factorOrder).size).toBe(8);
    for (const f of factorOrder) {
      expect(factorInfo[f].label.length).toBeGreaterThan(0);
      expect(factorInfo[f].meaning.length).toBeGreaterThan(0);
      expect(factorInfo[f].range.length).toBeGreaterThan(0);
      expect(defaultWeights[f]).toBeGreaterThan(0);
    }
    expect(factorOrder.reduce((s, f) => s + defaultWeights[f], 0)).toBeCloseTo(1, 12);
  });
});

describe('each factor moves the rank the expected way (the two candidates differ in that factor only)', () => {
  it('strength: the stronger school ranks first', () => {
    const r = rank([makeRow({ id: 10, strength: 0.2 }), makeRow({ id: 11, strength: 1.5 })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'strength').normalised).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 15);
  });

  it('similarity: the school whose context is closer to the requester’s ranks first', () => {
    const r = rank([makeRow({ id: 10, context: [2, -1] }), makeRow({ id: 11, context: [0.2, 0.1] })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    // d² = (0.04 + 0.01) / 2 → exp(−d²/2); raw is d.
    expect(factor(r.ranked[0]!, 'similarity').normalised).toBeCloseTo(Math.exp(-0.025 / 2), 15);
    expect(factor(r.ranked[0]!, 'similarity').raw).toBeCloseTo(Math.sqrt(0.025), 15);
  });

  it('non-competition: a same-phase school inside the catchment overlap ranks below a different-phase one at the same spot', () => {
    const r = rank([makeRow({ id: 10, phase: 'secondary', latitude: north(2) }), makeRow({ id: 11, phase: 'primary', latitude: north(2) })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    const near = factor(r.ranked[1]!, 'nonCompetition');
    expect(near.normalised).toBeCloseTo(2 / 6, 3); // d / (2 × 3 km)
    expect(near.raw).toBeCloseTo(2, 3);
    expect(factor(r.ranked[0]!, 'nonCompetition')).toMatchObject({ normalised: 1, raw: null });
  });

  it('non-competition outweighs travel by default: the same-phase school next door ranks below one 5 km away', () => {
    const r = rank([makeRow({ id: 10, latitude: north(1) }), makeRow({ id: 11, latitude: north(5) })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[1]!, 'travel').normalised).toBeGreaterThan(factor(r.ranked[0]!, 'travel').normalised);
  });

  it('travel: between schools of another phase, the nearer ranks first', () => {
    const r = rank([makeRow({ id: 10, phase: 'primary', latitude: north(40) }), makeRow({ id: 11, phase: 'primary', latitude: north(5) })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'travel').normalised).toBeCloseTo(1 / (1 + 5 / 15), 3);
    expect(factor(r.ranked[0]!, 'nonCompetition').normalised).toBe(1);
  });

  it('capacity: the supporter with more time left ranks first; at twice the need it is full marks', () => {
    const r = rank([makeRow({ id: 10, capacityLeft: 3 }), makeRow({ id: 11, capacityLeft: 4 })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'capacity').normalised).toBe(1);
    expect(factor(r.ranked[1]!, 'capacity').normalised).toBe(0.75);
  });

  it('reciprocity: the school the requester can help back ranks first', () => {
    const r = rank([makeRow({ id: 10, offersBack: -1 }), makeRow({ id: 11, offersBack: 1 })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'reciprocity').normalised).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });

  it('ties: the school with an existing tie ranks first', () => {
    const r = rank([makeRow({ id: 10, tieStrength: 0 }), makeRow({ id: 11, tieStrength: 0.6 })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'ties').normalised).toBe(0.6);
  });

  it('diversity: of two schools equally like the requester, the one unlike its current partner ranks first', () => {
    // Requester at (0, 0), its partner at (1, 0): row 10 sits on the partner, row 11 opposite.
    const partner = { partnerContexts: Float64Array.of(1, 0), partners: 1 };
    const r = rank([makeRow({ id: 10, context: [1, 0] }), makeRow({ id: 11, context: [-1, 0] })], partner);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[0]!, 'similarity').normalised).toBe(factor(r.ranked[1]!, 'similarity').normalised);
    expect(factor(r.ranked[1]!, 'diversity')).toMatchObject({ normalised: 0, raw: 0 });
    expect(factor(r.ranked[0]!, 'diversity').normalised).toBeCloseTo(1 - Math.exp(-2 / 2), 15); // gap (4 + 0)/2
  });

  it('diversity: a row flagged as a current partner scores 0 on it', () => {
    const r = rank([makeRow({ id: 10, partner: true }), makeRow({ id: 11 })]);
    expect(ids(r.ranked)).toEqual([11, 10]);
    expect(factor(r.ranked[1]!, 'diversity')).toMatchObject({ normalised: 0, raw: 0 });
    expect(factor(r.ranked[0]!, 'diversity')).toMatchObject({ normalised: 1, raw: null });
  });

  it('a factor with weight 0 no longer matters', () => {
    const weights = { ...defaultWeights, strength: 0 };
    const r = rank([makeRow({ id: 10, strength: 0.2 }), makeRow({ id: 11, strength: 1.5 })], {}, weights);
    expect(r.ranked[0]!.score).toBe(r.ranked[1]!.score);
    expect(ids(r.ranked)).toEqual([10, 11]);
  });
});

describe('unknown inputs', () => {
  it('unknown location: no distance, travel 0.5, same-phase non-competition 0.5', () => {
    const r = rank([makeRow({ id: 10, latitude: Number.NaN })]);
    const c = r.ranked[0]!;
    expect(c.distanceKm).toBeNull();
    expect(factor(c, 'travel')).toMatchObject({ raw: null, normalised: 0.5 });
    expect(factor(c, 'nonCompetition')).toMatchObject({ raw: null, normalised: 0.5 });
  });

  it('unknown context: similarity exp(−1); unknown offer back: reciprocity 0.5', () => {
    const r = rank([makeRow({ id: 10, context: [Number.NaN, Number.NaN], offersBack: Number.NaN })]);
    const c = r.ranked[0]!;
    expect(factor(c, 'similarity')).toMatchObject({ raw: null, normalised: Math.exp(-1) });
    expect(factor(c, 'reciprocity')).toMatchObject({ raw: null, normalised: 0.5 });
  });

  it('context distance uses the features both schools have', () => {
    const r = rank([makeRow({ id: 10, context: [Number.NaN, 1] })], { context: Float64Array.of(3, 0) });
    expect(factor(r.ranked[0]!, 'similarity').normalised).toBeCloseTo(Math.exp(-1 / 2), 15);
  });
});

describe('hard constraints', () => {
  it('excludes self, closed, conflicted, over-capacity and no-strength rows, counted by first reason', () => {
    const r = rank(
      [
        makeRow({ id: 1 }), // the requester itself
        makeRow({ id: 500, schoolId: 1 }), // a person at the requesting school
        makeRow({ id: 2, open: false }),
        makeRow({ id: 3, open: false, capacityLeft: 0 }), // closed wins over capacity
        makeRow({ id: 4, capacityLeft: 0 }),
        makeRow({ id: 5, capacityLeft: 1.5 }), // less than the 2 days needed
        makeRow({ id: 6, capacityLeft: Number.NaN }),
        makeRow({ id: 7 }), // conflict of interest
        makeRow({ id: 13, capacityLeft: 0 }), // conflicted too, but capacity is checked first
        makeRow({ id: 8, strength: Number.NaN }),
        makeRow({ id: 9, capacityLeft: 2 }), // exactly enough
      ],
      { conflicts: new Set([7, 13]) },
    );
    expect(ids(r.ranked)).toEqual([9]);
    expect(r.eligible).toBe(1);
    expect(r.excludedCounts).toEqual({ self: 2, closed: 2, 'over capacity': 4, 'conflict of interest': 1, 'no strength data': 1 });
    expect(r.excluded.map((e) => [e.id, e.reason])).toEqual([
      [1, 'self'],
      [500, 'self'],
      [2, 'closed'],
      [3, 'closed'],
      [4, 'over capacity'],
      [5, 'over capacity'],
      [6, 'over capacity'],
      [7, 'conflict of interest'],
      [13, 'over capacity'],
      [8, 'no strength data'],
    ]);
    const { table, offersBack } = makeTable([makeRow({ id: 2, open: false })]);
    expect(explainCandidate(makeRequest(offersBack), table, 0)).toEqual({ kind: 'excluded', exclusion: { row: 0, id: 2, reason: 'closed' } });
  });

  it('caps the excluded sample but counts every exclusion', () => {
    const specs = Array.from({ length: 30 }, (_, i) => makeRow({ id: 100 + i, open: false }));
    const { table, offersBack } = makeTable(specs);
    const r = rankCandidates(makeRequest(offersBack), table, { excludedSample: 5 });
    expect(r.excluded).toHaveLength(5);
    expect(r.excludedCounts.closed).toBe(30);
  });

  it('rejects negative weights and short columns', () => {
    const { table, offersBack } = makeTable([makeRow({ id: 10 })]);
    expect(() => rankCandidates(makeRequest(offersBack), table, { weights: { ...defaultWeights, ties: -1 } })).toThrow(RangeError);
    expect(() => rankCandidates(makeRequest(new Float64Array(0)), table)).toThrow(/offersBack/);
    expect(() => rankCandidates(makeRequest(offersBack), table, { limit: Number.NaN })).toThrow(RangeError);
  });
});

describe('scores and order', () => {
  it('contributions are weight × normalised and sum to the score exactly; normalised values lie in [0, 1]', () => {
    const { table, request } = randomCase(3000, 7);
    const r = rankCandidates(request, table, { limit: Number.POSITIVE_INFINITY });
    expect(r.ranked.length).toBe(r.eligible);
    expect(r.eligible + Object.values(r.excludedCounts).reduce((a, b) => a + b, 0)).toBe(table.n);
    for (const c of r.ranked) {
      expect(c.factors.map((f) => f.factor)).toEqual(factorOrder);
      for (const f of c.factors) {
        expect(f.contribution).toBe(f.weight * f.normalised);
        expect(f.normalised).toBeGreaterThanOrEqual(0);
        expect(f.normalised).toBeLessThanOrEqual(1);
      }
      expect(c.factors.reduce((s, f) => s + f.contribution, 0)).toBe(c.score);
      const one = explainCandidate(request, table, c.row);
      expect(one).toEqual({ kind: 'ranked', candidate: c });
    }
    const withSample = rankCandidates(request, table, { limit: 0, excludedSample: Number.POSITIVE_INFINITY });
    expect(withSample.excluded).toHaveLength(table.n - r.eligible);
    for (const e of withSample.excluded) expect(explainCandidate(request, table, e.row)).toEqual({ kind: 'excluded', exclusion: e });
  });

  it('is sorted by score, ties to the lower id', () => {
    const r = rank([makeRow({ id: 30 }), makeRow({ id: 12 }), makeRow({ id: 20, strength: 2 }), makeRow({ id: 25 })]);
    expect(ids(r.ranked)).toEqual([20, 12, 25, 30]);
    const { table, request } = randomCase(2000, 11);
    const all = rankCandidates(request, table, { limit: Number.POSITIVE_INFINITY }).ranked;
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1]!;
      const b = all[i]!;
      expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
    }
  });

  it('the top k (with pruning) equals the first k of the full ranking, for several k and weights', () => {
    for (const seed of [1, 2, 3]) {
      const { table, request } = randomCase(4000, seed);
      for (const weights of [defaultWeights, { ...defaultWeights, strength: 0, similarity: 0.6 }, { ...defaultWeights, diversity: 2, travel: 0 }]) {
        const all = rankCandidates(request, table, { limit: Number.POSITIVE_INFINITY, weights }).ranked;
        for (const k of [0, 1, 5, 50, 700]) {
          const top = rankCandidates(request, table, { limit: k, weights }).ranked;
          expect(top).toEqual(all.slice(0, k));
        }
      }
    }
  });

  it('the top k equals the first k of the full ranking when many scores tie', () => {
    const specs = Array.from({ length: 300 }, (_, i) => makeRow({ id: 2 + ((i * 97) % 300), strength: i % 3, tieStrength: i % 2 === 0 ? 0.5 : 0 }));
    const { table, offersBack } = makeTable(specs);
    const request = makeRequest(offersBack);
    const all = rankCandidates(request, table, { limit: Number.POSITIVE_INFINITY }).ranked;
    expect(new Set(all.map((c) => c.score)).size).toBe(6);
    for (const k of [1, 7, 50, 51, 299]) expect(rankCandidates(request, table, { limit: k }).ranked).toEqual(all.slice(0, k));
  });

  it('measures distance by the haversine formula', () => {
    const { table, request } = randomCase(200, 5);
    for (const c of rankCandidates(request, table, { limit: 200 }).ranked) {
      const lat = table.latitude[c.row]!;
      const lon = table.longitude[c.row]!;
      if (Number.isNaN(lat) || Number.isNaN(lon)) expect(c.distanceKm).toBeNull();
      else expect(c.distanceKm!).toBeCloseTo(haversineKm(request.latitude, request.longitude, lat, lon), 9);
    }
  });
});
