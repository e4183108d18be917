import { type Kysely, type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import { DeclaredTypology } from '../../../common/typology.ts';
import type { DB, NetworkTable, SchoolTable } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, isAdmin } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { requireAccess } from '../access/policy.ts';
import { memberOn } from '../access/scope.ts';
import * as repo from './registry.repository.ts';
import type {
  MembershipSearch,
  MembershipView,
  NetworkDetail,
  NetworkPatch,
  NewMembership,
  NewNetwork,
  SchoolDetail,
  SchoolSearch,
  SchoolSummary,
  TypologyView,
} from './registry.schema.ts';
import { followSuccessors } from './successors.ts';
import { computeFromFacts, computeTypology, disagreements } from './typology.ts';
import { networkContext, networkGraphFacts } from '../network/index.ts';

/** What every registry operation runs with. Accounts arrive with the access issue. */
/** `actor`: who asks (null from the CLI's read commands; writes require one). */
export type RegistryContext = { db: Kysely<DB>; today: () => string; actor?: Actor | null };

const editNetwork = (ctx: RegistryContext, networkId: number) => requireAccess(ctx, ctx.actor ?? null, 'network.edit', { networkId }, `Network ${networkId}`);

export const isoToday = () => new Date().toISOString().slice(0, 10);

type SummaryRow = Pick<Selectable<SchoolTable>, 'id' | 'urn' | 'name' | 'phase' | 'school_type' | 'la_name' | 'town' | 'postcode' | 'status'>;

const toSummary = (r: SummaryRow): SchoolSummary => ({
  id: r.id,
  urn: r.urn,
  name: r.name,
  phase: r.phase as SchoolSummary['phase'],
  schoolType: r.school_type as SchoolSummary['schoolType'],
  laName: r.la_name,
  town: r.town,
  postcode: r.postcode,
  status: r.status as SchoolSummary['status'],
});

export async function searchSchools(ctx: RegistryContext, q: SchoolSearch) {
  const cursor = repo.decodeCursor(q.cursor);
  if (q.cursor && !cursor) throw new Invalid('cursor', 'not a cursor this API issued; start again without it');
  const page = await repo.searchSchools(ctx.db, { ...q, today: ctx.today() }, cursor, q.limit);
  return { items: page.items.map(toSummary), nextCursor: page.next ? repo.encodeCursor(page.next) : null };
}

async function detail(ctx: RegistryContext, row: Selectable<SchoolTable>): Promise<SchoolDetail> {
  const links = row.urn === null ? [] : await repo.schoolLinks(ctx.db, row.urn);
  const next = row.status === 'closed' && row.urn !== null ? await followSuccessors(ctx.db, row.urn) : null;
  const successor = next ? await repo.findSchoolByUrn(ctx.db, next.urn) : undefined;
  return {
    ...toSummary(row),
    typeLabel: row.type_label,
    religiousCharacter: row.religious_character,
    genderIntake: row.gender_intake as SchoolDetail['genderIntake'],
    laCode: row.la_code,
    region: row.region,
    street: row.street,
    latitude: row.latitude,
    longitude: row.longitude,
    easting: row.easting,
    northing: row.northing,
    ageLow: row.age_low,
    ageHigh: row.age_high,
    pupilRoll: row.pupil_roll,
    fsmPct: row.fsm_pct,
    senPct: row.sen_pct,
    ealPct: row.eal_pct,
    contextYear: row.context_year,
    urbanRural: row.urban_rural,
    inspectionGrade: row.inspection_grade as SchoolDetail['inspectionGrade'],
    inspectionDate: row.inspection_date,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    sources: row.sources,
    links: links.map((l) => ({ urn: l.link_urn, name: l.name, schoolId: l.school_id, linkType: l.link_type, establishedOn: l.established_on })),
    successor: successor ? toSummary(successor) : null,
    successorChain: next?.chain ?? [],
  };
}

export async function getSchool(ctx: RegistryContext, id: number) {
  const row = await repo.findSchool(ctx.db, id);
  if (!row) throw new NotFound(`School ${id}`);
  return detail(ctx, row);
}

export async function getSchoolByUrn(ctx: RegistryContext, urn: number) {
  const row = await repo.findSchoolByUrn(ctx.db, urn);
  if (!row) throw new NotFound(`School with URN ${urn}`);
  return detail(ctx, row);
}

