import type { Kysely, Transaction } from 'kysely';
import { schoolLeaderRoles } from '../../../common/access.ts';
import { FocusArea, type RequestStatus, SupportKind } from '../../../common/brokering.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, isAdmin, laNamesOf, loadActor, networkIdsWith, ownSchoolIds, schoolIdsWith } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, requireAccess } from '../access/policy.ts';
// The collaboration record's writer and tie recomputation, used inside this domain's own
// transaction (as the practice domain does): activities/index.ts does not export them.
import { auditActivity, insertActivity } from '../activities/activities.repository.ts';
import { pairsAmong, recomputePairs } from '../activities/ties.service.ts';
// The partnership plan's commands: a brokered match becomes a support partnership through the
// same rules as any other (partnerships/index.ts exports only its read side).
import { addDays, addGoal, formPartnership, transition, writeAgreement } from '../partnerships/partnerships.service.ts';
import * as repo from './brokering.repository.ts';
import type { AnswerInput, Introduction, NewRequest, RequestSummary, RequestView, ShortlistInput } from './brokering.schema.ts';
import type { RequestGoalJson } from './brokering.table.ts';
import { activityTypeOf, type BrokeringContext } from './profile.service.ts';
import { affiliatedSchools, scoreCandidates } from './ranking.service.ts';
import { checkRequestTransition } from './request-status.ts';
import { answerableSide, requestSummaries, requestView } from './request-views.ts';
import { loadRegister } from './strengths.ts';

/**
 * The broker's casework (docs/brokering.md, "Casework"): a school's leaders raise a request; a
 * broker of its networks or authority (who has declared their affiliations) shortlists
 * candidates from the ranking, introduces one, and both sides answer; when both accept, the
 * match becomes a support partnership — a network of kind "partnership" for the pair, formed
 * through the partnership plan's own commands with goals and a draft agreement, coordinated by
 * the broker — and an activity record between the two schools, so the tie counts. Then the
 * support starts (once both have signed the agreement), is reviewed, and closes with an outcome.
 * Every move is checked by the state machine (request-status.ts) and refused with 409 otherwise.
 */

const focusLabel = (a: string) => FocusArea.labels[a as FocusArea] ?? a;
const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

async function view(ctx: BrokeringContext, actor: Actor, id: number): Promise<RequestView> {
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw new NotFound(`support request ${id}`);
  const v = await requestView(ctx.db, actor, r, (brokerId) => affiliatedSchools(ctx.db, brokerId, actor.today));
  if (!v) throw new NotFound(`support request ${id}`);
  return v;
}

export const getRequest = view;

function assertMove(from: string, to: RequestStatus) {
  const check = checkRequestTransition(from as RequestStatus, to);
  if (!check.ok) throw new Conflict(check.reason);
}

async function requireDeclared(db: Kysely<DB>, actor: Actor) {
  if (!(await repo.declarationOf(db, actor.personId))) {
    throw new Conflict('declare your affiliations first (PUT /api/v1/brokers/me/affiliations, an empty list if you have none): brokers are seen to be tied to neither school, or to both');
  }
}

/** The request, for its broker: anyone who may broker it, once they are (or become) its broker. */
async function forBroker(ctx: BrokeringContext, actor: Actor, id: number, options: { claim: boolean }): Promise<repo.RequestRow> {
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw new NotFound(`support request ${id}`);
  await requireAccess(ctx, actor, 'brokering.broker', { schoolId: Number(r.school_id) }, `support request ${id}`);
  if (r.broker_id !== null && Number(r.broker_id) !== actor.personId && !isAdmin(actor)) {
    // A broker whose post has ended (or who no longer brokers the school) leaves the request to the next.
    const current = await loadActor(ctx.db, Number(r.broker_id), actor.today, null);
    const stillBrokers = current !== null && (await can(ctx, current, 'brokering.broker', { schoolId: Number(r.school_id) }));
    if (stillBrokers || !options.claim) throw new Conflict(`${r.broker_name} brokers this request; ask them (or an administrator) to hand it over`);
  }
  if (r.broker_id === null && !options.claim) throw new Conflict('no broker has taken this request yet; take it first (POST /support-requests/{id}/broker)');
  await requireDeclared(ctx.db, actor);
  return r;
}

