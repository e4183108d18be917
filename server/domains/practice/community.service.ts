import { sql, type Transaction } from 'kysely';
import type { StaffLevel } from '../../../common/activities.ts';
import { type MeetingFrequency, meetingsPerYear } from '../../../common/partnerships.ts';
import { type CommunityKind, communityActivityType, type Participation } from '../../../common/practice.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, requireAccess } from '../access/policy.ts';
import { countPerson, levelOfRole, recordPracticeActivity } from './practice-activity.ts';
import type { Community, CommunityPatch, CommunitySummary, MemberInput, NewCommunity, NewCommunityMeeting, NewOutput, Practitioners } from './practice.schema.ts';
import { findNetwork, findPerson, membersOn, postsIn, practitionersOf } from './review.repository.ts';
import type { PracticeContext } from './review.service.ts';

/**
 * Communities of practice across a network's schools (Wenger; docs/practice.md): a domain, its
 * members with their level of participation (core, active, peripheral), a rhythm of meetings
 * (each one an activity record, so the community shows in ties and participation), and what it
 * produces. Read by the network's own people (partnership.read); changed by its members and
 * the network's coordinators; joined by any teacher or leader of a member school.
 */

const dayMs = 86_400_000;
const daysBefore = (on: string, days: number) => new Date(Date.parse(`${on}T00:00:00Z`) - days * dayMs).toISOString().slice(0, 10);
const schoolRoles = ['head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff'];

type CommunityRow = {
  id: number;
  network_id: number;
  network_name: string;
  name: string;
  kind: string;
  domain: string;
  rhythm: string;
  status: string;
  started_on: string;
  closed_on: string | null;
};

