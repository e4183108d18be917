import { describe, expect, it } from 'vitest';
import { descriptorProblem, nameWarnings } from './pupil-privacy.ts';

/** Pupils are described, never named: descriptors are refused if they look like a name; notes are only flagged. */

describe('pupil descriptors', () => {
  it('accept descriptions in school vocabulary', () => {
    for (const ok of [
      'pupil the teacher knows least, Y4',
      'quiet boy the teacher knows least, Year 4',
      'girl new to the school, Reception',
      'Pupil with SEND support, KS2',
      'boy learning English (EAL), Y5/6',
      'A pupil eligible for FSM, Y3',
    ]) {
      expect(descriptorProblem(ok), ok).toBeNull();
    }
  });

  it('refuse names and contact details, saying how to fix it', () => {
    expect(descriptorProblem('Jack, Y4')).toMatch(/^"Jack" looks like a name; pupils are described, never named/);
    expect(descriptorProblem('the boy called jack')).toMatch(/without a name/);
    expect(descriptorProblem('Quiet boy in Y4')).toMatch(/^"Quiet" looks like a name.*lower case/);
    expect(descriptorProblem('Y4 girl, Amelia Smith')).toMatch(/^"Amelia"/);
    expect(descriptorProblem('jo@school.example')).toMatch(/without a name or contact details/);
    expect(descriptorProblem('Y4')).toMatch(/few words/);
  });
});

describe('name warnings in notes', () => {
  it('flag capitalised words that do not start a sentence and are not school vocabulary or acronyms', () => {
    expect(nameWarnings('Both waited for help. Later Sam said the number lines are for the top table.')).toEqual(['Sam']);
    expect(nameWarnings('In Maths on Tuesday the Y4 class used AfL cards; Mrs Hughes led.')).toEqual(['AfL', 'Hughes']);
    expect(nameWarnings('Pupils explained fractions well.\nThey used SEND resources.')).toEqual([]);
  });
});
