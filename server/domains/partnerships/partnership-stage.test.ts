import { describe, expect, it } from 'vitest';
import { PartnershipStage } from '../../../common/partnerships.ts';
import { checkTransition, nextSteps, type StageFacts, transitions } from './partnership-stage.ts';

/** Facts under which every precondition holds: the allowed moves are then decided by the table alone. */
const ready: StageFacts = {
  today: '2026-11-23',
  activeGoals: 3,
  agreement: { version: 2, awaitingSchools: [] },
  reviewSinceActive: { heldOn: '2026-11-01', decision: 'renew', goalsChangedSince: false },
  ending: { endsOn: '2026-08-31' },
  note: 'We agreed this at the heads’ meeting',
};
const stages = PartnershipStage.codes;
const allowed = new Set(transitions.map((t) => `${t.from}→${t.to}`));

describe('the partnership state machine', () => {
  it('has exactly the documented moves', () => {
    expect([...allowed].sort()).toEqual(
      ['forming→active', 'forming→ending', 'active→under_review', 'under_review→renewed', 'under_review→ending', 'renewed→active', 'ending→ended'].sort(),
    );
  });

  it('refuses every move not in the table, naming where the partnership can go instead', () => {
    for (const from of stages) {
      for (const to of stages) {
        if (allowed.has(`${from}→${to}`)) continue;
        const r = checkTransition(from, to, ready);
        expect(r.ok, `${from} → ${to}`).toBe(false);
        if (r.ok) continue;
        if (from === to) expect(r.reason).toBe(`The partnership is already ${PartnershipStage.labels[from]}.`);
        else if (from === 'ended') expect(r.reason).toMatch(/it has ended and is kept as a record/);
        else expect(r.reason).toMatch(new RegExp(`^A partnership cannot move from ${PartnershipStage.labels[from]} to ${PartnershipStage.labels[to]}: from ${PartnershipStage.labels[from]} it can move only to `));
      }
    }
    const r = checkTransition('active', 'ended', ready);
    expect(r.ok ? '' : r.reason).toBe('A partnership cannot move from Active to Ended: from Active it can move only to Under review.');
  });

  it('allows every move in the table when its preconditions hold', () => {
    for (const t of transitions) {
      const facts: StageFacts = t.to === 'ending' && t.from === 'under_review' ? { ...ready, reviewSinceActive: { ...ready.reviewSinceActive!, decision: 'end' } } : ready;
      expect(checkTransition(t.from, t.to, facts).ok, `${t.from} → ${t.to}`).toBe(true);
    }
  });

  it('becoming active needs a goal and an agreement every member school has agreed to', () => {
    const noGoal = checkTransition('forming', 'active', { ...ready, activeGoals: 0 });
    expect(noGoal).toEqual({ ok: false, reason: expect.stringContaining('at least one goal that is not retired'), missing: [expect.stringContaining('goal')] });
    const noAgreement = checkTransition('forming', 'active', { ...ready, agreement: null });
    expect(noAgreement.ok ? '' : noAgreement.reason).toMatch(/needs a written agreement/);
    const unsigned = checkTransition('renewed', 'active', { ...ready, agreement: { version: 3, awaitingSchools: ['Ash Primary', 'Birch Primary'] } });
    expect(unsigned.ok ? '' : unsigned.reason).toBe(
      "Cannot move from Renewed to Active yet: it needs every member school's agreement to version 3 of the agreement (still awaiting: Ash Primary, Birch Primary).",
    );
    const both = checkTransition('forming', 'active', { ...ready, activeGoals: 0, agreement: null });
    expect(both.ok ? [] : both.missing).toHaveLength(2);
  });

  it('going under review needs a review started since the partnership became active', () => {
    const r = checkTransition('active', 'under_review', { ...ready, reviewSinceActive: null });
    expect(r.ok ? '' : r.reason).toMatch(/needs a review started since the partnership last became active/);
  });

  it('renewal follows a decision to renew or renegotiate, and renegotiation needs changed goals', () => {
    const undecided = checkTransition('under_review', 'renewed', { ...ready, reviewSinceActive: { heldOn: '2026-11-01', decision: null, goalsChangedSince: false } });
    expect(undecided.ok ? '' : undecided.reason).toMatch(/record the review's decision/);
    const toEnd = checkTransition('under_review', 'renewed', { ...ready, reviewSinceActive: { heldOn: '2026-11-01', decision: 'end', goalsChangedSince: false } });
    expect(toEnd.ok ? '' : toEnd.reason).toMatch(/decided to end the partnership: move it to Ending instead/);
    const sameGoals = checkTransition('under_review', 'renewed', { ...ready, reviewSinceActive: { heldOn: '2026-11-01', decision: 'renegotiate', goalsChangedSince: false } });
    expect(sameGoals.ok ? '' : sameGoals.reason).toMatch(/a change to the goals since the review/);
    expect(checkTransition('under_review', 'renewed', { ...ready, reviewSinceActive: { heldOn: '2026-11-01', decision: 'renegotiate', goalsChangedSince: true } }).ok).toBe(true);
    const renewInstead = checkTransition('under_review', 'ending', ready);
    expect(renewInstead.ok ? '' : renewInstead.reason).toMatch(/the review decided to renew it: move it to Renewed instead/);
  });

  it('ending before it starts needs a reason; ending for good needs the ending record and its date', () => {
    const silent = checkTransition('forming', 'ending', { ...ready, note: '  ' });
    expect(silent.ok ? '' : silent.reason).toMatch(/a note saying why the partnership will not go ahead/);
    const noRecord = checkTransition('ending', 'ended', { ...ready, ending: null });
    expect(noRecord.ok ? '' : noRecord.reason).toMatch(/an ending record: the agreed end date, the reason and what the partners keep/);
    const early = checkTransition('ending', 'ended', { ...ready, ending: { endsOn: '2027-07-31' } });
    expect(early.ok ? '' : early.reason).toBe('Cannot move from Ending to Ended yet: it needs the agreed end date (2027-07-31) to have arrived.');
    expect(checkTransition('ending', 'ended', { ...ready, ending: { endsOn: '2026-11-23' } }).ok).toBe(true);
  });

  it('lists the next steps with what is missing, and a note as something asked for, not missing', () => {
    const steps = nextSteps('forming', { ...ready, activeGoals: 0, note: null });
    expect(steps).toEqual([
      { to: 'active', meaning: expect.any(String), allowed: false, needsNote: false, missing: ['at least one goal that is not retired (add a goal)'] },
      { to: 'ending', meaning: expect.any(String), allowed: true, needsNote: true, missing: [] },
    ]);
    expect(nextSteps('ended', ready)).toEqual([]);
  });
});
