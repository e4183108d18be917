import { z } from 'zod';

/**
 * The shape of a survey instrument (DOMAIN.md §6): versioned data, checked into the repository
 * as JSON under server/domains/surveys/instruments/ or uploaded by an administrator. Shared by
 * the server (validation, scoring) and the web app (rendering a form). Built-in instruments are
 * written in our own words and cite the framework they paraphrase.
 */

const Code = z.string().regex(/^[A-Z][A-Za-z&]{0,5}$/, 'a short upper-case code, e.g. JPD or E&C');

/** How an item is answered. */
export const ResponseFormat = z.enum([
  /** Ticked when true of the respondent's school now; blank = untrue or unclear (the partnership survey). */
  'endorse',
  /** One of the instrument's `scale` options, ordered low → high (Likert, RAG, engagement level…). */
  'scale',
  /** Free text (never scored; shown to the coordinator only in aggregate-safe views). */
  'text',
]);
export type ResponseFormat = z.infer<typeof ResponseFormat>;

export const ScaleOption = z.object({ code: z.string().min(1).max(40), label: z.string().min(1).max(120), value: z.number() });

export const Item = z.object({
  /** Unique within the instrument, e.g. "JPD B3": strand code, stage letter, number within the stage. */
  code: z.string().min(1).max(20),
  /** Stage code (one of the instrument's `stages`), when the instrument has stages. */
  stage: z.string().max(8).optional(),
  text: z.string().min(1).max(600),
  /** A deficit statement: endorsing it counts against the strand (read in reverse). */
  polarity: z.enum(['positive', 'deficit']).default('positive'),
  format: ResponseFormat.optional().describe('Default: the instrument’s format'),
  help: z.string().max(600).optional(),
});
export type Item = z.infer<typeof Item>;

export const Strand = z.object({
  code: Code,
  label: z.string().min(1).max(120),
  /** What the strand is about, shown to respondents above its items (our words). */
  description: z.string().max(1200).optional(),
  items: z.array(Item),
});
export type Strand = z.infer<typeof Strand>;

export const Dimension = z.object({ code: Code, label: z.string().min(1).max(120), strands: z.array(Strand).min(1) });
export type Dimension = z.infer<typeof Dimension>;

export const Instrument = z
  .object({
    /** Kebab-case id, stable across versions, e.g. "partnership-survey". */
    id: z.string().regex(/^[a-z][a-z0-9-]{2,60}$/),
    version: z.number().int().positive(),
    title: z.string().min(1).max(200),
    /** The framework this paraphrases, as a reference a reader can find. */
    citation: z.string().min(1).max(600),
    description: z.string().max(2000),
    /** Who answers: staff of member schools (a survey round) or the partnership's leaders together (a self-evaluation). */
    audience: z.enum(['staff', 'leaders']),
    format: ResponseFormat,
    /** Ordered stages, lowest first (e.g. Beginning, Developing, Embedding, Leading); may be empty. */
    stages: z.array(z.object({ code: z.string().min(1).max(8), label: z.string().min(1).max(60) })),
    /** Options for `scale` items, ordered low → high. */
    scale: z.array(ScaleOption).optional(),
    dimensions: z.array(Dimension).min(1),
  })
  .superRefine((ins, ctx) => {
    const stages = new Set(ins.stages.map((s) => s.code));
    const codes = new Set<string>();
    for (const [di, d] of ins.dimensions.entries()) {
      for (const [si, s] of d.strands.entries()) {
        for (const [ii, it] of s.items.entries()) {
          const path = ['dimensions', di, 'strands', si, 'items', ii];
          if (codes.has(it.code)) ctx.addIssue({ code: 'custom', path: [...path, 'code'], message: `item code ${it.code} is used twice; codes must be unique` });
          codes.add(it.code);
          if (stages.size > 0 && (it.stage === undefined || !stages.has(it.stage))) {
            ctx.addIssue({ code: 'custom', path: [...path, 'stage'], message: `stage must be one of ${[...stages].join(', ')}` });
          }
          if ((it.format ?? ins.format) === 'scale' && !ins.scale?.length) {
            ctx.addIssue({ code: 'custom', path: ['scale'], message: 'scale items need the instrument’s scale options' });
          }
        }
      }
    }
  });
export type Instrument = z.infer<typeof Instrument>;

/** Role groups respondents declare (the case study's codes 1–5, plus support staff). */
export const RespondentRole = {
  codes: ['governor', 'head_or_deputy', 'senior_leader', 'middle_leader', 'teacher', 'support_staff'] as const,
  labels: {
    governor: 'Governor',
    head_or_deputy: 'Head or deputy',
    senior_leader: 'Senior leader',
    middle_leader: 'Middle leader',
    teacher: 'Teacher',
    support_staff: 'Support staff',
  },
  /** The reporting groups of the case study: heads and deputies with governors, senior leaders, teachers (middle leaders with teachers). */
  groups: { governor: 'HD', head_or_deputy: 'HD', senior_leader: 'SLT', middle_leader: 'T', teacher: 'T', support_staff: 'S' },
} as const;
export type RespondentRole = (typeof RespondentRole.codes)[number];

/** The letter shown for the stage at `index` when labels are hidden (A, B, C, …). */
export const stageLetter = (index: number) => String.fromCharCode(65 + index);

export type FormItem = { code: string; text: string; stage: string | null; stageLabel: string | null; format: ResponseFormat; help: string | null };
export type FormStrand = { code: string; label: string; description: string | null; items: FormItem[] };
export type FormDimension = { code: string; label: string; strands: FormStrand[] };

/**
 * The instrument's banks and items as the respondent's form shows them, with stage labels hidden
 * (a letter by position, A = lowest) when the round says so. Shared: the server serves it and the
 * web app's paper entry shows the same form, so the screen matches the paper.
 */
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