// ---- Raising and listing -------------------------------------------------------------------------

export async function raiseRequest(ctx: BrokeringContext, actor: Actor, input: NewRequest): Promise<RequestView> {
  await requireAccess(ctx, actor, 'brokering.school', { schoolId: input.schoolId }, `school ${input.schoolId}`);
  const [school] = await repo.schoolRefs(ctx.db, [input.schoolId]);
  if (!school) throw new NotFound(`school ${input.schoolId}`);
  if (school.status === 'closed' || (school.closedOn && school.closedOn <= actor.today)) throw new Invalid('schoolId', `${school.name} is closed`);
  const conflictIds = input.conflicts.map((c) => c.schoolId);
  const known = new Set((await repo.schoolRefs(ctx.db, conflictIds)).map((s) => s.id));
  input.conflicts.forEach((c, i) => {
    if (!known.has(c.schoolId)) throw new Invalid(`conflicts[${i}].schoolId`, `no school has id ${c.schoolId}`);
    if (c.schoolId === input.schoolId) throw new Invalid(`conflicts[${i}].schoolId`, 'a school never supports itself already; list other schools');
  });
  let id: number;
  try {
    id = await ctx.db.transaction().execute(async (trx) => {
      const created = await repo.insertRequest(trx, {
        schoolId: input.schoolId,
        focusArea: input.focusArea,
        kind: input.kind,
        daysNeeded: input.daysNeeded,
        terms: input.terms,
        description: input.description,
        goals: input.goals.map((g) => ({ statement: g.statement, measure: g.measure, unit: g.unit ?? null, baseline: { value: g.baseline.value, on: g.baseline.on, source: g.baseline.source ?? null }, target: g.target })),
        conflicts: input.conflicts,
        by: actor.personId,
        on: actor.today,
      });
      await audit(trx, { personId: actor.personId, action: 'brokering.request', resourceType: 'support_request', resourceId: created, schoolId: input.schoolId, detail: { focusArea: input.focusArea, kind: input.kind } });
      return created;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new Conflict(`${school.name} already has a live request in ${focusLabel(input.focusArea)}; change or withdraw that one first`);
  }
  return view(ctx, actor, id);
}

export async function listRequests(
  ctx: BrokeringContext,
  actor: Actor,
  q: { status?: RequestStatus | undefined; schoolId?: number | undefined; networkId?: number | undefined; laName?: string | undefined; mine?: boolean | undefined; limit: number },
): Promise<{ items: RequestSummary[] }> {
  const ids = await repo.visibleRequestIds(
    ctx.db,
    {
      all: isAdmin(actor),
      ownSchools: ownSchoolIds(actor),
      brokerNetworks: networkIdsWith(actor, ['honest_broker', 'network_coordinator']),
      laNames: laNamesOf(actor),
      leadSchools: schoolIdsWith(actor, schoolLeaderRoles),
      personId: actor.personId,
      today: actor.today,
    },
    { status: q.status, schoolId: q.schoolId, networkId: q.networkId, laName: q.laName, brokerId: q.mine ? actor.personId : undefined, limit: q.limit },
  );
  const rows = ids.length ? await repo.requestsWhere(ctx.db).where('r.id', 'in', ids).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute() : [];
  return { items: requestSummaries(rows) };
}

// ---- The broker's moves --------------------------------------------------------------------------

/** A broker takes the request on (having declared their affiliations). */
export async function takeRequest(ctx: BrokeringContext, actor: Actor, id: number): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: true });
  if (r.status === 'closed' || r.status === 'withdrawn') throw new Conflict(`the request is ${r.status}; there is nothing left to broker`);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('support_request').set({ broker_id: actor.personId, broker_since: actor.today, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.stage', resourceType: 'support_request', resourceId: id, schoolId: Number(r.school_id), detail: { broker: actor.personId } });
  });
  return view(ctx, actor, id);
}

