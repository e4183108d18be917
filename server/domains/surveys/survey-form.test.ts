import { describe, expect, it } from 'vitest';
import { smallInstrument } from '../../../test/factories.ts';
import { Invalid } from '../../http/errors.ts';
import { checkAnswers, flattenItems, formDimensions } from './survey-form.ts';
import { newCode, normaliseToken, surveyTokenHash } from './survey-tokens.ts';

/** The form as respondents see it, the check of their answers, and the codes they type. No database. */

describe('the respondent form', () => {
  const ins = smallInstrument();

  it('shows stages as letters A, B… only, without their names, when labels are hidden', () => {
    const items = formDimensions(ins, true).flatMap((d) => d.strands.flatMap((s) => s.items));
    expect(items.map((i) => [i.code, i.stage, i.stageLabel])).toEqual([
      ['JPD A1', 'A', null],
      ['JPD A2', 'A', null],
      ['JPD B1', 'B', null],
      ['HSC A1', 'A', null],
    ]);
    expect(JSON.stringify(formDimensions(ins, true))).not.toMatch(/Beginning|Developing/);
  });

  it('maps stage codes to letters by position, whatever the codes are', () => {
    const coded = smallInstrument({
      stages: [
        { code: 'BEG', label: 'Beginning' },
        { code: 'DEV', label: 'Developing' },
      ],
      dimensions: [{ code: 'PD', label: 'PD', strands: [{ code: 'JPD', label: 'JPD', items: [{ code: 'J1', stage: 'DEV', text: 'Something mature.', polarity: 'positive' }] }] }],
    });
    expect(formDimensions(coded, true)[0]!.strands[0]!.items[0]!.stage).toBe('B');
    expect(formDimensions(coded, false)[0]!.strands[0]!.items[0]).toMatchObject({ stage: 'DEV', stageLabel: 'Developing' });
  });

  it('never tells respondents which statements are deficit statements', () => {
    expect(JSON.stringify(formDimensions(ins, false))).not.toMatch(/deficit|polarity/);
  });

  it('lists every item with its strand, stage index and polarity for scoring', () => {
    expect(flattenItems(ins).map((i) => `${i.strand} ${i.code} ${i.stageIndex} ${i.polarity}`)).toEqual([
      'JPD JPD A1 0 positive',
      'JPD JPD A2 0 deficit',
      'JPD JPD B1 1 positive',
      'HSC HSC A1 0 positive',
    ]);
  });
});

describe('checking answers', () => {
  const ins = smallInstrument();
  const scale = smallInstrument({
    format: 'scale',
    scale: [
      { code: 'low', label: 'Low', value: 1 },
      { code: 'high', label: 'High', value: 2 },
    ],
  });
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e instanceof Invalid ? e.errors?.[0]?.path : 'not Invalid';
    }
    return 'no error';
  };

  it('keeps ticks, drops blanks', () => {
    expect(checkAnswers(ins, { 'JPD A1': true, 'JPD B1': false })).toEqual({ 'JPD A1': true });
  });

  it('names the unknown item, and a wrong value', () => {
    expect(fieldOf(() => checkAnswers(ins, { 'JPD Z9': true }))).toBe('answers.JPD Z9');
    expect(fieldOf(() => checkAnswers(ins, { 'JPD A1': 3 }))).toBe('answers.JPD A1');
    expect(fieldOf(() => checkAnswers(scale, { 'HSC A1': 7 }))).toBe('answers.HSC A1');
    expect(checkAnswers(scale, { 'HSC A1': 2 })).toEqual({ 'HSC A1': 2 });
  });
});

describe('survey tokens', () => {
  it('makes 12-symbol codes in three groups, without I, L, O or U', () => {
    for (let i = 0; i < 200; i++) expect(newCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('reads a code however it is typed, and a link token exactly', () => {
    const code = newCode();
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(normaliseToken(typed)).toBe(code.replace(/-/g, ''));
    expect(surveyTokenHash(typed)).toBe(surveyTokenHash(code));
    const link = 'AbC-dEf_0123456789abcdefghijABCDEFGHIJ-_xyz';
    expect(normaliseToken(link)).toBe(link);
  });
});
