import type { Kysely, Transaction } from 'kysely';
import { schoolLeaderRoles } from '../../../common/access.ts';
import type { StaffLevel } from '../../../common/activities.ts';
import { type ActionStatus, closedActionStatuses, EvidenceKind, type FindingKind, type PupilChoice, type RagGrade, ragValue, ReviewStage, WheelArea } from '../../../common/practice.ts';
import type { DB } from '../../db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, isAdmin, ownSchoolIds, schoolIdsWith } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can, requireAccess } from '../access/policy.ts';
import { countPerson, levelOfRole, recordPracticeActivity } from './practice-activity.ts';
import type {
  Action,
  ActionPatch,
  Evidence,
  EvidencePatch,
  Finding,
  FindingPatch,
  FollowUpInput,
  JudgementInput,
  NewAction,
  NewEvidence,
  NewFinding,
  NewReview,
  NewReviewer,
  ReciprocityView,
  Report,
  Review,
  ReviewerCandidates,
  ReviewPatch,
  ReviewSummary,
  ReviewTransition,
} from './practice.schema.ts';
import { descriptorProblem, nameWarnings } from './pupil-privacy.ts';
import { computeReciprocity } from './reciprocity.ts';
import * as repo from './review.repository.ts';
import type { CycleRow } from './review.repository.ts';
import { checkTransition, nextSteps, planningStages, recordingStages, type ReviewFacts, type ReviewRoles } from './review-stage.ts';

/**
 * Peer review (docs/practice.md): a host school's review by a team from its partner schools,
 * from the focus the host chooses to the follow-up that closes the agreed actions. Every
 * function checks access first (policy.ts: peer_review.manage, .record, .report.read; a cycle
 * the caller may not see answers 404), then the cycle's stage, then writes in one short
 * transaction.
 */
export type PracticeContext = { db: Kysely<DB>; today: () => string };

type Stage = ReviewStage;
const stageLabel = (s: string) => ReviewStage.labels[s as Stage] ?? s;
const iso = (d: Date | string) => new Date(d).toISOString();
const addYears = (on: string, years: number) => `${String(Number(on.slice(0, 4)) + years).padStart(4, '0')}${on.slice(4, 10) === '-02-29' ? '-02-28' : on.slice(4, 10)}`;

/** How the caller stands towards one cycle. */
type Standing = ReviewRoles & { canReadReport: boolean; hostStaff: boolean };

async function standingOf(ctx: PracticeContext, actor: Actor, c: CycleRow): Promise<Standing> {
  const manager = await can(ctx, actor, 'peer_review.manage', { networkId: c.network_id, hostSchoolId: c.host_school_id });
  const reviewer = await can(ctx, actor, 'peer_review.record', { cycleId: c.id });
  const canReadReport = await can(ctx, actor, 'peer_review.report.read', { cycleId: c.id });
  const hostLeader = isAdmin(actor) || schoolIdsWith(actor, schoolLeaderRoles).includes(c.host_school_id);
  return { manager, reviewer, hostLeader, canReadReport, hostStaff: ownSchoolIds(actor).includes(c.host_school_id) };
}

/** The cycle, if the caller may see it at all (its plan: managers; its report: readers). Missing and refused answer alike. */
async function loadVisible(ctx: PracticeContext, actor: Actor, id: number): Promise<{ c: CycleRow; s: Standing }> {
  const c = await repo.findCycle(ctx.db, id);
  if (!c) throw new NotFound(`peer review ${id}`);
  const s = await standingOf(ctx, actor, c);
  if (!s.manager && !s.canReadReport) throw new NotFound(`peer review ${id}`);
  return { c, s };
}

async function loadToManage(ctx: PracticeContext, actor: Actor, id: number): Promise<CycleRow> {
  const c = await repo.findCycle(ctx.db, id);
  if (!c) throw new NotFound(`peer review ${id}`);
  await requireAccess(ctx, actor, 'peer_review.manage', { networkId: c.network_id, hostSchoolId: c.host_school_id }, `peer review ${id}`);
  return c;
}

async function loadToRecord(ctx: PracticeContext, actor: Actor, id: number): Promise<CycleRow> {
  const { c, s } = await loadVisible(ctx, actor, id);
  if (!s.reviewer) throw new Forbidden(`only the review team records evidence and findings for peer review ${id}`);
  return c;
}

function stageIs(c: CycleRow, allowed: readonly Stage[], what: string) {
  if (!allowed.includes(c.stage as Stage)) {
    throw new Conflict(`${what} while a review is ${allowed.map(stageLabel).join(' or ')}; peer review ${c.id} is ${stageLabel(c.stage)}`);
  }
}

function notFuture(field: string, on: string, today: string, what: string) {
  if (on > today) throw new Invalid(field, `${on} is in the future; ${what}`);
}

const isUniqueViolation = (e: unknown, index?: string) => {
  const err = e as { code?: string; constraint?: string; message?: string } | null;
  return err?.code === '23505' && (index === undefined || err.constraint === index || (err.message ?? '').includes(index));
};

// ---------------------------------------------------------------------------------------------
// Views

const schoolRef = (c: CycleRow) => ({ schoolId: c.host_school_id, name: c.host_name, urn: c.host_urn });