async function findCommunity(ctx: PracticeContext, id: number): Promise<CommunityRow | undefined> {
  const r = await ctx.db
    .selectFrom('community as c')
    .innerJoin('network as n', 'n.id', 'c.network_id')
    .select(['c.id', 'c.network_id', 'n.name as network_name', 'c.name', 'c.kind', 'c.domain', 'c.rhythm', 'c.status', 'c.started_on', 'c.closed_on'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  return r && { ...r, id: Number(r.id), network_id: Number(r.network_id) };
}

async function currentMember(ctx: PracticeContext, communityId: number, personId: number) {
  return ctx.db.selectFrom('community_member').selectAll().where('community_id', '=', communityId).where('person_id', '=', personId).where('left_on', 'is', null).executeTakeFirst();
}

async function loadToRead(ctx: PracticeContext, actor: Actor, id: number): Promise<CommunityRow> {
  const c = await findCommunity(ctx, id);
  if (!c) throw new NotFound(`community ${id}`);
  await requireAccess(ctx, actor, 'partnership.read', { networkId: c.network_id }, `community ${id}`);
  return c;
}

/** Its current members and the network's coordinators (and administrators) change a community. */
async function mayEdit(ctx: PracticeContext, actor: Actor, c: CommunityRow): Promise<boolean> {
  if (await currentMember(ctx, c.id, actor.personId)) return true;
  return can(ctx, actor, 'practice.work', { schoolIds: [], networkId: c.network_id });
}

async function loadToEdit(ctx: PracticeContext, actor: Actor, id: number): Promise<CommunityRow> {
  const c = await loadToRead(ctx, actor, id);
  if (!(await mayEdit(ctx, actor, c))) throw new NotFound(`community ${id}`);
  if (c.status === 'closed') throw new Conflict(`community ${id} closed on ${c.closed_on}; it is kept as a record`);
  return c;
}

async function checkMember(ctx: PracticeContext, networkId: number, m: { personId: number; schoolId: number }, path: string, on: string) {
  const members = new Set((await membersOn(ctx.db, networkId, on)).map((s) => s.id));
  if (!members.has(m.schoolId)) throw new Invalid(`${path}.schoolId`, `school ${m.schoolId} is not a member of the network today`);
  const person = await findPerson(ctx.db, m.personId);
  if (!person) throw new Invalid(`${path}.personId`, `nobody with id ${m.personId} has an active account`);
  const roles = await postsIn(ctx.db, m.personId, m.schoolId, on);
  if (!roles.some((r) => schoolRoles.includes(r))) throw new Invalid(`${path}.personId`, `${person.name} does not work at that school today`);
}

// ---------------------------------------------------------------------------------------------
// Views

async function communityView(ctx: PracticeContext, actor: Actor, c: CommunityRow): Promise<Community> {
  const today = actor.today;
  const yearAgo = daysBefore(today, 365);
  const members = await sql<{ person_id: number; name: string; school_id: number; school_name: string; participation: string; facilitator: boolean; joined_on: string; left_on: string | null; attended: number }>`
    select m.person_id::int as person_id, p.name, m.school_id::int as school_id, s.name as school_name, m.participation, m.facilitator, m.joined_on, m.left_on,
      (select count(*)::int from community_attendance a join community_meeting cm on cm.id = a.meeting_id
        where a.person_id = m.person_id and cm.community_id = m.community_id and cm.held_on > ${yearAgo}::date and cm.held_on <= ${today}::date) as attended
    from community_member m join person p on p.id = m.person_id join school s on s.id = m.school_id
    where m.community_id = ${c.id}
    order by m.left_on is not null, case m.participation when 'core' then 1 when 'active' then 2 else 3 end, lower(p.name)`.execute(ctx.db);
  const meetings = await ctx.db.selectFrom('community_meeting').selectAll().where('community_id', '=', c.id).orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  const attendance = await sql<{ meeting_id: number; person_id: number; name: string; school_name: string }>`
    select a.meeting_id::int as meeting_id, a.person_id::int as person_id, p.name, s.name as school_name
    from community_attendance a join community_meeting cm on cm.id = a.meeting_id join person p on p.id = a.person_id join school s on s.id = a.school_id
    where cm.community_id = ${c.id} order by lower(p.name)`.execute(ctx.db);
  const outputs = await sql<{ id: number; title: string; description: string | null; practice_id: number | null; practice_title: string | null; produced_on: string }>`
    select o.id::int as id, o.title, o.description, o.practice_id::int as practice_id, p.title as practice_title, o.produced_on
    from community_output o left join practice p on p.id = o.practice_id where o.community_id = ${c.id} order by o.produced_on desc, o.id desc`.execute(ctx.db);
  const held = meetings.filter((m) => m.held_on > yearAgo && m.held_on <= today).length;
  // Expected meetings in the last year, pro rata when the community is younger than a year.
  const since = c.started_on > yearAgo ? c.started_on : yearAgo;
  const span = Math.max(0, (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / dayMs);
  const expected = Math.round((meetingsPerYear[c.rhythm as MeetingFrequency] * Math.min(365, span)) / 365);
  const current = members.rows.filter((m) => m.left_on === null);
  return {
    id: c.id,
    network: { id: c.network_id, name: c.network_name },
    name: c.name,
    kind: c.kind as CommunityKind,
    domain: c.domain,
    rhythm: c.rhythm as MeetingFrequency,
    status: c.status as 'active' | 'closed',
    startedOn: c.started_on,
    closedOn: c.closed_on,
    members: members.rows.map((m) => ({
      personId: m.person_id,
      name: m.name,
      school: { schoolId: m.school_id, name: m.school_name },
      participation: m.participation as Participation,
      facilitator: m.facilitator,
      joinedOn: m.joined_on,
      leftOn: m.left_on,
      attendedLastYear: m.attended,
    })),
    meetings: meetings.map((m) => ({
      id: Number(m.id),
      heldOn: m.held_on,
      title: m.title,
      notes: m.notes,
      attendees: attendance.rows.filter((a) => a.meeting_id === Number(m.id)).map((a) => ({ personId: a.person_id, name: a.name, schoolName: a.school_name })),
      activityId: m.activity_id === null ? null : Number(m.activity_id),
    })),
    outputs: outputs.rows.map((o) => ({ id: o.id, title: o.title, description: o.description, practice: o.practice_id === null ? null : { id: o.practice_id, title: o.practice_title ?? '' }, producedOn: o.produced_on })),
    // "Kept": at least three quarters of the meetings the rhythm implies were held.
    rhythmCheck: { expectedLastYear: expected, heldLastYear: held, kept: held >= Math.floor(expected * 0.75) },
    schools: new Set(current.map((m) => m.school_id)).size,
    viewer: { canEdit: c.status === 'active' && (await mayEdit(ctx, actor, c)) },
  };
}

export async function getCommunity(ctx: PracticeContext, actor: Actor, id: number): Promise<Community> {
  return communityView(ctx, actor, await loadToRead(ctx, actor, id));
}

export async function listCommunities(ctx: PracticeContext, actor: Actor, networkId: number): Promise<{ items: CommunitySummary[] }> {
  if (!(await findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  await requireAccess(ctx, actor, 'partnership.read', { networkId }, `network ${networkId}`);
  const r = await sql<{ id: number; name: string; kind: string; rhythm: string; status: string; members: number; schools: number; last_met_on: string | null }>`
    select c.id::int as id, c.name, c.kind, c.rhythm, c.status,
      (select count(*)::int from community_member m where m.community_id = c.id and m.left_on is null) as members,
      (select count(distinct m.school_id)::int from community_member m where m.community_id = c.id and m.left_on is null) as schools,
      (select max(held_on) from community_meeting cm where cm.community_id = c.id) as last_met_on
    from community c where c.network_id = ${networkId} order by c.status, lower(c.name)`.execute(ctx.db);
  return {
    items: r.rows.map((x) => ({ id: x.id, name: x.name, kind: x.kind as CommunityKind, rhythm: x.rhythm as MeetingFrequency, status: x.status as 'active' | 'closed', members: x.members, schools: x.schools, lastMetOn: x.last_met_on })),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Starts a community in a network: a teacher or leader of a member school, or a coordinator. */
export async function createCommunity(ctx: PracticeContext, actor: Actor, networkId: number, input: NewCommunity): Promise<Community> {
  const network = await findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`network ${networkId}`);
  const today = actor.today;
  const memberSchools = new Set((await membersOn(ctx.db, networkId, today)).map((m) => m.id));
  const mine = ownSchoolIds(actor).filter((s) => memberSchools.has(s));
  await requireAccess(ctx, actor, 'practice.work', { schoolIds: mine, networkId }, `network ${networkId}`);
  for (const [i, m] of input.members.entries()) await checkMember(ctx, networkId, m, `members[${i}]`, today);
  const startedOn = input.startedOn ?? today;
  if (startedOn > today) throw new Invalid('startedOn', `${startedOn} is in the future`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('community')
      .values({ network_id: networkId, name: input.name, kind: input.kind, domain: input.domain, rhythm: input.rhythm, started_on: startedOn, created_by: actor.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cid = Number(row.id);
    if (input.members.length) {
      await trx
        .insertInto('community_member')
        .values(input.members.map((m) => ({ community_id: cid, person_id: m.personId, school_id: m.schoolId, participation: m.participation, facilitator: m.facilitator, joined_on: startedOn })))
        .execute();
    }
    await audit(trx, { personId: actor.personId, action: 'community.create', resourceType: 'community', resourceId: cid, networkId, detail: { name: input.name, kind: input.kind } });
    return cid;
  });
  return getCommunity(ctx, actor, id);
}

export async function updateCommunity(ctx: PracticeContext, actor: Actor, id: number, patch: CommunityPatch): Promise<Community> {
  await loadToEdit(ctx, actor, id);
  await ctx.db
    .updateTable('community')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.domain !== undefined ? { domain: patch.domain } : {}),
      ...(patch.rhythm !== undefined ? { rhythm: patch.rhythm } : {}),
      ...(patch.status === 'closed' ? { status: 'closed', closed_on: actor.today } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return getCommunity(ctx, actor, id);
}

/**
 * Adds a member or changes their participation. Members and coordinators add anyone who works
 * at a member school; a teacher or leader of a member school may add themselves (joining).
 */
export async function putMember(ctx: PracticeContext, actor: Actor, id: number, personId: number, input: MemberInput): Promise<Community> {
  const c = await loadToRead(ctx, actor, id);
  const joining = personId === actor.personId && input.schoolId !== undefined && ownSchoolIds(actor).includes(input.schoolId);
  if (!joining && !(await mayEdit(ctx, actor, c))) throw new NotFound(`community ${id}`);
  if (c.status === 'closed') throw new Conflict(`community ${id} closed on ${c.closed_on}`);
  await checkMember(ctx, c.network_id, { personId, schoolId: input.schoolId }, 'body', actor.today);
  await ctx.db
    .insertInto('community_member')
    .values({ community_id: id, person_id: personId, school_id: input.schoolId, participation: input.participation, facilitator: input.facilitator, joined_on: actor.today })
    .onConflict((oc) => oc.columns(['community_id', 'person_id']).doUpdateSet({ school_id: input.schoolId, participation: input.participation, facilitator: input.facilitator, left_on: null }))
    .execute();
  return getCommunity(ctx, actor, id);
}

/** A member leaves (kept, with the day they left): themselves, or by a member or coordinator. */
export async function removeMember(ctx: PracticeContext, actor: Actor, id: number, personId: number): Promise<Community> {
  const c = await loadToRead(ctx, actor, id);
  if (personId !== actor.personId && !(await mayEdit(ctx, actor, c))) throw new NotFound(`community ${id}`);
  const m = await currentMember(ctx, id, personId);
  // Someone who is not (or no longer) a member stays so (DELETE is idempotent).
  if (!m) return getCommunity(ctx, actor, id);
  await ctx.db.updateTable('community_member').set({ left_on: actor.today < m.joined_on ? m.joined_on : actor.today }).where('community_id', '=', id).where('person_id', '=', personId).execute();
  return getCommunity(ctx, actor, id);
}

/** Records a meeting and who came; it becomes an activity record among the attendees' schools. */
export async function addMeeting(ctx: PracticeContext, actor: Actor, id: number, input: NewCommunityMeeting): Promise<Community> {
  const c = await loadToEdit(ctx, actor, id);
  if (input.heldOn > actor.today) throw new Invalid('heldOn', `${input.heldOn} is in the future; record a meeting once it has been held`);
  if (input.heldOn < c.started_on) throw new Invalid('heldOn', `${input.heldOn} is before the community started (${c.started_on})`);
  const members = await ctx.db.selectFrom('community_member').selectAll().where('community_id', '=', id).execute();
  const attendees = input.attendees.map((personId, i) => {
    const m = members.find((x) => Number(x.person_id) === personId && x.joined_on <= input.heldOn && (x.left_on === null || x.left_on > input.heldOn));
    if (!m) throw new Invalid(`attendees[${i}]`, `person ${personId} was not a member on ${input.heldOn}; add them as a member first`);
    return { personId, schoolId: Number(m.school_id) };
  });
  await ctx.db.transaction().execute(async (trx) => {
    const staff = new Map<number, Partial<Record<StaffLevel, number>>>();
    for (const a of attendees) {
      const roles = await postsIn(trx, a.personId, a.schoolId, input.heldOn);
      const s = staff.get(a.schoolId) ?? {};
      countPerson(s, levelOfRole(roles[0] ?? 'teacher'));
      staff.set(a.schoolId, s);
    }
    const activityId = await recordMeetingActivity(trx, c, input, staff, actor);
    const row = await trx
      .insertInto('community_meeting')
      .values({ community_id: id, held_on: input.heldOn, title: input.title, notes: input.notes ?? null, activity_id: activityId, recorded_by: actor.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('community_attendance')
      .values(attendees.map((a) => ({ meeting_id: Number(row.id), person_id: a.personId, school_id: a.schoolId })))
      .execute();
    await audit(trx, { personId: actor.personId, action: 'community.meeting', resourceType: 'community', resourceId: id, networkId: c.network_id, detail: { heldOn: input.heldOn, attendees: attendees.length } });
  });
  return getCommunity(ctx, actor, id);
}

function recordMeetingActivity(trx: Transaction<DB>, c: CommunityRow, input: NewCommunityMeeting, staff: Map<number, Partial<Record<StaffLevel, number>>>, actor: Actor) {
  return recordPracticeActivity(
    trx,
    {
      type: communityActivityType[c.kind as CommunityKind],
      title: `${c.name}: ${input.title}`,
      networkId: c.network_id,
      startOn: input.heldOn,
      endOn: input.heldOn,
      focus: c.name,
      outcomeNotes: null,
      source: `/communities/${c.id}`,
      schools: [...staff.entries()].map(([schoolId, s]) => ({ schoolId, direction: 'mutual' as const, staff: s })),
    },
    actor.personId,
    actor.today,
  );
}

/** Something the community produced: a resource, guidance, or a practice in the library. */
export async function addOutput(ctx: PracticeContext, actor: Actor, id: number, input: NewOutput): Promise<Community> {
  await loadToEdit(ctx, actor, id);
  if (input.practiceId) {
    const p = await ctx.db.selectFrom('practice').select(['status', 'school_id']).where('id', '=', input.practiceId).executeTakeFirst();
    if (!p || (p.status === 'draft' && !ownSchoolIds(actor).includes(Number(p.school_id)))) throw new Invalid('practiceId', `no practice ${input.practiceId} you can see`);
  }
  const producedOn = input.producedOn ?? actor.today;
  if (producedOn > actor.today) throw new Invalid('producedOn', `${producedOn} is in the future`);
  await ctx.db
    .insertInto('community_output')
    .values({ community_id: id, title: input.title, description: input.description ?? null, practice_id: input.practiceId ?? null, produced_on: producedOn, recorded_by: actor.personId })
    .execute();
  return getCommunity(ctx, actor, id);
}

/**
 * The teachers and leaders of a network's member schools today, for choosing JPD participants,
 * community members, action owners and contacts: read by the network's own people.
 */
export async function networkPractitioners(ctx: PracticeContext, actor: Actor, networkId: number, schoolId: number | undefined): Promise<Practitioners> {
  if (!(await findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  await requireAccess(ctx, actor, 'partnership.read', { networkId }, `network ${networkId}`);
  const rows = await practitionersOf(ctx.db, networkId, actor.today, schoolId);
  return { items: rows.map((r) => ({ personId: r.person_id, name: r.name, schoolId: r.school_id, schoolName: r.school_name, role: r.role })) };
}
