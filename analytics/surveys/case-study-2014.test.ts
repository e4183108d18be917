import { describe, expect, it } from 'vitest';
import { caseRoleGroupOf, caseStudy2014, partnershipItems, round2014 } from './case-study.fixture.ts';
import { formatPercent, responseRate, roundedPercent } from './percent.ts';
import { NO_STAGE, stageProfiles } from './stage-profile.ts';
import { EntryStatus, auditSuppression, suppressRound } from './suppression.ts';
import { countOf, percentOf, tally, tallyRound } from './tally.ts';
import { compareWaves } from './wave-comparison.ts';

// Dimmer (2017), the January 2014 round: research/seed-003.md §2.4–§2.5. HD = 0, SLT = 1, T = 2.
const { matrix, codes } = caseStudy2014();
const item = (code: string) => {
  const i = codes.indexOf(code);
  if (i < 0) throw new Error(`no item ${code}`);
  return i;
};
const round = tallyRound(matrix, caseRoleGroupOf, 4);

describe('the case study’s 2014 round', () => {
  it('has 31 of 68 forms: a 45.6% response rate (printed "46%")', () => {
    const rate = responseRate(round2014.returned, round2014.invited);
    expect(formatPercent(rate.count, rate.n)).toBe('45.6%');
    // The source rounds this one to a whole number [1084]; our rule at 0 decimals agrees.
    expect(roundedPercent(31, 68, 0)).toBe(46);
    expect(round.overall.respondents[0]).toBe(31);
  });

  it('has role groups of 10 (HD), 9 (SLT) and 12 (T): 32%, 29%, 39% of returns', () => {
    expect([...round.byRole.respondents.subarray(0, 3)]).toEqual([10, 9, 12]);
    expect([10, 9, 12].map((x) => roundedPercent(x, 31, 0))).toEqual([32, 29, 39]);
  });

  it('has every respondent endorsing JPD A1: 31, 100.0%, in every group', () => {
    const i = item('JPD A1');
    expect(countOf(round.overall, 0, i)).toBe(31);
    expect(formatPercent(countOf(round.overall, 0, i), 31)).toBe('100.0%');
    for (const [g, n] of [10, 9, 12].entries()) {
      expect(countOf(round.byRole, g, i)).toBe(n);
      expect(percentOf(round.byRole, g, i)).toBe(100);
    }
  });

  it('has HSC B1 at 21 of 31 (67.7%): 8 of 10 HD (80.0%), 5 of 9 SLT (55.6%), 8 of 12 T (66.7%)', () => {
    const i = item('HSC B1');
    expect(countOf(round.overall, 0, i)).toBe(21);
    expect(formatPercent(21, 31)).toBe('67.7%');
    const counts = [0, 1, 2].map((g) => countOf(round.byRole, g, i));
    expect(counts).toEqual([8, 5, 8]);
    expect([0, 1, 2].map((g) => formatPercent(countOf(round.byRole, g, i), round.byRole.respondents[g]!))).toEqual(['80.0%', '55.6%', '66.7%']);
    // Printed "80%", "55%", "66%" (truncated [1202]): within one point of ours.
    for (const [g, printed] of [80, 55, 66].entries()) expect(Math.abs(percentOf(round.byRole, g, i) - printed)).toBeLessThan(1);
  });

  it('matches every other count the thesis prints for 2014', () => {
    const overall = (code: string) => countOf(round.overall, 0, item(code));
    expect(['JPD A2', 'JPD A3'].map(overall)).toEqual([0, 0]); // "two empty columns"
    expect(['JPD B1', 'JPD B2', 'JPD B3', 'JPD B4', 'JPD C1'].map(overall)).toEqual([24, 24, 20, 16, 17]);
    expect(['JPD B1', 'JPD B2', 'JPD B3', 'JPD B4', 'JPD C1'].map((c) => formatPercent(overall(c), 31))).toEqual(['77.4%', '77.4%', '64.5%', '51.6%', '54.8%']);
    expect(overall('HSC C5')).toBe(0);
    expect(formatPercent(overall('HSC C3'), 31)).toBe('48.4%');
    expect(overall('CMP A1')).toBe(22);
    // "the only item scoring over 50%" in CMP [1229].
    const cmp = codes.filter((c) => c.startsWith('CMP'));
    expect(cmp.filter((c) => percentOf(round.overall, 0, item(c)) > 50)).toEqual(['CMP A1']);
    expect(percentOf(round.byRole, 0, item('JPD C2'))).toBe(20);
    expect(percentOf(round.byRole, 0, item('CMP D2'))).toBe(20);
    expect(codes.filter((c) => /^AA [CD]/.test(c)).map(overall)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('reads JPD as Developing and CMP and AA as Beginning, as the author did [1127, 1229, 1323]', () => {
    const p = stageProfiles(round.overall, { strands: 5, stages: 4 });
    const [JPD, HSC, CMP, EC, AA] = [0, 1, 2, 3, 4];
    expect(p.reached[JPD]).toBe(1);
    expect(p.reached[CMP]).toBe(0);
    expect(p.reached[AA]).toBe(0);
    expect(p.reached[EC]).toBe(0);
    // JPD stage rates: A (31 + 31 reversed + 31 reversed)/93, B 84/124, C 25/93, D 3/93.
    expect([...p.rate.subarray(JPD * 4, JPD * 4 + 4)]).toEqual([1, 84 / 124, 25 / 93, 3 / 93]);
    expect(p.index[JPD]).toBeCloseTo(1 + 84 / 124 + 25 / 93 + 3 / 93, 12);
    // HSC's Beginning statements describe a limitation ("limited experience", "not yet open and
    // honest enough", "governors are wary"), so a developing partnership leaves them blank and the
    // cumulative rule finds no Beginning majority (stage-profile.ts, "Caution").
    expect(p.reached[HSC]).toBe(NO_STAGE);
    // Marked as deficit statements (with "governors remain divided", B4), HSC reads Developing,
    // in line with the author's "most positive cluster" at B1–B3 [1167].
    const limitation = new Set(['JPD A2', 'JPD A3', 'HSC A1', 'HSC A2', 'HSC A3', 'HSC A4', 'HSC A5', 'HSC B4', 'E&C A2', 'E&C A3']);
    const reread = tally({ ...matrix, items: partnershipItems(limitation).items });
    expect(stageProfiles(reread, { strands: 5, stages: 4 }).reached[HSC]).toBe(1);
  });

  it('hides every school × role cell (all under 5) but shows school totals, role groups and the round', () => {
    const s = suppressRound(round, { cells: true, rowTotals: true, colTotals: true, total: true });
    const { suppression } = s;
    // Role columns HD, SLT, T hold 1–3 respondents per school; S is empty (shown as empty).
    for (let school = 0; school < 5; school++) {
      for (let g = 0; g < 3; g++) expect(suppression.cell[school * 4 + g]).toBe(EntryStatus.primary);
      expect(suppression.cell[school * 4 + 3]).toBe(EntryStatus.shown);
    }
    expect([...s.bySchool.respondents]).toEqual([7, 7, 6, 6, 5]);
    expect([...s.byRole.respondents]).toEqual([10, 9, 12, 0]);
    expect(suppression.total).toBe(EntryStatus.shown);
    expect(suppression.complementary).toBe(0);
    expect(auditSuppression({ rows: 5, cols: 4, cells: round.bySchoolRole.respondents }, suppression)).toEqual([]);
    expect(countOf(s.bySchoolRole, 0, item('HSC B1'))).toBe(-1);
  });

  it('compares with 2015 the way the author warned about: HD JPD C2 rose 20% → 50%, and overall rates against 31 vs 49 forms', () => {
    const hd = compareWaves({ count: 2, n: 10 }, { count: 5, n: 10 });
    expect(hd.change).toBeCloseTo(30, 12);
    expect(hd.warnings).toEqual([]);
    // A count up from 31 to 47 is a percentage down from 100 to 95.9 [1507].
    const a1 = compareWaves({ count: 31, n: 31 }, { count: 47, n: 49 });
    expect(a1.change).toBeLessThan(0);
    expect(a1.countChange).toBe(16);
    expect(a1.warnings).toEqual(['unequal-denominators', 'count-and-percent-disagree']);
  });
});
