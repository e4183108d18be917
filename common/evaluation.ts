/**
 * The vocabulary of evidence and impact evaluation (issue 7; DOMAIN.md §7): the outcome measures
 * Trellis can compare, the school context it matches and benchmarks on, and the codes of an
 * evaluation's caveats. Shared by server and web; the statistics live in analytics/stats and the
 * queries in server/domains/evaluation.
 */

/** Where a published school-year figure comes from: a table of migrations/0002_outcomes.sql and its column. */
export type MeasureSource =
  | { table: 'ks2_result'; column: Ks2Column }
  | { table: 'ks4_result'; column: Ks4Column }
  | { table: 'school_absence'; column: 'overall_absence_pct' | 'persistent_absence_pct' };
type Ks2Column =
  | 'rwm_expected_pct'
  | 'rwm_higher_pct'
  | 'read_progress'
  | 'write_progress'
  | 'maths_progress'
  | 'read_score'
  | 'maths_score'
  | 'read_expected_pct'
  | 'write_expected_pct'
  | 'maths_expected_pct';
type Ks4Column = 'a8' | 'p8' | 'ebacc_aps' | 'basics_94_pct' | 'five_em_94_pct' | 'ebacc_entry_pct';

export type OutcomeMeasure = {
  code: string;
  label: string;
  /** The phase of the schools that have the figure: primary results for primary schools, and so on. */
  phase: 'primary' | 'secondary' | 'any';
  unit: 'percent' | 'score' | 'progress';
  /** Absence is better lower; every attainment and progress figure is better higher. */
  better: 'higher' | 'lower';
  source: MeasureSource;
};

/** The published school-level measures, from the DfE performance tables and absence files. */
export const outcomeMeasures: readonly OutcomeMeasure[] = [
  { code: 'ks2_rwm_expected', label: 'KS2 reading, writing and maths: % at the expected standard', phase: 'primary', unit: 'percent', better: 'higher', source: { table: 'ks2_result', column: 'rwm_expected_pct' } },
  { code: 'ks2_rwm_higher', label: 'KS2 reading, writing and maths: % at the higher standard', phase: 'primary', unit: 'percent', better: 'higher', source: { table: 'ks2_result', column: 'rwm_higher_pct' } },
  { code: 'ks2_read_expected', label: 'KS2 reading: % at the expected standard', phase: 'primary', unit: 'percent', better: 'higher', source: { table: 'ks2_result', column: 'read_expected_pct' } },
  { code: 'ks2_write_expected', label: 'KS2 writing: % at the expected standard', phase: 'primary', unit: 'percent', better: 'higher', source: { table: 'ks2_result', column: 'write_expected_pct' } },
  { code: 'ks2_maths_expected', label: 'KS2 maths: % at the expected standard', phase: 'primary', unit: 'percent', better: 'higher', source: { table: 'ks2_result', column: 'maths_expected_pct' } },
  { code: 'ks2_read_score', label: 'KS2 reading: average scaled score', phase: 'primary', unit: 'score', better: 'higher', source: { table: 'ks2_result', column: 'read_score' } },
  { code: 'ks2_maths_score', label: 'KS2 maths: average scaled score', phase: 'primary', unit: 'score', better: 'higher', source: { table: 'ks2_result', column: 'maths_score' } },
  { code: 'ks2_read_progress', label: 'KS2 reading progress', phase: 'primary', unit: 'progress', better: 'higher', source: { table: 'ks2_result', column: 'read_progress' } },
  { code: 'ks2_write_progress', label: 'KS2 writing progress', phase: 'primary', unit: 'progress', better: 'higher', source: { table: 'ks2_result', column: 'write_progress' } },
  { code: 'ks2_maths_progress', label: 'KS2 maths progress', phase: 'primary', unit: 'progress', better: 'higher', source: { table: 'ks2_result', column: 'maths_progress' } },
  { code: 'ks4_attainment8', label: 'KS4 Attainment 8', phase: 'secondary', unit: 'score', better: 'higher', source: { table: 'ks4_result', column: 'a8' } },
  { code: 'ks4_progress8', label: 'KS4 Progress 8', phase: 'secondary', unit: 'progress', better: 'higher', source: { table: 'ks4_result', column: 'p8' } },
  { code: 'ks4_ebacc_aps', label: 'KS4 EBacc average point score', phase: 'secondary', unit: 'score', better: 'higher', source: { table: 'ks4_result', column: 'ebacc_aps' } },
  { code: 'ks4_ebacc_entry', label: 'KS4 % entering the EBacc', phase: 'secondary', unit: 'percent', better: 'higher', source: { table: 'ks4_result', column: 'ebacc_entry_pct' } },
  { code: 'ks4_basics_94', label: 'KS4 % with grade 4 or above in English and maths', phase: 'secondary', unit: 'percent', better: 'higher', source: { table: 'ks4_result', column: 'basics_94_pct' } },
  { code: 'ks4_five_em', label: 'KS4 % with 5 good GCSEs including English and maths (historical)', phase: 'secondary', unit: 'percent', better: 'higher', source: { table: 'ks4_result', column: 'five_em_94_pct' } },
  { code: 'overall_absence', label: 'Overall absence (% of sessions)', phase: 'any', unit: 'percent', better: 'lower', source: { table: 'school_absence', column: 'overall_absence_pct' } },
  { code: 'persistent_absence', label: 'Persistent absence (% of pupils)', phase: 'any', unit: 'percent', better: 'lower', source: { table: 'school_absence', column: 'persistent_absence_pct' } },
];

