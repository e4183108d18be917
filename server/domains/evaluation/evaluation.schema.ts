import { z } from 'zod';
import { Caveat, contextFeatures, outcomeMeasures, PupilSubject } from '../../../common/evaluation.ts';

/**
 * Impact evaluation and benchmarking: what a caller asks for and what comes back
 * (docs/evaluation.md). Imports only zod and common/.
 */

const AcademicYear = z
  .string()
  .regex(/^\d{4}\/\d{2}$/, 'write an academic year as 2016/17')
  .refine((y) => (Number(y.slice(0, 4)) + 1) % 100 === Number(y.slice(5)), 'the two years must follow each other, as in 2016/17');
const measureCodes = outcomeMeasures.map((m) => m.code) as [string, ...string[]];
export const MeasureCode = z.enum(measureCodes).describe('An outcome measure (GET /api/v1/outcome-measures)');

export const ExactOn = z.enum(['phase', 'school_type', 'gender']);
export type ExactOn = z.infer<typeof ExactOn>;

export const EvaluationSpec = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    networkIds: z.array(z.number().int().positive()).max(500).default([]).describe("The treated schools: these networks' members"),
    kind: z.string().max(40).optional().describe('Or: every network of this kind (e.g. federation) with members in `laNames`'),
    laNames: z.array(z.string().trim().min(1).max(100)).max(20).default([]).describe('With `kind`: the local authorities whose networks are evaluated; also limits the comparison pool when `pool` is "la"'),
    formedIn: AcademicYear.optional().describe("The academic year the networks formed (the treatment year). Default: each network's opening date, where known"),
    baselineYears: z.number().int().min(0).max(5).default(3).describe('Years before formation in the baseline (DOMAIN.md §7: three)'),
    outcomes: z.array(MeasureCode).min(1).max(4),
    exact: z.array(ExactOn).default(['phase', 'school_type', 'gender']).describe('Matched exactly'),
    covariates: z.array(z.enum(contextFeatures)).min(1).default(['prior_attainment', 'fsm_pct', 'sen_pct', 'nearby_schools', 'pupil_roll']).describe('In the propensity score'),
    caliper: z.number().positive().max(5).nullable().default(0.2).describe('In standard deviations of the logit of the propensity score; null for none'),
    ratio: z.number().int().min(1).max(5).default(1).describe('Comparators per treated school'),
    pool: z.enum(['all', 'la']).default('all').describe('Comparison schools from the whole register, or only from `laNames` / the treated schools’ authorities'),
    pupilSubject: z.enum(Object.keys(PupilSubject) as [keyof typeof PupilSubject, ...(keyof typeof PupilSubject)[]]).optional().describe('Also fit two-level models (pupils in schools) on uploaded pupil results of this subject'),
    save: z.boolean().default(true),
  })
  .refine((s) => s.networkIds.length > 0 || (s.kind !== undefined && s.laNames.length > 0), {
    message: 'choose the treated schools: networkIds, or a kind with laNames',
    path: ['networkIds'],
  });
export type EvaluationSpec = z.infer<typeof EvaluationSpec>;

const n = z.number().nullable();
const Interval = z.object({ low: n, high: n });
const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });

const BalanceSide = z.object({ treatedMean: n, controlMean: n, smd: n, varianceRatio: n, p: n, nTreated: z.number(), nControl: z.number() });
export const BalanceRow = z.object({ covariate: z.string(), label: z.string(), before: BalanceSide, after: BalanceSide, flagged: z.boolean().describe('|SMD| > 0.1 or variance ratio outside [0.5, 2] after matching') });

const YearComparison = z.object({
  year: z.string(),
  period: z.enum(['baseline', 'later']),
  treated: z.object({ n: z.number(), mean: n, sd: n }),
  comparison: z.object({ n: z.number(), mean: n, sd: n }),
  difference: n.describe('Treated mean − comparison mean'),
  ci: Interval,
  t: n,
  df: n,
  p: n,
  pHolm: n.describe('Holm-adjusted over the later years of this outcome'),
  hedgesG: n,
  hedgesGCi: Interval,
  adjusted: z
    .object({ estimate: z.number(), se: z.number(), ci: Interval, p: z.number(), n: z.number() })
    .nullable()
    .describe('Regression of the outcome on membership and the covariates (HC1 SEs): the difference net of context'),
});

