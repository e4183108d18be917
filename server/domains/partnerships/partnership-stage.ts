import { PartnershipStage, type ReviewDecision } from '../../../common/partnerships.ts';

/**
 * The partnership lifecycle as a state machine: which stage may follow which, and what must be
 * true first. Pure (the service gathers the facts from the database and records the change).
 *
 * The shape follows DOMAIN.md §4: a partnership forms around a purpose and a few goals, works
 * under a written agreement, is reviewed, and is then renewed (same or renegotiated focus) or
 * brought to an agreed end (Muijs et al. 2011 ch. 12; Hargreaves's "series of short-term
 * engagements" read as renewal, not failure).
 */

type Stage = PartnershipStage;

/** What the service knows about a partnership when someone asks to move it. */
export type StageFacts = {
  today: string;
  /** Goals that are not retired. */
  activeGoals: number;
  /** The agreement in force (its latest version) and the member schools yet to agree to it; null when none is written. */
  agreement: { version: number; awaitingSchools: string[] } | null;
  /** The latest review recorded since the partnership last became active; null when there is none. */
  reviewSinceActive: { heldOn: string; decision: ReviewDecision | null; goalsChangedSince: boolean } | null;
  /** The recorded ending; null when none is recorded. */
  ending: { endsOn: string } | null;
  /** The note given with the request. */
  note: string | null;
};

/** One condition of a move: null when it holds, otherwise what is missing, in words. */
export type Precondition = { name: string; missing: (f: StageFacts) => string | null };

export type Transition = { from: Stage; to: Stage; meaning: string; preconditions: readonly Precondition[] };

const label = (s: Stage) => PartnershipStage.labels[s];

const hasGoal: Precondition = {
  name: 'at least one goal',
  missing: (f) => (f.activeGoals > 0 ? null : 'at least one goal that is not retired (add a goal)'),
};
const agreementAgreed: Precondition = {
  name: 'an agreement every member school has agreed to',
  missing: (f) => {
    if (!f.agreement) return 'a written agreement (write one, then have each member school agree to it)';
    if (f.agreement.awaitingSchools.length > 0) {
      return `every member school's agreement to version ${f.agreement.version} of the agreement (still awaiting: ${f.agreement.awaitingSchools.join(', ')})`;
    }
    return null;
  },
};
const reviewStarted: Precondition = {
  name: 'a review started',
  missing: (f) => (f.reviewSinceActive ? null : 'a review started since the partnership last became active (record the review meeting first)'),
};
const decidedToContinue: Precondition = {
  name: 'a review decision to renew or renegotiate',
  missing: (f) => {
    const d = f.reviewSinceActive?.decision ?? null;
    if (d === 'renew' || d === 'renegotiate') return null;
    if (d === 'end') return 'a review decision to renew or renegotiate (the review decided to end the partnership: move it to Ending instead)';
    return "a review decision to renew or renegotiate (record the review's decision)";
  },
};
const goalsChangedIfRenegotiated: Precondition = {
  name: 'changed goals, when the review renegotiated the focus',
  missing: (f) =>
    f.reviewSinceActive?.decision === 'renegotiate' && !f.reviewSinceActive.goalsChangedSince
      ? 'a change to the goals since the review, which decided to renegotiate the focus (add, revise or retire a goal)'
      : null,
};
const decidedToEnd: Precondition = {
  name: 'a review decision to end',
  missing: (f) => {
    const d = f.reviewSinceActive?.decision ?? null;
    if (d === 'end') return null;
    if (d) return `a review decision to end the partnership (the review decided to ${d === 'renew' ? 'renew it' : 'renegotiate its focus'}: move it to Renewed instead)`;
    return "a review decision to end the partnership (record the review's decision)";
  },
};
const reasonGiven: Precondition = {
  name: 'a note saying why',
  missing: (f) => (f.note && f.note.trim().length > 0 ? null : 'a note saying why the partnership will not go ahead'),
};
const endingRecorded: Precondition = {
  name: 'an ending record',
  missing: (f) => (f.ending ? null : 'an ending record: the agreed end date, the reason and what the partners keep'),
};
const endDateReached: Precondition = {
  name: 'the agreed end date reached',
  missing: (f) => (!f.ending || f.ending.endsOn <= f.today ? null : `the agreed end date (${f.ending.endsOn}) to have arrived`),
};

/** Every allowed move. Anything not listed is refused. */
export const transitions: readonly Transition[] = [
  { from: 'forming', to: 'active', meaning: 'the partners have goals and have all agreed the written agreement', preconditions: [hasGoal, agreementAgreed] },
  { from: 'forming', to: 'ending', meaning: 'the partnership will not go ahead', preconditions: [reasonGiven] },
  { from: 'active', to: 'under_review', meaning: 'the partners are reviewing progress on the goals', preconditions: [reviewStarted] },
  { from: 'under_review', to: 'renewed', meaning: 'the review decided to carry on, with the same or a renegotiated focus', preconditions: [decidedToContinue, goalsChangedIfRenegotiated] },
  { from: 'under_review', to: 'ending', meaning: 'the review decided to bring the partnership to an agreed end', preconditions: [decidedToEnd] },
  { from: 'renewed', to: 'active', meaning: 'the renewed plan is in force: goals in place and the agreement agreed by all', preconditions: [hasGoal, agreementAgreed] },
  { from: 'ending', to: 'ended', meaning: 'the agreed end date has come', preconditions: [endingRecorded, endDateReached] },
];

export type TransitionCheck = { ok: true; transition: Transition } | { ok: false; reason: string; missing: string[] };

/** May a partnership at `from` move to `to`, given the facts? If not, says why in a sentence. */
export function checkTransition(from: Stage, to: Stage, facts: StageFacts): TransitionCheck {
  if (from === to) return { ok: false, reason: `The partnership is already ${label(from)}.`, missing: [] };
  const t = transitions.find((x) => x.from === from && x.to === to);
  if (!t) {
    const onward = transitions.filter((x) => x.from === from).map((x) => label(x.to));
    const where = onward.length === 0 ? 'it has ended and is kept as a record' : `from ${label(from)} it can move only to ${onward.join(' or ')}`;
    return { ok: false, reason: `A partnership cannot move from ${label(from)} to ${label(to)}: ${where}.`, missing: [] };
  }
  const missing = t.preconditions.map((p) => p.missing(facts)).filter((m): m is string => m !== null);
  if (missing.length > 0) return { ok: false, reason: `Cannot move from ${label(from)} to ${label(to)} yet: it needs ${missing.join('; and ')}.`, missing };
  return { ok: true, transition: t };
}

/**
 * The moves open from `from`, each with what is still missing (for the plan page's buttons).
 * A note is asked for with the request, so a move that needs one says so (`needsNote`) rather
 * than counting it as missing.
 */
export function nextSteps(from: Stage, facts: StageFacts): { to: Stage; meaning: string; allowed: boolean; needsNote: boolean; missing: string[] }[] {
  return transitions
    .filter((t) => t.from === from)
    .map((t) => {
      const missing = t.preconditions
        .filter((p) => p !== reasonGiven)
        .map((p) => p.missing(facts))
        .filter((m): m is string => m !== null);
      return { to: t.to, meaning: t.meaning, allowed: missing.length === 0, needsNote: t.preconditions.includes(reasonGiven), missing };
    });
}
