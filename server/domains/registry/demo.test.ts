import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { demoPassword, seedDemoAccounts } from '../access/demo-accounts.ts';
import { verifyPassword } from '../access/passwords.ts';
import { can } from '../access/policy.ts';
import { demoLocalAuthorities, loadDemo } from './demo.ts';
import { seedDemoActivities } from '../activities/demo-activities.ts';

let h: DatabaseHandle;
const today = '2026-11-23';

beforeAll(async () => {
  h = await testDatabase();
  await loadDemo(h.db, sharedData(''));
}, 120_000);
afterAll(async () => h.close());

const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(h.db)).rows[0]!.n);

describe('the demo region', () => {
  it('holds only the real schools of its local authorities, with their federations and places', async () => {
    const las = (await sql<{ la_name: string }>`select distinct la_name from school order by 1`.execute(h.db)).rows.map((r) => r.la_name);
    expect(las).toEqual([...demoLocalAuthorities].sort());
    expect(await count(sql`select count(*)::int as n from school`)).toBeGreaterThan(1500);
    expect(await count(sql`select count(*)::int as n from network where kind = 'federation'`)).toBeGreaterThan(40);
    expect(await count(sql`select count(*)::int as n from membership`)).toBeGreaterThan(150);
    expect(await count(sql`select count(*)::int as n from school where latitude is not null and status = 'open'`)).toBeGreaterThan(600);
    expect(await count(sql`select count(*)::int as n from ks2_result`)).toBeGreaterThan(2000);
  });

  it('seeds accounts around a real federation, once, where the partner sees what the head shares', async () => {
    const accounts = await seedDemoAccounts(h.db, today);
    expect(accounts.map((a) => a.role)).toEqual(['platform_admin', 'network_coordinator', 'head_teacher', 'teacher', 'la_officer', 'researcher']);
    expect(await seedDemoAccounts(h.db, today)).toEqual([]);
    const person = (email: string) => h.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    const head = await person('head@trellis.demo');
    expect(await verifyPassword(head.password_hash, demoPassword)).toBe(true);
    const headActor = (await loadActor(h.db, head.id, today, null))!;
    const schoolA = headActor.posts[0]!.schoolId!;
    const teacher = (await loadActor(h.db, (await person('teacher@trellis.demo')).id, today, null))!;
    const researcher = (await loadActor(h.db, (await person('researcher@trellis.demo')).id, today, null))!;
    expect(await can(h, teacher, 'school.data.read', { schoolId: schoolA, dataClass: 'outcomes' })).toBe(true);
    expect(await can(h, researcher, 'school.data.read', { schoolId: schoolA, dataClass: 'outcomes' })).toBe(false);
    expect(await can(h, teacher, 'school.data.read', { schoolId: schoolA, dataClass: 'survey_results' })).toBe(false);
  });

  it('carries a year of collaboration for the demo federation and two more networks, the same every time (activities/demo-activities.ts)', async () => {
    const first = await seedDemoActivities(h.db, today);
    const coordinated = await sql<{ name: string }>`select n.name from post p join person on person.id = p.person_id join network n on n.id = p.network_id where person.email = 'coordinator@trellis.demo'`.execute(h.db);
    expect(first.networks[0]).toBe(coordinated.rows[0]!.name);
    expect(first.networks).toHaveLength(3);
    expect(first.activities).toBeGreaterThan(80);
    expect(await seedDemoActivities(h.db, today)).toEqual({ networks: [], activities: 0, ties: 0 });
    // Every network has activity in the twelve months before today, between real schools of the region.
    const recent = await sql<{ n: number }>`select count(distinct network_id)::int as n from activity where start_on > (${today}::date - 365) and network_id is not null`.execute(h.db);
    expect(recent.rows[0]!.n).toBe(3);
    expect(await count(sql`select count(*)::int as n from activity_school s join school sc on sc.id = s.school_id where sc.la_name <> all(${[...demoLocalAuthorities]}::text[])`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from activity where start_on > ${today}::date`)).toBe(0);
    // A mix of ties: strong and weak inside networks, long-standing ones, and a dormant one outside.
    const classes = await sql<{ class: string; long_standing: boolean; n: number }>`select class, long_standing, count(*)::int as n from tie group by 1, 2`.execute(h.db);
    const total = (f: (r: { class: string; long_standing: boolean }) => boolean) => classes.rows.filter(f).reduce((n, r) => n + r.n, 0);
    expect(total((r) => r.class === 'strong')).toBeGreaterThan(5);
    expect(total((r) => r.class === 'weak')).toBeGreaterThan(5);
    expect(total((r) => r.class === 'dormant')).toBeGreaterThan(0);
    expect(total((r) => r.long_standing)).toBeGreaterThan(5);
    // Seeded: removed and generated again, it is the same record.
    const fingerprint = async () =>
      (await sql<{ f: string }>`select a.type_code || ' ' || a.title || ' ' || a.start_on || ' ' || a.occurrences || ' ' || string_agg(s.school_id || s.direction || s.levels, ',' order by s.school_id) as f
        from activity a join activity_school s on s.activity_id = a.id group by a.id order by a.start_on, a.title, f`.execute(h.db)).rows.map((r) => r.f);
    const before = await fingerprint();
    await h.db.deleteFrom('activity').execute();
    expect((await seedDemoActivities(h.db, today)).activities).toBe(first.activities);
    expect(await fingerprint()).toEqual(before);
  });
});
