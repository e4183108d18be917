import type { Kysely } from 'kysely';
import { defaultWeights, factorInfo, factorOrder } from '../../../analytics/brokering/index.ts';
import { schoolLeaderRoles } from '../../../common/access.ts';
import {
  AffiliationKind,
  FocusArea,
  focusGroupOf,
  type OfferStatus,
  RequestStatus,
  requestTransitions,
  SupportKind,
  SupportOutcome,
} from '../../../common/brokering.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, isAdmin, laNamesOf, networkIdsWith, ownSchoolIds, schoolIdsWith } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, readableSchools, requireAccess } from '../access/policy.ts';
import * as repo from './brokering.repository.ts';
import type {
  Affiliations,
  DeclareAffiliations,
  NewOffer,
  NewPriority,
  Offer,
  OfferPatch,
  Priority,
  PriorityPatch,
  Profile,
  Vocabulary,
} from './brokering.schema.ts';
import { offerBonus, priorityPenalty } from './candidates.ts';
import { derivedFocus, loadRegister, needAt, reading, strengthAt, yearsAveraged } from './strengths.ts';

/**
 * A school's side of brokering (docs/brokering.md): the priorities it declares, the expertise it
 * offers (staff offer their own; a school leader approves before an offer is matched), its
 * derived strengths and needs, and the affiliations brokers declare. Every function checks
 * access first; a refusal about one resource reads as "not found".
 */
export type BrokeringContext = { db: Kysely<DB>; today: () => string };

/** Support kinds → the activity type a brokered support is recorded as (common/activities.ts). */
export const activityTypeOf: Record<SupportKind, string> = {
  mentoring_coaching: 'coaching_mentoring',
  peer_review: 'peer_review',
  joint_practice_development: 'joint_practice_development',
  secondment: 'secondment',
  leadership_support: 'leadership_development',
  training: 'joint_cpd',
};

const iso = (d: Date | string) => new Date(d).toISOString();

/** The vocabulary, the factors with their default weights and the rules' constants. */
export function vocabulary(): Vocabulary {
  return {
    focusAreas: FocusArea.codes.map((code) => ({ code, label: FocusArea.labels[code], group: focusGroupOf[code], derived: derivedFocus[code] !== undefined })),
    kinds: SupportKind.codes.map((code) => ({ code, label: SupportKind.labels[code], activityType: activityTypeOf[code] })),
    statuses: RequestStatus.codes.map((code) => ({ code, label: RequestStatus.labels[code], next: [...requestTransitions[code]] })),
    affiliationKinds: AffiliationKind.codes.map((code) => ({ code, label: AffiliationKind.labels[code] })),
    outcomes: SupportOutcome.codes.map((code) => ({ code, label: SupportOutcome.labels[code] })),
    factors: factorOrder.map((code) => ({ code, ...factorInfo[code], weight: defaultWeights[code] })),
    rules: { strengthAt, needAt, offerBonus, priorityPenalty, yearsAveraged },
  };
}

const schoolRef = (r: { id: number; name: string; urn: number | null }) => ({ schoolId: Number(r.id), name: r.name, urn: r.urn });

/**
 * Who reads a school's declared needs: its own staff, brokers of its networks, its authority's
 * officers and administrators (a need is sensitive: it is not advertised to other schools).
 */
async function readsNeeds(ctx: BrokeringContext, actor: Actor, schoolId: number): Promise<boolean> {
  return ownSchoolIds(actor).includes(schoolId) || (await can(ctx, actor, 'brokering.broker', { schoolId }));
}

// ---- Priorities --------------------------------------------------------------------------------

function priorityView(r: repo.PriorityRow, today: string): Priority {
  return {
    id: Number(r.id),
    school: { schoolId: Number(r.school_id), name: r.school_name, urn: r.urn },
    focusArea: r.focus_area as FocusArea,
    note: r.note,
    fromOn: r.from_on,
    untilOn: r.until_on,
    current: r.from_on <= today && (r.until_on === null || r.until_on > today),
    declaredBy: r.declared_by_name,
  };
}

export async function declarePriority(ctx: BrokeringContext, actor: Actor, schoolId: number, input: NewPriority): Promise<Priority> {
  await requireAccess(ctx, actor, 'brokering.school', { schoolId }, `school ${schoolId}`);
  const fromOn = input.fromOn ?? actor.today;
  if (input.untilOn && input.untilOn <= fromOn) throw new Invalid('untilOn', `${input.untilOn} is not after ${fromOn}`);
  const current = (await repo.prioritiesOf(ctx.db, [schoolId])).find((p) => p.focus_area === input.focusArea && (p.until_on === null || p.until_on > fromOn));
  if (current) throw new Conflict(`the school already has a priority in ${FocusArea.labels[input.focusArea]} (priority ${current.id}); change that one`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('school_priority')
      .values({ school_id: schoolId, focus_area: input.focusArea, note: input.note ?? null, from_on: fromOn, until_on: input.untilOn ?? null, declared_by: actor.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { personId: actor.personId, action: 'brokering.priority', resourceType: 'school_priority', resourceId: Number(row.id), schoolId, detail: { focusArea: input.focusArea } });
    return Number(row.id);
  });
  return (await listPriorities(ctx, actor, schoolId)).find((p) => p.id === id)!;
}

