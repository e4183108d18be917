import type { FundingPeriod, FundingRounding } from '../../../common/partnerships.ts';
import { formatPence } from '../../../common/partnerships.ts';

/**
 * Funding model arithmetic: what each member school pays into a partnership's shared costs.
 * Pure (no I/O). The four models are the ones NFER (2007) found schools using: equal shares,
 * contributions by size, a fixed percentage of each school's budget (the "0.5% kitty"), and ad
 * hoc amounts (DOMAIN.md §4; research/seed-002.md, "How schools contribute").
 *
 * Money is whole pence throughout. Every model except ad hoc divides a total among schools
 * with the largest-remainder (Hamilton) method, so the parts always add up to the total exactly:
 *  1. work in whole units of the chosen rounding (pence, or pounds = 100 pence);
 *  2. each school's exact share is total × its weight ÷ the sum of weights;
 *  3. each school first gets its exact share rounded down; the units left over (fewer than the
 *     number of schools) go one each to the schools with the largest remainders; a tie goes to
 *     the school listed first (callers list schools by name, then id).
 * So no school pays more than one unit above or below its exact share. For a percentage of
 * budget, the total is first the exact sum of the percentages, rounded to the nearest unit
 * (halves up), and then shared in proportion to budgets the same way.
 */

export type FundingTerms =
  | { model: 'equal'; totalPence: number; rounding: FundingRounding; period: FundingPeriod; exemptSchoolIds?: number[] | undefined }
  | { model: 'by_size'; totalPence: number; rounding: FundingRounding; period: FundingPeriod; exemptSchoolIds?: number[] | undefined }
  | {
      model: 'percent_of_budget';
      percent: number;
      budgets: { schoolId: number; budgetPence: number }[];
      rounding: FundingRounding;
      period: FundingPeriod;
      exemptSchoolIds?: number[] | undefined;
    }
  | { model: 'ad_hoc'; amounts: { schoolId: number; amountPence: number; note?: string | null | undefined }[]; period: FundingPeriod };

/** A school that pays: a member of the network, in the order ties are broken (name, then id). */
export type FundingSchool = { schoolId: number; name: string; pupilRoll: number | null };

export type FundingShare = {
  schoolId: number;
  name: string;
  amountPence: number;
  exempt: boolean;
  /** How the share was worked out, in a phrase ("171 of 743 pupils"). */
  basis: string;
};
export type FundingProblem = { schoolId: number | null; message: string };
export type FundingOutcome = { ok: true; totalPence: number; shares: FundingShare[] } | { ok: false; problems: FundingProblem[] };

const unitPence: Record<FundingRounding, bigint> = { penny: 1n, pound: 100n };

/**
 * Largest-remainder (Hamilton) apportionment of `total` units in proportion to `weights`.
 * Returns whole units summing exactly to `total`; remainders tie → earlier index first.
 * Needs total ≥ 0, every weight ≥ 0 and at least one weight > 0.
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, w) => a + w, 0n);
  if (total < 0n) throw new RangeError('cannot share a negative total');
  if (sum <= 0n || weights.some((w) => w < 0n)) throw new RangeError('weights must be non-negative with a positive sum');
  const floors = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - floors.reduce((a, f) => a + f, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors;
}

/** Rounds num/den to the nearest whole number, halves up (num, den > 0). */
const roundHalfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);

/** 0.5 → 50 basis points; null when the percentage has more than two decimal places. */
export function basisPoints(percent: number): number | null {
  const bp = Math.round(percent * 100);
  return Math.abs(bp - percent * 100) < 1e-7 ? bp : null;
}

