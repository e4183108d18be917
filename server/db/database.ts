import type { ColumnType, Generated } from 'kysely';
import type { AccessTables } from '../domains/access/access.table.ts';
import type { ActivityTables } from '../domains/activities/activities.table.ts';
import type { BrokeringTables } from '../domains/brokering/brokering.table.ts';
import type { EvaluationTables } from '../domains/evaluation/evaluation.table.ts';
import type { OutcomeTables } from '../domains/outcomes/outcomes.table.ts';
import type { PartnershipTables } from '../domains/partnerships/partnerships.table.ts';
import type { PracticeTables } from '../domains/practice/practice.table.ts';
import type { SurveyTables } from '../domains/surveys/surveys.table.ts';

/** Kysely's view of the schema in migrations/. One interface per table. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;
type DateCol = string; // ISO yyyy-mm-dd

export interface SchoolTable {
  id: Generated<number>;
  urn: number | null;
  name: string;
  phase: string | null;
  school_type: string | null;
  type_label: string | null;
  religious_character: string | null;
  gender_intake: string | null;
  la_code: number | null;
  la_name: string | null;
  region: string | null;
  street: string | null;
  town: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
  age_low: number | null;
  age_high: number | null;
  pupil_roll: number | null;
  fsm_pct: number | null;
  sen_pct: number | null;
  eal_pct: number | null;
  context_year: string | null;
  urban_rural: string | null;
  inspection_grade: string | null;
  inspection_date: DateCol | null;
  status: Generated<string>;
  opened_on: DateCol | null;
  closed_on: DateCol | null;
  sources: Generated<string[]>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SchoolLinkTable {
  urn: number;
  link_urn: number;
  link_type: string;
  established_on: DateCol | null;
}

export interface NetworkTable {
  id: Generated<number>;
  source_key: string | null;
  name: string;
  kind: string;
  federation_form: string | null;
  purpose: string | null;
  formation: string | null;
  governance_mode: string | null;
  legal_status: string | null;
  companies_house_no: string | null;
  group_code: string | null;
  opened_on: DateCol | null;
  closed_on: DateCol | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface MembershipTable {
  id: Generated<number>;
  school_id: number;
  network_id: number;
  role: Generated<string>;
  joined_on: DateCol | null;
  left_on: DateCol | null;
  source: string | null;
  created_at: Generated<Timestamp>;
}

export interface NetworkTypologyTable {
  network_id: number;
  declared: Json<Record<string, unknown>>;
  updated_at: Generated<Timestamp>;
}

export interface ImportRunTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  sha256: string;
  as_of: DateCol | null;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_skipped: Generated<number>;
  summary: Json<Record<string, unknown>>;
  started_at: Generated<Timestamp>;
  finished_at: Timestamp | null;
}

export interface DB extends EvaluationTables, OutcomeTables, AccessTables, ActivityTables, PartnershipTables, PracticeTables, SurveyTables, BrokeringTables {
  school: SchoolTable;
  school_link: SchoolLinkTable;
  network: NetworkTable;
  membership: MembershipTable;
  network_typology: NetworkTypologyTable;
  import_run: ImportRunTable;
}
