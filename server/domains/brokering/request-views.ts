import type { Kysely } from 'kysely';
import { schoolLeaderRoles } from '../../../common/access.ts';
import type { FocusArea, IntroductionAnswer, IntroductionStatus, RequestStatus, ShortlistSource, SupportKind, SupportOutcome } from '../../../common/brokering.ts';
import type { DB } from '../../db/database.ts';
import { type Actor, isAdmin, ownSchoolIds, schoolIdsWith } from '../access/actor.ts';
import { can, readableSchools } from '../access/policy.ts';
import * as repo from './brokering.repository.ts';
import type { BrokerCheck, Introduction, RequestSummary, RequestView, ShortlistEntry } from './brokering.schema.ts';
import { nextSteps } from './request-status.ts';

/**
 * How a request reads: its summary, the broker's standing towards both sides (the honest-broker
 * check), its shortlist (for brokers), introductions (with the side the viewer may answer for)
 * and what happens next.
 */

const iso = (d: Date | string) => new Date(d).toISOString();

export function requestSummaries(rows: repo.RequestRow[]): RequestSummary[] {
  return rows.map((r) => ({
    id: Number(r.id),
    school: { schoolId: Number(r.school_id), name: r.school_name, urn: r.school_urn },
    focusArea: r.focus_area as FocusArea,
    kind: r.kind as SupportKind,
    daysNeeded: Number(r.days_needed),
    terms: r.terms,
    status: r.status as RequestStatus,
    broker: r.broker_id === null ? null : { personId: Number(r.broker_id), name: r.broker_name ?? '' },
    supporter: r.supporter_school_id === null ? null : { schoolId: Number(r.supporter_school_id), name: r.supporter_name ?? '', urn: r.supporter_urn },
    createdOn: r.created_on,
  }));
}

/**
 * The broker's declared ties to each side. A broker tied to one side only is flagged (not an
 * honest broker: DOMAIN.md §8, "no prior tie to just one of the schools"); tied to neither or
 * both is fine. A school counts as tied when the broker declared it, or a network it belongs to
 * today. The supporter is the matched school, else the one given (a pending introduction's).
 */
export async function brokerCheck(db: Kysely<DB>, r: repo.RequestRow, brokerId: number | null, supporterId: number | null, today: string): Promise<BrokerCheck> {
  if (brokerId === null) {
    return { broker: null, declared: false, declaredOn: null, affiliatedWithRequester: [], affiliatedWithSupporter: [], flag: 'none', message: 'No broker has taken this request yet.' };
  }
  const names = await repo.personNames(db, [brokerId]);
  const declaration = await repo.declarationOf(db, brokerId);
  const affiliations = await repo.affiliationsOf(db, [brokerId]);
  const supporter = r.supporter_school_id !== null ? Number(r.supporter_school_id) : supporterId;
  const sides = [Number(r.school_id), ...(supporter !== null ? [supporter] : [])];
  const networks = await repo.networksOf(db, sides, today);
  const tiesTo = (schoolId: number) =>
    affiliations
      .filter((a) => (a.school_id !== null && Number(a.school_id) === schoolId) || (a.network_id !== null && (networks.get(schoolId) ?? []).includes(Number(a.network_id))))
      .map((a) => `${a.kind} — ${a.school_name ?? a.network_name ?? ''}`);
  const toRequester = tiesTo(Number(r.school_id));
  const toSupporter = supporter !== null ? tiesTo(supporter) : [];
  const broker = { personId: brokerId, name: names.get(brokerId) ?? '' };
  if (!declaration) {
    return {
      broker,
      declared: false,
      declaredOn: null,
      affiliatedWithRequester: toRequester,
      affiliatedWithSupporter: toSupporter,
      flag: 'undeclared',
      message: `${broker.name} has not declared their affiliations; brokers declare them (PUT /api/v1/brokers/me/affiliations) before they shortlist or introduce.`,
    };
  }
  const flag = toRequester.length && toSupporter.length ? 'both' : toRequester.length ? 'requester' : toSupporter.length ? 'supporter' : 'none';
  const message =
    flag === 'requester'
      ? `${broker.name} is tied to the requesting school only (${toRequester.join('; ')}): not an honest broker for this match.`
      : flag === 'supporter'
        ? `${broker.name} is tied to the supporting school only (${toSupporter.join('; ')}): not an honest broker for this match.`
        : flag === 'both'
          ? `${broker.name} is tied to both schools: even-handed, as an honest broker may be.`
          : null;
  return { broker, declared: true, declaredOn: declaration.declared_on, affiliatedWithRequester: toRequester, affiliatedWithSupporter: toSupporter, flag, message };
}

