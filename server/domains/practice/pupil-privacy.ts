/**
 * Pupils in a review are described, never named (docs/practice.md, "Pupils"). A review report
 * travels to partner schools by consent; a pupil's name in it would make it personal data about
 * a child that nobody agreed to share. Two checks, both pure:
 *
 * - `descriptorProblem`: a pupil descriptor ("pupil the teacher knows least, Y4") is refused if
 *   any capitalised word in it is not school vocabulary. Names are capitalised; the vocabulary a
 *   descriptor needs (year groups, key stages, SEND, EAL, FSM…) is listed here. Descriptors are
 *   short, so the rule can be strict: "quiet boy in Year 4" passes, "Jack, Y4" does not, and
 *   "Quiet boy" is refused with a plain fix (write it in lower case).
 * - `nameWarnings`: free-text notes cannot be policed that tightly (they mention subjects, days,
 *   places, staff). Capitalised words that do not start a sentence and are not vocabulary are
 *   returned as warnings for the writer to check; the notes are stored.
 */

/** Words a descriptor or note may capitalise: school vocabulary, not names. Compared case-sensitively after the patterns below. */
const vocabulary = new Set([
  'A', 'An', 'The', 'Pupil', 'Pupils', 'Child', 'Children', 'Girl', 'Girls', 'Boy', 'Boys', 'Student', 'Students',
  'Year', 'Yr', 'Reception', 'Nursery', 'Foundation', 'Sixth', 'Form', 'Key', 'Stage', 'Set', 'Group', 'Lower', 'Upper', 'Top', 'Bottom',
  'SEND', 'SEN', 'EAL', 'FSM', 'PP', 'EHCP', 'LAC', 'CLA', 'CIN', 'MAT', 'G&T', 'EYFS', 'TA', 'HLTA', 'SENCO', 'SENCo', 'ASD', 'ADHD', 'SEMH',
  'English', 'Maths', 'Mathematics', 'Science', 'History', 'Geography', 'Art', 'Music', 'PE', 'RE', 'PSHE', 'RSE', 'DT', 'Computing', 'French', 'Spanish', 'German', 'Latin',
  'Phonics', 'Reading', 'Writing', 'Spelling', 'Grammar', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
  'Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'I', 'We', 'They', 'He', 'She', 'It', 'In', 'On', 'At', 'When', 'After', 'Before', 'During', 'Most', 'Some', 'All', 'Two', 'Three', 'Four',
]);
/** Year groups and key stages in the usual short forms: Y4, Y10, KS2, Y5/6 (split on the slash). */
const schoolCode = /^(Y\d{1,2}|KS[1-5]|R|N|P\d|Q\d|L\d)$/;
const capitalised = /^\p{Lu}/u;
const words = (text: string) => text.split(/[^\p{L}\p{N}&]+/u).filter(Boolean);
const isVocabulary = (w: string) => vocabulary.has(w) || schoolCode.test(w);

/** Why a pupil descriptor must be changed, or null when it may be stored. */
export function descriptorProblem(descriptor: string): string | null {
  const text = descriptor.trim();
  if (text.length < 3) return 'describe the pupil in a few words, e.g. "pupil the teacher knows least, Y4"';
  if (/@|\b(called|named|name is)\b/i.test(text)) return 'describe the pupil without a name or contact details, e.g. "pupil the teacher knows least, Y4"';
  const suspect = words(text).filter((w) => capitalised.test(w) && !isVocabulary(w));
  if (suspect.length === 0) return null;
  return `"${suspect[0]}" looks like a name; pupils are described, never named (write the description in lower case apart from year groups and terms such as SEND or EAL, e.g. "quiet boy the teacher knows least, Y4")`;
}

/**
 * Capitalised words in notes that could be a person's name: not at the start of a sentence, not
 * school vocabulary, not an acronym. The writer is asked to check them; nothing is refused.
 */
export function nameWarnings(text: string): string[] {
  const found = new Set<string>();
  // A sentence starts the text or follows . ! ? : or a line break.
  for (const sentence of text.split(/(?<=[.!?:])\s+|\n+/)) {
    const ws = words(sentence);
    for (const [i, w] of ws.entries()) {
      if (i === 0 || !capitalised.test(w) || isVocabulary(w)) continue;
      if (w.length <= 5 && w === w.toUpperCase()) continue; // an acronym (KS2, SLT, AfL)
      found.add(w);
    }
  }
  return [...found];
}
