import { describe, expect, it } from 'vitest';
import { builtInActivityTypes } from '../../../common/activities.ts';
import { communityActivityType, evidenceStrengthLabel, evidenceStrengthLevels, evidenceStrengthMeaning, practiceActivityTypes, RagGrade } from '../../../common/practice.ts';
import { builtInInstrument } from '../surveys/index.ts';

/** The vocabulary agrees with the activity catalogue and the built-in RAG wheel instrument. */

describe('practice vocabulary', () => {
  it('names only activity types of the built-in catalogue', () => {
    const codes = new Set(builtInActivityTypes.map((t) => t.code));
    for (const code of [...Object.values(practiceActivityTypes), ...Object.values(communityActivityType)]) expect(codes.has(code), code).toBe(true);
  });

  it('grades on the same four-step scale as the RAG self-evaluation instrument', () => {
    const wheel = builtInInstrument('rag-self-evaluation');
    expect(wheel?.scale?.map((s) => s.code)).toEqual(RagGrade.codes);
  });

  it('explains every rung of the evidence-strength ladder', () => {
    expect(evidenceStrengthLevels.map((l) => evidenceStrengthLabel(l))).toEqual(['Described', 'Change seen', 'Compared', 'Repeated elsewhere', 'Ready to spread']);
    for (const l of evidenceStrengthLevels) expect(evidenceStrengthMeaning[l].length).toBeGreaterThan(40);
  });
});