/** What each school pays under `terms`, or every problem that stops the sum being worked out. */
export function computeFunding(terms: FundingTerms, schools: readonly FundingSchool[]): FundingOutcome {
  const problems: FundingProblem[] = [];
  const members = new Set(schools.map((s) => s.schoolId));
  if (schools.length === 0) return { ok: false, problems: [{ schoolId: null, message: 'the network has no member schools today, so there is nobody to share the cost between' }] };

  if (terms.model === 'ad_hoc') {
    const byId = new Map<number, { amountPence: number; note?: string | null | undefined }>();
    for (const a of terms.amounts) {
      if (!members.has(a.schoolId)) problems.push({ schoolId: a.schoolId, message: `school ${a.schoolId} has an amount but is not a member of the network today; remove its amount` });
      else if (byId.has(a.schoolId)) problems.push({ schoolId: a.schoolId, message: `${nameOf(schools, a.schoolId)} has two amounts; give one` });
      if (!Number.isSafeInteger(a.amountPence) || a.amountPence < 0) problems.push({ schoolId: a.schoolId, message: `${nameOf(schools, a.schoolId)}'s amount must be a whole number of pence, £0 or more` });
      byId.set(a.schoolId, a);
    }
    if (problems.length > 0) return { ok: false, problems };
    const shares = schools.map((s) => {
      const a = byId.get(s.schoolId);
      return { schoolId: s.schoolId, name: s.name, amountPence: a?.amountPence ?? 0, exempt: false, basis: a ? (a.note ?? 'agreed amount') : 'no amount agreed: meets its own costs' };
    });
    return { ok: true, totalPence: shares.reduce((t, s) => t + s.amountPence, 0), shares };
  }

  const exempt = new Set(terms.exemptSchoolIds ?? []);
  for (const id of exempt) if (!members.has(id)) problems.push({ schoolId: id, message: `school ${id} is exempted but is not a member of the network today; remove it from the exemptions` });
  const paying = schools.filter((s) => !exempt.has(s.schoolId));
  if (paying.length === 0) problems.push({ schoolId: null, message: 'every member school is exempt, so nobody would pay; exempt fewer schools' });
  const unit = unitPence[terms.rounding];

  let totalUnits = 0n;
  let weights: bigint[] = [];
  let basis: (s: FundingSchool, i: number) => string = () => '';
  if (terms.model === 'equal' || terms.model === 'by_size') {
    if (!Number.isSafeInteger(terms.totalPence) || terms.totalPence < 0) problems.push({ schoolId: null, message: 'the total must be a whole number of pence, £0 or more' });
    else if (BigInt(terms.totalPence) % unit !== 0n) {
      problems.push({ schoolId: null, message: `the total ${formatPence(terms.totalPence)} is not a whole number of pounds; round the total, or round shares to the penny` });
    }
    totalUnits = BigInt(Number.isSafeInteger(terms.totalPence) ? terms.totalPence : 0) / unit;
    if (terms.model === 'equal') {
      weights = paying.map(() => 1n);
      basis = () => `1 of ${paying.length} equal shares`;
    } else {
      for (const s of paying) {
        if (s.pupilRoll === null) {
          problems.push({ schoolId: s.schoolId, message: `${s.name} has no pupil roll in the register, so its share by size cannot be worked out; import the school census, exempt the school or choose another model` });
        } else if (!Number.isSafeInteger(s.pupilRoll) || s.pupilRoll <= 0) {
          problems.push({ schoolId: s.schoolId, message: `${s.name} has a pupil roll of ${s.pupilRoll}; a share by size needs at least one pupil (correct the roll, or exempt the school)` });
        }
      }
      const pupils = paying.reduce((t, s) => t + (s.pupilRoll ?? 0), 0);
      weights = paying.map((s) => BigInt(Math.max(0, s.pupilRoll ?? 0)));
      basis = (s) => `${s.pupilRoll} of ${pupils} pupils`;
    }
  } else {
    const bp = basisPoints(terms.percent);
    if (!(terms.percent > 0 && terms.percent <= 100) || bp === null) {
      problems.push({ schoolId: null, message: 'the percentage must be more than 0 and at most 100, with at most two decimal places (e.g. 0.5)' });
    }
    const budgets = new Map<number, number>();
    for (const b of terms.budgets) {
      if (!members.has(b.schoolId)) problems.push({ schoolId: b.schoolId, message: `school ${b.schoolId} has a budget but is not a member of the network today; remove its budget` });
      else if (budgets.has(b.schoolId)) problems.push({ schoolId: b.schoolId, message: `${nameOf(schools, b.schoolId)} has two budgets; give one` });
      budgets.set(b.schoolId, b.budgetPence);
    }
    for (const s of paying) {
      const b = budgets.get(s.schoolId);
      if (b === undefined) problems.push({ schoolId: s.schoolId, message: `${s.name} has no budget in the agreement, so a percentage of it cannot be worked out; add its budget or exempt the school` });
      else if (!Number.isSafeInteger(b) || b <= 0) problems.push({ schoolId: s.schoolId, message: `${s.name}'s budget must be a whole number of pence above £0` });
    }
    if (problems.length === 0 && bp !== null) {
      weights = paying.map((s) => BigInt(budgets.get(s.schoolId)!));
      const sum = weights.reduce((a, w) => a + w, 0n);
      totalUnits = roundHalfUp(sum * BigInt(bp), 10_000n * unit);
      basis = (s) => `${terms.percent}% of a ${formatPence(budgets.get(s.schoolId)!)} budget`;
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const amounts = apportion(totalUnits, weights);
  const paid = new Map(paying.map((s, i) => [s.schoolId, { amount: amounts[i]! * unit, basis: basis(s, i) }]));
  const shares = schools.map((s) => {
    const p = paid.get(s.schoolId);
    return { schoolId: s.schoolId, name: s.name, amountPence: p ? Number(p.amount) : 0, exempt: !p, basis: p ? p.basis : 'exempt by agreement' };
  });
  return { ok: true, totalPence: Number(totalUnits * unit), shares };
}

const nameOf = (schools: readonly FundingSchool[], id: number) => schools.find((s) => s.schoolId === id)?.name ?? `school ${id}`;
