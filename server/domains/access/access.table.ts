import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of migrations/0004_access.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = string; // ISO yyyy-mm-dd
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export interface PersonTable {
  id: Generated<number>;
  name: string;
  email: string;
  password_hash: string | null;
  disabled_at: Timestamp | null;
  created_at: Timestamp;
}

export interface PostTable {
  id: Generated<number>;
  person_id: number;
  role: string;
  school_id: number | null;
  network_id: number | null;
  la_name: string | null;
  from_on: DateCol;
  to_on: DateCol | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface SessionTable {
  id: string;
  person_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface InvitationTable {
  id: Generated<number>;
  token_hash: string;
  purpose: 'invite' | 'setup' | 'reset';
  email: string;
  name: string | null;
  role: string | null;
  school_id: number | null;
  network_id: number | null;
  la_name: string | null;
  invited_by: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: number | null;
  revoked_at: Timestamp | null;
}

export interface ConsentDecisionTable {
  id: Generated<number>;
  school_id: number;
  network_id: number;
  data_class: string;
  shared: boolean;
  decided_by: number;
  decided_at: Timestamp;
  note: string | null;
}

export interface ConsentCurrentView {
  id: number;
  school_id: number;
  network_id: number;
  data_class: string;
  shared: boolean;
  decided_by: number;
  decided_at: Date;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  person_id: number | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  school_id: number | null;
  network_id: number | null;
  detail: Json<Record<string, unknown>>;
  ip: string | null;
}

export interface AccessTables {
  person: PersonTable;
  post: PostTable;
  session: SessionTable;
  invitation: InvitationTable;
  consent_decision: ConsentDecisionTable;
  consent_current: ConsentCurrentView;
  audit_event: AuditEventTable;
}