function evidenceView(e: repo.EvidenceRow): Evidence {
  return {
    id: e.id,
    kind: e.kind as Evidence['kind'],
    observedOn: e.observed_on,
    yearGroup: e.year_group,
    subject: e.subject,
    context: e.context,
    pupils: e.pupils.map((p) => ({ descriptor: p.descriptor, chosen: p.chosen as PupilChoice })),
    notes: e.notes,
    school: { schoolId: e.school_id, name: e.school_name },
    recordedBy: e.recorded_by_name,
    createdAt: iso(e.created_at),
    warnings: nameWarnings(e.notes).map((w) => `"${w}" may be a name: if it is a pupil's, describe the pupil instead`),
  };
}

const findingView = (f: repo.FindingRow): Finding => ({
  id: f.id,
  kind: f.kind as FindingKind,
  area: f.area as WheelArea,
  statement: f.statement,
  judgement: f.judgement as RagGrade | null,
  evidenceIds: f.evidence_ids,
  recordedBy: f.recorded_by_name,
  createdAt: iso(f.created_at),
});

const actionView = (a: repo.ActionRow, today: string): Action => ({
  id: a.id,
  findingId: a.finding_id,
  description: a.description,
  owner: { name: a.owner_name, personId: a.owner_person_id },
  dueOn: a.due_on,
  status: a.status as ActionStatus,
  agreedOn: a.agreed_on,
  whatChanged: a.what_changed,
  closedOn: a.closed_on,
  overdue: !closedActionStatuses.includes(a.status as ActionStatus) && a.due_on < today,
});

/**
 * The wheel's rings as the team left them: the focus's area carries the team's judgement of the
 * focus (beside the host's claim); every other area the lowest grade the team gave a finding in
 * it — the wheel is filled only as far as the weakest evidence allows (docs/practice.md).
 */
function wheelOf(c: CycleRow, findings: Finding[]): Report['wheel'] {
  return WheelArea.codes
    .filter((a) => a !== 'focus')
    .map((area) => {
      const isFocus = c.focus_area === area;
      const graded = findings.filter((f) => (f.area === area || (isFocus && f.area === 'focus')) && f.judgement !== null).map((f) => f.judgement as RagGrade);
      const lowest = graded.length ? graded.reduce((lo, g) => (ragValue[g] < ragValue[lo] ? g : lo)) : null;
      return {
        area,
        label: WheelArea.labels[area],
        claimed: isFocus ? (c.claimed_judgement as RagGrade | null) : null,
        team: isFocus && c.team_judgement ? (c.team_judgement as RagGrade) : lowest,
      };
    });
}

async function reportOf(db: Kysely<DB>, c: CycleRow, today: string): Promise<Report> {
  const evidence = (await repo.evidenceOf(db, c.id)).map(evidenceView);
  const evidenceCounts: Record<string, number> = Object.fromEntries(EvidenceKind.codes.map((k) => [k, evidence.filter((e) => e.kind === k).length]));
  const findings = (await repo.findingsOf(db, c.id)).map(findingView);
  return {
    evidence,
    evidenceCounts,
    wheel: wheelOf(c, findings),
    findings,
    teamJudgement: c.team_judgement ? { judgement: c.team_judgement as RagGrade, note: c.team_judgement_note } : null,
    actions: (await repo.actionsOf(db, c.id)).map((a) => actionView(a, today)),
    followUp: c.follow_up_summary ? { on: c.follow_up_on, summary: c.follow_up_summary } : null,
  };
}

async function factsOf(db: Kysely<DB>, c: CycleRow, today: string, note: string | null): Promise<ReviewFacts> {
  const n = await repo.cycleCounts(db, c.id);
  return {
    today,
    reviewers: n.reviewers,
    visitStartOn: c.visit_start_on,
    visitEndOn: c.visit_end_on,
    evidence: n.evidence,
    strengths: n.strengths,
    areasToDevelop: n.areas,
    areasWithoutAction: n.areas_without_action,
    teamJudgement: c.team_judgement,
    actions: n.actions,
    openActions: n.open_actions,
    followUpOn: c.follow_up_on,
    followUpSummary: c.follow_up_summary !== null,
    note,
  };
}

/**
 * Reading another school's review report is reading shared data: audited (as outcomes and
 * activity records are), naming the host and how the reader came to see it.
 */
async function auditReportRead(ctx: PracticeContext, actor: Actor, c: CycleRow, s: Standing, how: string) {
  if (s.hostStaff) return;
  await audit(ctx.db, {
    personId: actor.personId,
    action: 'read.sensitive',
    resourceType: 'peer-review',
    resourceId: c.id,
    schoolId: c.host_school_id,
    networkId: c.network_id,
    detail: { dataClass: 'peer_review_reports', as: s.reviewer ? 'reviewer' : isAdmin(actor) ? 'administrator' : 'partner', how },
  });
}

