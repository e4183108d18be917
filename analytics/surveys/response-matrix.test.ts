import { describe, expect, it } from 'vitest';
import { ResponseFormat } from '../../common/instruments.ts';
import { answerAt, type ItemFormat, type ItemSpec, responseMatrix, SurveyInputError, withLayout } from './response-matrix.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const items: ItemSpec[] = [
  { format: 'endorse', strand: 0, stage: 0, deficit: false },
  { format: 'scale', strand: 0, stage: 1, deficit: false, options: 4 },
  { format: 'text', strand: -1, stage: -1, deficit: false },
];

function makeMatrix(answers: number[], n = answers.length / items.length) {
  return responseMatrix({ items, answers: Uint8Array.from(answers), schools: 2, school: Int32Array.from({ length: n }, (_, r) => r % 2), roles: 3, role: Uint8Array.from({ length: n }, (_, r) => r % 3) });
}

describe('responseMatrix', () => {
  it('uses the instrument schema’s answer formats', () => {
    const agree: Same<ItemFormat, ResponseFormat> = true;
    expect(agree).toBe(true);
    expect([...ResponseFormat.options]).toEqual(['endorse', 'scale', 'text']);
  });

  it('accepts ticks, scale options and free text codes', () => {
    const m = makeMatrix([1, 4, 200, 0, 0, 0]);
    expect(m.respondents).toBe(2);
    expect(answerAt(m, 0, 1)).toBe(4);
  });

  it('names the respondent and item of a code out of range', () => {
    expect(() => makeMatrix([2, 0, 0])).toThrow(/respondent 0, item 0\] = 2/);
    expect(() => makeMatrix([1, 5, 0])).toThrow(/respondent 0, item 1\] = 5 is above the item's highest code 4/);
  });

  it('checks the respondent columns and the items', () => {
    const ok = { items, answers: new Uint8Array(3), schools: 1, school: Int32Array.of(0), roles: 1, role: Uint8Array.of(0) };
    expect(() => responseMatrix({ ...ok, school: Int32Array.of(1) })).toThrow(/school\[0\]/);
    expect(() => responseMatrix({ ...ok, role: Uint8Array.of(1) })).toThrow(/role\[0\]/);
    expect(() => responseMatrix({ ...ok, answers: new Uint8Array(2) })).toThrow(/respondents × items = 3/);
    expect(() => responseMatrix({ ...ok, wave: new Uint8Array(2) })).toThrow(/wave has 2 entries/);
    expect(() => responseMatrix({ ...ok, items: [{ format: 'scale', strand: 0, stage: 0, deficit: false }] , answers: new Uint8Array(1) })).toThrow(SurveyInputError);
  });

  it('transposes between layouts without changing any answer', () => {
    const n = 131; // not a multiple of the 64-wide tiles
    const answers = Array.from({ length: n * items.length }, (_, p) => (p % 3 === 0 ? p % 2 : p % 3 === 1 ? p % 5 : p % 7));
    const m = makeMatrix(answers, n);
    const t = withLayout(m, 'item-major');
    expect(t.layout).toBe('item-major');
    for (let r = 0; r < n; r++) for (let i = 0; i < items.length; i++) expect(answerAt(t, r, i)).toBe(answerAt(m, r, i));
    expect([...withLayout(t, 'respondent-major').answers]).toEqual([...m.answers]);
    // Validation reads item-major input too.
    expect(() => responseMatrix({ ...t, layout: 'item-major' })).not.toThrow();
    const bad = t.answers.slice();
    bad[n + 5] = 9; // item 1, respondent 5
    expect(() => responseMatrix({ ...t, answers: bad })).toThrow(/respondent 5, item 1\] = 9/);
  });
});
