import { describe, expect, it } from 'vitest';
import { type ItemSpec, responseMatrix, withLayout } from './response-matrix.ts';
import { answeredOf, countOf, overallGrouping, percentOf, roleGroupGrouping, rollUp, schoolGrouping, schoolRoleGrouping, tally, tallyRound } from './tally.ts';

const items: ItemSpec[] = [
  { format: 'endorse', strand: 0, stage: 0, deficit: false },
  { format: 'text', strand: -1, stage: -1, deficit: false },
  { format: 'scale', strand: 0, stage: 1, deficit: false, options: 3 },
];

/** Five respondents: schools 0,0,1,1,1; roles 0,1,1,2,2 (groups: role 0 → 0, roles 1–2 → 1). */
function makeSmallRound() {
  // endorse, text, scale
  const answers = [1, 9, 3, 0, 0, 1, 1, 4, 0, 1, 0, 3, 0, 7, 2];
  return responseMatrix({
    items,
    answers: Uint8Array.from(answers),
    schools: 2,
    school: Int32Array.of(0, 0, 1, 1, 1),
    roles: 3,
    role: Uint8Array.of(0, 1, 1, 2, 2),
    wave: Uint8Array.of(0, 0, 0, 1, 1),
  });
}

/** mulberry32 */
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

describe('tally', () => {
  it('counts ticks and options over every returned form, with percentages beside them', () => {
    const t = tally(makeSmallRound());
    expect(t.respondents[0]).toBe(5);
    expect(countOf(t, 0, 0)).toBe(3);
    expect(percentOf(t, 0, 0)).toBe(60);
    // Scale: options 1..3 chosen by 1, 1, 2 respondents; one left it blank; the blank is in the denominator.
    expect([0, 1, 2].map((o) => countOf(t, 0, 2, o))).toEqual([1, 1, 2]);
    expect([0, 1, 2].map((o) => percentOf(t, 0, 2, o))).toEqual([20, 20, 40]);
    expect(answeredOf(t, 0, 2)).toBe(4);
    expect(answeredOf(t, 0, 0)).toBe(3);
  });

  it('breaks down by school, role group and both, and the roll-ups agree with direct passes', () => {
    const m = makeSmallRound();
    const roleGroupOf = [0, 1, 1];
    const round = tallyRound(m, roleGroupOf, 2);
    const bySchool = tally(m, schoolGrouping(m));
    const byRole = tally(m, roleGroupGrouping(m, roleGroupOf, 2));
    expect([...round.bySchool.counts]).toEqual([...bySchool.counts]);
    expect([...round.byRole.counts]).toEqual([...byRole.counts]);
    expect([...round.overall.counts]).toEqual([...tally(m).counts]);
    expect([...round.bySchoolRole.respondents]).toEqual([1, 1, 0, 3]);
    expect(countOf(round.bySchool, 1, 0)).toBe(2);
    expect(percentOf(round.bySchool, 1, 0)).toBeCloseTo(200 / 3, 12);
    // An empty cell has no percentage.
    expect(percentOf(round.bySchoolRole, 2, 0)).toBeNaN();
  });

  it('leaves out respondents of another wave, or of a role mapped to −1', () => {
    const m = makeSmallRound();
    const w1 = tally(m, overallGrouping(m, 1));
    expect(w1.respondents[0]).toBe(2);
    expect(countOf(w1, 0, 0)).toBe(1);
    const noGovernors = tallyRound(m, [-1, 0, 0], 1);
    expect(noGovernors.overall.respondents[0]).toBe(4);
    const { wave: _wave, ...oneWave } = m;
    expect(() => overallGrouping(oneWave, 0)).toThrow(/no wave column/);
    expect(() => roleGroupGrouping(m, [0, 1], 2)).toThrow(/each of the 3 roles/);
  });

  it('gives the same counts from either layout, on a random round', () => {
    const rand = seeded(42);
    const spec: ItemSpec[] = Array.from({ length: 17 }, (_, i) =>
      i % 5 === 4 ? { format: 'scale', strand: 0, stage: 0, deficit: false, options: 5 } : { format: i === 16 ? 'text' : 'endorse', strand: 0, stage: 0, deficit: false },
    );
    const n = 999;
    const answers = new Uint8Array(n * spec.length);
    for (let r = 0; r < n; r++) {
      spec.forEach((it, i) => {
        answers[r * spec.length + i] = it.format === 'scale' ? Math.floor(rand() * 6) : it.format === 'text' ? Math.floor(rand() * 256) : rand() < 0.4 ? 1 : 0;
      });
    }
    const m = responseMatrix({ items: spec, answers, schools: 7, school: Int32Array.from({ length: n }, () => Math.floor(rand() * 7)), roles: 6, role: Uint8Array.from({ length: n }, () => Math.floor(rand() * 6)) });
    const grouping = schoolRoleGrouping(m, [0, 0, 1, 2, 2, 3], 4);
    const a = tally(m, grouping);
    const b = tally(withLayout(m, 'item-major'), grouping);
    expect([...b.counts]).toEqual([...a.counts]);
    // Each scored item's slots add up to the cell's respondents; text items are not counted.
    for (let g = 0; g < a.groups; g++) {
      expect(a.counts[g * a.stride + a.offset[16]!]).toBe(0);
      for (let i = 0; i < spec.length - 1; i++) {
        let sum = 0;
        for (let s = a.offset[i]!; s < a.offset[i + 1]!; s++) sum += a.counts[g * a.stride + s]!;
        expect(sum).toBe(a.respondents[g]);
      }
    }
    // Brute force for one cell and item.
    const cell = 9;
    const brute = [...Array(n).keys()].filter((r) => grouping.of[r] === cell && answers[r * spec.length + 4] === 3).length;
    expect(countOf(a, cell, 4, 2)).toBe(brute);
  });

  it('rolls up by any map and refuses a bad one', () => {
    const t = tally(makeSmallRound(), schoolGrouping(makeSmallRound()));
    const both = rollUp(t, [0, 0], 1);
    expect(both.respondents[0]).toBe(5);
    expect(() => rollUp(t, [0], 1)).toThrow(/2 cells/);
    expect(() => rollUp(t, [0, 3], 1)).toThrow(/map\[1\]/);
  });
});
