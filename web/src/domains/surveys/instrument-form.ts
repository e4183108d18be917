import type { FormDimension, Instrument } from '../../api/surveys.ts';

/**
 * An instrument's banks and items as the respondent's form shows them, for keying in a paper
 * form: the same rule as the server's `formDimensions` (server/domains/surveys/survey-form.ts),
 * so the screen matches the paper — the stage as a letter by position (A = lowest) when the
 * round hides stage labels, the stage's code and name otherwise.
 */
export function formDimensionsOf(instrument: Instrument, hideStageLabels: boolean): FormDimension[] {
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

/** The letter of the stage at `index` (0 = A), as the form shows hidden stages. */
export const stageLetter = (index: number): string => String.fromCharCode(65 + index);