/**
 * Replaces the shortlist: each named candidate is scored now, as the ranking scores it (a
 * candidate the hard constraints exclude is refused), and the scores and every factor's
 * contribution are kept as a snapshot. The broker becomes the request's broker.
 */
export async function shortlist(ctx: BrokeringContext, actor: Actor, id: number, input: ShortlistInput): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: true });
  if (r.status === 'introduced') throw new Conflict('an introduction is waiting for answers; wait for them, or withdraw it, before shortlisting again');
  assertMove(r.status, 'shortlisted');
  const { candidates, factors } = await scoreCandidates(ctx, actor, r, input.candidates);
  // Shortlist order: by score (the broker chose whom; the ranking says in which order).
  const order = candidates.map((_, i) => i).sort((a, b) => candidates[b]!.score - candidates[a]!.score);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockRequest(trx, id);
    if (!locked || (locked.status !== 'open' && locked.status !== 'shortlisted')) throw new Conflict('the request moved on meanwhile; reload it');
    await repo.replaceShortlist(
      trx,
      id,
      order.map((i, k) => ({
        rank: k + 1,
        schoolId: candidates[i]!.school.schoolId,
        offerId: candidates[i]!.offer?.offerId ?? null,
        score: candidates[i]!.score,
        distanceKm: candidates[i]!.distanceKm,
        factors: factors[i]!,
      })),
      input.source,
      actor.personId,
    );
    await trx
      .updateTable('support_request')
      .set({ status: 'shortlisted', broker_id: actor.personId, broker_since: r.broker_since ?? actor.today, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.stage', resourceType: 'support_request', resourceId: id, schoolId: Number(r.school_id), detail: { to: 'shortlisted', candidates: candidates.length, source: input.source } });
  });
  return view(ctx, actor, id);
}

/** Introduces the requester to one shortlisted candidate, checked again against the hard constraints. */
export async function introduce(ctx: BrokeringContext, actor: Actor, id: number, input: { shortlistEntryId: number; note?: string | null | undefined }): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: false });
  assertMove(r.status, 'introduced');
  const entry = (await repo.shortlistOf(ctx.db, id)).find((e) => Number(e.id) === input.shortlistEntryId);
  if (!entry) throw new Invalid('shortlistEntryId', `entry ${input.shortlistEntryId} is not on this request's current shortlist`);
  const declined = (await repo.introductionsOf(ctx.db, [id])).find((i) => Number(i.school_id) === Number(entry.school_id) && (i.offer_id === null ? null : Number(i.offer_id)) === (entry.offer_id === null ? null : Number(entry.offer_id)) && i.status === 'declined');
  if (declined) throw new Conflict(`${declined.school_name} was introduced already and the introduction was declined on ${declined.closed_on}; introduce another candidate`);
  try {
    await scoreCandidates(ctx, actor, r, [{ schoolId: Number(entry.school_id), offerId: entry.offer_id === null ? null : Number(entry.offer_id) }]);
  } catch (error) {
    if (error instanceof Invalid) throw new Conflict(`the candidate can no longer be introduced (${error.message.replace(/^candidates\[0\]: /, '')}); shortlist again`);
    throw error;
  }
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockRequest(trx, id);
    if (locked?.status !== 'shortlisted') throw new Conflict('the request moved on meanwhile; reload it');
    const row = await trx
      .insertInto('introduction')
      .values({ request_id: id, shortlist_entry_id: Number(entry.id), school_id: Number(entry.school_id), offer_id: entry.offer_id, note: input.note ?? null, created_by: actor.personId, created_on: actor.today })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('support_request').set({ status: 'introduced', updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.introduce', resourceType: 'introduction', resourceId: Number(row.id), schoolId: Number(r.school_id), detail: { request: id, supporter: Number(entry.school_id), offer: entry.offer_id } });
  });
  return view(ctx, actor, id);
}