async function reviewView(ctx: PracticeContext, actor: Actor, c: CycleRow, s: Standing, how: string): Promise<Review> {
  const today = actor.today;
  const team = await repo.reviewersOf(ctx.db, [c.id]);
  const members = await repo.membersOn(ctx.db, c.network_id, today);
  const gaps = members.filter((m) => m.id !== c.host_school_id && !team.some((r) => r.school_id === m.id));
  const warnings: string[] = [];
  if (!members.some((m) => m.id === c.host_school_id) && c.stage !== 'closed' && c.stage !== 'cancelled') warnings.push(`${c.host_name} is no longer a member of ${c.network_name}`);
  if (gaps.length > 0 && planningStages.includes(c.stage as Stage)) {
    warnings.push(`${gaps.length} partner school${gaps.length === 1 ? ' has' : 's have'} no reviewer on the team (${gaps.map((g) => g.name).join(', ')}); the protocol asks for one from each partner school`);
  }
  if (team.length > 0 && !team.some((r) => r.trained)) warnings.push('nobody on the team is flagged as a trained reviewer');
  if (team.length > 1 && !team.some((r) => r.lead)) warnings.push('the team has no lead reviewer');
  if (c.visit_start_on && c.visit_end_on && c.visit_start_on === c.visit_end_on) warnings.push('a one-day visit: two days leave time to shadow pupils and talk with them');
  const goal = c.partnership_goal_id === null ? undefined : await repo.goalStatement(ctx.db, Number(c.partnership_goal_id));
  const facts = await factsOf(ctx.db, c, today, null);
  const report = s.canReadReport ? await reportOf(ctx.db, c, today) : null;
  if (report) await auditReportRead(ctx, actor, c, s, how);
  return {
    id: c.id,
    network: { id: c.network_id, name: c.network_name },
    host: schoolRef(c),
    title: c.title,
    focus: c.focus,
    focusArea: c.focus_area as WheelArea | null,
    priority: c.priority,
    partnershipGoal: goal ?? null,
    claimedJudgement: c.claimed_judgement as RagGrade | null,
    stage: c.stage as Stage,
    schedule: { visitStartOn: c.visit_start_on, visitEndOn: c.visit_end_on, followUpOn: c.follow_up_on },
    team: team.map((r) => ({ personId: r.person_id, name: r.name, schoolId: r.school_id, schoolName: r.school_name, trained: r.trained, lead: r.lead, evidence: r.evidence })),
    teamGaps: gaps.map((g) => ({ schoolId: g.id, name: g.name, urn: g.urn })),
    warnings,
    history: (await repo.stageChangesOf(ctx.db, c.id)).map((h) => ({ from: h.from_stage, to: h.to_stage, by: h.by, on: h.changed_on, note: h.note })),
    nextSteps: nextSteps(c.stage as Stage, facts, s),
    viewer: { canManage: s.manager, isReviewer: s.reviewer, isHostLeader: s.hostLeader, canReadReport: s.canReadReport },
    report,
    reportHidden: report
      ? null
      : `${c.host_name} has not shared its peer-review reports with ${c.network_name}; you can see the plan because you run the network's reviews, not the evidence, findings or actions`,
    activityIds: { visit: c.visit_activity_id === null ? null : Number(c.visit_activity_id), followUp: c.follow_up_activity_id === null ? null : Number(c.follow_up_activity_id) },
    cancelledReason: c.cancelled_reason,
    closedOn: c.closed_on,
    createdAt: iso(c.created_at),
  };
}

async function viewAfterWrite(ctx: PracticeContext, actor: Actor, id: number, how = 'after a change'): Promise<Review> {
  const c = (await repo.findCycle(ctx.db, id))!;
  return reviewView(ctx, actor, c, await standingOf(ctx, actor, c), how);
}

/** One cycle: its plan for those who run it, and its report for those allowed (audited when it is another school's). */
export async function getReview(ctx: PracticeContext, actor: Actor, id: number): Promise<Review> {
  const { c, s } = await loadVisible(ctx, actor, id);
  return reviewView(ctx, actor, c, s, 'read');
}

/** The report for printing: refused (404) to those who may see only the plan. */
export async function readReport(ctx: PracticeContext, actor: Actor, id: number): Promise<Review> {
  const { c, s } = await loadVisible(ctx, actor, id);
  if (!s.canReadReport) throw new NotFound(`the report of peer review ${id}`);
  return reviewView(ctx, actor, c, s, 'printed');
}

/** The network's review cycles the caller may see, newest first (an empty list for those who may see none). */
export async function listReviews(ctx: PracticeContext, actor: Actor, networkId: number): Promise<{ items: ReviewSummary[] }> {
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  const rows = await repo.cyclesOfNetwork(ctx.db, networkId);
  const teams = await repo.reviewersOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const items: ReviewSummary[] = [];
  for (const c of rows) {
    const s = await standingOf(ctx, actor, c);
    if (!s.manager && !s.canReadReport) continue;
    items.push({
      id: c.id,
      networkId: c.network_id,
      host: schoolRef(c),
      title: c.title,
      stage: c.stage as Stage,
      focusArea: c.focus_area as WheelArea | null,
      visitStartOn: c.visit_start_on,
      visitEndOn: c.visit_end_on,
      followUpOn: c.follow_up_on,
      reviewers: teams.filter((t) => t.cycle_id === c.id).length,
      reportVisible: s.canReadReport,
    });
  }
  return { items };
}

// ---------------------------------------------------------------------------------------------
// The plan: focus, schedule, team

async function checkGoal(ctx: PracticeContext, goalId: number | null | undefined, networkId: number) {
  if (goalId === undefined || goalId === null) return;
  if (!(await repo.partnershipGoalOf(ctx.db, goalId, networkId))) {
    throw new Invalid('partnershipGoalId', `goal ${goalId} is not a goal in force of this network's partnership plan; name one of its goals, or give the host's priority in words`);
  }
}

