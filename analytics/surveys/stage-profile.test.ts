import { describe, expect, it } from 'vitest';
import { type ItemSpec, responseMatrix } from './response-matrix.ts';
import { agreementFrom, NO_DATA, NO_STAGE, stageProfiles } from './stage-profile.ts';
import { maskTally } from './suppression.ts';
import { schoolGrouping, tally } from './tally.ts';

/** A round of n respondents at one school where item i is ticked by the first ticks[i]. */
function makeRound(items: ItemSpec[], ticks: number[], n: number) {
  const answers = new Uint8Array(n * items.length);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < items.length; i++) answers[r * items.length + i] = r < ticks[i]! ? 1 : 0;
  }
  return responseMatrix({ items, answers, schools: 1, school: new Int32Array(n), roles: 1, role: new Uint8Array(n) });
}

const endorse = (strand: number, stage: number, deficit = false): ItemSpec => ({ format: 'endorse', strand, stage, deficit });

describe('stageProfiles', () => {
  it('reaches the highest stage with a majority at every stage up to it, reading deficits in reverse', () => {
    // Stage A: a positive item ticked by 9/10 and a deficit item ticked by 2/10 (read 8/10).
    // Stage B: 7/10 and 5/10 → 0.6. Stage C: 5/10 → exactly half: no majority. Stage D: 9/10.
    const items = [endorse(0, 0), endorse(0, 0, true), endorse(0, 1), endorse(0, 1), endorse(0, 2), endorse(0, 3)];
    const p = stageProfiles(tally(makeRound(items, [9, 2, 7, 5, 5, 9], 10)), { strands: 1, stages: 4 });
    for (const [k, r] of [0.85, 0.6, 0.5, 0.9].entries()) expect(p.rate[k]).toBeCloseTo(r, 12);
    expect(p.reached[0]).toBe(1);
    // Index: 0.85 + 0.6 + 0.5 + min(0.9, 0.5) = 2.45: Leading cannot count above Embedding.
    expect(p.index[0]).toBeCloseTo(2.45, 12);
    expect(p.maxIndex[0]).toBe(4);
  });

  it('gives no stage when the first has no majority, and the index still counts partial progress', () => {
    const items = [endorse(0, 0), endorse(0, 1)];
    const p = stageProfiles(tally(makeRound(items, [4, 8], 10)), { strands: 1, stages: 2 });
    expect(p.reached[0]).toBe(NO_STAGE);
    expect(p.index[0]).toBeCloseTo(0.8, 12);
  });

  it('scores a deficit-only stage by reversed rates and flags it; skips a stage without items', () => {
    // Stage A: deficit only (ticked by 1/10 → 0.9). Stage B: no items. Stage C: 6/10.
    const items = [endorse(0, 0, true), endorse(0, 2)];
    const p = stageProfiles(tally(makeRound(items, [1, 6], 10)), { strands: 1, stages: 3 });
    expect(p.deficitOnly[0]).toBe(1);
    expect(p.rate[1]).toBeNaN();
    expect(p.reached[0]).toBe(2);
    expect(p.maxIndex[0]).toBe(2);
    expect(p.index[0]).toBeCloseTo(0.9 + 0.6, 12);
  });

  it('counts a scale answer in the upper half as agreement', () => {
    expect([2, 3, 4, 5, 1].map(agreementFrom)).toEqual([1, 2, 2, 3, 0]);
    const items: ItemSpec[] = [{ format: 'scale', strand: 0, stage: 0, deficit: false, options: 4 }];
    // Options 1..4 (codes): 1, 2, 3, 4, 0 (no answer), 4 → upper half (3rd, 4th option) = 3 of 6.
    const answers = Uint8Array.of(1, 2, 3, 4, 0, 4);
    const m = responseMatrix({ items, answers, schools: 1, school: new Int32Array(6), roles: 1, role: new Uint8Array(6) });
    const p = stageProfiles(tally(m), { strands: 1, stages: 1 });
    expect(p.rate[0]).toBe(0.5);
    expect(p.reached[0]).toBe(NO_STAGE);
  });

  it('has no data for an empty or hidden cell', () => {
    const items = [endorse(0, 0)];
    const base = makeRound(items, [3], 6);
    const m = responseMatrix({ ...base, schools: 3, school: Int32Array.of(0, 0, 0, 1, 1, 1) });
    const t = tally(m, schoolGrouping(m));
    const p = stageProfiles(maskTally(t, [0, 1, 0]), { strands: 1, stages: 1 });
    expect(p.reached[0]).toBe(0);
    expect(p.reached[1]).toBe(NO_DATA);
    expect(p.reached[2]).toBe(NO_DATA);
    expect(p.index[1]).toBeNaN();
    expect(p.rate[2]).toBeNaN();
  });

  it('ignores text items and items outside any strand, and names an item outside the grid', () => {
    const items: ItemSpec[] = [endorse(0, 0), { format: 'text', strand: 0, stage: 0, deficit: false }, endorse(-1, -1)];
    const p = stageProfiles(tally(makeRound(items, [6, 0, 0], 10)), { strands: 1, stages: 1 });
    expect(p.items[0]).toBe(1);
    expect(p.rate[0]).toBe(0.6);
    expect(() => stageProfiles(tally(makeRound([endorse(1, 0)], [1], 2)), { strands: 1, stages: 1 })).toThrow(/item 0 has strand 1/);
  });
});
