import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import { memberOn, visibleSchools } from '../access/scope.ts';

export type OutcomesContext = { db: Kysely<DB> };

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * A school's results year by year. Outcomes are a data class the school shares by consent:
 * its own staff, its trust and authority officers see them; partners in a network see them only
 * while the school shares outcomes with that network. Each read is recorded in the audit log.
 */
export async function schoolOutcomes(ctx: OutcomesContext, actor: Actor, schoolId: number) {
  await requireAccess(ctx, actor, 'school.data.read', { schoolId, dataClass: 'outcomes' }, `school ${schoolId}`);
  const school = await ctx.db.selectFrom('school').select(['id', 'urn', 'name']).where('id', '=', schoolId).executeTakeFirst();
  if (!school) throw new NotFound(`school ${schoolId}`);
  const urn = school.urn ?? -1;
  const ks2 = await ctx.db
    .selectFrom('ks2_result')
    .select(['academic_year', 'release', 'pupils', 'rwm_expected_pct', 'read_progress', 'write_progress', 'maths_progress'])
    .where('urn', '=', urn)
    .orderBy('academic_year')
    .orderBy('release')
    .execute();
  const ks4 = await ctx.db.selectFrom('ks4_result').select(['academic_year', 'release', 'pupils', 'a8', 'p8', 'basics_94_pct']).where('urn', '=', urn).orderBy('academic_year').orderBy('release').execute();
  await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'outcomes', resourceId: schoolId, schoolId, detail: { dataClass: 'outcomes' } });
  return {
    schoolId,
    name: school.name,
    ks2: ks2.map((r) => ({
      academicYear: r.academic_year,
      release: r.release,
      pupils: num(r.pupils),
      rwmExpectedPct: num(r.rwm_expected_pct),
      readProgress: num(r.read_progress),
      writeProgress: num(r.write_progress),
      mathsProgress: num(r.maths_progress),
    })),
    ks4: ks4.map((r) => ({ academicYear: r.academic_year, release: r.release, pupils: num(r.pupils), attainment8: num(r.a8), progress8: num(r.p8), basics94Pct: num(r.basics_94_pct) })),
  };
}

/**
 * A network's members today with their latest published headline figure (the latest year that
 * has one: the 2018/19 KS2 file gives no reading-writing-maths percentage), where the actor may see them: the
 * filter is in the query (scope.ts), so a school that does not share is listed without figures.
 */
export async function networkOutcomes(ctx: OutcomesContext, actor: Actor, networkId: number) {
  const network = await ctx.db.selectFrom('network').select(['id', 'name']).where('id', '=', networkId).executeTakeFirst();
  if (!network) throw new NotFound(`network ${networkId}`);
  const today = actor.today;
  const rows = await sql<{ id: number; name: string; urn: number | null; visible: boolean; ks2_year: string | null; rwm: number | null; ks4_year: string | null; a8: number | null }>`
    with visible as (${visibleSchools(actor, 'outcomes')})
    select s.id, s.name, s.urn, v.id is not null as visible,
           k2.academic_year as ks2_year, k2.rwm_expected_pct as rwm, k4.academic_year as ks4_year, k4.a8
    from membership m
    join school s on s.id = m.school_id
    left join visible v on v.id = s.id
    left join lateral (select academic_year, rwm_expected_pct from ks2_result where urn = s.urn and v.id is not null and rwm_expected_pct is not null order by academic_year desc, release desc limit 1) k2 on true
    left join lateral (select academic_year, a8 from ks4_result where urn = s.urn and v.id is not null and a8 is not null order by academic_year desc, release desc limit 1) k4 on true
    where m.network_id = ${networkId}
      and ${memberOn('m', today)}
    order by lower(s.name), s.id`.execute(ctx.db);
  const shown = rows.rows.filter((r) => r.visible).map((r) => Number(r.id));
  if (shown.length > 0) {
    await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'network-outcomes', resourceId: networkId, networkId, detail: { dataClass: 'outcomes', schools: shown } });
  }
  return {
    networkId,
    name: network.name,
    items: rows.rows.map((r) => ({
      schoolId: Number(r.id),
      name: r.name,
      urn: r.urn,
      shared: r.visible,
      ks2: r.ks2_year ? { academicYear: r.ks2_year, rwmExpectedPct: num(r.rwm) } : null,
      ks4: r.ks4_year ? { academicYear: r.ks4_year, attainment8: num(r.a8) } : null,
    })),
  };
}

/** Fewer schools than this in an aggregate and it is withheld, so no single school can be read off it. */
export const minSchoolsInAggregate = 3;

/**
 * Aggregates over the members of a network that share outcomes with it, for the latest year
 * each key stage has: how many schools, and the mean of their headline figure. For researchers
 * (who see no school's rows) as well as the network's own people. Withheld below
 * `minSchoolsInAggregate` schools.
 */
export async function networkOutcomeSummary(ctx: OutcomesContext, actor: Actor, networkId: number) {
  await requireAccess(ctx, actor, 'network.aggregate.read', { networkId }, `network ${networkId}`);
  const today = actor.today;
  const members = await sql<{ members: number; sharing: number }>`
    select count(*)::int as members,
           count(*) filter (where exists (select 1 from consent_current c where c.school_id = m.school_id and c.network_id = m.network_id and c.data_class = 'outcomes' and c.shared))::int as sharing
    from membership m
    where m.network_id = ${networkId} and ${memberOn('m', today)}`.execute(ctx.db);
  const figure = async (table: 'ks2_result' | 'ks4_result', column: 'rwm_expected_pct' | 'a8') => {
    const r = await sql<{ academic_year: string | null; schools: number; mean: number | null }>`
      with sharing as (
        select s.urn from membership m join school s on s.id = m.school_id
        join consent_current c on c.school_id = m.school_id and c.network_id = m.network_id and c.data_class = 'outcomes' and c.shared
        where m.network_id = ${networkId} and ${memberOn('m', today)}
      ), latest as (select max(r.academic_year) as y from ${sql.table(table)} r join sharing on sharing.urn = r.urn where ${sql.ref(`r.${column}`)} is not null)
      select latest.y as academic_year, count(distinct r.urn)::int as schools, avg(${sql.ref(`r.${column}`)})::float8 as mean
      from latest left join ${sql.table(table)} r on r.academic_year = latest.y and r.release = 'final' and r.urn in (select urn from sharing) and ${sql.ref(`r.${column}`)} is not null
      group by latest.y`.execute(ctx.db);
    const row = r.rows[0];
    if (!row?.academic_year) return null;
    const withheld = row.schools < minSchoolsInAggregate;
    return { academicYear: row.academic_year, schools: row.schools, mean: withheld || row.mean === null ? null : Math.round(row.mean * 10) / 10, withheld };
  };
  await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'network-outcomes-summary', resourceId: networkId, networkId, detail: { dataClass: 'outcomes', aggregate: true } });
  return {
    networkId,
    members: members.rows[0]?.members ?? 0,
    sharingOutcomes: members.rows[0]?.sharing ?? 0,
    minSchools: minSchoolsInAggregate,
    ks2RwmExpectedPct: await figure('ks2_result', 'rwm_expected_pct'),
    ks4Attainment8: await figure('ks4_result', 'a8'),
  };
}
