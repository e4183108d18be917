import type { ColumnType } from 'kysely';
import type { MissingReason } from '../../../common/vocabulary.ts';

/** Kysely table types for pupil outcomes and context (migration 0002_outcomes.sql). */

type Json<T> = ColumnType<T, string | T | undefined, string | T>;
type DateCol = string; // ISO yyyy-mm-dd
/** Why each absent figure is absent, keyed by column name (never a zero in its place). */
export type MissingFigures = Partial<Record<string, MissingReason>>;

type OutcomeKey = {
  urn: number;
  /** "2018/19" */
  academic_year: string;
  missing: Json<MissingFigures>;
  /** The import kind that wrote the row. */
  source: string;
};
type Released = OutcomeKey & {
  release: ColumnType<string, string | undefined, string>;
  /** The performance tables' RECTYPE: 1 mainstream, 2 special. */
  record_type: number | null;
};

export interface Ks2ResultTable extends Released {
  pupils: number | null;
  boys: number | null;
  girls: number | null;
  read_progress: number | null;
  read_progress_band: number | null;
  read_score: number | null;
  read_expected_pct: number | null;
  read_higher_pct: number | null;
  write_progress: number | null;
  write_progress_band: number | null;
  write_score: number | null;
  write_expected_pct: number | null;
  write_higher_pct: number | null;
  maths_progress: number | null;
  maths_progress_band: number | null;
  maths_score: number | null;
  maths_expected_pct: number | null;
  maths_higher_pct: number | null;
  rwm_expected_pct: number | null;
  rwm_higher_pct: number | null;
}

export interface Ks4ResultTable extends Released {
  pupils: number | null;
  boys: number | null;
  girls: number | null;
  p8_pupils: number | null;
  p8_adjusted_pupils: number | null;
  p8: number | null;
  p8_ci_low: number | null;
  p8_ci_high: number | null;
  p8_unadjusted: number | null;
  p8_unadjusted_ci_low: number | null;
  p8_unadjusted_ci_high: number | null;
  p8_boys: number | null;
  p8_girls: number | null;
  p8_band: number | null;
  a8: number | null;
  a8_boys: number | null;
  a8_girls: number | null;
  basics_94_pct: number | null;
  basics_95_pct: number | null;
  ebacc_entry_pct: number | null;
  ebacc_aps: number | null;
  ebacc_aps_boys: number | null;
  ebacc_aps_girls: number | null;
  ebacc_94_pct: number | null;
  ebacc_95_pct: number | null;
  five_em_94_pct: number | null;
}

export interface Ks5ResultTable extends Released {
  alevel_va: number | null;
  alevel_progress_band: number | null;
  alevel_aps: number | null;
  alevel_grade: string | null;
}

export interface SchoolCensusTable extends OutcomeKey {
  census_type: string | null;
  pupils: number | null;
  girls: number | null;
  boys: number | null;
  girls_pct: number | null;
  boys_pct: number | null;
  sen_ehcp: number | null;
  sen_ehcp_pct: number | null;
  sen_support: number | null;
  sen_support_pct: number | null;
  eal: number | null;
  eal_pct: number | null;
  english_first: number | null;
  english_first_pct: number | null;
  language_unclassified: number | null;
  language_unclassified_pct: number | null;
  fsm: number | null;
  fsm_ever6: number | null;
  fsm_ever6_pct: number | null;
}

export interface SchoolAbsenceTable extends OutcomeKey {
  overall_absence_pct: number | null;
  persistent_absence_pct: number | null;
}

export interface PupilPremiumTable extends OutcomeKey {
  pupils: number | null;
  primary_pupils: number | null;
  primary_eligible: number | null;
  primary_eligible_pct: number | null;
  primary_allocation: number | null;
  secondary_pupils: number | null;
  secondary_eligible: number | null;
  secondary_eligible_pct: number | null;
  secondary_allocation: number | null;
  eligible: number | null;
  allocation: number | null;
}

export interface OfstedInspectionTable {
  urn: number;
  inspected_on: DateCol;
  grade: string;
  source: string;
}

/** Code lists the register's files refer to (school types, establishment types and groups). */
export interface RegisterCodeTable {
  list: string;
  code: string;
  label: string;
  parent_code: string | null;
  starts_on: DateCol | null;
  ends_on: DateCol | null;
  extra: Json<Record<string, unknown>>;
}

export interface OutcomeTables {
  ks2_result: Ks2ResultTable;
  ks4_result: Ks4ResultTable;
  ks5_result: Ks5ResultTable;
  school_census: SchoolCensusTable;
  school_absence: SchoolAbsenceTable;
  pupil_premium: PupilPremiumTable;
  ofsted_inspection: OfstedInspectionTable;
  register_code: RegisterCodeTable;
}