type MembershipRow = SummaryRow & {
  membership_id: number;
  role: string;
  joined_on: string | null;
  left_on: string | null;
  source: string | null;
  network_id: number;
  network_name: string;
  network_kind: string;
};

const toMembership = (r: MembershipRow): MembershipView => ({
  id: r.membership_id,
  school: toSummary(r),
  network: { id: r.network_id, name: r.network_name, kind: r.network_kind as MembershipView['network']['kind'] },
  role: r.role as MembershipView['role'],
  joinedOn: r.joined_on,
  leftOn: r.left_on,
  source: r.source,
});

/** Every membership a school has had, oldest first: the answer to "which networks has S belonged to". */
export async function schoolMemberships(ctx: RegistryContext, schoolId: number) {
  if (!(await repo.findSchool(ctx.db, schoolId))) throw new NotFound(`School ${schoolId}`);
  const rows = await repo
    .membershipRows(ctx.db)
    .where('membership.school_id', '=', schoolId)
    .orderBy(sql`membership.joined_on asc nulls first`)
    .orderBy('network.name')
    .execute();
  return { items: rows.map(toMembership) };
}

export async function listMemberships(ctx: RegistryContext, q: z.infer<typeof MembershipSearch>) {
  if (!q.schoolId && !q.urn && !q.networkId) throw new Invalid('query', 'give schoolId, urn or networkId');
  let qb = repo.membershipRows(ctx.db);
  if (q.schoolId) qb = qb.where('membership.school_id', '=', q.schoolId);
  if (q.urn) qb = qb.where('school.urn', '=', q.urn);
  if (q.networkId) qb = qb.where('membership.network_id', '=', q.networkId);
  if (q.on) qb = repo.currentOn(qb, q.on);
  const offset = q.cursor ? Number.parseInt(q.cursor, 10) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new Invalid('cursor', 'not a cursor this API issued; start again without it');
  const rows = await qb.orderBy('membership.id').offset(offset).limit(q.limit + 1).execute();
  return { items: rows.slice(0, q.limit).map(toMembership), nextCursor: rows.length > q.limit ? String(offset + q.limit) : null };
}

/** Members of a network on a date: the answer to "which schools were in N on D". */
export async function networkMembers(ctx: RegistryContext, networkId: number, on: string | undefined, cursor: string | undefined, limit: number) {
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`Network ${networkId}`);
  return listMemberships(ctx, { networkId, on: on ?? ctx.today(), cursor, limit });
}

const toNetwork = (n: Selectable<NetworkTable>, memberCount: number): NetworkDetail => ({
  id: n.id,
  name: n.name,
  kind: n.kind as NetworkDetail['kind'],
  openedOn: n.opened_on,
  closedOn: n.closed_on,
  memberCount,
  federationForm: n.federation_form as NetworkDetail['federationForm'],
  purpose: n.purpose,
  formation: n.formation as NetworkDetail['formation'],
  governanceMode: n.governance_mode as NetworkDetail['governanceMode'],
  legalStatus: n.legal_status,
  companiesHouseNo: n.companies_house_no,
  groupCode: n.group_code,
  sourceKey: n.source_key,
});

export async function searchNetworks(ctx: RegistryContext, q: { q?: string | undefined; kind?: string | undefined; la?: string | undefined; cursor?: string | undefined; limit: number }) {
  const cursor = repo.decodeCursor(q.cursor);
  if (q.cursor && !cursor) throw new Invalid('cursor', 'not a cursor this API issued; start again without it');
  const page = await repo.searchNetworks(ctx.db, { ...q, today: ctx.today() }, cursor, q.limit);
  return {
    items: page.items.map((n) => ({
      id: n.id,
      name: n.name,
      kind: n.kind as NetworkDetail['kind'],
      openedOn: n.opened_on,
      closedOn: n.closed_on,
      memberCount: Number(n.member_count ?? 0),
    })),
    nextCursor: page.next ? repo.encodeCursor(page.next) : null,
  };
}

