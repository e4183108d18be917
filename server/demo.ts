import { type Kysely, sql } from 'kysely';
import type { DB } from './db/database.ts';
import { type DemoAccount, seedDemoAccounts } from './domains/access/demo-accounts.ts';
import { memberOn, schoolOpenOn } from './domains/access/scope.ts';
import { seedDemoActivities } from './domains/activities/index.ts';
import { seedDemoBrokering } from './domains/brokering/index.ts';
import { seedDemoPartnerships } from './domains/partnerships/index.ts';
import { seedDemoPractice } from './domains/practice/index.ts';
import { demoLocalAuthorities, loadDemo } from './domains/registry/demo.ts';

/**
 * The demo world a newcomer sees on first start, in order: the real schools and networks of the
 * demo region (the public files, through the real importers), the demo accounts around one real
 * federation, partnership plans for two networks, and a seeded year of activity. Used by
 * `npm start` on an empty database, `trellis demo` and the browser tests. Each step is
 * idempotent.
 */
export async function loadDemoWorld(
  db: Kysely<DB>,
  sharedData: string,
  today: string,
  options: { localAuthorities?: readonly string[]; log?: (line: string) => void } = {},
): Promise<{ accounts: DemoAccount[] }> {
  const log = options.log ?? (() => {});
  await loadDemo(db, sharedData, { localAuthorities: options.localAuthorities ?? demoLocalAuthorities, log });
  const accounts = await seedDemoAccounts(db, today);
  const plans = await seedDemoPartnerships(db, today);
  if (plans.length > 0) log(`demo partnerships: ${plans.map((p) => p.name).join(', ')}`);
  const activity = await seedDemoActivities(db, today);
  if (activity.activities > 0) {
    log(`demo activity: ${activity.activities} activities, ${activity.ties} ties in ${activity.networks.join(', ')}`);
    const shared = await shareDemoActivityRecords(db, today);
    log(`demo sharing: ${shared} schools share their activity records with their network (one per network does not)`);
  }
  const practice = await seedDemoPractice(db, today);
  if (practice) {
    log(`demo practice: peer review ${practice.reviewId}, JPD project ${practice.projectId}, practices ${practice.practiceIds.join(', ')}, community ${practice.communityId}`);
    accounts.push(practice.account);
  }
  const brokering = await seedDemoBrokering(db, today);
  if (brokering) {
    log(`demo brokering: open support request ${brokering.requestId}; supporter school ${brokering.supporterSchoolId}`);
    accounts.push(...brokering.accounts);
  }
  // PGlite runs no autovacuum: give the planner statistics for the tables just filled.
  await sql`analyze`.execute(db);
  return { accounts };
}

/**
 * In each network that has demo activity, every open member school whose head is known shares
 * its activity records with the network, decided by that head, except the last one by name, so
 * that the demo shows a school that does not share (redacted) as well. Idempotent.
 */
async function shareDemoActivityRecords(db: Kysely<DB>, today: string): Promise<number> {
  const rows = await sql<{ school_id: number; network_id: number; head_id: number | null; last: boolean }>`
    select m.school_id, m.network_id,
           (select p.person_id from post p where p.school_id = m.school_id and p.role = 'head_teacher' order by p.id limit 1) as head_id,
           row_number() over (partition by m.network_id order by lower(s.name) desc, s.id desc) = 1 as last
    from membership m join school s on s.id = m.school_id and ${schoolOpenOn('s', today)}
    where ${memberOn('m', today)}
      and exists (select 1 from activity_school a join activity act on act.id = a.activity_id where act.network_id = m.network_id)
      and not exists (select 1 from consent_decision c where c.school_id = m.school_id and c.network_id = m.network_id and c.data_class = 'activity_records')`.execute(db);
  const decisions = rows.rows.filter((r) => !r.last && r.head_id !== null);
  for (const r of decisions) {
    await db
      .insertInto('consent_decision')
      .values({ school_id: r.school_id, network_id: r.network_id, data_class: 'activity_records', shared: true, decided_by: r.head_id!, note: 'Demo: shared with the network' })
      .execute();
  }
  return decisions.length;
}
