import type { ColumnType, Generated } from 'kysely';
import type { Instrument } from '../../../common/instruments.ts';

/** Kysely's view of migrations/0008_surveys.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd
type Json<T> = ColumnType<T, string, string>;

/** A stored answer: ticked (endorse), the option's value (scale) or the text written (text). */
export type AnswerValue = true | number | string;

export interface SurveyWaveTable {
  id: Generated<number>;
  network_id: number;
  title: string;
  instrument_id: string;
  instrument_version: number;
  instrument: Json<Instrument>;
  status: Generated<string>;
  closes_on: DateCol;
  hide_stage_labels: Generated<boolean>;
  min_cell: Generated<number>;
  opened_on: DateCol | null;
  closed_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface SurveyWaveSchoolTable {
  wave_id: number;
  school_id: number;
}

export interface SurveyInvitationTable {
  id: Generated<number>;
  wave_id: number;
  kind: string;
  school_id: number | null;
  role: string | null;
  label: string | null;
  capacity: number;
  returned: Generated<number>;
  last_returned_on: DateCol | null;
  reminders: Generated<number>;
  last_reminded_on: DateCol | null;
  revoked_on: DateCol | null;
  created_by: number | null;
  created_on: DateCol;
}

export interface SurveyTokenTable {
  token_hash: string;
  invitation_id: number;
  issued_on: DateCol;
}

export interface SurveyReminderTable {
  id: Generated<number>;
  wave_id: number;
  reminded_on: DateCol;
  invitations: number;
  note: string | null;
  recorded_by: number | null;
}

export interface SurveyResponseTable {
  id: Generated<string>;
  wave_id: number;
  school_id: number;
  role: string;
  channel: string;
  answers: Json<Record<string, AnswerValue>>;
}

export interface SurveySubmissionTable {
  wave_id: number;
  key_hash: string;
}

export interface SurveyInterviewTable {
  id: Generated<number>;
  wave_id: number;
  school_id: number | null;
  title: string;
  body: string;
  held_on: DateCol | null;
  recorded_by: number | null;
  created_at: Timestamp;
}

export interface SurveyCodingTable {
  id: Generated<number>;
  interview_id: number;
  strand_code: string;
  start_at: number;
  end_at: number;
  comment: string | null;
  coded_by: number | null;
  created_at: Timestamp;
  removed_by: number | null;
  removed_at: Timestamp | null;
}

export interface SurveyTables {
  survey_wave: SurveyWaveTable;
  survey_wave_school: SurveyWaveSchoolTable;
  survey_invitation: SurveyInvitationTable;
  survey_token: SurveyTokenTable;
  survey_reminder: SurveyReminderTable;
  survey_response: SurveyResponseTable;
  survey_submission: SurveySubmissionTable;
  survey_interview: SurveyInterviewTable;
  survey_coding: SurveyCodingTable;
}
