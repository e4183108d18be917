import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0010_practice.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd
type Json<T> = ColumnType<T, string, string>;

/** One pupil in a conversation: a description, never a name (practice/pupil-privacy.ts). */
export type PupilJson = { descriptor: string; chosen: string };
/** A published measure an impact claim points at. */
export type OutcomeLinkJson = { schoolId: number; measure: string; fromYear: string; toYear: string };

export interface PeerReviewCycleTable {
  id: Generated<number>;
  network_id: number;
  host_school_id: number;
  title: string;
  focus: string;
  focus_area: string | null;
  priority: string | null;
  partnership_goal_id: number | null;
  claimed_judgement: string | null;
  stage: Generated<string>;
  visit_start_on: DateCol | null;
  visit_end_on: DateCol | null;
  follow_up_on: DateCol | null;
  team_judgement: string | null;
  team_judgement_note: string | null;
  follow_up_summary: string | null;
  cancelled_reason: string | null;
  closed_on: DateCol | null;
  visit_activity_id: number | null;
  follow_up_activity_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PeerReviewStageChangeTable {
  id: Generated<number>;
  cycle_id: number;
  from_stage: string | null;
  to_stage: string;
  changed_by: number | null;
  changed_on: DateCol;
  changed_at: Timestamp;
  note: string | null;
}

export interface PeerReviewReviewerTable {
  cycle_id: number;
  person_id: number;
  school_id: number;
  trained: Generated<boolean>;
  lead: Generated<boolean>;
  added_by: number | null;
  added_at: Timestamp;
}

export interface PeerReviewEvidenceTable {
  id: Generated<number>;
  cycle_id: number;
  kind: string;
  observed_on: DateCol;
  year_group: string | null;
  subject: string | null;
  context: string | null;
  pupils: Json<PupilJson[]>;
  notes: string;
  school_id: number;
  recorded_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PeerReviewFindingTable {
  id: Generated<number>;
  cycle_id: number;
  kind: string;
  area: Generated<string>;
  statement: string;
  judgement: string | null;
  evidence_ids: ColumnType<number[], number[] | undefined, number[]>;
  recorded_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PeerReviewActionTable {
  id: Generated<number>;
  cycle_id: number;
  finding_id: number | null;
  description: string;
  owner_name: string;
  owner_person_id: number | null;
  due_on: DateCol;
  status: Generated<string>;
  agreed_on: DateCol | null;
  what_changed: string | null;
  closed_on: DateCol | null;
  closed_by: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JpdProjectTable {
  id: Generated<number>;
  network_id: number | null;
  title: string;
  problem: string;
  status: Generated<string>;
  started_on: DateCol;
  ended_on: DateCol | null;
  developed_practice: string | null;
  pupil_involvement: Generated<string>;
  pupil_involvement_note: string | null;
  practice_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JpdProjectSchoolTable {
  project_id: number;
  school_id: number;
}

export interface JpdParticipantTable {
  project_id: number;
  person_id: number;
  school_id: number;
  role: string;
}

export interface JpdCycleTable {
  id: Generated<number>;
  project_id: number;
  number: number;
  focus: string;
  stage: Generated<string>;
  started_on: DateCol;
  completed_on: DateCol | null;
  plan_notes: string | null;
  teach_notes: string | null;
  reflect_notes: string | null;
  refine_notes: string | null;
  activity_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface JpdCoachingNoteTable {
  id: Generated<number>;
  cycle_id: number;
  stage: string;
  note: string;
  coach_id: number | null;
  written_by: number;
  written_on: DateCol;
  created_at: Timestamp;
}

export interface JpdImpactTable {
  id: Generated<number>;
  project_id: number;
  description: string;
  measure: string | null;
  before_value: string | null;
  after_value: string | null;
  pupils: number | null;
  strength: number;
  outcome_link: Json<OutcomeLinkJson | null> | null;
  recorded_by: number | null;
  recorded_on: DateCol;
  created_at: Timestamp;
}

export interface PracticeTable {
  id: Generated<number>;
  school_id: number;
  title: string;
  summary: string;
  body: Generated<string>;
  phase: string | null;
  subject: string | null;
  intake: ColumnType<string[], string[] | undefined, string[]>;
  intake_note: string | null;
  evidence: string | null;
  evidence_strength: number | null;
  status: Generated<string>;
  published_on: DateCol | null;
  withdrawn_on: DateCol | null;
  withdrawn_reason: string | null;
  jpd_project_id: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Generated by the database (title A, summary B, body C); never written. */
  search: ColumnType<string, never, never>;
}

export interface PracticeContactTable {
  practice_id: number;
  person_id: number;
  helps_with: string | null;
}

export interface PracticeLineageTable {
  practice_id: number;
  adapted_from: number;
  what_changed: string;
  result: string | null;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface CommunityTable {
  id: Generated<number>;
  network_id: number;
  name: string;
  kind: string;
  domain: string;
  rhythm: string;
  status: Generated<string>;
  started_on: DateCol;
  closed_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommunityMemberTable {
  community_id: number;
  person_id: number;
  school_id: number;
  participation: string;
  facilitator: Generated<boolean>;
  joined_on: DateCol;
  left_on: DateCol | null;
}

export interface CommunityMeetingTable {
  id: Generated<number>;
  community_id: number;
  held_on: DateCol;
  title: string;
  notes: string | null;
  activity_id: number | null;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface CommunityAttendanceTable {
  meeting_id: number;
  person_id: number;
  school_id: number;
}

export interface CommunityOutputTable {
  id: Generated<number>;
  community_id: number;
  title: string;
  description: string | null;
  practice_id: number | null;
  produced_on: DateCol;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface PracticeTables {
  peer_review_cycle: PeerReviewCycleTable;
  peer_review_stage_change: PeerReviewStageChangeTable;
  peer_review_reviewer: PeerReviewReviewerTable;
  peer_review_evidence: PeerReviewEvidenceTable;
  peer_review_finding: PeerReviewFindingTable;
  peer_review_action: PeerReviewActionTable;
  jpd_project: JpdProjectTable;
  jpd_project_school: JpdProjectSchoolTable;
  jpd_participant: JpdParticipantTable;
  jpd_cycle: JpdCycleTable;
  jpd_coaching_note: JpdCoachingNoteTable;
  jpd_impact: JpdImpactTable;
  practice: PracticeTable;
  practice_contact: PracticeContactTable;
  practice_lineage: PracticeLineageTable;
  community: CommunityTable;
  community_member: CommunityMemberTable;
  community_meeting: CommunityMeetingTable;
  community_attendance: CommunityAttendanceTable;
  community_output: CommunityOutputTable;
}
