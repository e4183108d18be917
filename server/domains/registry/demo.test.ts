import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { demoPassword, seedDemoAccounts } from '../access/demo-accounts.ts';
import { verifyPassword } from '../access/passwords.ts';
import { can } from '../access/policy.ts';
import { demoLocalAuthorities, loadDemo } from './demo.ts';

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
});
