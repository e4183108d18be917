import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';

/** The events the audit log records. */
export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_in_throttled'
  | 'auth.sign_out'
  | 'auth.sign_out_everywhere'
  | 'auth.password_set'
  | 'invitation.create'
  | 'invitation.accept'
  | 'post.grant'
  | 'post.end'
  | 'person.disable'
  | 'consent.change'
  | 'export.schools'
  | 'export.memberships'
  | 'import.run'
  | 'partnership.form' | 'partnership.stage' | 'partnership.agreement' | 'partnership.sign' | 'partnership.ending'
  | 'activity.record'
  | 'activity.update'
  | 'activity.withdraw'
  | 'activity.import'
  | 'activity_type.add'
  | 'activity_type.change'
  | 'survey.wave_create'
  | 'survey.wave_open'
  | 'survey.wave_close'
  | 'survey.invite'
  | 'survey.remind'
  | 'survey.paper'
  | 'peer_review.create'
  | 'peer_review.stage'
  | 'peer_review.team'
  | 'peer_review.actions'
  | 'jpd.create'
  | 'jpd.cycle'
  | 'practice.publish'
  | 'practice.withdraw'
  | 'practice.lineage'
  | 'community.create'
  | 'community.meeting'
  | 'pupil_results.upload'
  | 'pupil_results.withdraw'
  | 'evaluation.run'
  | 'brokering.priority'
  | 'brokering.offer'
  | 'brokering.affiliations'
  | 'brokering.request'
  | 'brokering.rank'
  | 'brokering.allocate'
  | 'brokering.stage'
  | 'brokering.introduce'
  | 'brokering.answer'
  | 'read.sensitive';

export type AuditEntry = {
  personId: number | null;
  action: AuditAction;
  resourceType?: string;
  resourceId?: string | number;
  schoolId?: number | null;
  networkId?: number | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
};

/** Appends one event (the table refuses updates and deletes). */
export async function audit(db: Kysely<DB> | Transaction<DB>, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      person_id: e.personId,
      action: e.action,
      resource_type: e.resourceType ?? null,
      resource_id: e.resourceId === undefined ? null : String(e.resourceId),
      school_id: e.schoolId ?? null,
      network_id: e.networkId ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      ip: e.ip ?? null,
    })
    .execute();
}
