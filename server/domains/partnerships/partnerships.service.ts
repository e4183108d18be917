import type { Kysely } from 'kysely';
import { dataClasses, Role, schoolLeaderRoles } from '../../../common/access.ts';
import {
  type GoalStatus,
  maxActiveGoals,
  meetingsPerYear,
  PartnershipStage,
  type ProgressStatus,
  type ReviewDecision,
  type SharingStatus,
} from '../../../common/partnerships.ts';
import type { Formation } from '../../../common/vocabulary.ts';

type FormationCode = keyof typeof Formation.labels;
import type { DB } from '../../db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, schoolIdsWith } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { type Action, can, requireAccess } from '../access/policy.ts';
import { computeFunding } from './funding.ts';
import { checkTransition, nextSteps, type StageFacts } from './partnership-stage.ts';
import * as repo from './partnerships.repository.ts';
import type { MemberRow, PartnershipRow } from './partnerships.repository.ts';
import {
  type Agreement,
  type AgreementInput,
  type AttendanceSummary,
  type DataSharingView,
  type Ending,
  type EndingInput,
  type FundingView,
  FundingTerms,
  type Goal,
  type GoalPatch,
  type Meeting,
  type NewGoal,
  type NewMeeting,
  type NewPartnership,
  type NewReview,
  type PartnershipPatch,
  type PartnershipSummary,
  type Plan,
  type RetireGoal,
  type Review,
  type ReviewPatch,
  type SignAgreement,
  type TransitionRequest,
} from './partnerships.schema.ts';

/**
 * A network's partnership plan: formation, goals, the written agreement, meetings, reviews, the
 * ending and the lifecycle. Every function checks access first (`partnership.read` or
 * `partnership.edit` on the partnership's network; a refusal reads as "not found"), then the
 * plan's own rules, then writes what belongs together in one short transaction.
 */
export type PartnershipContext = { db: Kysely<DB>; today: () => string };

type Stage = PartnershipStage;
const stageLabel = (s: string) => PartnershipStage.labels[s as Stage] ?? s;
const iso = (d: Date | string) => new Date(d).toISOString();