export async function getNetwork(ctx: RegistryContext, id: number) {
  const n = await repo.findNetwork(ctx.db, id);
  if (!n) throw new NotFound(`Network ${id}`);
  return toNetwork(n, await repo.countCurrentMembers(ctx.db, id, ctx.today()));
}

const networkColumns = (input: z.infer<typeof NetworkPatch>) => ({
  ...(input.name !== undefined ? { name: input.name } : {}),
  ...(input.kind !== undefined ? { kind: input.kind } : {}),
  ...(input.federationForm !== undefined ? { federation_form: input.federationForm } : {}),
  ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
  ...(input.formation !== undefined ? { formation: input.formation } : {}),
  ...(input.governanceMode !== undefined ? { governance_mode: input.governanceMode } : {}),
  ...(input.legalStatus !== undefined ? { legal_status: input.legalStatus } : {}),
  ...(input.openedOn !== undefined ? { opened_on: input.openedOn } : {}),
  ...(input.closedOn !== undefined ? { closed_on: input.closedOn } : {}),
});

export async function createNetwork(ctx: RegistryContext, input: z.infer<typeof NewNetwork>) {
  const actor = ctx.actor ?? null;
  await requireAccess(ctx, actor, 'network.create', undefined);
  if (input.openedOn && input.closedOn && input.closedOn < input.openedOn) throw new Invalid('closedOn', 'the closing date is before the opening date');
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('network')
      .values({ name: input.name, kind: input.kind, ...networkColumns(input) })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Whoever records a network coordinates it, so they can add its members and declare its typology.
    if (actor && !isAdmin(actor)) {
      await trx.insertInto('post').values({ person_id: actor.personId, role: 'network_coordinator', network_id: created.id, from_on: ctx.today(), created_by: actor.personId }).execute();
      await audit(trx, { personId: actor.personId, action: 'post.grant', resourceType: 'person', resourceId: actor.personId, networkId: Number(created.id), detail: { role: 'network_coordinator', through: 'created the network' } });
    }
    return created;
  });
  return toNetwork(row, 0);
}

export async function updateNetwork(ctx: RegistryContext, id: number, input: z.infer<typeof NetworkPatch>) {
  await editNetwork(ctx, id);
  const existing = await repo.findNetwork(ctx.db, id);
  if (!existing) throw new NotFound(`Network ${id}`);
  const opened = input.openedOn !== undefined ? input.openedOn : existing.opened_on;
  const closed = input.closedOn !== undefined ? input.closedOn : existing.closed_on;
  if (opened && closed && closed < opened) throw new Invalid('closedOn', 'the closing date is before the opening date');
  const cols = networkColumns(input);
  if (Object.keys(cols).length > 0) {
    await ctx.db.updateTable('network').set({ ...cols, updated_at: sql`now()` }).where('id', '=', id).execute();
  }
  return getNetwork(ctx, id);
}