/**
 * One side answers an introduction: the requesting school through one of its leaders; the
 * supporting side through the person whose offer it is, or the school's leaders for a school's
 * offer (or a school approached without one). Nobody answers for a school it does not lead,
 * administrators included. A decline sends the request back to its shortlist; the second
 * acceptance makes the match.
 */
export async function answerIntroduction(ctx: BrokeringContext, actor: Actor, introductionId: number, input: AnswerInput): Promise<RequestView> {
  const i = await repo.findIntroduction(ctx.db, introductionId);
  if (!i) throw new NotFound(`introduction ${introductionId}`);
  const r = (await repo.findRequest(ctx.db, Number(i.request_id)))!;
  const leads = schoolIdsWith(actor, schoolLeaderRoles);
  const mayEver = leads.includes(Number(r.school_id)) || leads.includes(Number(i.school_id)) || Number(i.offer_person_id) === actor.personId;
  if (!mayEver) throw new NotFound(`introduction ${introductionId}`);
  if (i.status !== 'pending') throw new Conflict(`introduction ${introductionId} is ${i.status}; there is nothing to answer`);
  const sides = answerableSide(actor, r, i);
  if (sides.length === 0) throw new Conflict('your side has answered this introduction already');
  if (sides.length > 1 && !input.side) throw new Invalid('side', 'you may answer for both sides; say which (requester or supporter)');
  const side = input.side ?? sides[0]!;
  if (!sides.includes(side)) throw new Conflict(`you may not answer for the ${side} now`);
  let matched = false;
  await ctx.db.transaction().execute(async (trx) => {
    const now = await trx.selectFrom('introduction').selectAll().where('id', '=', introductionId).forUpdate().executeTakeFirstOrThrow();
    if (now.status !== 'pending' || (side === 'requester' ? now.requester_answer : now.supporter_answer) !== 'pending') throw new Conflict('the introduction was answered meanwhile; reload it');
    const answer = side === 'requester' ? { requester_answer: input.answer, requester_by: actor.personId, requester_on: actor.today, requester_note: input.note ?? null } : { supporter_answer: input.answer, supporter_by: actor.personId, supporter_on: actor.today, supporter_note: input.note ?? null };
    const other = side === 'requester' ? now.supporter_answer : now.requester_answer;
    const status = input.answer === 'declined' ? 'declined' : other === 'accepted' ? 'accepted' : 'pending';
    await trx
      .updateTable('introduction')
      .set({ ...answer, status, ...(status !== 'pending' ? { closed_on: actor.today } : {}) })
      .where('id', '=', introductionId)
      .execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.answer', resourceType: 'introduction', resourceId: introductionId, schoolId: side === 'requester' ? Number(r.school_id) : Number(i.school_id), detail: { side, answer: input.answer } });
    if (status === 'declined') {
      assertMove(r.status, 'shortlisted');
      await trx.updateTable('support_request').set({ status: 'shortlisted', updated_at: new Date() }).where('id', '=', r.id).execute();
    }
    if (status === 'accepted') {
      assertMove(r.status, 'matched');
      await match(trx, r, now, actor);
      matched = true;
    }
  });
  if (matched) await ensureSupportPartnership(ctx, Number(r.id));
  return view(ctx, actor, Number(r.id));
}

/**
 * Both sides accepted: the request is matched; a network of kind "partnership" is made for the
 * pair (requester "supported", supporter "supporting", from today), its broker coordinates it,
 * and the collaboration record gains an activity between the two schools. One transaction.
 */