export async function changePriority(ctx: BrokeringContext, actor: Actor, id: number, patch: PriorityPatch): Promise<Priority> {
  const p = await repo.findPriority(ctx.db, id);
  if (!p) throw new NotFound(`priority ${id}`);
  const schoolId = Number(p.school_id);
  await requireAccess(ctx, actor, 'brokering.school', { schoolId }, `priority ${id}`);
  if (patch.untilOn && patch.untilOn <= p.from_on) throw new Invalid('untilOn', `${patch.untilOn} is not after the priority's start (${p.from_on})`);
  await ctx.db
    .updateTable('school_priority')
    .set({ ...(patch.note !== undefined ? { note: patch.note } : {}), ...(patch.untilOn !== undefined ? { until_on: patch.untilOn } : {}) })
    .where('id', '=', id)
    .execute();
  await audit(ctx.db, { personId: actor.personId, action: 'brokering.priority', resourceType: 'school_priority', resourceId: id, schoolId, detail: { ...patch } });
  return (await listPriorities(ctx, actor, schoolId)).find((x) => x.id === id)!;
}

export async function listPriorities(ctx: BrokeringContext, actor: Actor, schoolId: number): Promise<Priority[]> {
  if (!(await readsNeeds(ctx, actor, schoolId))) throw new NotFound(`school ${schoolId}`);
  return (await repo.prioritiesOf(ctx.db, [schoolId])).map((r) => priorityView(r, actor.today));
}

// ---- Offers ------------------------------------------------------------------------------------

export async function offerViews(db: Kysely<DB>, rows: repo.OfferRow[]): Promise<Offer[]> {
  const committed = await repo.committedDays(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => {
    const used = committed.get(Number(r.id)) ?? 0;
    return {
      id: Number(r.id),
      school: { schoolId: Number(r.school_id), name: r.school_name, urn: r.urn },
      person: r.person_id === null ? null : { personId: Number(r.person_id), name: r.person_name ?? '' },
      focusArea: r.focus_area as FocusArea,
      kinds: r.kinds as SupportKind[],
      capacityDays: Number(r.capacity_days),
      committedDays: used,
      capacityLeft: Number(r.capacity_days) - used,
      note: r.note,
      status: r.status as OfferStatus,
      approvedOn: r.approved_on,
      createdAt: iso(r.created_at),
    };
  });
}

async function offerById(db: Kysely<DB>, id: number): Promise<Offer> {
  const [view] = await offerViews(db, await repo.offersWhere(db, { ids: [id] }));
  return view!;
}

/** Proposed offers are seen by their school's leaders and the person offering; active ones by everyone signed in. */
function seesOffer(actor: Actor, r: repo.OfferRow): boolean {
  if (r.status === 'active') return true;
  return isAdmin(actor) || schoolIdsWith(actor, schoolLeaderRoles).includes(Number(r.school_id)) || Number(r.person_id) === actor.personId;
}

/**
 * Declares an offer. A member of staff offers their own expertise; a school leader offers the
 * school's, or a named colleague's. A leader's offer is active at once; anyone else's waits for
 * a leader's approval, because releasing staff costs the school cover.
 */
export async function declareOffer(ctx: BrokeringContext, actor: Actor, input: NewOffer): Promise<Offer> {
  // Default: oneself, when one works at the school; else (an administrator) the school offers.
  const personId = input.personId !== undefined ? input.personId : ownSchoolIds(actor).includes(input.schoolId) ? actor.personId : null;
  await requireAccess(ctx, actor, 'brokering.offer', { schoolId: input.schoolId, personId }, `school ${input.schoolId}`);
  if (personId !== null && personId !== actor.personId) {
    const post = await ctx.db
      .selectFrom('post')
      .select('id')
      .where('person_id', '=', personId)
      .where('school_id', '=', input.schoolId)
      .where('from_on', '<=', actor.today)
      .where((eb) => eb.or([eb('to_on', 'is', null), eb('to_on', '>', actor.today)]))
      .executeTakeFirst();
    if (!post) throw new Invalid('personId', `person ${personId} holds no post at this school today; name a member of its staff`);
  }
  const leader = isAdmin(actor) || schoolIdsWith(actor, schoolLeaderRoles).includes(input.schoolId);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('expertise_offer')
      .values({
        school_id: input.schoolId,
        person_id: personId,
        focus_area: input.focusArea,
        kinds: input.kinds,
        capacity_days: input.capacityDays,
        note: input.note ?? null,
        status: leader ? 'active' : 'proposed',
        approved_by: leader ? actor.personId : null,
        approved_on: leader ? actor.today : null,
        created_by: actor.personId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { personId: actor.personId, action: 'brokering.offer', resourceType: 'expertise_offer', resourceId: Number(row.id), schoolId: input.schoolId, detail: { focusArea: input.focusArea, status: leader ? 'active' : 'proposed' } });
    return Number(row.id);
  });
  return offerById(ctx.db, id);
}

