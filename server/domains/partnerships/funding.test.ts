import { describe, expect, it } from 'vitest';
import { apportion, basisPoints, computeFunding, type FundingSchool, type FundingTerms } from './funding.ts';

const schools: FundingSchool[] = [
  { schoolId: 1, name: 'Ash Primary', pupilRoll: 171 },
  { schoolId: 2, name: 'Birch Primary', pupilRoll: 98 },
  { schoolId: 3, name: 'Cedar Primary', pupilRoll: 393 },
];
const amounts = (terms: FundingTerms, list: FundingSchool[] = schools) => {
  const r = computeFunding(terms, list);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r;
};
const problems = (terms: FundingTerms, list: FundingSchool[] = schools) => {
  const r = computeFunding(terms, list);
  return r.ok ? [] : r.problems.map((p) => p.message);
};

/** A small deterministic generator (mulberry32), so the property test is the same on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('largest-remainder apportionment', () => {
  it('gives each part its exact share rounded down or up, summing exactly to the total', () => {
    const next = random(20261123);
    for (let run = 0; run < 2000; run++) {
      const n = 1 + Math.floor(next() * 12);
      const weights = Array.from({ length: n }, () => BigInt(Math.floor(next() * 5000)));
      if (!weights.some((w) => w > 0n)) weights[0] = 1n;
      const total = BigInt(Math.floor(next() * 10_000_000));
      const parts = apportion(total, weights);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      const sum = weights.reduce((a, b) => a + b, 0n);
      parts.forEach((p, i) => {
        const floor = (total * weights[i]!) / sum;
        expect(p === floor || p === floor + 1n, `part ${i} of run ${run}`).toBe(true);
      });
    }
  });

  it('breaks ties in favour of the school listed first', () => {
    expect(apportion(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(apportion(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(apportion(0n, [5n, 3n])).toEqual([0n, 0n]);
  });
});

describe('funding models', () => {
  it('equal shares: £1,000 among three is £333.34, £333.33, £333.33', () => {
    const r = amounts({ model: 'equal', totalPence: 100_000, rounding: 'penny', period: 'per_year' });
    expect(r.totalPence).toBe(100_000);
    expect(r.shares.map((s) => s.amountPence)).toEqual([33_334, 33_333, 33_333]);
    expect(r.shares[0]!.basis).toBe('1 of 3 equal shares');
  });

  it('equal shares to the whole pound, and an exempt school pays nothing', () => {
    const r = amounts({ model: 'equal', totalPence: 1_000_000, rounding: 'pound', period: 'per_year', exemptSchoolIds: [2] });
    expect(r.shares.map((s) => [s.name, s.amountPence, s.exempt])).toEqual([
      ['Ash Primary', 500_000, false],
      ['Birch Primary', 0, true],
      ['Cedar Primary', 500_000, false],
    ]);
    const odd = amounts({ model: 'equal', totalPence: 1_000_000, rounding: 'pound', period: 'per_year' });
    expect(odd.shares.map((s) => s.amountPence)).toEqual([333_400, 333_300, 333_300]);
    expect(odd.shares.every((s) => s.amountPence % 100 === 0)).toBe(true);
  });

  it('by size: in proportion to pupils on roll, summing exactly', () => {
    // 171 + 98 + 393 = 662 pupils; £12,000 → exact shares 309,969.79p, 177,643.50p and 712,386.71p:
    // rounded down they leave 2p, which go to the two largest remainders (.79 and .71).
    const r = amounts({ model: 'by_size', totalPence: 1_200_000, rounding: 'penny', period: 'per_year' });
    expect(r.shares.map((s) => s.amountPence)).toEqual([309_970, 177_643, 712_387]);
    expect(r.shares.reduce((t, s) => t + s.amountPence, 0)).toBe(1_200_000);
    expect(r.shares[0]!.basis).toBe('171 of 662 pupils');
    const pounds = amounts({ model: 'by_size', totalPence: 1_200_000, rounding: 'pound', period: 'per_year' });
    expect(pounds.shares.map((s) => s.amountPence)).toEqual([310_000, 177_600, 712_400]);
  });

  it('by size refuses missing, zero and negative rolls, naming each school', () => {
    const list: FundingSchool[] = [
      { schoolId: 1, name: 'Ash Primary', pupilRoll: null },
      { schoolId: 2, name: 'Birch Primary', pupilRoll: 0 },
      { schoolId: 3, name: 'Cedar Primary', pupilRoll: -4 },
      { schoolId: 4, name: 'Damson Primary', pupilRoll: 120 },
    ];
    expect(problems({ model: 'by_size', totalPence: 100_000, rounding: 'penny', period: 'per_year' }, list)).toEqual([
      'Ash Primary has no pupil roll in the register, so its share by size cannot be worked out; import the school census, exempt the school or choose another model',
      'Birch Primary has a pupil roll of 0; a share by size needs at least one pupil (correct the roll, or exempt the school)',
      'Cedar Primary has a pupil roll of -4; a share by size needs at least one pupil (correct the roll, or exempt the school)',
    ]);
    // Exempting the schools without a usable roll lets the rest share the cost.
    const ok = amounts({ model: 'by_size', totalPence: 100_000, rounding: 'penny', period: 'per_year', exemptSchoolIds: [1, 2, 3] }, list);
    expect(ok.shares.map((s) => s.amountPence)).toEqual([0, 0, 0, 100_000]);
  });

  it('a percentage of budget: 0.5% of each budget, the total rounded once and shared exactly', () => {
    const terms: FundingTerms = {
      model: 'percent_of_budget',
      percent: 0.5,
      rounding: 'penny',
      period: 'per_year',
      budgets: [
        { schoolId: 1, budgetPence: 85_000_033 },
        { schoolId: 2, budgetPence: 52_000_001 },
        { schoolId: 3, budgetPence: 198_000_099 },
      ],
    };
    const r = amounts(terms);
    // 0.5% of £3,350,001.33 is £16,750.00665 → £16,750.01; each school within a penny of 0.5% of its own budget.
    expect(r.totalPence).toBe(1_675_001);
    expect(r.shares.map((s) => s.amountPence)).toEqual([425_000, 260_000, 990_001]);
    expect(r.shares[0]!.basis).toBe('0.5% of a £850,000.33 budget');
    const pounds = amounts({ ...terms, rounding: 'pound' });
    expect(pounds.totalPence).toBe(1_675_000);
    expect(pounds.shares.reduce((t, s) => t + s.amountPence, 0)).toBe(1_675_000);
  });

  it('a percentage of budget refuses missing or zero budgets and odd percentages', () => {
    expect(problems({ model: 'percent_of_budget', percent: 0.5, rounding: 'penny', period: 'per_year', budgets: [{ schoolId: 1, budgetPence: 0 }, { schoolId: 3, budgetPence: 100 }] })).toEqual([
      "Ash Primary's budget must be a whole number of pence above £0",
      'Birch Primary has no budget in the agreement, so a percentage of it cannot be worked out; add its budget or exempt the school',
    ]);
    expect(problems({ model: 'percent_of_budget', percent: 0.125, rounding: 'penny', period: 'per_year', budgets: schools.map((s) => ({ schoolId: s.schoolId, budgetPence: 1 })) })).toEqual([
      'the percentage must be more than 0 and at most 100, with at most two decimal places (e.g. 0.5)',
    ]);
    expect(basisPoints(0.5)).toBe(50);
    expect(basisPoints(2.75)).toBe(275);
    expect(basisPoints(0.125)).toBeNull();
  });

  it('ad hoc: the amounts agreed, schools without one meeting their own costs', () => {
    const r = amounts({ model: 'ad_hoc', period: 'one_off', amounts: [{ schoolId: 3, amountPence: 250_000, note: 'hosts the training days' }, { schoolId: 1, amountPence: 50_000 }] });
    expect(r.totalPence).toBe(300_000);
    expect(r.shares.map((s) => [s.amountPence, s.basis])).toEqual([
      [50_000, 'agreed amount'],
      [0, 'no amount agreed: meets its own costs'],
      [250_000, 'hosts the training days'],
    ]);
    expect(problems({ model: 'ad_hoc', period: 'one_off', amounts: [{ schoolId: 9, amountPence: 1 }, { schoolId: 1, amountPence: -5 }] })).toEqual([
      'school 9 has an amount but is not a member of the network today; remove its amount',
      "Ash Primary's amount must be a whole number of pence, £0 or more",
    ]);
  });

  it('refuses totals that cannot be shared: not whole pounds, nobody paying, nobody to pay', () => {
    expect(problems({ model: 'equal', totalPence: 100_050, rounding: 'pound', period: 'per_year' })).toEqual([
      'the total £1,000.50 is not a whole number of pounds; round the total, or round shares to the penny',
    ]);
    expect(problems({ model: 'equal', totalPence: 100, rounding: 'penny', period: 'per_year', exemptSchoolIds: [1, 2, 3] })).toEqual([
      'every member school is exempt, so nobody would pay; exempt fewer schools',
    ]);
    expect(problems({ model: 'equal', totalPence: 100, rounding: 'penny', period: 'per_year' }, [])).toEqual([
      'the network has no member schools today, so there is nobody to share the cost between',
    ]);
    expect(problems({ model: 'equal', totalPence: 100, rounding: 'penny', period: 'per_year', exemptSchoolIds: [7] })).toEqual([
      'school 7 is exempted but is not a member of the network today; remove it from the exemptions',
    ]);
  });
});