async function match(trx: Transaction<DB>, r: repo.RequestRow, i: { id: number; school_id: number; offer_id: number | null }, actor: Actor): Promise<void> {
  const today = actor.today;
  const supporterId = Number(i.school_id);
  const [requester, supporter] = [(await repo.schoolRefs(trx, [Number(r.school_id)]))[0]!, (await repo.schoolRefs(trx, [supporterId]))[0]!];
  const focus = focusLabel(r.focus_area);
  const brokerId = r.broker_id === null ? null : Number(r.broker_id);
  const network = await trx
    .insertInto('network')
    .values({
      name: `${focus} support: ${supporter.name} with ${requester.name}`.slice(0, 200),
      kind: 'partnership',
      purpose: `Brokered support in ${focus.toLowerCase()} (support request ${r.id})`,
      formation: 'voluntary',
      opened_on: today,
      source_key: `brokering:${r.id}`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const networkId = Number(network.id);
  await trx
    .insertInto('membership')
    .values([
      { school_id: Number(r.school_id), network_id: networkId, role: 'supported', joined_on: today, source: 'brokering' },
      { school_id: supporterId, network_id: networkId, role: 'supporting', joined_on: today, source: 'brokering' },
    ])
    .execute();
  if (brokerId !== null) {
    await trx.insertInto('post').values({ person_id: brokerId, role: 'network_coordinator', network_id: networkId, from_on: today, created_by: actor.personId }).execute();
    await audit(trx, { personId: actor.personId, action: 'post.grant', resourceType: 'person', resourceId: brokerId, networkId, detail: { role: 'network_coordinator', through: `brokered support request ${r.id}` } });
  }
  const offerPerson = i.offer_id === null ? null : await trx.selectFrom('expertise_offer').select('person_id').where('id', '=', Number(i.offer_id)).executeTakeFirst();
  const type = activityTypeOf[r.kind as SupportKind];
  const activityId = await insertActivity(
    trx,
    {
      type_code: type,
      title: `Brokered ${SupportKind.labels[r.kind as SupportKind].toLowerCase()} in ${focus.toLowerCase()}`.slice(0, 200),
      network_id: networkId,
      start_on: today,
      end_on: today,
      recurrence: 'once',
      occurrences: 1,
      hours_each: null,
      focus: focus.slice(0, 200),
      outcome_notes: null,
      evidence: [`/support-requests/${r.id}`],
    },
    [
      { schoolId: supporterId, direction: 'giving', staff: offerPerson?.person_id ? { teachers: 1 } : {} },
      { schoolId: Number(r.school_id), direction: 'receiving', staff: {} },
    ],
    { personId: actor.personId, source: 'api' },
  );
  await recomputePairs(trx, pairsAmong([supporterId, Number(r.school_id)]), today);
  for (const s of [supporterId, Number(r.school_id)]) {
    await auditActivity(trx, { personId: actor.personId, action: 'activity.record', resourceType: 'activity', resourceId: activityId, schoolId: s, networkId, detail: { type, from: `/support-requests/${r.id}` } });
  }
  await trx
    .updateTable('support_request')
    .set({ status: 'matched', supporter_school_id: supporterId, offer_id: i.offer_id, support_network_id: networkId, activity_id: activityId, updated_at: new Date() })
    .where('id', '=', r.id)
    .execute();
  await audit(trx, { personId: actor.personId, action: 'brokering.stage', resourceType: 'support_request', resourceId: Number(r.id), schoolId: Number(r.school_id), networkId, detail: { to: 'matched', supporter: supporterId, introduction: i.id } });
}

/** The 31 August that ends the academic year `on` falls in, `years` later. */
function endOfAcademicYear(on: string, years: number): string {
  const y = Number(on.slice(0, 4)) + (on.slice(5) > '08-31' ? 1 : 0) + years;
  return `${y}-08-31`;
}

/**
 * The support partnership of a matched request, formed if it is not yet (idempotent: a failure
 * after the match is mended by the next call, e.g. when the support starts). Formed by the
 * broker, through the partnership plan's own commands: purpose and theory of action from the
 * request; goals — days of support delivered, the requester's own goals, and (for an area with
 * published data) the requester's figure against its prediction; a draft agreement for both
 * schools to sign.
 */
export async function ensureSupportPartnership(ctx: BrokeringContext, requestId: number): Promise<number | null> {
  const r = await repo.findRequest(ctx.db, requestId);
  if (!r || r.support_network_id === null || r.supporter_school_id === null) return null;
  if (r.partnership_id !== null) return Number(r.partnership_id);
  const today = ctx.today();
  const brokerId = r.broker_id === null ? null : Number(r.broker_id);
  if (brokerId === null) return null;
  const broker = await loadActor(ctx.db, brokerId, today, null);
  if (!broker) return null;
  const pctx = { db: ctx.db, today: () => today };
  const networkId = Number(r.support_network_id);
  const supporterId = Number(r.supporter_school_id);
  const requesterId = Number(r.school_id);
  const focus = focusLabel(r.focus_area).toLowerCase();
  const kind = SupportKind.labels[r.kind as SupportKind].toLowerCase();
  const offer = r.offer_id === null ? null : (await repo.offersWhere(ctx.db, { ids: [Number(r.offer_id)] }))[0];
  const who = offer?.person_name ? `${offer.person_name} of ${r.supporter_name}` : r.supporter_name;
  const plan = await formPartnership(pctx, broker, networkId, {
    purpose: `${r.supporter_name} supports ${r.school_name} in ${focus} through ${kind}: ${r.description}`.slice(0, 2000),
    theoryOfAction: `${who} works alongside ${r.school_name}'s staff for ${Number(r.days_needed)} days a term over ${r.terms} terms; practice is adapted to ${r.school_name}'s pupils rather than copied, and ${r.school_name} shares back what it does well, so both schools learn.`,
    formedOn: today,
    formation: 'voluntary',
  });
  const targetOn = addDays(today, 91 * r.terms) > endOfAcademicYear(today, 0) ? endOfAcademicYear(today, 1) : endOfAcademicYear(today, 0);
  const contributions = [
    { schoolId: supporterId, contribution: `Gives ${Number(r.days_needed)} days a term of ${kind}${offer?.person_name ? ` through ${offer.person_name}` : ''}` },
    { schoolId: requesterId, contribution: 'Releases staff to take part, tries the practice in its classrooms and shares back what it learns' },
  ];
  const goals: RequestGoalJson[] = [
    {
      statement: `Deliver ${Number(r.days_needed) * r.terms} days of ${kind} in ${focus} to ${r.school_name}`,
      measure: 'Days of support delivered (from the activity record and meeting notes)',
      unit: 'days',
      baseline: { value: 0, on: today, source: 'None delivered when the partnership formed' },
      target: { value: Number(r.days_needed) * r.terms, on: targetOn },
    },
    ...r.goals,
  ];
  const derived = await derivedGoal(ctx, r, today, targetOn);
  if (derived && goals.length < 5) goals.push(derived);
  for (const g of goals.slice(0, 5)) {
    await addGoal(pctx, broker, plan.id, {
      statement: g.statement.slice(0, 500),
      measure: g.measure.slice(0, 500),
      unit: g.unit,
      baseline: { value: g.baseline.value, on: g.baseline.on, source: g.baseline.source },
      target: g.target.on > g.baseline.on ? g.target : { value: g.target.value, on: addDays(g.baseline.on, 365) },
      contributions,
    });
  }
  await writeAgreement(pctx, broker, plan.id, {
    principles: [
      'Both schools give and receive: the supported school shares back what it does well',
      'Practice is adapted to the pupils it is for, not copied',
      'We say early when something is not working',
    ],
    roles: [
      { who: `Broker (${broker.name})`, schoolId: null, responsibility: 'Introduced the schools; keeps the work to its purpose and chairs the reviews' },
      { who: who ?? 'The supporting school', schoolId: supporterId, responsibility: `Gives ${Number(r.days_needed)} days a term of ${kind}` },
      { who: `Head teacher of ${r.school_name}`, schoolId: requesterId, responsibility: 'Releases staff, leads the change in school and reports progress at each review' },
    ],
    meetings: { frequency: 'half_termly', minAttendancePct: 80, consequence: 'The broker asks both heads whether the support should continue' },
    dataSharing: [],
    conflictResolution: 'The two head teachers meet with the broker; if they cannot agree, either school may end the support at the next review.',
    funding: { model: 'ad_hoc', amounts: [], period: 'per_year' },
    changeNote: `Drafted by Trellis from support request ${r.id}; both schools read and sign it`,
  });
  await ctx.db.updateTable('support_request').set({ partnership_id: plan.id, updated_at: new Date() }).where('id', '=', requestId).execute();
  return plan.id;
}

/**
 * For a focus area with published data and a requester figure: "reach what schools with its
 * intake achieve" — baseline the latest figure, target the model's prediction for its context
 * (or a little above the baseline when it already beats the prediction). The requesting school
 * raised the request and accepted the match, so its own figure is shared with its partner here.
 */
async function derivedGoal(ctx: BrokeringContext, r: repo.RequestRow, today: string, targetOn: string): Promise<RequestGoalJson | null> {
  const reg = await loadRegister(ctx.db, today);
  const at = reg.byId.get(Number(r.school_id));
  if (at === undefined) return null;
  const measure = reg.measures(r.focus_area as FocusArea).find((m) => m.yearsOf(at).length > 0);
  if (!measure) return null;
  const years = measure.yearsOf(at);
  const year = years[years.length - 1]!;
  const urn = reg.schools[at]!.urn;
  if (urn === null) return null;
  const { measureByCode } = await import('../../../common/evaluation.ts');
  const m = measureByCode.get(measure.code)!;
  const { loadMeasure } = await import('../evaluation/school-data.ts');
  const value = (await loadMeasure(ctx.db, m)).values.get(urn)?.get(year);
  if (value === undefined) return null;
  const z = measure.z[at]!;
  const baselineOn = `${Number(year.slice(0, 4)) + 1}-08-31`;
  if (baselineOn >= targetOn) return null;
  // A residual of z SDs below the prediction: closing it is the target (never below the baseline).
  const step = m.unit === 'percent' ? 5 : m.unit === 'score' ? 1 : 0.5;
  const gain = Number.isFinite(z) && z < 0 ? Math.min(-z * step * 2, step * 4) : step;
  const target = m.better === 'lower' ? Math.max(0, value - gain) : value + gain;
  return {
    statement: `${r.school_name}: ${m.label.toLowerCase()} moves towards what schools with its intake achieve`,
    measure: m.label,
    unit: m.unit === 'percent' ? '%' : m.unit === 'score' ? 'points' : 'progress score',
    baseline: { value: Math.round(value * 100) / 100, on: baselineOn, source: `${year} published results` },
    target: { value: Math.round(target * 100) / 100, on: targetOn },
  };
}

/** The support starts: the support partnership becomes active (so both schools must have signed its agreement). */
export async function startSupport(ctx: BrokeringContext, actor: Actor, id: number, input: { startedOn?: string | undefined }): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: false });
  assertMove(r.status, 'in_support');
  const startedOn = input.startedOn ?? actor.today;
  if (startedOn > actor.today) throw new Invalid('startedOn', `${startedOn} is in the future; start the support once it has begun`);
  const partnershipId = await ensureSupportPartnership(ctx, id);
  if (partnershipId !== null) {
    const broker = (await loadActor(ctx.db, Number(r.broker_id), actor.today, null))!;
    const stage = await ctx.db.selectFrom('partnership').select('stage').where('id', '=', partnershipId).executeTakeFirstOrThrow();
    if (stage.stage === 'forming') {
      try {
        await transition({ db: ctx.db, today: () => actor.today }, broker, partnershipId, { to: 'active', note: `Brokered support started (support request ${id})` });
      } catch (error) {
        if (error instanceof Conflict) throw new Conflict(`the support partnership cannot become active yet: ${error.message}`);
        throw error;
      }
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('support_request').set({ status: 'in_support', started_on: r.started_on ?? startedOn, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.stage', resourceType: 'support_request', resourceId: id, schoolId: Number(r.school_id), detail: { to: 'in_support' } });
  });
  return view(ctx, actor, id);
}

async function move(ctx: BrokeringContext, actor: Actor, r: repo.RequestRow, to: RequestStatus, values: Record<string, unknown>, detail: Record<string, unknown> = {}): Promise<RequestView> {
  assertMove(r.status, to);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockRequest(trx, Number(r.id));
    if (!locked || locked.status !== r.status) throw new Conflict('the request moved on meanwhile; reload it');
    await trx
      .updateTable('support_request')
      .set({ status: to, ...values, updated_at: new Date() })
      .where('id', '=', Number(r.id))
      .execute();
    if (to === 'withdrawn') await trx.updateTable('introduction').set({ status: 'withdrawn', closed_on: actor.today }).where('request_id', '=', Number(r.id)).where('status', '=', 'pending').execute();
    await audit(trx, { personId: actor.personId, action: 'brokering.stage', resourceType: 'support_request', resourceId: Number(r.id), schoolId: Number(r.school_id), detail: { from: r.status, to, ...detail } });
  });
  return view(ctx, actor, Number(r.id));
}

