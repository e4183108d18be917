import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0011_brokering.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd
type Json<T> = ColumnType<T, string, string>;
type Num = ColumnType<number, number, number>;

export type RequestGoalJson = {
  statement: string;
  measure: string;
  unit: string | null;
  baseline: { value: number; on: string; source: string | null };
  target: { value: number; on: string };
};
export type ConflictJson = { schoolId: number; reason: string };
export type FactorJson = { factor: string; label: string; raw: number | null; normalised: number; weight: number; contribution: number };

export interface FocusAreaTable {
  code: string;
}

export interface SchoolPriorityTable {
  id: Generated<number>;
  school_id: number;
  focus_area: string;
  note: string | null;
  from_on: DateCol;
  until_on: DateCol | null;
  declared_by: number | null;
  declared_at: Timestamp;
}

export interface ExpertiseOfferTable {
  id: Generated<number>;
  school_id: number;
  person_id: number | null;
  focus_area: string;
  kinds: string[];
  capacity_days: Num;
  note: string | null;
  status: Generated<string>;
  approved_by: number | null;
  approved_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BrokerDeclarationTable {
  person_id: number;
  declared_on: DateCol;
  declared_at: Timestamp;
}

export interface BrokerAffiliationTable {
  id: Generated<number>;
  person_id: number;
  school_id: number | null;
  network_id: number | null;
  kind: string;
  note: string | null;
  declared_on: DateCol;
  ended_on: DateCol | null;
}

export interface SupportRequestTable {
  id: Generated<number>;
  school_id: number;
  focus_area: string;
  kind: string;
  days_needed: Num;
  terms: Generated<number>;
  description: string;
  goals: Json<RequestGoalJson[]>;
  conflicts: Json<ConflictJson[]>;
  status: Generated<string>;
  broker_id: number | null;
  broker_since: DateCol | null;
  supporter_school_id: number | null;
  offer_id: number | null;
  support_network_id: number | null;
  partnership_id: number | null;
  activity_id: number | null;
  started_on: DateCol | null;
  review_note: string | null;
  reviewed_on: DateCol | null;
  reviewed_by: number | null;
  outcome: string | null;
  outcome_note: string | null;
  closed_on: DateCol | null;
  withdrawn_reason: string | null;
  created_by: number | null;
  created_on: DateCol;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ShortlistEntryTable {
  id: Generated<number>;
  request_id: number;
  rank: number;
  school_id: number;
  offer_id: number | null;
  score: number;
  distance_km: number | null;
  factors: Json<FactorJson[]>;
  source: Generated<string>;
  created_by: number | null;
  created_at: Timestamp;
  removed_at: Timestamp | null;
}

export interface IntroductionTable {
  id: Generated<number>;
  request_id: number;
  shortlist_entry_id: number;
  school_id: number;
  offer_id: number | null;
  status: Generated<string>;
  requester_answer: Generated<string>;
  requester_by: number | null;
  requester_on: DateCol | null;
  requester_note: string | null;
  supporter_answer: Generated<string>;
  supporter_by: number | null;
  supporter_on: DateCol | null;
  supporter_note: string | null;
  note: string | null;
  created_by: number | null;
  created_on: DateCol;
  created_at: Timestamp;
  closed_on: DateCol | null;
}

export interface BrokeringTables {
  focus_area: FocusAreaTable;
  school_priority: SchoolPriorityTable;
  expertise_offer: ExpertiseOfferTable;
  broker_declaration: BrokerDeclarationTable;
  broker_affiliation: BrokerAffiliationTable;
  support_request: SupportRequestTable;
  shortlist_entry: ShortlistEntryTable;
  introduction: IntroductionTable;
}
