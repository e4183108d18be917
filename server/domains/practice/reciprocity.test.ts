import { describe, expect, it } from 'vitest';
import { computeReciprocity } from './reciprocity.ts';

/** Reciprocity of peer review, by hand on a small network. */

const members = [
  { schoolId: 1, name: 'A' },
  { schoolId: 2, name: 'B' },
  { schoolId: 3, name: 'C' },
  { schoolId: 4, name: 'D' },
];

describe('peer-review reciprocity', () => {
  it('counts, flags one-way schools and builds the directed edges', () => {
    // A hosted twice (by B and C, then by B); B hosted once (by A); C never hosted; D did nothing.
    const r = computeReciprocity(members, [
      { id: 1, hostSchoolId: 1, reviewerSchoolIds: [2, 3] },
      { id: 2, hostSchoolId: 2, reviewerSchoolIds: [1] },
      { id: 3, hostSchoolId: 1, reviewerSchoolIds: [2] },
    ]);
    expect(r.schools).toEqual([
      { schoolId: 1, name: 'A', hosted: 2, gave: 1, reviewedBy: 2, reviewed: 1, balance: -1, flags: [] },
      { schoolId: 2, name: 'B', hosted: 1, gave: 2, reviewedBy: 1, reviewed: 1, balance: 1, flags: [] },
      { schoolId: 3, name: 'C', hosted: 0, gave: 1, reviewedBy: 0, reviewed: 1, balance: 1, flags: ['reviews_never_reviewed'] },
      { schoolId: 4, name: 'D', hosted: 0, gave: 0, reviewedBy: 0, reviewed: 0, balance: 0, flags: ['not_involved'] },
    ]);
    expect(r.edges).toEqual([
      { fromSchoolId: 1, toSchoolId: 2, reviews: 1, reciprocated: true },
      { fromSchoolId: 2, toSchoolId: 1, reviews: 2, reciprocated: true },
      { fromSchoolId: 3, toSchoolId: 1, reviews: 1, reciprocated: false },
    ]);
    // Two of three distinct links are reciprocated.
    expect(r.reciprocity).toBeCloseTo(2 / 3, 12);
    expect(r.reviews).toBe(3);
  });

  it('flags a school that is reviewed but never reviews; ignores a reviewer listed for its own school', () => {
    const r = computeReciprocity(members.slice(0, 2), [{ id: 1, hostSchoolId: 1, reviewerSchoolIds: [2, 1] }]);
    expect(r.schools.map((s) => s.flags)).toEqual([['reviewed_never_reviews'], ['reviews_never_reviewed']]);
    expect(r.reciprocity).toBe(0);
    expect(computeReciprocity(members, []).reciprocity).toBeNull();
  });
});