/** The viewer's relation to a request. */
export type Standing = { admin: boolean; broker: boolean; requester: boolean; requesterStaff: boolean; supporterFor: Set<number> };

export async function standingOf(db: Kysely<DB>, actor: Actor, r: repo.RequestRow, intros: repo.IntroductionRow[]): Promise<Standing> {
  const leads = schoolIdsWith(actor, schoolLeaderRoles);
  const supporterFor = new Set(intros.filter((i) => leads.includes(Number(i.school_id)) || Number(i.offer_person_id) === actor.personId).map((i) => Number(i.id)));
  return {
    admin: isAdmin(actor),
    broker: await can({ db }, actor, 'brokering.broker', { schoolId: Number(r.school_id) }),
    requester: leads.includes(Number(r.school_id)),
    requesterStaff: ownSchoolIds(actor).includes(Number(r.school_id)),
    supporterFor,
  };
}

export const seesRequest = (s: Standing) => s.admin || s.broker || s.requesterStaff || s.supporterFor.size > 0;

/** Which side of a pending introduction the viewer may answer for now. */
export function answerableSide(actor: Actor, r: repo.RequestRow, i: repo.IntroductionRow | (Omit<repo.IntroductionRow, 'school_name' | 'urn' | 'offer_person_name' | 'requester_by_name' | 'supporter_by_name'>)): ('requester' | 'supporter')[] {
  if (i.status !== 'pending') return [];
  const leads = schoolIdsWith(actor, schoolLeaderRoles);
  const sides: ('requester' | 'supporter')[] = [];
  if (i.requester_answer === 'pending' && leads.includes(Number(r.school_id))) sides.push('requester');
  // A person's offer is answered by that person (their school's leaders approved the offer); a school's by its leaders.
  const supporterAnswers = i.offer_person_id !== null ? Number(i.offer_person_id) === actor.personId : leads.includes(Number(i.school_id));
  if (i.supporter_answer === 'pending' && supporterAnswers) sides.push('supporter');
  return sides;
}

function introductionView(actor: Actor, r: repo.RequestRow, i: repo.IntroductionRow): Introduction {
  const sides = answerableSide(actor, r, i);
  return {
    id: Number(i.id),
    requestId: Number(i.request_id),
    supporter: { schoolId: Number(i.school_id), name: i.school_name, urn: i.urn },
    offer: i.offer_id === null ? null : { offerId: Number(i.offer_id), person: i.offer_person_id === null ? null : { personId: Number(i.offer_person_id), name: i.offer_person_name ?? '' } },
    status: i.status as IntroductionStatus,
    requester: { answer: i.requester_answer as IntroductionAnswer, by: i.requester_by_name, on: i.requester_on, note: i.requester_note },
    supporterAnswer: { answer: i.supporter_answer as IntroductionAnswer, by: i.supporter_by_name, on: i.supporter_on, note: i.supporter_note },
    note: i.note,
    createdOn: i.created_on,
    closedOn: i.closed_on,
    viewerAnswers: sides[0] ?? null,
  };
}

/**
 * The shortlist as the viewer may see it. Its factors are a snapshot taken when it was made, by
 * whichever broker made it; the raw values that rest on published results (the candidate's
 * strength, the requester's strength in return) are withheld, as in the live ranking, unless the
 * viewer may read that school's outcomes (`readable`). `committed` holds days already promised
 * from each offer, so capacity left is what is really left.
 */
export function shortlistViews(
  rows: repo.ShortlistRow[],
  schools: Map<number, { name: string; urn: number | null; phase: string | null; laName: string | null }>,
  offers: Map<number, repo.OfferRow>,
  affiliated: Set<number>,
  view: { requesterId: number; readable: Set<number>; committed: Map<number, number> },
): ShortlistEntry[] {
  const rawShown = (factor: string, schoolId: number) =>
    factor === 'strength' ? view.readable.has(schoolId) : factor === 'reciprocity' ? view.readable.has(view.requesterId) : true;
  return rows.map((e) => {
    const s = schools.get(Number(e.school_id));
    const o = e.offer_id === null ? undefined : offers.get(Number(e.offer_id));
    return {
      id: Number(e.id),
      rank: e.rank,
      school: { schoolId: Number(e.school_id), name: s?.name ?? '', urn: s?.urn ?? null, phase: s?.phase ?? null, laName: s?.laName ?? null },
      offer: o
        ? {
            offerId: Number(o.id),
            person: o.person_id === null ? null : { personId: Number(o.person_id), name: o.person_name ?? '' },
            kinds: o.kinds as SupportKind[],
            capacityLeft: Number(o.capacity_days) - (view.committed.get(Number(o.id)) ?? 0),
          }
        : null,
      score: e.score,
      distanceKm: e.distance_km,
      factors: e.factors.map((f) => (rawShown(f.factor, Number(e.school_id)) ? f : { ...f, raw: null })),
      brokerAffiliated: affiliated.has(Number(e.school_id)),
      source: e.source as ShortlistSource,
      createdAt: iso(e.created_at),
    };
  });
}

