import { RequestStatus, requestTransitions } from '../../../common/brokering.ts';

/**
 * A support request's casework as a state machine (docs/brokering.md, "Casework"): which move is
 * allowed from which status, and what to do next. Pure; the service checks it inside the
 * transaction that makes the move and answers 409 with `reason` when it refuses.
 */

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

const label = (s: RequestStatus) => RequestStatus.labels[s];

/** What must happen before each move, in words a person can act on. */
const howTo: Partial<Record<RequestStatus, string>> = {
  shortlisted: 'a broker shortlists candidates',
  introduced: 'the broker introduces one shortlisted candidate',
  matched: 'both schools accept the introduction',
  in_support: 'the broker starts the support once both schools have signed the agreement',
  reviewed: 'the broker records a review',
  closed: 'the broker closes the request with its outcome, after a review',
  withdrawn: 'the requesting school or its broker withdraws it, before a match',
};

export function checkRequestTransition(from: RequestStatus, to: RequestStatus): TransitionCheck {
  if (requestTransitions[from].includes(to)) return { ok: true };
  if (from === 'closed' || from === 'withdrawn') return { ok: false, reason: `the request is ${label(from).toLowerCase()} and kept as a record; raise a new request for further support` };
  const allowed = requestTransitions[from].map((s) => `${label(s)} (${howTo[s] ?? s})`);
  return { ok: false, reason: `a request that is ${label(from)} cannot become ${label(to)}; next it can become: ${allowed.join('; ')}` };
}

/** The next steps from a status, for the request page. */
export function nextSteps(status: RequestStatus): string[] {
  return requestTransitions[status].filter((s) => s !== status).map((s) => howTo[s] ?? s);
}
