import type { Instrument, ResponseFormat } from '../../../common/instruments.ts';
import { Invalid } from '../../http/errors.ts';
import type { AnswerValue } from './surveys.table.ts';

/**
 * An instrument as respondents see it, and the check of what they send back. Pure: no database.
 * Hiding stage labels (the wave's choice, on by default) shows each item's stage only as a
 * letter by position (A = lowest), so that respondents are not steered towards the statements
 * that sound most mature (social desirability); deficit statements are never marked as such.
 */

export type FlatItem = {
  code: string;
  text: string;
  dimension: string;
  strand: string;
  strandLabel: string;
  /** The stage code (null when the instrument has no stages). */
  stage: string | null;
  /** 0 = the lowest stage. */
  stageIndex: number | null;
  polarity: 'positive' | 'deficit';
  format: ResponseFormat;
};

/** Every item of the instrument, in the order the form shows them. */
export function flattenItems(instrument: Instrument): FlatItem[] {
  const stageIndex = new Map(instrument.stages.map((s, i) => [s.code, i]));
  return instrument.dimensions.flatMap((d) =>
    d.strands.flatMap((s) =>
      s.items.map((it) => ({
        code: it.code,
        text: it.text,
        dimension: d.code,
        strand: s.code,
        strandLabel: s.label,
        stage: it.stage ?? null,
        stageIndex: it.stage === undefined ? null : (stageIndex.get(it.stage) ?? null),
        polarity: it.polarity ?? 'positive',
        format: it.format ?? instrument.format,
      })),
    ),
  );
}

export { type FormDimension, type FormItem, type FormStrand, formDimensions, stageLetter } from '../../../common/instruments.ts';

/** Longest free-text answer kept. */
export const maxTextAnswer = 2000;

/**
 * The answers to store, checked against the instrument: endorse items `true` (ticked; `false`
 * or absent = blank), scale items one of the scale's values, text items up to 2,000 characters
 * (blank text is dropped). Throws `Invalid('answers.<code>', fix)` for the first problem.
 */
export function checkAnswers(instrument: Instrument, answers: Record<string, boolean | number | string>): Record<string, AnswerValue> {
  const items = new Map(flattenItems(instrument).map((i) => [i.code, i]));
  const scale = new Set((instrument.scale ?? []).map((o) => o.value));
  const kept: Record<string, AnswerValue> = {};
  for (const [code, value] of Object.entries(answers)) {
    const item = items.get(code);
    const field = `answers.${code}`;
    if (!item) throw new Invalid(field, `${code} is not an item of ${instrument.title}; send only the item codes the form lists`);
    switch (item.format) {
      case 'endorse':
        if (typeof value !== 'boolean') throw new Invalid(field, 'tick (true) or leave blank (false or absent)');
        if (value) kept[code] = true;
        break;
      case 'scale':
        if (typeof value !== 'number' || !scale.has(value)) throw new Invalid(field, `choose one of the scale's values: ${[...scale].join(', ')}`);
        kept[code] = value;
        break;
      case 'text': {
        if (typeof value !== 'string') throw new Invalid(field, 'write text, or leave it out');
        const text = value.trim();
        if (text.length > maxTextAnswer) throw new Invalid(field, `at most ${maxTextAnswer} characters`);
        if (text) kept[code] = text;
        break;
      }
      default: {
        const unknown: never = item.format;
        throw new Invalid(field, `unknown format ${String(unknown)}`);
      }
    }
  }
  return kept;
}