/** The request as the viewer may see it; `null` when they may not see it at all. */
export async function requestView(db: Kysely<DB>, actor: Actor, r: repo.RequestRow, affiliated: (brokerId: number | null) => Promise<Set<number>>): Promise<RequestView | null> {
  const intros = await repo.introductionsOf(db, [Number(r.id)]);
  const standing = await standingOf(db, actor, r, intros);
  if (!seesRequest(standing)) return null;
  const [summary] = requestSummaries([r]);
  const pending = intros.find((i) => i.status === 'pending');
  const check = await brokerCheck(db, r, r.broker_id === null ? null : Number(r.broker_id), pending ? Number(pending.school_id) : null, actor.today);
  let shortlist: ShortlistEntry[] | null = null;
  if (standing.broker || standing.admin) {
    const rows = await repo.shortlistOf(db, Number(r.id));
    const schools = new Map((await repo.schoolRefs(db, rows.map((e) => Number(e.school_id)))).map((s) => [s.id, s]));
    const offerIds = rows.flatMap((e) => (e.offer_id === null ? [] : [Number(e.offer_id)]));
    const offers = new Map((offerIds.length ? await repo.offersWhere(db, { ids: offerIds }) : []).map((o) => [Number(o.id), o]));
    const requesterId = Number(r.school_id);
    const readable = new Set(await readableSchools({ db }, actor, 'outcomes', [requesterId, ...rows.map((e) => Number(e.school_id))]));
    const committed = offerIds.length ? await repo.committedDays(db, offerIds) : new Map<number, number>();
    shortlist = shortlistViews(rows, schools, offers, await affiliated(r.broker_id === null ? actor.personId : Number(r.broker_id)), { requesterId, readable, committed });
  }
  const conflictNames = new Map((await repo.schoolRefs(db, r.conflicts.map((c) => c.schoolId))).map((s) => [s.id, s.name]));
  const reviewer = r.reviewed_by === null ? null : ((await repo.personNames(db, [Number(r.reviewed_by)])).get(Number(r.reviewed_by)) ?? null);
  const matchedOffer = r.offer_id === null ? null : (await repo.offersWhere(db, { ids: [Number(r.offer_id)] }))[0];
  const status = r.status as RequestStatus;
  return {
    ...summary!,
    description: r.description,
    goals: r.goals.map((g) => ({ ...g, unit: g.unit ?? null, baseline: { ...g.baseline, source: g.baseline.source ?? null } })),
    conflicts: r.conflicts.map((c) => ({ schoolId: c.schoolId, name: conflictNames.get(c.schoolId) ?? '', reason: c.reason })),
    brokerCheck: check,
    shortlist,
    introductions: intros.map((i) => introductionView(actor, r, i)),
    offer: matchedOffer ? { offerId: Number(matchedOffer.id), person: matchedOffer.person_id === null ? null : { personId: Number(matchedOffer.person_id), name: matchedOffer.person_name ?? '' } } : null,
    supportNetworkId: r.support_network_id === null ? null : Number(r.support_network_id),
    partnershipId: r.partnership_id === null ? null : Number(r.partnership_id),
    activityId: r.activity_id === null ? null : Number(r.activity_id),
    startedOn: r.started_on,
    review: r.review_note && r.reviewed_on ? { note: r.review_note, on: r.reviewed_on, by: reviewer } : null,
    outcome: r.outcome && r.closed_on ? { outcome: r.outcome as SupportOutcome, note: r.outcome_note, closedOn: r.closed_on } : null,
    withdrawnReason: r.withdrawn_reason,
    viewer: { broker: standing.broker, requester: standing.requester, nextSteps: nextSteps(status) },
  };
}
