import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0006_partnerships.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd
type Json<T> = ColumnType<T, string, string>;

export type AgreementRoleJson = { who: string; schoolId: number | null; responsibility: string };
export type SharingTermJson = { dataClass: string; intended: boolean; purpose: string | null };
export type PersonJson = { name: string; role: string | null };
export type KeptJson = { kind: string; what: string; keptBy: string | null };

export interface PartnershipTable {
  id: Generated<number>;
  network_id: number;
  stage: Generated<string>;
  purpose: string;
  shared_vision: string | null;
  theory_of_action: string | null;
  formed_on: DateCol;
  formation: string | null;
  ended_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnershipStageChangeTable {
  id: Generated<number>;
  partnership_id: number;
  from_stage: string | null;
  to_stage: string;
  changed_by: number | null;
  changed_on: DateCol;
  changed_at: Timestamp;
  note: string | null;
}

export interface PartnershipGoalTable {
  id: Generated<number>;
  partnership_id: number;
  statement: string;
  measure: string;
  unit: string | null;
  baseline_value: number;
  baseline_on: DateCol;
  baseline_source: string | null;
  target_value: number;
  target_on: DateCol;
  status: Generated<string>;
  created_by: number | null;
  created_at: Timestamp;
  revised_at: Timestamp | null;
  retired_on: DateCol | null;
  retired_reason: string | null;
  retired_by: number | null;
  retired_at: Timestamp | null;
  merged_into: number | null;
}

export interface PartnershipGoalContributionTable {
  goal_id: number;
  school_id: number;
  contribution: string;
}

export interface PartnershipAgreementTable {
  id: Generated<number>;
  partnership_id: number;
  version: number;
  effective_from: DateCol;
  principles: Json<string[]>;
  roles: Json<AgreementRoleJson[]>;
  meeting_frequency: string;
  min_attendance_pct: number | null;
  attendance_consequence: string | null;
  data_sharing: Json<SharingTermJson[]>;
  conflict_resolution: string;
  funding: Json<Record<string, unknown>>;
  change_note: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface PartnershipSignatureTable {
  agreement_id: number;
  school_id: number;
  signed_by: number;
  signed_role: string;
  signed_on: DateCol;
  signed_at: Timestamp;
  note: string | null;
}

export interface PartnershipMeetingTable {
  id: Generated<number>;
  partnership_id: number;
  held_on: DateCol;
  title: string;
  notes: string | null;
  other_attendees: Json<PersonJson[]>;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface PartnershipAttendanceTable {
  meeting_id: number;
  school_id: number;
  attendees: Json<PersonJson[]>;
}

export interface PartnershipReviewTable {
  id: Generated<number>;
  partnership_id: number;
  held_on: DateCol;
  summary: string | null;
  decision: string | null;
  decision_note: string | null;
  recorded_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnershipReviewProgressTable {
  review_id: number;
  goal_id: number;
  value_now: number | null;
  status: string;
  commentary: string | null;
}

export interface PartnershipEndingTable {
  partnership_id: number;
  agreed_on: DateCol;
  ends_on: DateCol;
  reason: string;
  agreed_by: string;
  kept: Json<KeptJson[]>;
  recorded_by: number | null;
  recorded_at: Timestamp;
}

export interface PartnershipTables {
  partnership: PartnershipTable;
  partnership_stage_change: PartnershipStageChangeTable;
  partnership_goal: PartnershipGoalTable;
  partnership_goal_contribution: PartnershipGoalContributionTable;
  partnership_agreement: PartnershipAgreementTable;
  partnership_signature: PartnershipSignatureTable;
  partnership_meeting: PartnershipMeetingTable;
  partnership_attendance: PartnershipAttendanceTable;
  partnership_review: PartnershipReviewTable;
  partnership_review_progress: PartnershipReviewProgressTable;
  partnership_ending: PartnershipEndingTable;
}