/** yyyy-mm-dd arithmetic in UTC (dates here have no time zone). */
export function addDays(on: string, days: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
export function addYears(on: string, years: number): string {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  // 29 February moves to 28 February in a year without one.
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

async function loadFor(ctx: PartnershipContext, actor: Actor, id: number, action: Extract<Action, 'partnership.read' | 'partnership.edit'>): Promise<PartnershipRow> {
  const p = await repo.findPartnership(ctx.db, id);
  // Missing and refused give the same answer, so a refusal does not reveal what exists.
  if (!p) throw new NotFound(`partnership ${id}`);
  await requireAccess(ctx, actor, action, { networkId: p.network_id }, `partnership ${id}`);
  return p;
}

function assertOpen(p: PartnershipRow) {
  if (p.stage === 'ended') {
    throw new Conflict(`partnership ${p.id} ended on ${p.ended_on} and is kept as a record; form a new partnership for ${p.network_name} to plan further work`);
  }
}

function notFuture(field: string, on: string, today: string, what: string) {
  if (on > today) throw new Invalid(field, `${on} is in the future; ${what}`);
}

async function requireMembers(db: Kysely<DB>, p: PartnershipRow, schoolIds: { path: string; schoolId: number }[], on: string) {
  if (schoolIds.length === 0) return;
  const members = new Set((await repo.membersOn(db, p.network_id, on)).map((m) => m.id));
  for (const s of schoolIds) {
    if (!members.has(s.schoolId)) {
      const [school] = await repo.schoolNames(db, [s.schoolId]);
      throw new Invalid(s.path, `${school ? school.name : `school ${s.schoolId}`} is not a member of ${p.network_name} on ${on}; choose one of its member schools`);
    }
  }
}

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

// ---------------------------------------------------------------------------------------------
// Reading the plan

const schoolRef = (m: { id: number; name: string; urn: number | null }) => ({ schoolId: Number(m.id), name: m.name, urn: m.urn });

async function goalViews(db: Kysely<DB>, rows: Awaited<ReturnType<typeof repo.goalsOf>>, members: MemberRow[]): Promise<Goal[]> {
  const ids = rows.map((g) => Number(g.id));
  const contributions = await repo.contributionsOf(db, ids);
  const progress = new Map((await repo.latestProgressOf(db, ids)).map((p) => [Number(p.goal_id), p]));
  const views = rows.map((g): Goal => {
    const mine = contributions.filter((c) => Number(c.goal_id) === Number(g.id));
    const latest = progress.get(Number(g.id));
    return {
      id: Number(g.id),
      partnershipId: Number(g.partnership_id),
      statement: g.statement,
      measure: g.measure,
      unit: g.unit,
      baseline: { value: Number(g.baseline_value), on: g.baseline_on, source: g.baseline_source },
      target: { value: Number(g.target_value), on: g.target_on },
      status: g.status as GoalStatus,
      contributions: mine.map((c) => ({ schoolId: Number(c.school_id), name: c.name, contribution: c.contribution })),
      missingContributions: g.retired_on ? [] : members.filter((m) => !mine.some((c) => Number(c.school_id) === m.id)).map(schoolRef),
      retired: g.retired_on ? { on: g.retired_on, reason: g.retired_reason ?? '', mergedIntoGoalId: g.merged_into === null ? null : Number(g.merged_into) } : null,
      latestProgress: latest
        ? {
            reviewId: Number(latest.review_id),
            heldOn: latest.held_on,
            valueNow: latest.value_now === null ? null : Number(latest.value_now),
            status: latest.status as ProgressStatus,
            commentary: latest.commentary,
          }
        : null,
      createdAt: iso(g.created_at),
    };
  });
  // Goals in force first, then retired ones; each in the order they were set.
  return [...views.filter((g) => !g.retired), ...views.filter((g) => g.retired)];
}

async function agreementViews(db: Kysely<DB>, partnershipId: number, members: MemberRow[]): Promise<Agreement[]> {
  const rows = await repo.agreementsOf(db, partnershipId);
  const signatures = await repo.signaturesOf(
    db,
    rows.map((a) => Number(a.id)),
  );
  const roleSchoolIds = [...new Set(rows.flatMap((a) => a.roles.map((r) => r.schoolId)).filter((x): x is number => x !== null && x !== undefined))];
  const names = new Map((await repo.schoolNames(db, roleSchoolIds)).map((s) => [Number(s.id), s.name]));
  return rows.map((a, i): Agreement => {
    const signed = signatures.filter((s) => Number(s.agreement_id) === Number(a.id));
    const awaiting = members.filter((m) => !signed.some((s) => Number(s.school_id) === m.id)).map(schoolRef);
    return {
      id: Number(a.id),
      version: a.version,
      current: i === 0,
      effectiveFrom: a.effective_from,
      principles: a.principles,
      roles: a.roles.map((r) => ({ who: r.who, schoolId: r.schoolId ?? null, schoolName: r.schoolId ? (names.get(r.schoolId) ?? null) : null, responsibility: r.responsibility })),
      meetings: {
        frequency: a.meeting_frequency as Agreement['meetings']['frequency'],
        minAttendancePct: a.min_attendance_pct,
        consequence: a.attendance_consequence,
      },
      dataSharing: a.data_sharing.map((t) => ({ dataClass: t.dataClass as Agreement['dataSharing'][number]['dataClass'], intended: t.intended, purpose: t.purpose ?? null })),
      conflictResolution: a.conflict_resolution,
      funding: FundingTerms.parse(a.funding),
      changeNote: a.change_note,
      createdAt: iso(a.created_at),
      createdBy: a.created_by_name,
      signatures: signed.map((s) => ({
        schoolId: Number(s.school_id),
        name: s.school_name,
        signedOn: s.signed_on,
        signedBy: s.signed_by_name,
        role: Role[s.signed_role as keyof typeof Role] ?? s.signed_role,
        note: s.note,
      })),
      awaiting,
      agreed: awaiting.length === 0 && members.length > 0,
    };
  });
}

function fundingView(agreement: Agreement, members: MemberRow[]): FundingView {
  const outcome = computeFunding(
    agreement.funding,
    members.map((m) => ({ schoolId: m.id, name: m.name, pupilRoll: m.pupil_roll })),
  );
  return outcome.ok
    ? { version: agreement.version, terms: agreement.funding, totalPence: outcome.totalPence, shares: outcome.shares, problems: [] }
    : { version: agreement.version, terms: agreement.funding, totalPence: null, shares: [], problems: outcome.problems };
}

async function dataSharingView(db: Kysely<DB>, networkId: number, members: MemberRow[], agreement: Agreement | null): Promise<DataSharingView> {
  const decisions = await repo.sharingDecisions(
    db,
    networkId,
    members.map((m) => m.id),
  );
  let gaps = 0;
  const schools = members.map((m) => ({
    schoolId: m.id,
    name: m.name,
    classes: dataClasses.map((dataClass) => {
      const intended = agreement?.dataSharing.find((t) => t.dataClass === dataClass)?.intended ?? false;
      const decision = decisions.find((d) => Number(d.school_id) === m.id && d.data_class === dataClass);
      const shared = decision?.shared ?? false;
      const status: SharingStatus = intended ? (shared ? 'as_agreed' : 'awaiting_school') : shared ? 'beyond_terms' : 'not_in_terms';
      if (status === 'awaiting_school') gaps++;
      return { dataClass, intended, shared, decidedAt: decision ? iso(decision.decided_at) : null, status };
    }),
  }));
  return { version: agreement?.version ?? null, schools, gaps };
}

async function attendanceSummary(db: Kysely<DB>, p: PartnershipRow, agreement: Agreement | null, members: MemberRow[], from: string, to: string): Promise<AttendanceSummary> {
  const counts = await repo.attendanceCounts(db, p.id, p.network_id, from, to);
  for (const m of members) if (!counts.some((c) => c.school_id === m.id)) counts.push({ school_id: m.id, name: m.name, expected: 0, attended: 0 });
  counts.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.school_id - b.school_id);
  const min = agreement?.meetings.minAttendancePct ?? null;
  const frequency = agreement?.meetings.frequency ?? null;
  const start = from > p.formed_on ? from : p.formed_on;
  const days = Math.max(0, daysBetween(start, to) + 1);
  return {
    from,
    to,
    meetingsHeld: await repo.countMeetingsBetween(db, p.id, from, to),
    frequency,
    meetingsExpected: frequency ? Math.round((meetingsPerYear[frequency] * days) / 365) : null,
    minAttendancePct: min,
    consequence: agreement?.meetings.consequence ?? null,
    schools: counts.map((c) => {
      const ratePct = c.expected > 0 ? Math.round((1000 * c.attended) / c.expected) / 10 : null;
      return { schoolId: c.school_id, name: c.name, expected: c.expected, attended: c.attended, ratePct, belowExpectation: min !== null && ratePct !== null && ratePct < min };
    }),
  };
}

async function meetingViews(db: Kysely<DB>, p: PartnershipRow, limit?: number): Promise<Meeting[]> {
  const rows = await repo.meetingsOf(db, p.id, limit);
  const ids = rows.map((m) => Number(m.id));
  const attendance = await repo.attendanceOf(db, ids);
  const expected = await repo.expectedAt(db, p.network_id, ids);
  return rows.map((m) => {
    const came = attendance.filter((a) => Number(a.meeting_id) === Number(m.id));
    return {
      id: Number(m.id),
      heldOn: m.held_on,
      title: m.title,
      notes: m.notes,
      attendance: came.map((a) => ({ schoolId: Number(a.school_id), name: a.name, attendees: a.attendees.map((x) => ({ name: x.name, role: x.role ?? null })) })),
      absent: expected
        .filter((e) => e.meeting_id === Number(m.id) && !came.some((a) => Number(a.school_id) === e.school_id))
        .map((e) => ({ schoolId: e.school_id, name: e.name, urn: e.urn })),
      otherAttendees: m.other_attendees.map((x) => ({ name: x.name, role: x.role ?? null })),
    };
  });
}

async function reviewViews(db: Kysely<DB>, partnershipId: number): Promise<Review[]> {
  const rows = await repo.reviewsOf(db, partnershipId);
  const progress = await repo.progressOf(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    heldOn: r.held_on,
    summary: r.summary,
    decision: r.decision as ReviewDecision | null,
    decisionNote: r.decision_note,
    recordedBy: r.recorded_by_name,
    progress: progress
      .filter((x) => Number(x.review_id) === Number(r.id))
      .map((x) => ({ goalId: Number(x.goal_id), statement: x.statement, valueNow: x.value_now === null ? null : Number(x.value_now), status: x.status as ProgressStatus, commentary: x.commentary })),
    createdAt: iso(r.created_at),
  }));
}

