import { ReviewStage } from '../../../common/practice.ts';

/**
 * The peer-review cycle as a state machine: which stage may follow which, who may make each
 * move, and what must be true first. Pure: the service gathers the facts and records the change.
 *
 * The order follows the protocol of DOMAIN.md §9 (the case study's review groups, research/
 * seed-003.md §6.3; Ainscow's visit protocol, seed-000-part2.md §3.2): the host chooses the
 * focus and the team is formed (planned); the team visits and gathers evidence (visiting);
 * the team writes findings and its judgement (findings); the host agrees what it will do
 * (actions agreed); the team comes back to see what changed (follow-up); closed. A review may
 * be cancelled until its actions are agreed; after that it has happened, and is closed instead.
 */

type Stage = ReviewStage;

/** Who is asking, as the service sees them for this cycle. */
export type ReviewRoles = {
  /** May manage the cycle: a leader of the host school, a coordinator of the network, an administrator. */
  manager: boolean;
  /** Is on the review team (still holding a post in their school), or an administrator. */
  reviewer: boolean;
  /** A head teacher or senior leader of the host school, or an administrator: only they agree the host's actions. */
  hostLeader: boolean;
};
export type Mover = keyof ReviewRoles;

/** What the service knows about a cycle when someone asks to move it. */
export type ReviewFacts = {
  today: string;
  reviewers: number;
  visitStartOn: string | null;
  visitEndOn: string | null;
  evidence: number;
  strengths: number;
  areasToDevelop: number;
  /** Areas to develop with no action (dropped actions do not count). */
  areasWithoutAction: number;
  teamJudgement: string | null;
  actions: number;
  /** Actions neither done nor dropped. */
  openActions: number;
  followUpOn: string | null;
  followUpSummary: boolean;
  note: string | null;
};

/** One condition of a move: null when it holds, otherwise what is missing, in words. */
export type Precondition = { name: string; missing: (f: ReviewFacts) => string | null };
export type Transition = { from: Stage; to: Stage; meaning: string; by: readonly Mover[]; preconditions: readonly Precondition[] };

const label = (s: Stage) => ReviewStage.labels[s];

const hasTeam: Precondition = {
  name: 'a review team',
  missing: (f) => (f.reviewers > 0 ? null : 'at least one reviewer from a partner school (add the team first)'),
};
const visitBegun: Precondition = {
  name: 'the visit has begun',
  missing: (f) => {
    if (!f.visitStartOn || !f.visitEndOn) return 'the visit dates (set visitStartOn and visitEndOn)';
    if (f.visitStartOn > f.today) return `the visit to begin (it is planned for ${f.visitStartOn})`;
    return null;
  },
};
const hasEvidence: Precondition = {
  name: 'evidence gathered',
  missing: (f) => (f.evidence > 0 ? null : 'at least one evidence form (a lesson visit, learning walk, conversation with pupils, work scrutiny or interview)'),
};
const hasFindings: Precondition = {
  name: 'findings written',
  missing: (f) => {
    const lacking = [f.strengths === 0 ? 'a strength' : null, f.areasToDevelop === 0 ? 'an area to develop' : null].filter((x) => x !== null);
    return lacking.length === 0 ? null : `findings that name ${lacking.join(' and ')} (a review names both)`;
  },
};
const hasJudgement: Precondition = {
  name: "the team's judgement of the focus",
  missing: (f) => (f.teamJudgement ? null : "the team's judgement of the focus on the RAG wheel (PUT /peer-reviews/{id}/judgement)"),
};
const everyAreaHasAction: Precondition = {
  name: 'an action for every area to develop',
  missing: (f) => {
    if (f.actions === 0) return 'at least one action, with an owner and a due date';
    if (f.areasWithoutAction > 0) return `an action for every area to develop (${f.areasWithoutAction} without one)`;
    return null;
  },
};
const followUpVisited: Precondition = {
  name: 'the follow-up visit has happened',
  missing: (f) => {
    if (!f.followUpOn) return 'the follow-up visit date (set followUpOn)';
    if (f.followUpOn > f.today) return `the follow-up visit (planned for ${f.followUpOn})`;
    return null;
  },
};
const actionsClosed: Precondition = {
  name: 'every action done or dropped',
  missing: (f) => (f.openActions === 0 ? null : `every action marked done (with what changed) or dropped (with why); ${f.openActions} still open`),
};
const whatChanged: Precondition = {
  name: 'what changed, recorded',
  missing: (f) => (f.followUpSummary ? null : 'a record of what changed since the review (PUT /peer-reviews/{id}/follow-up)'),
};
const reasonGiven: Precondition = {
  name: 'a reason',
  missing: (f) => (f.note && f.note.trim().length >= 3 ? null : 'a note saying why the review is cancelled'),
};