export const measureByCode = new Map(outcomeMeasures.map((m) => [m.code, m]));

/**
 * The school context Trellis matches and benchmarks on (DOMAIN.md §7: prior attainment, % SEN,
 * % FSM, area and size). Each is a column of the register's school row, filled from the census
 * and performance files (the figure of `school.context_year`).
 */
export const ContextFeature = {
  pupil_roll: 'Number on roll',
  fsm_pct: '% eligible for free school meals',
  sen_pct: '% with special educational needs',
  eal_pct: '% with English as an additional language',
  prior_attainment: 'Prior attainment (the outcome before the baseline)',
  nearby_schools: 'Schools within 5 km (an urban–rural proxy)',
} as const;
export type ContextFeature = keyof typeof ContextFeature;
export const contextFeatures = Object.keys(ContextFeature) as [ContextFeature, ...ContextFeature[]];

/** Pupil-level subjects an upload may carry, with the unit of their score. */
export const PupilSubject = {
  reading: 'Reading (scaled score)',
  maths: 'Maths (scaled score)',
  gps: 'Grammar, punctuation and spelling (scaled score)',
  writing: 'Writing (teacher assessment points)',
  english: 'English (GCSE points)',
  mathematics: 'Mathematics (GCSE points)',
  attainment8: 'Attainment 8 (points)',
} as const;
export type PupilSubject = keyof typeof PupilSubject;

/** The caveats an evaluation report states, chosen by the numbers (server/domains/evaluation/report-text.ts). */
export const Caveat = {
  quasi_experimental: 'A quasi-experiment, not a trial',
  prior_capacity: 'Prior capacity to change may confound',
  small_groups: 'Small groups',
  imbalance: 'Imbalance remains after matching',
  unmatched: 'Some schools found no comparator',
  missing_baseline: 'Baseline years missing',
  context_snapshot: 'Context from one year',
  no_pupil_data: 'No pupil-level data',
  separation: 'Propensity model separated',
  many_tests: 'Many tests',
} as const;
export type Caveat = keyof typeof Caveat;

/** "2016/17" → 2016 (the autumn the year starts). */
export const yearStart = (academicYear: string): number => Number(academicYear.slice(0, 4));
/** 2016 → "2016/17". */
export const academicYearOf = (start: number): string => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