async function endingView(db: Kysely<DB>, partnershipId: number): Promise<Ending | null> {
  const e = await repo.endingOf(db, partnershipId);
  if (!e) return null;
  return {
    agreedOn: e.agreed_on,
    endsOn: e.ends_on,
    reason: e.reason,
    agreedBy: e.agreed_by,
    kept: e.kept.map((k) => ({ kind: k.kind as Ending['kept'][number]['kind'], what: k.what, keptBy: k.keptBy ?? null })),
    recordedBy: e.recorded_by_name,
    recordedAt: iso(e.recorded_at),
  };
}

/** What the state machine needs to know, read inside the caller's transaction when it has one. */
async function stageFacts(db: Kysely<DB>, p: PartnershipRow, today: string, note: string | null): Promise<StageFacts> {
  const latest = await repo.latestAgreement(db, p.id);
  let agreement: StageFacts['agreement'] = null;
  if (latest) {
    const members = await repo.membersOn(db, p.network_id, today);
    const signed = new Set((await repo.signaturesOf(db, [Number(latest.id)])).map((s) => Number(s.school_id)));
    agreement = { version: latest.version, awaitingSchools: members.filter((m) => !signed.has(m.id)).map((m) => m.name) };
  }
  const since = await repo.lastBecameActive(db, p.id);
  const review = since ? await repo.latestReviewSince(db, p.id, since) : undefined;
  const ending = await repo.endingOf(db, p.id);
  return {
    today,
    activeGoals: await repo.countGoalsInForce(db, p.id),
    agreement,
    reviewSinceActive: review
      ? { heldOn: review.held_on, decision: review.decision as ReviewDecision | null, goalsChangedSince: await repo.goalsChangedSince(db, p.id, new Date(review.created_at)) }
      : null,
    ending: ending ? { endsOn: ending.ends_on } : null,
    note,
  };
}