/**
 * Changes an offer: its author or the school's leaders change its kinds, capacity and note or
 * withdraw it; only a school leader approves (activates) a proposed one. Capacity may not fall
 * below what is already committed.
 */
export async function changeOffer(ctx: BrokeringContext, actor: Actor, id: number, patch: OfferPatch): Promise<Offer> {
  const [row] = await repo.offersWhere(ctx.db, { ids: [id] });
  if (!row) throw new NotFound(`offer ${id}`);
  const schoolId = Number(row.school_id);
  await requireAccess(ctx, actor, 'brokering.offer', { schoolId, personId: row.person_id === null ? null : Number(row.person_id) }, `offer ${id}`);
  const leader = isAdmin(actor) || schoolIdsWith(actor, schoolLeaderRoles).includes(schoolId);
  if (row.status === 'withdrawn' && patch.status !== 'active') throw new Conflict(`offer ${id} was withdrawn; a school leader may make it active again`);
  if (patch.status === 'active' && row.status !== 'active' && !leader) throw new NotFound(`offer ${id}`);
  if (patch.capacityDays !== undefined) {
    const used = (await repo.committedDays(ctx.db, [id])).get(id) ?? 0;
    if (patch.capacityDays < used) throw new Invalid('capacityDays', `${used} days a term are already committed to introductions and live support; capacity cannot fall below that`);
  }
  const approving = patch.status === 'active' && row.status !== 'active';
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('expertise_offer')
      .set({
        ...(patch.kinds !== undefined ? { kinds: patch.kinds } : {}),
        ...(patch.capacityDays !== undefined ? { capacity_days: patch.capacityDays } : {}),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(approving ? { approved_by: actor.personId, approved_on: actor.today } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.offer', resourceType: 'expertise_offer', resourceId: id, schoolId, detail: { ...patch, ...(approving ? { approved: true } : {}) } });
  });
  return offerById(ctx.db, id);
}

export async function listOffers(
  ctx: BrokeringContext,
  actor: Actor,
  q: { focusArea?: FocusArea | undefined; schoolId?: number | undefined; status?: OfferStatus | undefined; limit: number },
): Promise<{ items: Offer[] }> {
  const rows = await repo.offersWhere(ctx.db, {
    ...(q.focusArea ? { focusArea: q.focusArea } : {}),
    ...(q.schoolId !== undefined ? { schoolIds: [q.schoolId] } : {}),
    statuses: [q.status ?? 'active'],
  });
  return { items: await offerViews(ctx.db, rows.filter((r) => seesOffer(actor, r)).slice(0, q.limit)) };
}

// ---- Affiliations -------------------------------------------------------------------------------

export async function affiliationsView(db: Kysely<DB>, personId: number): Promise<Affiliations> {
  const declared = await repo.declarationOf(db, personId);
  const rows = await repo.affiliationsOf(db, [personId]);
  return {
    declaredOn: declared?.declared_on ?? null,
    affiliations: rows.map((a) => ({
      id: Number(a.id),
      school: a.school_id === null ? null : { schoolId: Number(a.school_id), name: a.school_name ?? '', urn: a.urn },
      network: a.network_id === null ? null : { networkId: Number(a.network_id), name: a.network_name ?? '' },
      kind: a.kind as Affiliations['affiliations'][number]['kind'],
      note: a.note,
      declaredOn: a.declared_on,
    })),
  };
}

export async function myAffiliations(ctx: BrokeringContext, actor: Actor): Promise<Affiliations> {
  await requireAccess(ctx, actor, 'brokering.declare', undefined);
  return affiliationsView(ctx.db, actor.personId);
}

/**
 * Declares the broker's affiliations: the whole list, replacing the last (ties no longer listed
 * are ended today, kept for the record). An empty list declares "none".
 */
export async function declareAffiliations(ctx: BrokeringContext, actor: Actor, input: DeclareAffiliations): Promise<Affiliations> {
  await requireAccess(ctx, actor, 'brokering.declare', undefined);
  const today = actor.today;
  const schoolIds = input.affiliations.flatMap((a) => (a.schoolId ? [a.schoolId] : []));
  const known = new Set((await repo.schoolRefs(ctx.db, schoolIds)).map((s) => s.id));
  input.affiliations.forEach((a, i) => {
    if (a.schoolId && !known.has(a.schoolId)) throw new Invalid(`affiliations[${i}].schoolId`, `no school has id ${a.schoolId}`);
  });
  const networkIds = input.affiliations.flatMap((a) => (a.networkId ? [a.networkId] : []));
  if (networkIds.length) {
    const found = new Set((await ctx.db.selectFrom('network').select('id').where('id', 'in', networkIds).execute()).map((r) => Number(r.id)));
    input.affiliations.forEach((a, i) => {
      if (a.networkId && !found.has(a.networkId)) throw new Invalid(`affiliations[${i}].networkId`, `no network has id ${a.networkId}`);
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('broker_affiliation').set({ ended_on: today }).where('person_id', '=', actor.personId).where('ended_on', 'is', null).execute();
    if (input.affiliations.length) {
      await trx
        .insertInto('broker_affiliation')
        .values(input.affiliations.map((a) => ({ person_id: actor.personId, school_id: a.schoolId ?? null, network_id: a.networkId ?? null, kind: a.kind, note: a.note ?? null, declared_on: today })))
        .execute();
    }
    await trx
      .insertInto('broker_declaration')
      .values({ person_id: actor.personId, declared_on: today })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ declared_on: today, declared_at: new Date() }))
      .execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.affiliations', resourceType: 'person', resourceId: actor.personId, detail: { count: input.affiliations.length } });
  });
  return affiliationsView(ctx.db, actor.personId);
}

