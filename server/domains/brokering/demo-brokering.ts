import { type Kysely, sql } from 'kysely';
import { rankCandidates } from '../../../analytics/brokering/index.ts';
import type { Role } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';
import { loadActor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { type DemoAccount, demoFederation, demoPassword } from '../access/demo-accounts.ts';
import { hashPassword } from '../access/passwords.ts';
import { memberOn, schoolOpenOn } from '../access/scope.ts';
import { buildBase, forRequester, requesterFacts } from './candidates.ts';
import { raiseRequest } from './casework.service.ts';
import { changeOffer, declareAffiliations, declareOffer, declarePriority } from './profile.service.ts';
import { loadRegister } from './strengths.ts';

/**
 * The demo of brokered support (docs/brokering.md, "Demo"), through the domain's own services:
 *
 * - **A broker**: `broker@trellis.demo` (Jordan Blake), honest broker of the demo federation,
 *   who has declared one affiliation (a former post at a school of another authority, tied to
 *   neither demo school). The demo coordinator also declares that they are employed by the
 *   federation, so when they broker a federation school's request the check flags them.
 * - **A supporter**: `supporter@trellis.demo` (Hannah Carter), head teacher of the school that
 *   ranks first (outside the federation) for a maths request from the demo head's school; the
 *   school offers maths support (10 days a term), so for a maths request by the demo head it
 *   is at or near the top of the ranking and its leader answers the introduction.
 * - **Offers**: the demo teacher (Grace Okafor) offers reading coaching (4 days a term); two
 *   named staff of other strong schools offer maths and SEND support.
 * - **Priorities**: the demo head's school declares SEND and maths priorities.
 * - **An open request** from the demo head's school for SEND training (not maths, so a browser
 *   test may raise a maths request: one live request per school and area).
 *
 * Idempotent: does nothing once broker@trellis.demo exists, or without the demo accounts.
 */
export type DemoBrokering = { accounts: DemoAccount[]; requestId: number; supporterSchoolId: number };

type Person = { id: number; name: string };

async function personByEmail(db: Kysely<DB>, email: string): Promise<Person | null> {
  const p = await db.selectFrom('person').select(['id', 'name']).where('email', '=', email).executeTakeFirst();
  return p ? { id: Number(p.id), name: p.name } : null;
}

async function schoolOf(db: Kysely<DB>, personId: number): Promise<number | null> {
  const p = await db.selectFrom('post').select('school_id').where('person_id', '=', personId).where('school_id', 'is not', null).orderBy('id').executeTakeFirst();
  return p?.school_id == null ? null : Number(p.school_id);
}

async function addPerson(db: Kysely<DB>, p: { name: string; email: string; role: Role; schoolId?: number; networkId?: number; password: string | null }): Promise<number> {
  const person = await db.insertInto('person').values({ name: p.name, email: p.email, password_hash: p.password }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('post')
    .values({ person_id: person.id, role: p.role, school_id: p.schoolId ?? null, network_id: p.networkId ?? null, from_on: '2024-09-01' })
    .execute();
  await audit(db, { personId: null, action: 'post.grant', resourceType: 'person', resourceId: Number(person.id), detail: { role: p.role, through: 'demo' } });
  return Number(person.id);
}

export async function seedDemoBrokering(db: Kysely<DB>, today: string): Promise<DemoBrokering | null> {
  if (await personByEmail(db, 'broker@trellis.demo')) return null;
  const federation = await demoFederation(db, today);
  const head = await personByEmail(db, 'head@trellis.demo');
  const teacher = await personByEmail(db, 'teacher@trellis.demo');
  const coordinator = await personByEmail(db, 'coordinator@trellis.demo');
  if (!federation || !head || !teacher || !coordinator) return null;
  const a = await schoolOf(db, head.id);
  const b = await schoolOf(db, teacher.id);
  if (a === null || b === null) return null;
  const ctx = { db, today: () => today };
  const actor = async (id: number) => (await loadActor(db, id, today, null))!;

  // The school that ranks first for a maths request from A, outside the federation.
  const reg = await loadRegister(db, today);
  const members = new Set(
    (await sql<{ school_id: number }>`select m.school_id from membership m where m.network_id = ${federation.id} and ${memberOn('m', today)}`.execute(db)).rows.map((r) => Number(r.school_id)),
  );
  const base = await buildBase(db, reg, 'maths', today);
  const { request, table } = forRequester(base, reg, { schoolId: a, daysNeeded: 3, conflicts: [] }, await requesterFacts(db, a, today));
  const ranked = rankCandidates(request, table, { limit: 200, excludedSample: 0 }).ranked;
  let supporterSchool = ranked.find((c) => !members.has(c.schoolId) && base.offer[c.row] === null)?.schoolId;
  if (supporterSchool === undefined) {
    const fallback = await sql<{ id: number }>`
      select s.id from school s where ${schoolOpenOn('s', today)} and s.phase = (select phase from school where id = ${a})
        and s.id <> all(${[...members]}::bigint[]) order by lower(s.name), s.id limit 1`.execute(db);
    supporterSchool = fallback.rows[0] ? Number(fallback.rows[0].id) : undefined;
  }
  if (supporterSchool === undefined) return null;
  // Two more strong schools (next in the ranking, outside the federation) for named staff offers.
  const others = ranked.filter((c) => !members.has(c.schoolId) && c.schoolId !== supporterSchool && base.offer[c.row] === null).slice(0, 2).map((c) => c.schoolId);
  const elsewhere = await sql<{ id: number }>`
    select s.id from school s where ${schoolOpenOn('s', today)} and s.la_name is distinct from (select la_name from school where id = ${a})
    order by lower(s.name), s.id limit 1`.execute(db);

  const passwordHash = await hashPassword(demoPassword);
  const brokerId = await addPerson(db, { name: 'Jordan Blake', email: 'broker@trellis.demo', role: 'honest_broker', networkId: federation.id, password: passwordHash });
  const supporterId = await addPerson(db, { name: 'Hannah Carter', email: 'supporter@trellis.demo', role: 'head_teacher', schoolId: supporterSchool, password: passwordHash });
  const [mathsLead, sendLead] = [
    others[0] !== undefined ? await addPerson(db, { name: 'Sara Lindqvist', email: `maths.lead.${others[0]}@trellis.demo`, role: 'middle_leader', schoolId: others[0], password: null }) : null,
    others[1] !== undefined ? await addPerson(db, { name: 'Ben Adeyemi', email: `send.lead.${others[1]}@trellis.demo`, role: 'senior_leader', schoolId: others[1], password: null }) : null,
  ];

  const broker = await actor(brokerId);
  await declareAffiliations(ctx, broker, {
    affiliations: elsewhere.rows[0] ? [{ schoolId: Number(elsewhere.rows[0].id), kind: 'former', note: 'Deputy head there until 2021' }] : [],
  });
  await declareAffiliations(ctx, await actor(coordinator.id), { affiliations: [{ networkId: federation.id, kind: 'employed', note: 'Employed by the federation as its coordinator' }] });

  const supporter = await actor(supporterId);
  await declareOffer(ctx, supporter, {
    schoolId: supporterSchool,
    personId: null,
    focusArea: 'maths',
    kinds: ['mentoring_coaching', 'joint_practice_development', 'leadership_support'],
    capacityDays: 10,
    note: 'Our maths lead and two teachers coach colleagues in reasoning and fluency; we have worked with three schools in the last two years.',
  });
  const reading = await declareOffer(ctx, await actor(teacher.id), {
    schoolId: b,
    focusArea: 'reading',
    kinds: ['mentoring_coaching'],
    capacityDays: 4,
    note: 'Year 2 phonics and early reading: I lead our reading catch-up programme.',
  });
  // A teacher's offer waits for a school leader; the demo has none at B, so the administrator
  // approves it, as they make the named staff's offers on the other schools' behalf.
  const admin = await personByEmail(db, 'admin@trellis.demo');
  if (admin) {
    const adminActor = await actor(admin.id);
    await changeOffer(ctx, adminActor, reading.id, { status: 'active' });
    if (mathsLead !== null && others[0] !== undefined) {
      await declareOffer(ctx, adminActor, { schoolId: others[0], personId: mathsLead, focusArea: 'maths', kinds: ['mentoring_coaching', 'training'], capacityDays: 6, note: 'Maths lead; runs the mastery work group of the local maths hub.' });
    }
    if (sendLead !== null && others[1] !== undefined) {
      await declareOffer(ctx, adminActor, { schoolId: others[1], personId: sendLead, focusArea: 'send', kinds: ['training', 'mentoring_coaching'], capacityDays: 5, note: 'SENCo; trains staff in adaptive teaching for pupils with SEND.' });
    }
  }

  const headActor = await actor(head.id);
  await declarePriority(ctx, headActor, a, { focusArea: 'send', note: 'More pupils with SEND are joining us; our staff need confidence in adaptive teaching.' });
  await declarePriority(ctx, headActor, a, { focusArea: 'maths', note: 'Reasoning in upper key stage 2.' });
  const raised = await raiseRequest(ctx, headActor, {
    schoolId: a,
    focusArea: 'send',
    kind: 'training',
    daysNeeded: 2,
    terms: 2,
    description: 'Training for our teaching assistants and class teachers in adaptive teaching for pupils with SEND, followed by coaching in class.',
    goals: [],
    conflicts: [],
  });
  const [school] = reg.schools.filter((s) => s.id === supporterSchool);
  return {
    accounts: [
      { email: 'broker@trellis.demo', name: 'Jordan Blake', role: 'honest_broker', place: federation.name },
      { email: 'supporter@trellis.demo', name: 'Hannah Carter', role: 'head_teacher', place: school?.name ?? '' },
    ],
    requestId: raised.id,
    supporterSchoolId: supporterSchool,
  };
}