/** The whole plan as one view. `viewer` null: the operator's CLI (no viewer-specific rights). */
async function buildPlan(ctx: PartnershipContext, p: PartnershipRow, viewer: Actor | null, today: string): Promise<Plan> {
  const db = ctx.db;
  const members = await repo.membersOn(db, p.network_id, today);
  const goals = await goalViews(db, await repo.goalsOf(db, p.id), members);
  const agreements = await agreementViews(db, p.id, members);
  const agreement = agreements[0] ?? null;
  const history = await repo.stageHistory(db, p.id);
  const facts = await stageFacts(db, p, today, null);
  const canEdit = p.stage !== 'ended' && viewer !== null && (await can(ctx, viewer, 'partnership.edit', { networkId: p.network_id }));
  const leads = viewer ? schoolIdsWith(viewer, schoolLeaderRoles) : [];
  const inForce = goals.filter((g) => !g.retired).length;
  return {
    id: p.id,
    networkId: p.network_id,
    networkName: p.network_name,
    stage: p.stage as Stage,
    purpose: p.purpose,
    formedOn: p.formed_on,
    endedOn: p.ended_on,
    activeGoals: inForce,
    sharedVision: p.shared_vision,
    theoryOfAction: p.theory_of_action,
    formation: p.formation as FormationCode | null,
    members: members.map((m) => ({ ...schoolRef(m), pupilRoll: m.pupil_roll })),
    goals,
    goalLimit: { max: maxActiveGoals, inForce },
    agreement,
    agreementVersions: agreements.map((a) => ({ version: a.version, effectiveFrom: a.effectiveFrom, createdAt: a.createdAt, agreed: a.agreed, signatures: a.signatures.length })),
    dataSharing: await dataSharingView(db, p.network_id, members, agreement),
    funding: agreement ? fundingView(agreement, members) : null,
    attendance: await attendanceSummary(db, p, agreement, members, addYears(today, -1), today),
    recentMeetings: await meetingViews(db, p, 5),
    meetingCount: await repo.countMeetings(db, p.id),
    reviews: await reviewViews(db, p.id),
    ending: await endingView(db, p.id),
    history: history.map((h) => ({
      id: Number(h.id),
      from: h.from_stage as Stage | null,
      to: h.to_stage as Stage,
      on: h.changed_on,
      at: iso(h.changed_at),
      by: h.by,
      note: h.note,
    })),
    nextSteps: p.stage === 'ended' ? [] : nextSteps(p.stage as Stage, facts),
    viewer: { canEdit, canSignFor: p.stage === 'ended' ? [] : leads.filter((id) => members.some((m) => m.id === id)) },
  };
}

/** A partnership's whole plan: formation, goals, agreement, data sharing, funding, attendance, reviews, history. */
export async function getPlan(ctx: PartnershipContext, actor: Actor, id: number): Promise<Plan> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  return buildPlan(ctx, p, actor, actor.today);
}

/** The network's current partnership (the one not ended). */
export async function networkPlan(ctx: PartnershipContext, actor: Actor, networkId: number): Promise<Plan> {
  await requireAccess(ctx, actor, 'partnership.read', { networkId }, `network ${networkId}`);
  const p = await repo.currentPartnershipOf(ctx.db, networkId);
  if (!p) throw new NotFound(`a current partnership of network ${networkId} (past ones are listed at /networks/${networkId}/partnerships)`);
  return buildPlan(ctx, p, actor, actor.today);
}

/** For the operator's command line, which works on the database directly without signing in. */
export async function operatorPlan(ctx: PartnershipContext, networkId: number): Promise<Plan | null> {
  const p = await repo.currentPartnershipOf(ctx.db, networkId);
  return p ? buildPlan(ctx, p, null, ctx.today()) : null;
}

/** Every partnership the network has had, newest first. */
export async function listPartnerships(ctx: PartnershipContext, actor: Actor, networkId: number): Promise<{ items: PartnershipSummary[] }> {
  await requireAccess(ctx, actor, 'partnership.read', { networkId }, `network ${networkId}`);
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  const rows = await repo.partnershipsOf(ctx.db, networkId);
  return {
    items: rows.map((p) => ({
      id: p.id,
      networkId: p.network_id,
      networkName: p.network_name,
      stage: p.stage as Stage,
      purpose: p.purpose,
      formedOn: p.formed_on,
      endedOn: p.ended_on,
      activeGoals: Number(p.active_goals ?? 0),
    })),
  };
}

export async function listAgreements(ctx: PartnershipContext, actor: Actor, id: number): Promise<{ items: Agreement[] }> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  return { items: await agreementViews(ctx.db, p.id, await repo.membersOn(ctx.db, p.network_id, actor.today)) };
}

/** Per member school and data class: what the agreement intends beside what the school shares now. */
export async function getDataSharing(ctx: PartnershipContext, actor: Actor, id: number): Promise<DataSharingView> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  const members = await repo.membersOn(ctx.db, p.network_id, actor.today);
  const [agreement] = await agreementViews(ctx.db, p.id, members);
  return dataSharingView(ctx.db, p.network_id, members, agreement ?? null);
}

/** What each member school pays under the agreement in force. */
export async function getFunding(ctx: PartnershipContext, actor: Actor, id: number): Promise<FundingView> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  const members = await repo.membersOn(ctx.db, p.network_id, actor.today);
  const [agreement] = await agreementViews(ctx.db, p.id, members);
  if (!agreement) throw new NotFound(`a written agreement (and so a funding model) for partnership ${id}`);
  return fundingView(agreement, members);
}

export async function listMeetings(ctx: PartnershipContext, actor: Actor, id: number, from?: string): Promise<{ items: Meeting[]; attendance: AttendanceSummary }> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  const today = actor.today;
  const start = from ?? addYears(today, -1);
  if (start > today) throw new Invalid('from', `${start} is after today; count meetings from a date in the past`);
  const members = await repo.membersOn(ctx.db, p.network_id, today);
  const [agreement] = await agreementViews(ctx.db, p.id, members);
  return { items: await meetingViews(ctx.db, p), attendance: await attendanceSummary(ctx.db, p, agreement ?? null, members, start, today) };
}

// ---------------------------------------------------------------------------------------------
// Forming and changing the plan

