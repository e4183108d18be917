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

/** The letter shown for the stage at `index` when labels are hidden (A, B, C, …). */
export const stageLetter = (index: number) => String.fromCharCode(65 + index);

export type FormItem = { code: string; text: string; stage: string | null; stageLabel: string | null; format: ResponseFormat; help: string | null };
export type FormStrand = { code: string; label: string; description: string | null; items: FormItem[] };
export type FormDimension = { code: string; label: string; strands: FormStrand[] };

/** The instrument's banks and items as the form shows them, with stage labels hidden when the wave says so. */
export function formDimensions(instrument: Instrument, hideStageLabels: boolean): FormDimension[] {
  const stages = new Map(instrument.stages.map((s, i) => [s.code, { index: i, label: s.label }]));
  return instrument.dimensions.map((d) => ({
    code: d.code,
    label: d.label,
    strands: d.strands.map((s) => ({
      code: s.code,
      label: s.label,
      description: s.description ?? null,
      items: s.items.map((it) => {
        const stage = it.stage === undefined ? undefined : stages.get(it.stage);
        return {
          code: it.code,
          text: it.text,
          stage: stage === undefined ? null : hideStageLabels ? stageLetter(stage.index) : (it.stage ?? null),
          stageLabel: stage === undefined || hideStageLabels ? null : stage.label,
          format: it.format ?? instrument.format,
          help: it.help ?? null,
        };
      }),
    })),
  }));
}

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