export async function reviewSupport(ctx: BrokeringContext, actor: Actor, id: number, input: { note: string; heldOn?: string | undefined }): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: false });
  const on = input.heldOn ?? actor.today;
  if (on > actor.today) throw new Invalid('heldOn', `${on} is in the future; record a review once it has been held`);
  return move(ctx, actor, r, 'reviewed', { review_note: input.note, reviewed_on: on, reviewed_by: actor.personId });
}

export async function continueSupport(ctx: BrokeringContext, actor: Actor, id: number, input: { note?: string | null | undefined }): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: false });
  return move(ctx, actor, r, 'in_support', {}, input.note ? { note: input.note } : {});
}

export async function closeRequest(ctx: BrokeringContext, actor: Actor, id: number, input: { outcome: string; note?: string | null | undefined }): Promise<RequestView> {
  const r = await forBroker(ctx, actor, id, { claim: false });
  return move(ctx, actor, r, 'closed', { outcome: input.outcome, outcome_note: input.note ?? null, closed_on: actor.today }, { outcome: input.outcome });
}

/** The requesting school (its leaders) or the broker withdraws a request not yet matched. */
export async function withdrawRequest(ctx: BrokeringContext, actor: Actor, id: number, input: { reason: string }): Promise<RequestView> {
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw new NotFound(`support request ${id}`);
  const requester = await can(ctx, actor, 'brokering.school', { schoolId: Number(r.school_id) });
  const broker = (await can(ctx, actor, 'brokering.broker', { schoolId: Number(r.school_id) })) && (r.broker_id === null || Number(r.broker_id) === actor.personId || isAdmin(actor));
  if (!requester && !broker) throw new NotFound(`support request ${id}`);
  return move(ctx, actor, r, 'withdrawn', { withdrawn_reason: input.reason });
}