/** Sets up a review of a member school: by its leaders, or by the network's coordinators. */
export async function createReview(ctx: PracticeContext, actor: Actor, networkId: number, input: NewReview): Promise<Review> {
  const network = await repo.findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`network ${networkId}`);
  await requireAccess(ctx, actor, 'peer_review.manage', { networkId, hostSchoolId: input.hostSchoolId }, `network ${networkId}`);
  const members = await repo.membersOn(ctx.db, networkId, actor.today);
  if (!members.some((m) => m.id === input.hostSchoolId)) {
    throw new Invalid('hostSchoolId', `school ${input.hostSchoolId} is not a member of ${network.name} today; a review's host is one of the network's schools`);
  }
  await checkGoal(ctx, input.partnershipGoalId, networkId);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('peer_review_cycle')
      .values({
        network_id: networkId,
        host_school_id: input.hostSchoolId,
        title: input.title,
        focus: input.focus,
        focus_area: input.focusArea ?? null,
        priority: input.priority ?? null,
        partnership_goal_id: input.partnershipGoalId ?? null,
        claimed_judgement: input.claimedJudgement ?? null,
        visit_start_on: input.visitStartOn ?? null,
        visit_end_on: input.visitEndOn ?? null,
        follow_up_on: input.followUpOn ?? null,
        created_by: actor.personId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cycleId = Number(row.id);
    await repo.insertStageChange(trx, { cycleId, from: null, to: 'planned', by: actor.personId, on: actor.today, note: null });
    await audit(trx, { personId: actor.personId, action: 'peer_review.create', resourceType: 'peer-review', resourceId: cycleId, schoolId: input.hostSchoolId, networkId, detail: { title: input.title } });
    return cycleId;
  });
  return viewAfterWrite(ctx, actor, id);
}

/** Changes the plan: everything while planned; the visit's last day while visiting; the follow-up date until the follow-up. */
export async function updateReview(ctx: PracticeContext, actor: Actor, id: number, patch: ReviewPatch): Promise<Review> {
  const c = await loadToManage(ctx, actor, id);
  const planFields = ['title', 'focus', 'focusArea', 'priority', 'partnershipGoalId', 'claimedJudgement', 'visitStartOn'] as const;
  if (c.stage !== 'planned') {
    const locked = planFields.filter((f) => patch[f] !== undefined);
    if (locked.length > 0) throw new Conflict(`the focus and the start of the visit are fixed once the visit begins (peer review ${id} is ${stageLabel(c.stage)}); ${locked.join(', ')} cannot change`);
    if (patch.visitEndOn !== undefined && c.stage !== 'visiting') throw new Conflict(`the visit is over (peer review ${id} is ${stageLabel(c.stage)}); its dates cannot change`);
    if (patch.followUpOn !== undefined && !['visiting', 'findings', 'actions_agreed'].includes(c.stage)) {
      throw new Conflict(`the follow-up date is set until the follow-up begins; peer review ${id} is ${stageLabel(c.stage)}`);
    }
  }
  const start = patch.visitStartOn !== undefined ? patch.visitStartOn : c.visit_start_on;
  const end = patch.visitEndOn !== undefined ? patch.visitEndOn : c.visit_end_on;
  const follow = patch.followUpOn !== undefined ? patch.followUpOn : c.follow_up_on;
  if (start && end && end < start) throw new Invalid('visitEndOn', `the visit cannot end (${end}) before it starts (${start})`);
  if (end && follow && follow <= end) throw new Invalid('followUpOn', `the follow-up (${follow}) comes after the visit (which ends ${end})`);
  await checkGoal(ctx, patch.partnershipGoalId, c.network_id);
  await ctx.db
    .updateTable('peer_review_cycle')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.focus !== undefined ? { focus: patch.focus } : {}),
      ...(patch.focusArea !== undefined ? { focus_area: patch.focusArea } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(patch.partnershipGoalId !== undefined ? { partnership_goal_id: patch.partnershipGoalId } : {}),
      ...(patch.claimedJudgement !== undefined ? { claimed_judgement: patch.claimedJudgement } : {}),
      ...(patch.visitStartOn !== undefined ? { visit_start_on: patch.visitStartOn } : {}),
      ...(patch.visitEndOn !== undefined ? { visit_end_on: patch.visitEndOn } : {}),
      ...(patch.followUpOn !== undefined ? { follow_up_on: patch.followUpOn } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return viewAfterWrite(ctx, actor, id);
}

/** Staff of the partner schools who could join the team (for the team picker). */
export async function reviewerCandidates(ctx: PracticeContext, actor: Actor, id: number): Promise<ReviewerCandidates> {
  const c = await loadToManage(ctx, actor, id);
  const rows = await repo.candidatesFor(ctx.db, c.id, c.network_id, c.host_school_id, actor.today);
  return {
    items: rows.map((r) => ({ personId: r.person_id, name: r.name, schoolId: r.school_id, schoolName: r.school_name, role: r.role, reviewsGiven: r.reviews_given, onTeam: r.on_team })),
  };
}

const reviewerRoles = ['head_teacher', 'senior_leader', 'middle_leader', 'teacher'];

/**
 * Adds a reviewer: someone who teaches or leads in a partner school of the same network (not the
 * host), one per school (a second from the same school is refused), flagged trained or not.
 */
export async function addReviewer(ctx: PracticeContext, actor: Actor, id: number, input: NewReviewer): Promise<Review> {
  const c = await loadToManage(ctx, actor, id);
  stageIs(c, planningStages, 'the team changes');
  if (input.schoolId === c.host_school_id) throw new Invalid('schoolId', `${c.host_name} is the host; reviewers come from its partner schools`);
  const members = await repo.membersOn(ctx.db, c.network_id, actor.today);
  const school = members.find((m) => m.id === input.schoolId);
  if (!school) throw new Invalid('schoolId', `school ${input.schoolId} is not a member of ${c.network_name} today; reviewers come from the network's partner schools`);
  const person = await repo.findPerson(ctx.db, input.personId);
  if (!person) throw new Invalid('personId', `nobody with id ${input.personId} has an active account`);
  const roles = await repo.postsIn(ctx.db, input.personId, input.schoolId, actor.today);
  if (!roles.some((r) => reviewerRoles.includes(r))) {
    throw new Invalid('personId', `${person.name} does not teach or lead at ${school.name} today; a reviewer holds a teaching or leadership post in the school they represent`);
  }
  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (input.lead) await trx.updateTable('peer_review_reviewer').set({ lead: false }).where('cycle_id', '=', id).execute();
      await trx
        .insertInto('peer_review_reviewer')
        .values({ cycle_id: id, person_id: input.personId, school_id: input.schoolId, trained: input.trained, lead: input.lead, added_by: actor.personId })
        .execute();
      await audit(trx, { personId: actor.personId, action: 'peer_review.team', resourceType: 'peer-review', resourceId: id, schoolId: input.schoolId, networkId: c.network_id, detail: { added: input.personId } });
    });
  } catch (e) {
    if (isUniqueViolation(e, 'peer_review_reviewer_school_idx')) {
      throw new Conflict(`${school.name} already has a reviewer on this team; the protocol asks for one reviewer from each partner school (remove the other first)`);
    }
    if (isUniqueViolation(e)) throw new Conflict(`${person.name} is already on the team`);
    throw e;
  }
  return viewAfterWrite(ctx, actor, id);
}

