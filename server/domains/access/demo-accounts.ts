import { type Kysely, sql } from 'kysely';
import type { Role } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';
import { audit } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { memberOn, schoolOpenOn } from './scope.ts';

/** Every demo account's password (documented in README; the demo is for trying Trellis out). */
export const demoPassword = 'trellis-demo-2026';

export type DemoAccount = { email: string; name: string; role: Role; place: string };

/**
 * The demo's federation: the federation with the most open members today whose schools have
 * results (ties: by name). The one choice the demo accounts, partnership plans and activity
 * generator share.
 */
export async function demoFederation(db: Kysely<DB>, today: string): Promise<{ id: number; name: string } | null> {
  const r = await sql<{ id: number; name: string }>`
    select n.id, n.name from network n
    join membership m on m.network_id = n.id and ${memberOn('m', today)}
    join school s on s.id = m.school_id and ${schoolOpenOn('s', today)}
    where n.kind = 'federation' and exists (select 1 from ks2_result r where r.urn = s.urn)
    group by n.id, n.name having count(*) >= 2
    order by count(*) desc, n.name limit 1`.execute(db);
  const f = r.rows[0];
  return f ? { id: Number(f.id), name: f.name } : null;
}

/**
 * A few realistic accounts around one real federation of the demo region: the federation with
 * the most members today whose schools have results (ties: by name). Its first member school
 * (by name) shares its outcomes with the federation, so partners see them until it stops.
 * Does nothing when the accounts exist already or no such federation is loaded.
 */
export async function seedDemoAccounts(db: Kysely<DB>, today: string): Promise<DemoAccount[]> {
  if (await db.selectFrom('person').select('id').where('email', '=', 'admin@trellis.demo').executeTakeFirst()) return [];
  const f = await demoFederation(db, today);
  if (!f) return [];
  const members = await sql<{ id: number; name: string; la_name: string | null }>`
    select s.id, s.name, s.la_name from membership m join school s on s.id = m.school_id
    where m.network_id = ${f.id} and ${memberOn('m', today)}
      and ${schoolOpenOn('s', today)}
    order by lower(s.name), s.id limit 2`.execute(db);
  const [a, b] = members.rows;
  if (!a || !b) return [];
  const la = a.la_name ?? 'Devon';
  const plan: (DemoAccount & { scope: { school_id?: number; network_id?: number; la_name?: string } })[] = [
    { email: 'admin@trellis.demo', name: 'Alex Morgan', role: 'platform_admin', place: 'Trellis', scope: {} },
    { email: 'coordinator@trellis.demo', name: 'Priya Shah', role: 'network_coordinator', place: f.name, scope: { network_id: f.id } },
    { email: 'head@trellis.demo', name: 'Tom Hughes', role: 'head_teacher', place: a.name, scope: { school_id: a.id } },
    { email: 'teacher@trellis.demo', name: 'Grace Okafor', role: 'teacher', place: b.name, scope: { school_id: b.id } },
    { email: 'officer@trellis.demo', name: 'Sam Patel', role: 'la_officer', place: la, scope: { la_name: la } },
    { email: 'researcher@trellis.demo', name: 'Dr Ruth Evans', role: 'researcher', place: f.name, scope: { network_id: f.id } },
  ];
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction().execute(async (trx) => {
    let headId = 0;
    for (const p of plan) {
      const person = await trx.insertInto('person').values({ name: p.name, email: p.email, password_hash: passwordHash }).returning('id').executeTakeFirstOrThrow();
      await trx
        .insertInto('post')
        .values({ person_id: person.id, role: p.role, school_id: p.scope.school_id ?? null, network_id: p.scope.network_id ?? null, la_name: p.scope.la_name ?? null, from_on: '2024-09-01' })
        .execute();
      await audit(trx, { personId: null, action: 'post.grant', resourceType: 'person', resourceId: Number(person.id), detail: { role: p.role, through: 'demo' } });
      if (p.role === 'head_teacher') headId = Number(person.id);
    }
    await trx.insertInto('consent_decision').values({ school_id: a.id, network_id: f.id, data_class: 'outcomes', shared: true, decided_by: headId, note: 'Demo: shared with the federation' }).execute();
    await audit(trx, { personId: headId, action: 'consent.change', resourceType: 'school', resourceId: a.id, schoolId: a.id, networkId: f.id, detail: { dataClass: 'outcomes', shared: true } });
  });
  return plan.map(({ scope: _scope, ...p }) => p);
}