const cancel = (from: Stage): Transition => ({ from, to: 'cancelled', meaning: 'The review will not go ahead (or not be finished).', by: ['manager'], preconditions: [reasonGiven] });

/** Every allowed move. Anything else is refused (409) with the moves that are allowed. */
export const transitions: readonly Transition[] = [
  { from: 'planned', to: 'visiting', meaning: 'The team arrives: evidence can be recorded.', by: ['manager'], preconditions: [hasTeam, visitBegun] },
  cancel('planned'),
  { from: 'visiting', to: 'findings', meaning: 'The visit is over: the team writes its findings and judgement.', by: ['manager', 'reviewer'], preconditions: [hasEvidence] },
  cancel('visiting'),
  {
    from: 'findings',
    to: 'actions_agreed',
    meaning: "The host's leaders accept the findings and agree what they will do, by whom, by when.",
    by: ['hostLeader'],
    preconditions: [hasFindings, hasJudgement, everyAreaHasAction],
  },
  cancel('findings'),
  { from: 'actions_agreed', to: 'follow_up', meaning: 'The team comes back to see what has changed.', by: ['manager', 'reviewer'], preconditions: [followUpVisited] },
  { from: 'follow_up', to: 'closed', meaning: 'What changed is recorded and every action is closed.', by: ['manager'], preconditions: [actionsClosed, whatChanged] },
];

const whoLabel: Record<Mover, string> = {
  manager: "the host school's leaders or the network's coordinators",
  reviewer: 'the review team',
  hostLeader: "the host school's head teacher or senior leaders",
};
const mayMove = (t: Transition, roles: ReviewRoles) => t.by.some((m) => roles[m]);

export type TransitionCheck = { ok: true } | { ok: false; status: 403 | 409; reason: string };

/** Whether `roles` may move a cycle from `from` to `to` now; if not, why, in words. */
export function checkTransition(from: Stage, to: Stage, facts: ReviewFacts, roles: ReviewRoles): TransitionCheck {
  if (from === to) return { ok: false, status: 409, reason: `the review is already ${label(from)}` };
  const t = transitions.find((x) => x.from === from && x.to === to);
  if (!t) {
    const allowed = transitions.filter((x) => x.from === from).map((x) => label(x.to));
    const next = allowed.length ? `from ${label(from)} it can move to: ${allowed.join(', ')}` : `${label(from)} is final`;
    return { ok: false, status: 409, reason: `a review cannot move from ${label(from)} to ${label(to)}; ${next}` };
  }
  if (!mayMove(t, roles)) return { ok: false, status: 403, reason: `only ${t.by.map((m) => whoLabel[m]).join(' or ')} can move a review from ${label(from)} to ${label(to)}` };
  const missing = t.preconditions.map((p) => p.missing(facts)).filter((m): m is string => m !== null);
  if (missing.length) return { ok: false, status: 409, reason: `to move from ${label(from)} to ${label(to)} the review needs ${missing.join('; and ')}` };
  return { ok: true };
}

export type NextStep = { to: Stage; label: string; meaning: string; who: string; youMay: boolean; allowed: boolean; missing: string[] };

/** The moves out of `from`, each with whether it is allowed now and for this viewer. */
export function nextSteps(from: Stage, facts: ReviewFacts, roles: ReviewRoles): NextStep[] {
  return transitions
    .filter((t) => t.from === from && (t.to !== 'cancelled' || roles.manager))
    .map((t) => {
      const missing = t.preconditions.filter((p) => p !== reasonGiven).map((p) => p.missing(facts)).filter((m): m is string => m !== null);
      const youMay = mayMove(t, roles);
      return { to: t.to, label: label(t.to), meaning: t.meaning, who: t.by.map((m) => whoLabel[m]).join(' or '), youMay, allowed: youMay && missing.length === 0, missing };
    });
}

/** Stages in which the team may still record or change evidence and findings. */
export const recordingStages: readonly Stage[] = ['visiting', 'findings'];
/** Stages in which the plan (focus, schedule, team) may change. */
export const planningStages: readonly Stage[] = ['planned', 'visiting'];
/** Stages in which a review has happened: it counts for reciprocity and as evidence. */
export const heldStages: readonly Stage[] = ['visiting', 'findings', 'actions_agreed', 'follow_up', 'closed'];