export async function removeReviewer(ctx: PracticeContext, actor: Actor, id: number, personId: number): Promise<Review> {
  const c = await loadToManage(ctx, actor, id);
  stageIs(c, planningStages, 'the team changes');
  const team = await repo.reviewersOf(ctx.db, [id]);
  const member = team.find((r) => r.person_id === personId);
  // Removing someone who is not on the team leaves it as it is (DELETE is idempotent).
  if (!member) return viewAfterWrite(ctx, actor, id);
  if (member.evidence > 0) throw new Conflict(`${member.name} has recorded ${member.evidence} evidence form${member.evidence === 1 ? '' : 's'}; a reviewer whose evidence is in the report stays on the team`);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('peer_review_reviewer').where('cycle_id', '=', id).where('person_id', '=', personId).execute();
    await audit(trx, { personId: actor.personId, action: 'peer_review.team', resourceType: 'peer-review', resourceId: id, schoolId: member.school_id, networkId: c.network_id, detail: { removed: personId } });
  });
  return viewAfterWrite(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

/** The activity record of a visit: the team's schools give, the host receives (docs/practice.md). */
async function visitActivity(trx: Transaction<DB>, c: CycleRow, kind: 'visit' | 'follow_up', startOn: string, endOn: string, personId: number, today: string) {
  const team = await repo.reviewersOf(trx, [c.id]);
  const bySchool = new Map<number, Partial<Record<StaffLevel, number>>>();
  for (const r of team) {
    const roles = await repo.postsIn(trx, r.person_id, r.school_id, startOn);
    const staff = bySchool.get(r.school_id) ?? {};
    countPerson(staff, levelOfRole(roles.find((x) => reviewerRoles.includes(x)) ?? roles[0] ?? 'teacher'));
    bySchool.set(r.school_id, staff);
  }
  return recordPracticeActivity(
    trx,
    {
      type: 'peer_review',
      title: `${kind === 'visit' ? 'Peer review' : 'Peer review follow-up'}: ${c.host_name} — ${c.title}`,
      networkId: c.network_id,
      startOn,
      endOn,
      // The focus and findings stay in the report, which has its own consent; the record says only what kind of review it was.
      focus: c.focus_area ? `Peer review: ${c.focus_area.replace(/_/g, ' ')}` : 'Peer review',
      outcomeNotes: null,
      source: `/peer-reviews/${c.id}`,
      schools: [{ schoolId: c.host_school_id, direction: 'receiving', staff: { heads: 1 } }, ...[...bySchool.entries()].map(([schoolId, staff]) => ({ schoolId, direction: 'giving' as const, staff }))],
    },
    personId,
    today,
  );
}

/** Moves the cycle if the state machine allows it now and the caller may make the move; records who, when and why. */
export async function transitionReview(ctx: PracticeContext, actor: Actor, id: number, input: ReviewTransition): Promise<Review> {
  const { c, s } = await loadVisible(ctx, actor, id);
  const today = actor.today;
  await ctx.db.transaction().execute(async (trx) => {
    const locked = (await repo.lockCycle(trx, id)) ?? c;
    const facts = await factsOf(trx, locked, today, input.note ?? null);
    const check = checkTransition(locked.stage as Stage, input.to, facts, s);
    if (!check.ok) throw check.status === 403 ? new Forbidden(check.reason) : new Conflict(check.reason);
    const set: Record<string, unknown> = { stage: input.to, updated_at: new Date() };
    if (input.to === 'findings') {
      const end = locked.visit_end_on && locked.visit_end_on <= today ? locked.visit_end_on : today;
      set.visit_activity_id = await visitActivity(trx, locked, 'visit', locked.visit_start_on!, end, actor.personId, today);
      if (locked.visit_end_on !== end) set.visit_end_on = end;
    }
    if (input.to === 'actions_agreed') {
      const agreed = await trx.updateTable('peer_review_action').set({ status: 'agreed', agreed_on: today, updated_at: new Date() }).where('cycle_id', '=', id).where('status', '=', 'proposed').executeTakeFirst();
      await audit(trx, {
        personId: actor.personId,
        action: 'peer_review.actions',
        resourceType: 'peer-review',
        resourceId: id,
        schoolId: locked.host_school_id,
        networkId: locked.network_id,
        detail: { agreed: Number(agreed.numUpdatedRows) },
      });
    }
    if (input.to === 'follow_up') set.follow_up_activity_id = await visitActivity(trx, locked, 'follow_up', locked.follow_up_on!, locked.follow_up_on!, actor.personId, today);
    if (input.to === 'closed') set.closed_on = today;
    if (input.to === 'cancelled') set.cancelled_reason = input.note ?? '';
    await trx.updateTable('peer_review_cycle').set(set).where('id', '=', id).execute();
    await repo.insertStageChange(trx, { cycleId: id, from: locked.stage, to: input.to, by: actor.personId, on: today, note: input.note ?? null });
    await audit(trx, {
      personId: actor.personId,
      action: 'peer_review.stage',
      resourceType: 'peer-review',
      resourceId: id,
      schoolId: locked.host_school_id,
      networkId: locked.network_id,
      detail: { from: locked.stage, to: input.to },
    });
  });
  return viewAfterWrite(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Evidence and findings (the team)

function checkPupils(pupils: { descriptor: string }[] | undefined) {
  (pupils ?? []).forEach((p, i) => {
    const problem = descriptorProblem(p.descriptor);
    if (problem) throw new Invalid(`pupils[${i}].descriptor`, problem);
  });
}

async function reviewerSchool(ctx: PracticeContext, actor: Actor, c: CycleRow): Promise<number> {
  const team = await repo.reviewersOf(ctx.db, [c.id]);
  const mine = team.find((r) => r.person_id === actor.personId);
  // An administrator keying in a paper form records it under the lead reviewer's school.
  return mine?.school_id ?? team.find((r) => r.lead)?.school_id ?? team[0]?.school_id ?? c.host_school_id;
}

function checkObservedOn(c: CycleRow, on: string, today: string) {
  notFuture('observedOn', on, today, 'record evidence once it has been gathered');
  if (c.visit_start_on && on < c.visit_start_on) throw new Invalid('observedOn', `${on} is before the visit began (${c.visit_start_on})`);
}

/** Records an evidence form. Pupils are described, never named: a descriptor that looks like a name is refused. */
export async function addEvidence(ctx: PracticeContext, actor: Actor, id: number, input: NewEvidence): Promise<Evidence> {
  const c = await loadToRecord(ctx, actor, id);
  stageIs(c, recordingStages, 'evidence is recorded');
  checkObservedOn(c, input.observedOn, actor.today);
  checkPupils(input.pupils);
  const schoolId = await reviewerSchool(ctx, actor, c);
  const row = await ctx.db
    .insertInto('peer_review_evidence')
    .values({
      cycle_id: id,
      kind: input.kind,
      observed_on: input.observedOn,
      year_group: input.yearGroup ?? null,
      subject: input.subject ?? null,
      context: input.context ?? null,
      pupils: JSON.stringify(input.pupils.map((p) => ({ descriptor: p.descriptor.trim(), chosen: p.chosen }))),
      notes: input.notes,
      school_id: schoolId,
      recorded_by: actor.personId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [e] = await repo.evidenceOf(ctx.db, id, [Number(row.id)]);
  return evidenceView(e!);
}

async function loadEvidence(ctx: PracticeContext, actor: Actor, evidenceId: number) {
  const e = await repo.findEvidence(ctx.db, evidenceId);
  if (!e) throw new NotFound(`evidence ${evidenceId}`);
  const c = await loadToRecord(ctx, actor, Number(e.cycle_id)).catch((err: unknown) => {
    throw err instanceof NotFound ? new NotFound(`evidence ${evidenceId}`) : err;
  });
  stageIs(c, recordingStages, 'evidence changes');
  return { e, c };
}

export async function updateEvidence(ctx: PracticeContext, actor: Actor, evidenceId: number, patch: EvidencePatch): Promise<Evidence> {
  const { e, c } = await loadEvidence(ctx, actor, evidenceId);
  if (patch.observedOn !== undefined) checkObservedOn(c, patch.observedOn, actor.today);
  checkPupils(patch.pupils);
  const kind = patch.kind ?? e.kind;
  const pupils = patch.pupils ?? e.pupils;
  if (kind === 'pupil_conversation' && pupils.length === 0) throw new Invalid('pupils', 'a conversation with pupils describes at least one pupil');
  await ctx.db
    .updateTable('peer_review_evidence')
    .set({
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.observedOn !== undefined ? { observed_on: patch.observedOn } : {}),
      ...(patch.yearGroup !== undefined ? { year_group: patch.yearGroup } : {}),
      ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      ...(patch.context !== undefined ? { context: patch.context } : {}),
      ...(patch.pupils !== undefined ? { pupils: JSON.stringify(patch.pupils.map((p) => ({ descriptor: p.descriptor.trim(), chosen: p.chosen }))) } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', evidenceId)
    .execute();
  const [row] = await repo.evidenceOf(ctx.db, c.id, [evidenceId]);
  return evidenceView(row!);
}

export async function deleteEvidence(ctx: PracticeContext, actor: Actor, evidenceId: number): Promise<void> {
  const { c } = await loadEvidence(ctx, actor, evidenceId);
  const cited = (await repo.findingsOf(ctx.db, c.id)).filter((f) => f.evidence_ids.includes(evidenceId));
  if (cited.length > 0) throw new Conflict(`evidence ${evidenceId} supports finding ${cited.map((f) => f.id).join(', ')}; change the finding first`);
  await ctx.db.deleteFrom('peer_review_evidence').where('id', '=', evidenceId).execute();
}

async function checkEvidenceIds(ctx: PracticeContext, cycleId: number, ids: number[] | undefined) {
  if (!ids || ids.length === 0) return;
  const found = new Set((await repo.evidenceOf(ctx.db, cycleId, ids)).map((e) => e.id));
  ids.forEach((eid, i) => {
    if (!found.has(eid)) throw new Invalid(`evidenceIds[${i}]`, `evidence ${eid} is not an evidence form of this review`);
  });
}

export async function addFinding(ctx: PracticeContext, actor: Actor, id: number, input: NewFinding): Promise<Finding> {
  const c = await loadToRecord(ctx, actor, id);
  stageIs(c, recordingStages, 'findings are written');
  await checkEvidenceIds(ctx, id, input.evidenceIds);
  const row = await ctx.db
    .insertInto('peer_review_finding')
    .values({ cycle_id: id, kind: input.kind, area: input.area, statement: input.statement, judgement: input.judgement ?? null, evidence_ids: input.evidenceIds, recorded_by: actor.personId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return findingView((await repo.findingsOf(ctx.db, id)).find((f) => f.id === Number(row.id))!);
}

async function loadFinding(ctx: PracticeContext, actor: Actor, findingId: number) {
  const f = await repo.findFinding(ctx.db, findingId);
  if (!f) throw new NotFound(`finding ${findingId}`);
  const c = await loadToRecord(ctx, actor, Number(f.cycle_id)).catch((err: unknown) => {
    throw err instanceof NotFound ? new NotFound(`finding ${findingId}`) : err;
  });
  stageIs(c, recordingStages, 'findings change');
  return c;
}

export async function updateFinding(ctx: PracticeContext, actor: Actor, findingId: number, patch: FindingPatch): Promise<Finding> {
  const c = await loadFinding(ctx, actor, findingId);
  await checkEvidenceIds(ctx, c.id, patch.evidenceIds);
  await ctx.db
    .updateTable('peer_review_finding')
    .set({
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.area !== undefined ? { area: patch.area } : {}),
      ...(patch.statement !== undefined ? { statement: patch.statement } : {}),
      ...(patch.judgement !== undefined ? { judgement: patch.judgement } : {}),
      ...(patch.evidenceIds !== undefined ? { evidence_ids: patch.evidenceIds } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', findingId)
    .execute();
  return findingView((await repo.findingsOf(ctx.db, c.id)).find((f) => f.id === findingId)!);
}

export async function deleteFinding(ctx: PracticeContext, actor: Actor, findingId: number): Promise<void> {
  await loadFinding(ctx, actor, findingId);
  await ctx.db.deleteFrom('peer_review_finding').where('id', '=', findingId).execute();
}

/** The team's judgement of the focus, on the RAG wheel (beside the host's own claim). */
export async function setJudgement(ctx: PracticeContext, actor: Actor, id: number, input: JudgementInput): Promise<Review> {
  const c = await loadToRecord(ctx, actor, id);
  stageIs(c, recordingStages, "the team's judgement is given");
  await ctx.db
    .updateTable('peer_review_cycle')
    .set({ team_judgement: input.judgement, team_judgement_note: input.note ?? null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  return viewAfterWrite(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Actions and the follow-up

async function checkOwner(ctx: PracticeContext, personId: number | null | undefined) {
  if (personId === undefined || personId === null) return;
  if (!(await repo.findPerson(ctx.db, personId))) throw new Invalid('ownerPersonId', `nobody with id ${personId} has an active account; name the owner in ownerName instead`);
}
async function checkFindingOf(ctx: PracticeContext, cycleId: number, findingId: number | null | undefined) {
  if (findingId === undefined || findingId === null) return;
  const f = await repo.findFinding(ctx.db, findingId);
  if (!f || Number(f.cycle_id) !== cycleId) throw new Invalid('findingId', `finding ${findingId} is not a finding of this review`);
}

/**
 * Proposes an action while the findings are written (the team or the host's leaders); once the
 * actions are agreed, only the host's leaders add more, and those are agreed as they are added.
 */
export async function addAction(ctx: PracticeContext, actor: Actor, id: number, input: NewAction): Promise<Action> {
  const { c, s } = await loadVisible(ctx, actor, id);
  if (!s.canReadReport) throw new NotFound(`peer review ${id}`);
  if (c.stage === 'findings') {
    if (!s.reviewer && !s.hostLeader) throw new Forbidden("actions are proposed by the review team or the host school's leaders");
  } else if (c.stage === 'actions_agreed' || c.stage === 'follow_up') {
    if (!s.hostLeader) throw new Forbidden("once actions are agreed, only the host school's leaders add more");
  } else stageIs(c, ['findings', 'actions_agreed', 'follow_up'], 'actions are added');
  await checkFindingOf(ctx, id, input.findingId);
  await checkOwner(ctx, input.ownerPersonId);
  const agreedNow = c.stage !== 'findings';
  const row = await ctx.db
    .insertInto('peer_review_action')
    .values({
      cycle_id: id,
      finding_id: input.findingId ?? null,
      description: input.description,
      owner_name: input.ownerName,
      owner_person_id: input.ownerPersonId ?? null,
      due_on: input.dueOn,
      status: agreedNow ? 'agreed' : 'proposed',
      agreed_on: agreedNow ? actor.today : null,
      created_by: actor.personId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return actionView((await repo.actionsOf(ctx.db, id)).find((a) => a.id === Number(row.id))!, actor.today);
}

/**
 * Changes an action. What it asks (description, owner, due date, finding): the team or the host's
 * leaders while findings are written, the host's leaders after. Its progress (in progress, done,
 * dropped, with what changed): the host's leaders or the team, once agreed.
 */
export async function updateAction(ctx: PracticeContext, actor: Actor, actionId: number, patch: ActionPatch): Promise<Action> {
  const a = await repo.findAction(ctx.db, actionId);
  if (!a) throw new NotFound(`action ${actionId}`);
  const { c, s } = await loadVisible(ctx, actor, Number(a.cycle_id)).catch((err: unknown) => {
    throw err instanceof NotFound ? new NotFound(`action ${actionId}`) : err;
  });
  if (!s.canReadReport) throw new NotFound(`action ${actionId}`);
  const content = (['description', 'ownerName', 'ownerPersonId', 'dueOn', 'findingId'] as const).filter((f) => patch[f] !== undefined);
  const progress = patch.status !== undefined || patch.whatChanged !== undefined;
  if (content.length > 0) {
    if (c.stage === 'findings') {
      if (!s.reviewer && !s.hostLeader) throw new Forbidden("actions are changed by the review team or the host school's leaders");
    } else if (c.stage === 'actions_agreed' || c.stage === 'follow_up') {
      if (!s.hostLeader) throw new Forbidden("agreed actions are changed by the host school's leaders");
    } else stageIs(c, ['findings', 'actions_agreed', 'follow_up'], 'actions change');
  }
  if (progress) {
    stageIs(c, ['actions_agreed', 'follow_up'], "an action's progress is recorded");
    if (!s.hostLeader && !s.reviewer) throw new Forbidden("an action's progress is recorded by the host school's leaders or the review team");
  }
  await checkFindingOf(ctx, c.id, patch.findingId);
  await checkOwner(ctx, patch.ownerPersonId);
  const status = (patch.status ?? a.status) as ActionStatus;
  const closing = closedActionStatuses.includes(status);
  const whatChanged = patch.whatChanged !== undefined ? patch.whatChanged : a.what_changed;
  if (closing && !whatChanged) {
    throw new Invalid('whatChanged', status === 'done' ? 'say what changed: a done action records what is different now' : 'say why the action was dropped');
  }
  await ctx.db
    .updateTable('peer_review_action')
    .set({
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.ownerName !== undefined ? { owner_name: patch.ownerName } : {}),
      ...(patch.ownerPersonId !== undefined ? { owner_person_id: patch.ownerPersonId } : {}),
      ...(patch.dueOn !== undefined ? { due_on: patch.dueOn } : {}),
      ...(patch.findingId !== undefined ? { finding_id: patch.findingId } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.whatChanged !== undefined ? { what_changed: patch.whatChanged } : {}),
      closed_on: closing ? (a.closed_on ?? actor.today) : null,
      closed_by: closing ? (a.closed_by ?? actor.personId) : null,
      updated_at: new Date(),
    })
    .where('id', '=', actionId)
    .execute();
  return actionView((await repo.actionsOf(ctx.db, c.id)).find((x) => x.id === actionId)!, actor.today);
}

/** What changed, as the follow-up found it (the host's leaders or the team, during the follow-up). */
export async function recordFollowUp(ctx: PracticeContext, actor: Actor, id: number, input: FollowUpInput): Promise<Review> {
  const { c, s } = await loadVisible(ctx, actor, id);
  if (!s.canReadReport) throw new NotFound(`peer review ${id}`);
  if (!s.hostLeader && !s.reviewer) throw new Forbidden("the follow-up is recorded by the review team or the host school's leaders");
  stageIs(c, ['follow_up'], 'what changed is recorded');
  if (input.followUpOn) {
    notFuture('followUpOn', input.followUpOn, actor.today, 'record the follow-up once it has happened');
    if (c.visit_end_on && input.followUpOn <= c.visit_end_on) throw new Invalid('followUpOn', `the follow-up comes after the visit (which ended ${c.visit_end_on})`);
  }
  await ctx.db
    .updateTable('peer_review_cycle')
    .set({ follow_up_summary: input.summary, ...(input.followUpOn ? { follow_up_on: input.followUpOn } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  return viewAfterWrite(ctx, actor, id);
}

// ---------------------------------------------------------------------------------------------
// Reciprocity

/** Who hosted, who reviewed whom, and which schools only give or only receive, over a window. */
export async function reciprocityOf(ctx: PracticeContext, networkId: number, q: { from?: string | undefined; to?: string | undefined }, today: string): Promise<ReciprocityView> {
  const network = await repo.findNetwork(ctx.db, networkId);
  if (!network) throw new NotFound(`network ${networkId}`);
  const to = q.to ?? today;
  const from = q.from ?? addYears(to, -3);
  if (from > to) throw new Invalid('from', `${from} is after to (${to})`);
  const members = await repo.membersDuring(ctx.db, networkId, from, to);
  const held = await repo.heldReviews(ctx.db, networkId, from, to);
  const r = computeReciprocity(
    members.map((m) => ({ schoolId: m.id, name: m.name })),
    held,
  );
  return { network: { id: Number(network.id), name: network.name }, from, to, reviews: r.reviews, reciprocity: r.reciprocity, schools: r.schools, edges: r.edges };
}

/** Reciprocity for people who may read the network's aggregates (researchers included: it holds no report). */
export async function networkReciprocity(ctx: PracticeContext, actor: Actor, networkId: number, q: { from?: string | undefined; to?: string | undefined }): Promise<ReciprocityView> {
  if (!(await repo.findNetwork(ctx.db, networkId))) throw new NotFound(`network ${networkId}`);
  await requireAccess(ctx, actor, 'network.aggregate.read', { networkId }, `network ${networkId}`);
  return reciprocityOf(ctx, networkId, q, actor.today);
}