export async function formPartnership(ctx: PartnershipContext, actor: Actor, networkId: number, input: NewPartnership): Promise<Plan> {
  await requireAccess(ctx, actor, 'partnership.edit', { networkId }, `network ${networkId}`);
  const network = await repo.findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`network ${networkId}`);
  const refuse = (existing: PartnershipRow) =>
    new Conflict(
      `${network.name} already has a partnership that has not ended (partnership ${existing.id}, ${stageLabel(existing.stage)}); change that one, or bring it to an agreed end before forming another`,
    );
  const existing = await repo.currentPartnershipOf(ctx.db, networkId);
  if (existing) throw refuse(existing);
  const today = actor.today;
  const formedOn = input.formedOn ?? today;
  notFuture('formedOn', formedOn, today, 'record the partnership once it has formed');
  let id: number;
  try {
    id = await ctx.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('partnership')
        .values({
          network_id: networkId,
          purpose: input.purpose,
          shared_vision: input.sharedVision ?? null,
          theory_of_action: input.theoryOfAction ?? null,
          formed_on: formedOn,
          formation: input.formation ?? null,
          created_by: actor.personId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await repo.insertStageChange(trx, { partnershipId: Number(row.id), from: null, to: 'forming', by: actor.personId, on: today, note: 'Partnership formed' });
      await audit(trx, { personId: actor.personId, action: 'partnership.form', resourceType: 'partnership', resourceId: Number(row.id), networkId });
      return Number(row.id);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone formed one at the same moment.
    throw refuse((await repo.currentPartnershipOf(ctx.db, networkId))!);
  }
  return getPlan(ctx, actor, id);
}

export async function updatePartnership(ctx: PartnershipContext, actor: Actor, id: number, patch: PartnershipPatch): Promise<Plan> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  assertOpen(p);
  if (patch.formedOn) notFuture('formedOn', patch.formedOn, actor.today, 'record the date it formed');
  const values = {
    ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
    ...(patch.sharedVision !== undefined ? { shared_vision: patch.sharedVision } : {}),
    ...(patch.theoryOfAction !== undefined ? { theory_of_action: patch.theoryOfAction } : {}),
    ...(patch.formedOn !== undefined ? { formed_on: patch.formedOn } : {}),
    ...(patch.formation !== undefined ? { formation: patch.formation } : {}),
  };
  if (Object.keys(values).length > 0) await ctx.db.updateTable('partnership').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
  return getPlan(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Goals

async function goalView(db: Kysely<DB>, p: PartnershipRow, goalId: number, today: string): Promise<Goal> {
  const members = await repo.membersOn(db, p.network_id, today);
  const [view] = await goalViews(db, [(await repo.findGoal(db, goalId))!], members);
  return view!;
}

async function loadGoal(ctx: PartnershipContext, actor: Actor, goalId: number) {
  const g = await repo.findGoal(ctx.db, goalId);
  if (!g) throw new NotFound(`goal ${goalId}`);
  const p = await repo.findPartnership(ctx.db, Number(g.partnership_id));
  if (!p) throw new NotFound(`goal ${goalId}`);
  await requireAccess(ctx, actor, 'partnership.edit', { networkId: p.network_id }, `goal ${goalId}`);
  return { g, p };
}

const goalLimitMessage = (n: number) =>
  `this partnership already has ${n} goals in force and may have at most ${maxActiveGoals}; retire a goal, or merge two into one, before adding another`;

/** Adds a measurable goal; refused when five are already in force (retired goals do not count). */
export async function addGoal(ctx: PartnershipContext, actor: Actor, partnershipId: number, input: NewGoal): Promise<Goal> {
  const p = await loadFor(ctx, actor, partnershipId, 'partnership.edit');
  assertOpen(p);
  await requireMembers(
    ctx.db,
    p,
    input.contributions.map((c, i) => ({ path: `contributions[${i}].schoolId`, schoolId: c.schoolId })),
    actor.today,
  );
  const goalId = await ctx.db.transaction().execute(async (trx) => {
    // Locked, so two requests cannot both see four goals (or the same version number).
    const locked = await repo.lockPartnership(trx, p.id);
    if (locked) assertOpen(locked);
    const inForce = await repo.countGoalsInForce(trx, p.id);
    if (inForce >= maxActiveGoals) throw new Invalid('goals', goalLimitMessage(inForce));
    const row = await trx
      .insertInto('partnership_goal')
      .values({
        partnership_id: p.id,
        statement: input.statement,
        measure: input.measure,
        unit: input.unit ?? null,
        baseline_value: input.baseline.value,
        baseline_on: input.baseline.on,
        baseline_source: input.baseline.source ?? null,
        target_value: input.target.value,
        target_on: input.target.on,
        created_by: actor.personId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.replaceContributions(trx, Number(row.id), input.contributions);
    return Number(row.id);
  });
  return goalView(ctx.db, p, goalId, actor.today);
}

export async function updateGoal(ctx: PartnershipContext, actor: Actor, goalId: number, patch: GoalPatch): Promise<Goal> {
  const { g, p } = await loadGoal(ctx, actor, goalId);
  assertOpen(p);
  if (g.retired_on) throw new Conflict(`goal ${goalId} was retired on ${g.retired_on} and is kept as it was; add a new goal instead`);
  const baselineOn = patch.baseline?.on ?? g.baseline_on;
  const targetOn = patch.target?.on ?? g.target_on;
  if (targetOn <= baselineOn) throw new Invalid(patch.target ? 'target.on' : 'baseline.on', `the target date (${targetOn}) must come after the baseline date (${baselineOn})`);
  if (patch.contributions) {
    await requireMembers(
      ctx.db,
      p,
      patch.contributions.map((c, i) => ({ path: `contributions[${i}].schoolId`, schoolId: c.schoolId })),
      actor.today,
    );
  }
  // A change to what the goal asks counts as renegotiating the focus (see partnership-stage.ts).
  const revised = patch.statement !== undefined || patch.measure !== undefined || patch.baseline !== undefined || patch.target !== undefined || patch.unit !== undefined;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('partnership_goal')
      .set({
        ...(patch.statement !== undefined ? { statement: patch.statement } : {}),
        ...(patch.measure !== undefined ? { measure: patch.measure } : {}),
        ...(patch.unit !== undefined ? { unit: patch.unit } : {}),
        ...(patch.baseline ? { baseline_value: patch.baseline.value, baseline_on: patch.baseline.on, baseline_source: patch.baseline.source ?? null } : {}),
        ...(patch.target ? { target_value: patch.target.value, target_on: patch.target.on } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(revised ? { revised_at: new Date() } : {}),
      })
      .where('id', '=', goalId)
      .execute();
    if (patch.contributions) await repo.replaceContributions(trx, goalId, patch.contributions);
  });
  return goalView(ctx.db, p, goalId, actor.today);
}

/** Retires a goal (kept, no longer counted towards the five), optionally as merged into another. */
export async function retireGoal(ctx: PartnershipContext, actor: Actor, goalId: number, input: RetireGoal): Promise<Goal> {
  const { g, p } = await loadGoal(ctx, actor, goalId);
  assertOpen(p);
  if (g.retired_on) throw new Conflict(`goal ${goalId} was already retired on ${g.retired_on}`);
  const retiredOn = input.retiredOn ?? actor.today;
  notFuture('retiredOn', retiredOn, actor.today, 'retire the goal on or before today');
  if (input.mergedIntoGoalId !== undefined && input.mergedIntoGoalId !== null) {
    const into = await repo.findGoal(ctx.db, input.mergedIntoGoalId);
    if (!into || Number(into.partnership_id) !== p.id || into.id === g.id || into.retired_on) {
      throw new Invalid('mergedIntoGoalId', `goal ${input.mergedIntoGoalId} is not another goal in force in this partnership; name the goal this one was merged into`);
    }
  }
  await ctx.db
    .updateTable('partnership_goal')
    .set({ retired_on: retiredOn, retired_reason: input.reason, retired_by: actor.personId, retired_at: new Date(), merged_into: input.mergedIntoGoalId ?? null })
    .where('id', '=', goalId)
    .execute();
  return goalView(ctx.db, p, goalId, actor.today);
}

// ---------------------------------------------------------------------------------------------
// The written agreement

/** Writes a new version of the agreement; it supersedes the last (kept) and needs every member's agreement again. */
export async function writeAgreement(ctx: PartnershipContext, actor: Actor, id: number, input: AgreementInput): Promise<Agreement> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  assertOpen(p);
  const today = actor.today;
  const members = await repo.membersOn(ctx.db, p.network_id, today);
  await requireMembers(
    ctx.db,
    p,
    input.roles.flatMap((r, i) => (r.schoolId ? [{ path: `roles[${i}].schoolId`, schoolId: r.schoolId }] : [])),
    today,
  );
  const funding = computeFunding(
    input.funding,
    members.map((m) => ({ schoolId: m.id, name: m.name, pupilRoll: m.pupil_roll })),
  );
  if (!funding.ok) throw new Invalid('funding', funding.problems.map((x) => x.message).join('; '));
  await ctx.db.transaction().execute(async (trx) => {
    // Locked, so two requests cannot both see four goals (or the same version number).
    const locked = await repo.lockPartnership(trx, p.id);
    if (locked) assertOpen(locked);
    const latest = await repo.latestAgreement(trx, p.id);
    const version = (latest?.version ?? 0) + 1;
    await repo.insertAgreement(trx, {
      partnershipId: p.id,
      version,
      effectiveFrom: input.effectiveFrom ?? today,
      principles: input.principles,
      roles: input.roles.map((r) => ({ who: r.who, schoolId: r.schoolId ?? null, responsibility: r.responsibility })),
      frequency: input.meetings.frequency,
      minAttendancePct: input.meetings.minAttendancePct,
      consequence: input.meetings.consequence ?? null,
      dataSharing: input.dataSharing.map((t) => ({ dataClass: t.dataClass, intended: t.intended, purpose: t.purpose ?? null })),
      conflictResolution: input.conflictResolution,
      funding: input.funding,
      changeNote: input.changeNote ?? null,
      by: actor.personId,
    });
    await audit(trx, { personId: actor.personId, action: 'partnership.agreement', resourceType: 'partnership', resourceId: p.id, networkId: p.network_id, detail: { version } });
  });
  const [current] = await agreementViews(ctx.db, p.id, members);
  return current!;
}

/**
 * A member school agrees to the agreement in force, through one of its head teachers or senior
 * leaders (the school decides for itself, as with data sharing: nobody signs for it).
 */
export async function signAgreement(ctx: PartnershipContext, actor: Actor, id: number, input: SignAgreement): Promise<Agreement> {
  const p = await loadFor(ctx, actor, id, 'partnership.read');
  const today = actor.today;
  const members = await repo.membersOn(ctx.db, p.network_id, today);
  const school = members.find((m) => m.id === input.schoolId);
  if (!school) throw new Invalid('schoolId', `school ${input.schoolId} is not a member of ${p.network_name} today; only member schools agree to its agreement`);
  const leader = actor.posts.find((post) => post.schoolId === school.id && schoolLeaderRoles.includes(post.role));
  if (!leader) throw new Forbidden(`only a head teacher or senior leader of ${school.name} can agree to the partnership's agreement on its behalf`);
  assertOpen(p);
  const signedOn = input.signedOn ?? today;
  notFuture('signedOn', signedOn, today, 'record the agreement on or after the day it is given');
  await ctx.db.transaction().execute(async (trx) => {
    const latest = await repo.latestAgreement(trx, p.id);
    if (!latest) throw new Conflict(`partnership ${p.id} has no written agreement yet; the coordinator writes one first`);
    if (input.version !== undefined && input.version !== latest.version) {
      throw new Conflict(`version ${input.version} has been replaced by version ${latest.version}; read the new version before agreeing to it`);
    }
    const already = await trx.selectFrom('partnership_signature').select('signed_on').where('agreement_id', '=', latest.id).where('school_id', '=', school.id).executeTakeFirst();
    if (already) throw new Conflict(`${school.name} already agreed to version ${latest.version} on ${already.signed_on}`);
    await trx
      .insertInto('partnership_signature')
      .values({ agreement_id: latest.id, school_id: school.id, signed_by: actor.personId, signed_role: leader.role, signed_on: signedOn, note: input.note ?? null })
      .execute();
    await audit(trx, {
      personId: actor.personId,
      action: 'partnership.sign',
      resourceType: 'partnership',
      resourceId: p.id,
      schoolId: school.id,
      networkId: p.network_id,
      detail: { version: latest.version, role: leader.role },
    });
  });
  const [current] = await agreementViews(ctx.db, p.id, members);
  return current!;
}

// ---------------------------------------------------------------------------------------------
// Meetings and reviews

export async function recordMeeting(ctx: PartnershipContext, actor: Actor, id: number, input: NewMeeting): Promise<Meeting> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  assertOpen(p);
  notFuture('heldOn', input.heldOn, actor.today, 'record a meeting once it has been held');
  if (input.heldOn < p.formed_on) throw new Invalid('heldOn', `${input.heldOn} is before the partnership formed (${p.formed_on})`);
  await requireMembers(
    ctx.db,
    p,
    input.attendance.map((a, i) => ({ path: `attendance[${i}].schoolId`, schoolId: a.schoolId })),
    input.heldOn,
  );
  const meetingId = await ctx.db.transaction().execute((trx) =>
    repo.insertMeeting(trx, {
      partnershipId: p.id,
      heldOn: input.heldOn,
      title: input.title,
      notes: input.notes ?? null,
      others: input.otherAttendees.map((o) => ({ name: o.name, role: o.role ?? null })),
      attendance: input.attendance.map((a) => ({ schoolId: a.schoolId, attendees: a.attendees.map((x) => ({ name: x.name, role: x.role ?? null })) })),
      by: actor.personId,
    }),
  );
  const views = await meetingViews(ctx.db, p);
  return views.find((m) => m.id === meetingId)!;
}

const reviewStages: readonly string[] = ['active', 'under_review'];

async function checkProgressGoals(db: Kysely<DB>, p: PartnershipRow, progress: { goalId: number }[]) {
  if (progress.length === 0) return;
  const goals = await repo.goalsOf(db, p.id);
  progress.forEach((x, i) => {
    const g = goals.find((goal) => Number(goal.id) === x.goalId);
    if (!g || g.retired_on) throw new Invalid(`progress[${i}].goalId`, `goal ${x.goalId} is not a goal in force in this partnership; judge only its current goals`);
  });
}

async function saveProgress(trx: Kysely<DB>, reviewId: number, progress: NonNullable<ReviewPatch['progress']>) {
  await repo.upsertProgress(
    trx,
    reviewId,
    progress.map((x) => ({ goalId: x.goalId, valueNow: x.valueNow, status: x.status, commentary: x.commentary ?? null })),
  );
  // A goal stands where its latest review judged it.
  for (const x of progress) await trx.updateTable('partnership_goal').set({ status: x.status }).where('id', '=', x.goalId).execute();
}

async function reviewView(db: Kysely<DB>, partnershipId: number, reviewId: number): Promise<Review> {
  return (await reviewViews(db, partnershipId)).find((r) => r.id === reviewId)!;
}

/** Records a review: progress on each goal and, once the partners have decided, renew, renegotiate or end. */
export async function startReview(ctx: PartnershipContext, actor: Actor, id: number, input: NewReview): Promise<Review> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  assertOpen(p);
  if (!reviewStages.includes(p.stage)) {
    throw new Conflict(`reviews are recorded while a partnership is Active or Under review; this one is ${stageLabel(p.stage)}`);
  }
  notFuture('heldOn', input.heldOn, actor.today, 'record a review once it has been held');
  if (input.heldOn < p.formed_on) throw new Invalid('heldOn', `${input.heldOn} is before the partnership formed (${p.formed_on})`);
  await checkProgressGoals(ctx.db, p, input.progress);
  const reviewId = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('partnership_review')
      .values({ partnership_id: p.id, held_on: input.heldOn, summary: input.summary ?? null, decision: input.decision ?? null, decision_note: input.decisionNote ?? null, recorded_by: actor.personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveProgress(trx, Number(row.id), input.progress);
    return Number(row.id);
  });
  return reviewView(ctx.db, p.id, reviewId);
}