/** Introductions waiting for the viewer's answer (for a head's or a supporter's home page). */
export async function myIntroductions(ctx: BrokeringContext, actor: Actor): Promise<{ items: (Introduction & { request: RequestSummary })[] }> {
  const leads = schoolIdsWith(actor, schoolLeaderRoles);
  const rows = await ctx.db
    .selectFrom('introduction as i')
    .innerJoin('support_request as r', 'r.id', 'i.request_id')
    .leftJoin('expertise_offer as o', 'o.id', 'i.offer_id')
    .select(['i.id', 'i.request_id'])
    .where('i.status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('r.school_id', 'in', leads.length ? leads : [-1]),
        eb.and([eb('o.person_id', 'is', null), eb('i.school_id', 'in', leads.length ? leads : [-1])]),
        eb('o.person_id', '=', actor.personId),
      ]),
    )
    .orderBy('i.id')
    .execute();
  const items: (Introduction & { request: RequestSummary })[] = [];
  for (const row of rows) {
    const v = await view(ctx, actor, Number(row.request_id));
    const intro = v.introductions.find((x) => x.id === Number(row.id));
    if (intro?.viewerAnswers) {
      const { description: _d, goals: _g, conflicts: _c, brokerCheck: _b, shortlist: _s, introductions: _i, offer: _o, supportNetworkId: _n, partnershipId: _p, activityId: _a, startedOn: _st, review: _r, outcome: _oc, withdrawnReason: _w, viewer: _v, ...summary } = v;
      items.push({ ...intro, request: summary });
    }
  }
  return { items };
}
