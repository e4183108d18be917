import { type RawBuilder, sql } from 'kysely';
import type { DataClass } from '../../../common/access.ts';
import { type Actor, isAdmin, laNamesOf, networkIdsWith, ownSchoolIds } from './actor.ts';

/**
 * SQL: the membership row `m` (an alias) holds on `on`: joined by then (or since before our
 * records) and not yet left. The one spelling of "a member today" for raw queries.
 */
export const memberOn = (m: string, on: string) =>
  sql<boolean>`(${sql.ref(`${m}.joined_on`)} is null or ${sql.ref(`${m}.joined_on`)} <= ${on}::date) and (${sql.ref(`${m}.left_on`)} is null or ${sql.ref(`${m}.left_on`)} > ${on}::date)`;

/**
 * SQL: the school row `s` (an alias) is open on `on`: not closed by then, and not marked closed
 * without a date (the register has some).
 */
export const schoolOpenOn = (s: string, on: string) =>
  sql<boolean>`(${sql.ref(`${s}.status`)} <> 'closed' or ${sql.ref(`${s}.closed_on`)} > ${on}::date) and (${sql.ref(`${s}.closed_on`)} is null or ${sql.ref(`${s}.closed_on`)} > ${on}::date)`;

/**
 * The schools whose `dataClass` data the actor may read, as SQL (`select id from school …`), so
 * that list queries filter in the database and a single-school check runs the same rule:
 * - platform administrators: every school;
 * - anyone holding a post in the school (leaders, staff, governors): their school;
 * - local-authority officers: the schools of their authority (not their staff survey results);
 * - trust officers: the schools that are members of their trust today (not their staff survey
 *   results: the trust is the employer);
 * - partners: a school that is a member of network N today **and has decided to share this
 *   class of data with N** is visible to the coordinators and honest brokers of N and to
 *   everyone holding a post in another school that is a member of N today.
 * Researchers see no school's rows, only aggregates (see policy.ts). Everything else: nothing.
 */
export function visibleSchools(actor: Actor, dataClass: DataClass): RawBuilder<{ id: number }> {
  if (isAdmin(actor)) return sql<{ id: number }>`select s.id from school s`;
  const own = ownSchoolIds(actor);
  // Staff survey answers are not shared with the local authority or the employer (the trust):
  // the case study promised staff as much, so for survey results only consent counts.
  const employerSees = dataClass !== 'survey_results';
  const las = employerSees ? laNamesOf(actor) : [];
  const trusts = employerSees ? networkIdsWith(actor, ['trust_officer']) : [];
  const led = networkIdsWith(actor, ['network_coordinator', 'honest_broker']);
  const today = actor.today;
  const current = (m: string) => memberOn(m, today);
  return sql<{ id: number }>`
    select s.id from school s
    where s.id = any(${own}::bigint[])
       or lower(s.la_name) = any(${las}::text[])
       or exists (select 1 from membership m where m.school_id = s.id and m.network_id = any(${trusts}::bigint[]) and ${current('m')})
       or exists (
            select 1 from membership m
            join consent_current c on c.school_id = m.school_id and c.network_id = m.network_id and c.data_class = ${dataClass} and c.shared
            where m.school_id = s.id and ${current('m')}
              and (m.network_id = any(${led}::bigint[])
                   or exists (select 1 from membership mine where mine.network_id = m.network_id and mine.school_id = any(${own}::bigint[]) and ${current('mine')})))`;
}

/** Events of the audit log the actor may read: all for administrators, else their schools' (as leaders). */
export function auditSchoolScope(actor: Actor, leaderSchoolIds: number[]): RawBuilder<boolean> {
  if (isAdmin(actor)) return sql<boolean>`true`;
  return sql<boolean>`audit_event.school_id = any(${leaderSchoolIds}::bigint[])`;
}