/** Adds progress or the decision to the latest review, while the partnership is still Active or Under review. */
export async function updateReview(ctx: PartnershipContext, actor: Actor, reviewId: number, patch: ReviewPatch): Promise<Review> {
  const r = await repo.findReview(ctx.db, reviewId);
  if (!r) throw new NotFound(`review ${reviewId}`);
  const p = await repo.findPartnership(ctx.db, Number(r.partnership_id));
  if (!p) throw new NotFound(`review ${reviewId}`);
  await requireAccess(ctx, actor, 'partnership.edit', { networkId: p.network_id }, `review ${reviewId}`);
  assertOpen(p);
  const [latest] = await repo.reviewsOf(ctx.db, p.id);
  if (!reviewStages.includes(p.stage) || Number(latest?.id) !== reviewId) {
    throw new Conflict(`review ${reviewId} is kept as the record of its decision; only the latest review changes, while the partnership is Active or Under review`);
  }
  if (patch.heldOn) {
    notFuture('heldOn', patch.heldOn, actor.today, 'record a review once it has been held');
    if (patch.heldOn < p.formed_on) throw new Invalid('heldOn', `${patch.heldOn} is before the partnership formed (${p.formed_on})`);
  }
  if (patch.progress) await checkProgressGoals(ctx.db, p, patch.progress);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('partnership_review')
      .set({
        ...(patch.heldOn !== undefined ? { held_on: patch.heldOn } : {}),
        ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
        ...(patch.decision !== undefined ? { decision: patch.decision } : {}),
        ...(patch.decisionNote !== undefined ? { decision_note: patch.decisionNote } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', reviewId)
      .execute();
    if (patch.progress) await saveProgress(trx, reviewId, patch.progress);
  });
  return reviewView(ctx.db, p.id, reviewId);
}

// ---------------------------------------------------------------------------------------------
// Stages and the ending

/** Moves the partnership to another stage if the state machine allows it now; records who, when and why. */
export async function transition(ctx: PartnershipContext, actor: Actor, id: number, input: TransitionRequest): Promise<Plan> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  const today = actor.today;
  await ctx.db.transaction().execute(async (trx) => {
    const locked = (await repo.lockPartnership(trx, p.id)) ?? p;
    const facts = await stageFacts(trx, locked, today, input.note ?? null);
    const check = checkTransition(locked.stage as Stage, input.to, facts);
    if (!check.ok) throw new Conflict(check.reason);
    const endedOn = input.to === 'ended' ? facts.ending!.endsOn : null;
    await trx.updateTable('partnership').set({ stage: input.to, ended_on: endedOn, updated_at: new Date() }).where('id', '=', p.id).execute();
    await repo.insertStageChange(trx, { partnershipId: p.id, from: locked.stage, to: input.to, by: actor.personId, on: today, note: input.note ?? null });
    await audit(trx, {
      personId: actor.personId,
      action: 'partnership.stage',
      resourceType: 'partnership',
      resourceId: p.id,
      networkId: p.network_id,
      detail: { from: locked.stage, to: input.to, ...(input.note ? { note: input.note } : {}) },
    });
  });
  return getPlan(ctx, actor, id);
}

