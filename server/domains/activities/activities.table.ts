import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0005_activities.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd

export interface ActivityTypeTable {
  code: string;
  category: string;
  label: string;
  description: string | null;
  position: Generated<number>;
  built_in: Generated<boolean>;
  retired_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface ActivityTable {
  id: Generated<number>;
  type_code: string;
  title: string;
  network_id: number | null;
  start_on: DateCol;
  end_on: DateCol;
  recurrence: Generated<string>;
  occurrences: Generated<number>;
  hours_each: number | null;
  focus: string | null;
  outcome_notes: string | null;
  evidence: Generated<string[]>;
  source: Generated<string>;
  recorded_by: number | null;
  recorded_at: Timestamp;
  updated_by: number | null;
  updated_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by: number | null;
}

export interface ActivitySchoolTable {
  activity_id: number;
  school_id: number;
  direction: string;
  levels: Generated<number>;
}

export interface ActivityStaffTable {
  activity_id: number;
  school_id: number;
  level: string;
  people: number;
}

export interface TieTable {
  school_a: number;
  school_b: number;
  computed_on: DateCol;
  first_contact: DateCol;
  last_contact: DateCol;
  contacts: number;
  activities: number;
  hours: number;
  types: number;
  levels: number;
  a_to_b: number;
  b_to_a: number;
  recent_contacts: number;
  recent_hours: number;
  recent_types: number;
  recent_levels: number;
  recent_a_to_b: number;
  recent_b_to_a: number;
  strength: number;
  class: string;
  long_standing: boolean;
}

export interface ActivityTables {
  activity_type: ActivityTypeTable;
  activity: ActivityTable;
  activity_school: ActivitySchoolTable;
  activity_staff: ActivityStaffTable;
  tie: TieTable;
}
