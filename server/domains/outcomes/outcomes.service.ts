import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import { visibleSchools } from '../access/scope.ts';

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
 * A network's members today with their latest results, where the actor may see them: the
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
    left join lateral (select academic_year, rwm_expected_pct from ks2_result where urn = s.urn and v.id is not null order by academic_year desc, release desc limit 1) k2 on true
    left join lateral (select academic_year, a8 from ks4_result where urn = s.urn and v.id is not null order by academic_year desc, release desc limit 1) k4 on true
    where m.network_id = ${networkId}
      and (m.joined_on is null or m.joined_on <= ${today}::date) and (m.left_on is null or m.left_on > ${today}::date)
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