// ---- A school's profile ----------------------------------------------------------------------------

/**
 * Per focus area: the derived value (where the caller may read the published results it rests
 * on; the inspection grade is public), the declared priority (for those who read the school's
 * needs) and the active offers. Reading another school's derived values is audited.
 */
export async function schoolProfile(ctx: BrokeringContext, actor: Actor, schoolId: number): Promise<Profile> {
  await requireAccess(ctx, actor, 'registry.read', undefined);
  const reg = await loadRegister(ctx.db, actor.today);
  const at = reg.byId.get(schoolId);
  if (at === undefined) throw new NotFound(`school ${schoolId}`);
  const s = reg.schools[at]!;
  const outcomes = (await readableSchools(ctx, actor, 'outcomes', [schoolId])).includes(schoolId);
  const needs = await readsNeeds(ctx, actor, schoolId);
  const priorities = needs ? (await repo.prioritiesOf(ctx.db, [schoolId])).map((r) => priorityView(r, actor.today)) : null;
  const offers = await offerViews(
    ctx.db,
    (await repo.offersWhere(ctx.db, { schoolIds: [schoolId], statuses: ['active', 'proposed'] })).filter((r) => seesOffer(actor, r)),
  );
  const areas = FocusArea.codes.map((area) => {
    const spec = derivedFocus[area];
    const z = spec ? reg.strength(area)[at]! : Number.NaN;
    const fromResults = spec !== undefined && !('inspection' in spec);
    const withheld = fromResults && Number.isFinite(z) && !outcomes;
    const derived =
      spec && Number.isFinite(z) && !withheld
        ? {
            value: Math.round(z * 100) / 100,
            reading: reading(z) as 'strength' | 'need' | 'typical',
            sources: reg
              .measures(area)
              .map((m) => ({ measure: m.code, label: m.label, years: m.yearsOf(at) }))
              .filter((m) => m.years.length > 0),
            inspection: 'inspection' in spec ? { grade: s.inspectionGrade ?? '', on: null } : null,
          }
        : null;
    return {
      focusArea: area,
      label: FocusArea.labels[area],
      derived,
      withheld,
      priority: priorities ? priorities.some((p) => p.current && p.focusArea === area) : null,
      offers: offers.filter((o) => o.status === 'active' && o.focusArea === area).length,
    };
  });
  if (outcomes && !ownSchoolIds(actor).includes(schoolId)) {
    await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'brokering-profile', resourceId: schoolId, schoolId, detail: { dataClass: 'outcomes', schools: [schoolId] } });
  }
  return {
    school: { schoolId: s.id, name: s.name, urn: s.urn, phase: s.phase, laName: s.laName, open: reg.open[at] === 1 },
    areas,
    priorities,
    offers,
  };
}

/** Networks and authorities the actor brokers in (for lists and the allocation page). */
export function brokerScope(actor: Actor) {
  return { networks: networkIdsWith(actor, ['honest_broker', 'network_coordinator']), laNames: laNamesOf(actor) };
}

export { schoolRef };
