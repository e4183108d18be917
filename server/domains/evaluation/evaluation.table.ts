import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0009_evaluation.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface PupilUploadTable {
  id: Generated<number>;
  file_name: string;
  rows: number;
  schools: number[];
  uploaded_by: number | null;
  uploaded_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface PupilResultTable {
  upload_id: number;
  school_id: number;
  pupil_ref: string;
  academic_year: string;
  subject: string;
  score: number;
  sex: string | null;
  age_months: number | null;
  fsm: boolean | null;
  sen: boolean | null;
}

export interface EvaluationTable {
  id: Generated<number>;
  title: string;
  network_id: number | null;
  spec: Json<unknown>;
  report: Json<unknown>;
  run_ms: number;
  created_by: number | null;
  created_at: Timestamp;
}

export interface EvaluationTables {
  pupil_upload: PupilUploadTable;
  pupil_result: PupilResultTable;
  evaluation: EvaluationTable;
}