const MixedSide = z.object({
  terms: z.array(z.object({ name: z.string(), estimate: z.number(), se: z.number(), p: z.number() })),
  sigma2Between: z.number(),
  sigma2Within: z.number(),
  icc: z.number(),
  logLik: z.number(),
});
const Multilevel = z.object({
  year: z.string(),
  subject: z.string(),
  pupils: z.number(),
  schools: z.number(),
  null: MixedSide,
  full: MixedSide,
  explained: z.object({ level1: z.number(), level2: z.number(), total: z.number() }),
});

export const OutcomeResult = z.object({
  measure: z.string(),
  label: z.string(),
  unit: z.string(),
  better: z.enum(['higher', 'lower']),
  years: z.array(YearComparison),
  did: z
    .object({ estimate: z.number(), se: z.number(), ci: Interval, p: z.number(), pairs: z.number(), baselineMean: z.object({ treated: n, comparison: n }), laterMean: z.object({ treated: n, comparison: n }) })
    .nullable()
    .describe('Difference in differences: later years against the baseline, SEs clustered by school'),
  eventStudy: z.array(z.object({ year: z.string(), estimate: z.number(), se: z.number(), ci: Interval, p: z.number(), pHolm: n })),
  byType: z.array(
    z.object({
      type: z.string(),
      label: z.string(),
      years: z.array(z.object({ year: z.string(), nTreated: z.number(), nComparison: z.number(), difference: n, ci: Interval, p: n })),
    }),
  ),
  multilevel: z.array(Multilevel),
  multilevelNote: z.string().nullable(),
});
export type OutcomeResult = z.infer<typeof OutcomeResult>;

export const EvaluationReport = z.object({
  id: z.number().nullable(),
  title: z.string(),
  ranAt: z.string(),
  runMs: z.number(),
  spec: z.record(z.string(), z.unknown()),
  networks: z.array(z.object({ networkId: z.number(), name: z.string(), kind: z.string(), form: z.string().nullable(), formedIn: z.string(), schools: z.number() })),
  design: z.object({
    baselineYears: z.array(z.string()),
    laterYears: z.array(z.string()),
    missingYears: z.array(z.string()).describe('Baseline or later years the design asks for but no data hold'),
    treatedSchools: z.number(),
    candidates: z.number(),
    pool: z.string(),
  }),
  propensity: z.object({
    n: z.number(),
    terms: z.array(z.object({ name: z.string(), estimate: z.number(), se: z.number(), p: z.number() })),
    separation: z.string(),
    dropped: z.array(z.object({ schoolId: z.number(), name: z.string(), missing: z.array(z.string()) })).describe('Treated schools left out for missing covariates'),
  }),
  matching: z.object({
    method: z.string(),
    caliper: n,
    ratio: z.number(),
    matched: z.number(),
    unmatched: z.array(SchoolRef.extend({ reason: z.string() })),
    pairs: z.array(z.object({ treated: SchoolRef, comparators: z.array(SchoolRef.extend({ distance: z.number() })) })),
  }),
  balance: z.array(BalanceRow),
  outcomes: z.array(OutcomeResult),
  summary: z.array(z.string()),
  caveats: z.array(z.object({ code: z.enum(Object.keys(Caveat) as [Caveat, ...Caveat[]]), title: z.string(), text: z.string() })),
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

export const EvaluationListItem = z.object({ id: z.number(), title: z.string(), networkId: z.number().nullable(), createdAt: z.string(), runMs: z.number() });

export const IdParam = z.object({ id: z.coerce.number().int().positive() });
export const PupilUploadSummary = z.object({ uploadId: z.number(), file: z.string(), rows: z.number(), schools: z.number(), replaced: z.number() });
