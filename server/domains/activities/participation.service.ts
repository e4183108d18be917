import { type Kysely, sql } from 'kysely';
import type { StaffLevel } from '../../../common/activities.ts';
import { dayNumber, isoDay } from '../../../analytics/ties/index.ts';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import { memberOn } from '../access/scope.ts';
import type { ParticipationQuery } from './activities.schema.ts';
import { type ParticipationItem, participationSeries, stepOf } from './participation.ts';

export type ParticipationContext = { db: Kysely<DB>; today: () => string };

/** Fewer sharing schools than this and a network's series is withheld (the threshold outcomes use). */
export const minSchoolsInAggregate = 3;

function range(q: ParticipationQuery, today: string) {
  const to = q.to ?? today;
  const from = q.from ?? isoDay(dayNumber(to) - 730);
  if (from > to) throw new Invalid('from', `${from} is after to (${to})`);
  if (dayNumber(to) - dayNumber(from) > 366 * 20) throw new Invalid('from', 'ask for at most twenty years at a time');
  return { from, to };
}

/** Activities (not withdrawn, overlapping [from, to]) with the people of `schools` in them. */
async function items(db: Kysely<DB>, where: ReturnType<typeof sql>, schools: readonly number[], from: string, to: string): Promise<ParticipationItem[]> {
  const rows = await sql<{ id: number; start_on: string; end_on: string; recurrence: string; occurrences: number; level: string | null; people: number | null }>`
    select a.id, a.start_on, a.end_on, a.recurrence, a.occurrences, st.level, sum(st.people)::int as people
    from activity a
    left join activity_staff st on st.activity_id = a.id and st.school_id = any(${[...schools]}::bigint[])
    where a.withdrawn_at is null and a.start_on <= ${to}::date and a.end_on >= ${from}::date and ${where}
    group by a.id, st.level
    order by a.id`.execute(db);
  const byId = new Map<number, ParticipationItem>();
  for (const r of rows.rows) {
    const id = Number(r.id);
    let item = byId.get(id);
    if (!item) {
      const step = stepOf(r.recurrence);
      item = { startOn: r.start_on, endOn: r.end_on, count: r.occurrences, everyDays: step.days, everyMonths: step.months, staff: {} };
      byId.set(id, item);
    }
    if (r.level !== null && r.people !== null) item.staff[r.level as StaffLevel] = r.people;
  }
  return [...byId.values()];
}

/**
 * One school's participation over time, from every activity it took part in: its own people
 * only. Its activity records must be visible to the actor (404 otherwise).
 */
export async function schoolParticipation(ctx: ParticipationContext, actor: Actor, schoolId: number, q: ParticipationQuery) {
  await requireAccess(ctx, actor, 'school.data.read', { schoolId, dataClass: 'activity_records' }, `school ${schoolId}`);
  const school = await ctx.db.selectFrom('school').select(['id', 'urn', 'name']).where('id', '=', schoolId).executeTakeFirst();
  if (!school) throw new NotFound(`school ${schoolId}`);
  const { from, to } = range(q, ctx.today());
  const list = await items(ctx.db, sql`a.id in (select activity_id from activity_school where school_id = ${schoolId})`, [schoolId], from, to);
  if (!ownSchoolIds(actor).includes(schoolId)) {
    await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'school-participation', resourceId: schoolId, schoolId, detail: { dataClass: 'activity_records' } });
  }
  return { school: { id: Number(school.id), urn: school.urn, name: school.name }, by: q.by, periods: participationSeries(list, from, to, q.by) };
}

/**
 * A network's participation over time: the activities done in its name, counting the people of
 * the member schools (today) that share their activity records with it, in the activities at
 * least one of them took part in, like the researchers' aggregates of outcomes; withheld below
 * `minSchoolsInAggregate` such schools.
 */
export async function networkParticipation(ctx: ParticipationContext, actor: Actor, networkId: number, q: ParticipationQuery) {
  await requireAccess(ctx, actor, 'network.aggregate.read', { networkId }, `network ${networkId}`);
  const network = await ctx.db.selectFrom('network').select(['id', 'name']).where('id', '=', networkId).executeTakeFirst();
  if (!network) throw new NotFound(`network ${networkId}`);
  const today = ctx.today();
  const { from, to } = range(q, today);
  const sharing = await sql<{ id: number }>`
    select distinct m.school_id as id from membership m
    join consent_current c on c.school_id = m.school_id and c.network_id = m.network_id and c.data_class = 'activity_records' and c.shared
    where m.network_id = ${networkId} and ${memberOn('m', today)}`.execute(ctx.db);
  const schools = sharing.rows.map((r) => Number(r.id));
  const withheld = schools.length < minSchoolsInAggregate;
  const involvesSharing = sql`a.network_id = ${networkId} and exists (select 1 from activity_school s where s.activity_id = a.id and s.school_id = any(${schools}::bigint[]))`;
  const list = withheld ? [] : await items(ctx.db, involvesSharing, schools, from, to);
  await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'network-participation', resourceId: networkId, networkId, detail: { dataClass: 'activity_records', aggregate: true } });
  return {
    network: { id: Number(network.id), name: network.name },
    by: q.by,
    sharingSchools: schools.length,
    minSchools: minSchoolsInAggregate,
    withheld,
    periods: withheld ? [] : participationSeries(list, from, to, q.by),
  };
}