export async function addMembership(ctx: RegistryContext, input: z.infer<typeof NewMembership>) {
  await editNetwork(ctx, input.networkId);
  const school = await repo.findSchool(ctx.db, input.schoolId);
  if (!school) throw new Invalid('schoolId', `there is no school ${input.schoolId}`);
  const network = await repo.findNetwork(ctx.db, input.networkId);
  if (!network) throw new Invalid('networkId', `there is no network ${input.networkId}`);
  // Two memberships of the same pair may not overlap in time.
  const overlap = await ctx.db
    .selectFrom('membership')
    .select('id')
    .where('school_id', '=', input.schoolId)
    .where('network_id', '=', input.networkId)
    .where((eb) => eb.or([eb('left_on', 'is', null), ...(input.joinedOn ? [eb('left_on', '>', input.joinedOn)] : [])]))
    .where((eb) => (input.leftOn ? eb.or([eb('joined_on', 'is', null), eb('joined_on', '<', input.leftOn)]) : eb.lit(true)))
    .executeTakeFirst();
  if (overlap) throw new Conflict(`${school.name} is already a member of ${network.name} for part of that time (membership ${overlap.id}); end it first`);
  const row = await ctx.db
    .insertInto('membership')
    .values({ school_id: input.schoolId, network_id: input.networkId, role: input.role, joined_on: input.joinedOn, left_on: input.leftOn, source: 'manual' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return membershipById(ctx, row.id);
}

async function membershipById(ctx: RegistryContext, id: number) {
  const row = await repo.membershipRows(ctx.db).where('membership.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`Membership ${id}`);
  return toMembership(row);
}

export async function endMembership(ctx: RegistryContext, id: number, leftOn: string) {
  const m = await ctx.db.selectFrom('membership').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) throw new NotFound(`Membership ${id}`);
  await editNetwork(ctx, Number(m.network_id));
  if (m.left_on) throw new Conflict(`membership ${id} already ended on ${m.left_on}`);
  if (m.joined_on && leftOn < m.joined_on) throw new Invalid('leftOn', `the leaving date is before the joining date ${m.joined_on}`);
  await ctx.db.updateTable('membership').set({ left_on: leftOn }).where('id', '=', id).execute();
  return membershipById(ctx, id);
}

export async function networkMap(ctx: RegistryContext, networkId: number, on: string | undefined) {
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`Network ${networkId}`);
  const rows = await repo
    .membersOn(ctx.db, networkId, on ?? ctx.today())
    .select(['school.id', 'school.name', 'school.phase', 'school.latitude', 'school.longitude', 'school.easting', 'school.northing'])
    .orderBy('school.name')
    .execute();
  const points = rows.map((r) => ({
    schoolId: r.id,
    name: r.name,
    phase: r.phase,
    latitude: r.latitude,
    longitude: r.longitude,
    easting: r.easting,
    northing: r.northing,
  }));
  const withoutLocation = points.filter((p) => (p.latitude === null || p.longitude === null) && (p.easting === null || p.northing === null)).length;
  return { points, withoutLocation };
}

/**
 * The typology of a network on a date: what users declared beside what the data decides. The
 * collaboration graph's dimensions need `actor` (they are the network's aggregates, shown to
 * those who may read them: docs/access.md).
 */
export async function getTypology(ctx: RegistryContext, networkId: number, on: string | undefined, actor?: Actor): Promise<TypologyView> {
  const network = await repo.findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`Network ${networkId}`);
  const date = on ?? ctx.today();
  const members = await repo
    .membersOn(ctx.db, networkId, date)
    .select([
      'school.phase',
      'school.school_type',
      'school.religious_character',
      'school.pupil_roll',
      'school.latitude',
      'school.longitude',
      'school.easting',
      'school.northing',
      'school.la_name',
      'school.region',
      'school.inspection_grade',
    ])
    .execute();
  const computed = computeTypology(
    network.kind,
    members.map((m) => ({
      phase: m.phase,
      schoolType: m.school_type,
      religiousCharacter: m.religious_character,
      pupilRoll: m.pupil_roll,
      latitude: m.latitude,
      longitude: m.longitude,
      easting: m.easting,
      northing: m.northing,
      laName: m.la_name,
      region: m.region,
      inspectionGrade: m.inspection_grade,
    })),
  );
  const overlap = await sql<{ n: number }>`
    select count(distinct m.school_id)::int as n from membership m
    where m.network_id = ${networkId} and ${memberOn('m', date)}
      and exists (select 1 from membership o where o.school_id = m.school_id and o.network_id <> m.network_id and ${memberOn('o', date)})`.execute(ctx.db);
  const graph = actor ? await networkGraphFacts(networkContext(ctx.db, ctx.today), actor, networkId, date) : null;
  Object.assign(computed, computeFromFacts(members.length, { inOtherNetworks: overlap.rows[0]?.n ?? 0, graph }));
  const stored = await ctx.db.selectFrom('network_typology').select('declared').where('network_id', '=', networkId).executeTakeFirst();
  const declared = DeclaredTypology.parse(stored?.declared ?? {});
  return { networkId, on: date, declared, computed, disagreements: disagreements(declared, computed) };
}

export async function declareTypology(ctx: RegistryContext, networkId: number, declared: DeclaredTypology) {
  await editNetwork(ctx, networkId);
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`Network ${networkId}`);
  await ctx.db
    .insertInto('network_typology')
    .values({ network_id: networkId, declared: JSON.stringify(declared) })
    .onConflict((oc) => oc.column('network_id').doUpdateSet({ declared: JSON.stringify(declared), updated_at: sql`now()` }))
    .execute();
  return getTypology(ctx, networkId, undefined);
}