/** Records (or corrects) the agreed ending, once the partnership is in its Ending stage. */
export async function recordEnding(ctx: PartnershipContext, actor: Actor, id: number, input: EndingInput): Promise<Ending> {
  const p = await loadFor(ctx, actor, id, 'partnership.edit');
  assertOpen(p);
  if (p.stage !== 'ending') {
    throw new Conflict(`an ending is recorded once the partnership is in its Ending stage (it is ${stageLabel(p.stage)}); a review decides to end it first`);
  }
  notFuture('agreedOn', input.agreedOn, actor.today, 'record the ending once the partners have agreed it');
  if (input.endsOn < p.formed_on) throw new Invalid('endsOn', `${input.endsOn} is before the partnership formed (${p.formed_on})`);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertEnding(trx, {
      partnershipId: p.id,
      agreedOn: input.agreedOn,
      endsOn: input.endsOn,
      reason: input.reason,
      agreedBy: input.agreedBy,
      kept: input.kept.map((k) => ({ kind: k.kind, what: k.what, keptBy: k.keptBy ?? null })),
      by: actor.personId,
    });
    await audit(trx, { personId: actor.personId, action: 'partnership.ending', resourceType: 'partnership', resourceId: p.id, networkId: p.network_id, detail: { endsOn: input.endsOn } });
  });
  return (await endingView(ctx.db, p.id))!;
}
