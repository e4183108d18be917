import { describe, expect, it } from 'vitest';
import { ReviewStage } from '../../../common/practice.ts';
import { checkTransition, nextSteps, type ReviewFacts, type ReviewRoles, transitions } from './review-stage.ts';

/** The review lifecycle as a pure state machine: every allowed move, who makes it, and what it needs first. */

const facts = (over: Partial<ReviewFacts> = {}): ReviewFacts => ({
  today: '2026-11-23',
  reviewers: 2,
  visitStartOn: '2026-10-05',
  visitEndOn: '2026-10-06',
  evidence: 4,
  strengths: 1,
  areasToDevelop: 1,
  areasWithoutAction: 0,
  teamJudgement: 'good',
  actions: 1,
  openActions: 0,
  followUpOn: '2026-11-16',
  followUpSummary: true,
  note: 'Snow closed the school',
  ...over,
});
const host: ReviewRoles = { manager: true, reviewer: false, hostLeader: true };
const coordinator: ReviewRoles = { manager: true, reviewer: false, hostLeader: false };
const reviewer: ReviewRoles = { manager: false, reviewer: true, hostLeader: false };

describe('review lifecycle', () => {
  it('allows the protocol’s order and nothing else; closed and cancelled are final', () => {
    const moves = transitions.map((t) => `${t.from}>${t.to}`);
    expect(moves).toEqual([
      'planned>visiting',
      'planned>cancelled',
      'visiting>findings',
      'visiting>cancelled',
      'findings>actions_agreed',
      'findings>cancelled',
      'actions_agreed>follow_up',
      'follow_up>closed',
    ]);
    for (const from of ReviewStage.codes) {
      for (const to of ReviewStage.codes) {
        const allowed = moves.includes(`${from}>${to}`);
        const r = checkTransition(from, to, facts(), { manager: true, reviewer: true, hostLeader: true });
        expect(r.ok, `${from} → ${to}`).toBe(allowed);
      }
    }
    expect(checkTransition('closed', 'planned', facts(), host)).toEqual({ ok: false, status: 409, reason: 'a review cannot move from Closed to Planned; Closed is final' });
  });

  it('lets only the host’s leaders agree the actions, and the team or managers move the visit on', () => {
    expect(checkTransition('findings', 'actions_agreed', facts(), coordinator)).toEqual({
      ok: false,
      status: 403,
      reason: "only the host school's head teacher or senior leaders can move a review from Findings to Actions agreed",
    });
    expect(checkTransition('findings', 'actions_agreed', facts(), host).ok).toBe(true);
    expect(checkTransition('visiting', 'findings', facts(), reviewer).ok).toBe(true);
    expect(checkTransition('planned', 'visiting', facts(), reviewer).ok).toBe(false);
    expect(checkTransition('planned', 'cancelled', facts(), reviewer)).toMatchObject({ status: 403 });
  });

  it('names everything a move still needs', () => {
    const r = checkTransition('findings', 'actions_agreed', facts({ strengths: 0, teamJudgement: null, areasWithoutAction: 2 }), host);
    expect(r).toEqual({
      ok: false,
      status: 409,
      reason:
        "to move from Findings to Actions agreed the review needs findings that name a strength (a review names both); and the team's judgement of the focus on the RAG wheel (PUT /peer-reviews/{id}/judgement); and an action for every area to develop (2 without one)",
    });
    expect(checkTransition('planned', 'visiting', facts({ visitStartOn: '2026-12-01' }), host)).toMatchObject({ reason: expect.stringMatching(/the visit to begin \(it is planned for 2026-12-01\)$/) });
    expect(checkTransition('actions_agreed', 'follow_up', facts({ followUpOn: null }), reviewer)).toMatchObject({ reason: expect.stringMatching(/the follow-up visit date/) });
    expect(checkTransition('planned', 'cancelled', facts({ note: null }), host)).toMatchObject({ reason: expect.stringMatching(/a note saying why/) });
  });

  it('offers the next steps with who makes them, hiding cancellation from those who cannot cancel', () => {
    const steps = nextSteps('findings', facts({ actions: 0 }), reviewer);
    expect(steps).toEqual([
      {
        to: 'actions_agreed',
        label: 'Actions agreed',
        meaning: "The host's leaders accept the findings and agree what they will do, by whom, by when.",
        who: "the host school's head teacher or senior leaders",
        youMay: false,
        allowed: false,
        missing: ['at least one action, with an owner and a due date'],
      },
    ]);
    expect(nextSteps('planned', facts(), host).map((s) => [s.to, s.allowed])).toEqual([
      ['visiting', true],
      ['cancelled', true],
    ]);
  });
});
