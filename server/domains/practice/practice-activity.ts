import type { Transaction } from 'kysely';
import type { Direction, StaffLevel } from '../../../common/activities.ts';
import type { Role } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';
// The collaboration record's writer and tie recomputation, used inside this domain's own
// transactions so a visit, a cycle or a meeting and its activity record commit together.
// activities/index.ts does not export them (yet); these are the functions its own service uses.
import { auditActivity, insertActivity } from '../activities/activities.repository.ts';
import { pairsAmong, recomputePairs } from '../activities/ties.service.ts';

/**
 * Reviews, JPD cycles and community meetings are collaboration: each writes an activity record
 * (docs/activities.md) with the built-in type that names it, so ties, participation and the
 * network analysis include them without knowing this domain exists.
 */

export type PracticeActivity = {
  type: string;
  title: string;
  networkId: number | null;
  startOn: string;
  endOn: string;
  focus: string | null;
  outcomeNotes: string | null;
  /** Where the record came from, e.g. "/peer-reviews/12" (the activity's evidence list). */
  source: string;
  schools: { schoolId: number; direction: Direction; staff: Partial<Record<StaffLevel, number>> }[];
};

/** The staff level a post counts at in an activity's head count. */
export const levelOfRole = (role: Role | string): StaffLevel => {
  switch (role) {
    case 'head_teacher':
      return 'heads';
    case 'senior_leader':
      return 'senior_leaders';
    case 'middle_leader':
      return 'middle_leaders';
    case 'support_staff':
      return 'support_staff';
    case 'governor':
      return 'governors';
    default:
      return 'teachers';
  }
};

/** Adds one person at `level` to a school's head count. */
export function countPerson(staff: Partial<Record<StaffLevel, number>>, level: StaffLevel): void {
  staff[level] = (staff[level] ?? 0) + 1;
}

const clip = (s: string | null, max: number) => (s === null ? null : s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * Writes the activity, recomputes the ties of every pair of its schools as of `today`, and
 * audits it per school, in the caller's transaction. Returns the activity's id.
 */
export async function recordPracticeActivity(trx: Transaction<DB>, a: PracticeActivity, personId: number | null, today: string): Promise<number> {
  const id = await insertActivity(
    trx,
    {
      type_code: a.type,
      title: clip(a.title, 200)!,
      network_id: a.networkId,
      start_on: a.startOn,
      end_on: a.endOn < a.startOn ? a.startOn : a.endOn,
      recurrence: 'once',
      occurrences: 1,
      hours_each: null,
      focus: clip(a.focus, 200),
      outcome_notes: clip(a.outcomeNotes, 5000),
      evidence: [a.source],
    },
    a.schools.map((s) => ({ schoolId: s.schoolId, direction: s.direction, staff: s.staff })),
    { personId, source: 'api' },
  );
  await recomputePairs(trx, pairsAmong(a.schools.map((s) => s.schoolId)), today);
  for (const s of a.schools) {
    await auditActivity(trx, { personId, action: 'activity.record', resourceType: 'activity', resourceId: id, schoolId: s.schoolId, networkId: a.networkId, detail: { type: a.type, from: a.source } });
  }
  return id;
}
