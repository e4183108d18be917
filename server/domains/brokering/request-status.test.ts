import { describe, expect, it } from 'vitest';
import { RequestStatus, requestTransitions } from '../../../common/brokering.ts';
import { checkRequestTransition, nextSteps } from './request-status.ts';

describe('request casework', () => {
  it('moves forward one step at a time, back to the shortlist only from an introduction or a shortlist', () => {
    expect(checkRequestTransition('open', 'shortlisted')).toEqual({ ok: true });
    expect(checkRequestTransition('introduced', 'shortlisted')).toEqual({ ok: true });
    expect(checkRequestTransition('reviewed', 'in_support')).toEqual({ ok: true });
    expect(checkRequestTransition('open', 'matched').ok).toBe(false);
    expect(checkRequestTransition('matched', 'shortlisted').ok).toBe(false);
    expect(checkRequestTransition('in_support', 'closed').ok).toBe(false);
  });

  it('withdraws only before a match, and keeps closed and withdrawn requests as records', () => {
    for (const from of RequestStatus.codes) {
      expect(checkRequestTransition(from, 'withdrawn').ok, from).toBe(['open', 'shortlisted', 'introduced'].includes(from));
    }
    for (const from of ['closed', 'withdrawn'] as const) {
      expect(requestTransitions[from]).toEqual([]);
      const refused = checkRequestTransition(from, 'open');
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.reason).toMatch(/kept as a record/);
    }
  });

  it('says what can happen next, and why a move is refused', () => {
    const refused = checkRequestTransition('matched', 'closed');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/Support under way \(the broker starts the support/);
    expect(nextSteps('introduced')).toEqual(['a broker shortlists candidates', 'both schools accept the introduction', 'the requesting school or its broker withdraws it, before a match']);
    expect(nextSteps('closed')).toEqual([]);
  });
});
