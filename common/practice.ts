/**
 * The vocabulary of evaluation and challenge and of joint practice development (DOMAIN.md §9),
 * shared by server and web: the peer-review lifecycle, the RAG wheel's grades, the kinds of
 * evidence a review team gathers, findings and actions, the JPD cycle, an evidence-strength
 * ladder, the practice library's context tags, and communities of practice. Stored values are
 * the codes; labels and descriptions are our own wording. Rules: docs/practice.md.
 */
import { type ActivityCategory, builtInActivityTypes } from './activities.ts';
import { vocabulary } from './vocabulary.ts';

// ---- Peer review ----------------------------------------------------------------------------

/**
 * A review cycle's stages, in order. The allowed moves and what each needs first:
 * server/domains/practice/review-stage.ts.
 */
export const ReviewStage = vocabulary({
  planned: 'Planned',
  visiting: 'Visit under way',
  findings: 'Findings',
  actions_agreed: 'Actions agreed',
  follow_up: 'Follow-up',
  closed: 'Closed',
  cancelled: 'Cancelled',
});
export type ReviewStage = keyof typeof ReviewStage.labels;

/**
 * The four grades of the annual RAG self-evaluation wheel (the inspection grades), lowest first,
 * with the ring colour the case study's wheel gives each (research/seed-003.md §3.5): a school
 * that fills only the inner rings is red, into amber but not green is amber, green is good, the
 * outer purple rings outstanding. The same scale as the built-in `rag-self-evaluation` instrument.
 */
export const RagGrade = vocabulary({
  inadequate: 'Inadequate',
  requires_improvement: 'Requires improvement',
  good: 'Good',
  outstanding: 'Outstanding',
});
export type RagGrade = keyof typeof RagGrade.labels;
export const ragColour: Record<RagGrade, { name: string; hex: string }> = {
  inadequate: { name: 'red', hex: '#c62828' },
  requires_improvement: { name: 'amber', hex: '#f9a825' },
  good: { name: 'green', hex: '#2e7d32' },
  outstanding: { name: 'purple', hex: '#6a1b9a' },
};
/** 1 (inadequate) … 4 (outstanding): the wheel's rings, for averaging and drawing. */
export const ragValue: Record<RagGrade, number> = { inadequate: 1, requires_improvement: 2, good: 3, outstanding: 4 };

/** The inspection areas the wheel is divided into (the order of the 2015 framework), and the review's own focus. */
export const WheelArea = vocabulary({
  focus: 'The review focus',
  leadership_management: 'Leadership and management',
  teaching_learning_assessment: 'Teaching, learning and assessment',
  personal_development_behaviour_welfare: 'Personal development, behaviour and welfare',
  outcomes: 'Outcomes for pupils',
});
export type WheelArea = keyof typeof WheelArea.labels;

/** The evidence forms a review team fills in, with what each is for (our words; DOMAIN.md §9). */
export const EvidenceKind = vocabulary({
  lesson_visit: 'Lesson visit',
  learning_walk: 'Learning walk',
  pupil_conversation: 'Conversation with pupils',
  work_scrutiny: "Scrutiny of pupils' work",
  leader_interview: 'Interview with leaders',
});
export type EvidenceKind = keyof typeof EvidenceKind.labels;
export const evidenceKindGuidance: Record<EvidenceKind, string> = {
  lesson_visit: 'Part or all of one lesson, watched with the focus in mind: what pupils did, how they worked with each other and the adult, what they learned.',
  learning_walk: 'Short visits to several classrooms or spaces, looking at one thing across the school.',
  pupil_conversation:
    'Talk with pupils you watched, following up what you saw. Ask the class teacher to pick the pupils they know least about: they are the ones a school most easily overlooks. Describe pupils, never name them.',
  work_scrutiny: "Books or other work, looked at against the focus and against what the lessons showed.",
  leader_interview: 'A conversation with a leader about the focus, the evidence behind the school’s own judgement, and what it plans.',
};

/** Why the pupils in a conversation were chosen. */
export const PupilChoice = vocabulary({
  teacher_knows_least: 'The pupils the teacher knows least about',
  observed_in_lesson: 'Pupils watched in a lesson',
  other: 'Chosen another way',
});
export type PupilChoice = keyof typeof PupilChoice.labels;

export const FindingKind = vocabulary({
  strength: 'Strength',
  area_to_develop: 'Area to develop',
});
export type FindingKind = keyof typeof FindingKind.labels;

/** An agreed action's progress. Proposed actions become agreed when the host agrees them. */
export const ActionStatus = vocabulary({
  proposed: 'Proposed',
  agreed: 'Agreed',
  in_progress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
});
export type ActionStatus = keyof typeof ActionStatus.labels;
/** Statuses that close an action (a follow-up says what changed, or why it was dropped). */
export const closedActionStatuses: readonly ActionStatus[] = ['done', 'dropped'];

/** What the reciprocity check says about a member school over a window (docs/practice.md). */
export const ReciprocityFlag = vocabulary({
  reviewed_never_reviews: 'Is reviewed but never reviews others',
  reviews_never_reviewed: 'Reviews others but is never reviewed',
  not_involved: 'Neither reviewed nor reviewing',
});
export type ReciprocityFlag = keyof typeof ReciprocityFlag.labels;

// ---- Joint practice development -------------------------------------------------------------

/** A JPD cycle's stages, in order; after `refine` a cycle is complete (and may start the next). */
export const JpdStage = vocabulary({
  plan: 'Plan together',
  teach_observe: 'Teach and observe',
  reflect: 'Reflect (coaching conversation)',
  refine: 'Refine the practice',
});
export type JpdStage = keyof typeof JpdStage.labels;

export const JpdStatus = vocabulary({
  active: 'Active',
  completed: 'Completed',
  stopped: 'Stopped',
});
export type JpdStatus = keyof typeof JpdStatus.labels;

/** What a participant does in the project; in JPD the coach's practice changes too. */
export const JpdRole = vocabulary({
  coach: 'Coach',
  practitioner: 'Practitioner (trying the practice)',
  facilitator: 'Facilitator',
});
export type JpdRole = keyof typeof JpdRole.labels;

/** JPD is done by two or three schools: a pair or a triad. */
export const jpdSchools = { min: 2, max: 3 } as const;

/**
 * How far pupils take part. The top rung is the partnership survey's JPD C3: pupils helping
 * teachers work out how teaching and learning could be better.
 */
export const PupilInvolvement = vocabulary({
  none: 'Not involved',
  consulted: "Consulted (pupils' views gathered)",
  co_constructors: 'Co-constructors (pupils help shape and judge the practice)',
});
export type PupilInvolvement = keyof typeof PupilInvolvement.labels;

/**
 * How strong the evidence of a practice's impact is: a five-step ladder paraphrasing Nesta's
 * Standards of Evidence (Puttick, R. and Ludlow, J. (2013) *Standards of Evidence: an approach
 * that balances the need for evidence with innovation*, Nesta). Each step includes the ones
 * below it. Shown beside, never instead of, the evidence itself.
 */
export const EvidenceStrength = vocabulary({
  '1': 'Described',
  '2': 'Change seen',
  '3': 'Compared',
  '4': 'Repeated elsewhere',
  '5': 'Ready to spread',
});
export type EvidenceStrength = 1 | 2 | 3 | 4 | 5;
export const evidenceStrengthLevels: readonly EvidenceStrength[] = [1, 2, 3, 4, 5];
export const evidenceStrengthMeaning: Record<EvidenceStrength, string> = {
  1: 'We can say what we do, for which pupils, and why we expect it to help them.',
  2: 'We measured something before and after, and the pupils involved changed; we cannot yet say the practice caused it.',
  3: 'The change was bigger than in a similar group of pupils who did not get the practice, so the practice probably made a difference.',
  4: 'The comparison has been repeated, in another school or by someone independent, with a similar result.',
  5: 'The practice is written down well enough for others to use faithfully, and it has held up in several settings.',
};
export const evidenceStrengthLabel = (level: number) => EvidenceStrength.labels[String(level) as keyof typeof EvidenceStrength.labels] ?? String(level);

/**
 * Published measures an impact claim may be linked to. Values are read from the outcome tables
 * for the school and years named, and shown only to readers allowed the school's outcomes.
 */
export const OutcomeMeasure = vocabulary({
  ks2_rwm_expected_pct: 'KS2: % reaching the expected standard in reading, writing and maths',
  ks2_read_progress: 'KS2: reading progress score',
  ks2_write_progress: 'KS2: writing progress score',
  ks2_maths_progress: 'KS2: maths progress score',
  ks4_progress8: 'KS4: Progress 8',
  ks4_attainment8: 'KS4: Attainment 8',
  persistent_absence_pct: '% of pupils persistently absent',
});
export type OutcomeMeasure = keyof typeof OutcomeMeasure.labels;

// ---- The practice library -------------------------------------------------------------------

export const PracticeStatus = vocabulary({
  draft: 'Draft (seen by its school only)',
  published: 'Published',
  withdrawn: 'Withdrawn (kept for its lineage)',
});
export type PracticeStatus = keyof typeof PracticeStatus.labels;

export const PracticeSubject = vocabulary({
  whole_school: 'Whole school',
  early_years: 'Early years',
  phonics_reading: 'Phonics and reading',
  english: 'English and writing',
  maths: 'Mathematics',
  science: 'Science',
  humanities: 'History, geography and RE',
  arts: 'Art, music and drama',
  pe: 'PE and sport',
  languages: 'Languages',
  computing: 'Computing',
  pshe: 'PSHE and wellbeing',
  send: 'SEND and inclusion',
  behaviour_attendance: 'Behaviour and attendance',
  assessment: 'Assessment and feedback',
  transition: 'Transition',
  other: 'Other',
});
export type PracticeSubject = keyof typeof PracticeSubject.labels;

/** The phase a practice was developed in. */
export const PracticePhase = vocabulary({
  early_years: 'Early years',
  primary: 'Primary',
  secondary: 'Secondary',
  post_16: 'Post-16',
  special: 'Special',
  all_through: 'All-through / cross-phase',
});
export type PracticePhase = keyof typeof PracticePhase.labels;

/** Context tags for the intake a practice was developed with: knowledge changes as it moves between contexts. */
export const IntakeContext = vocabulary({
  high_disadvantage: 'Many disadvantaged pupils',
  high_eal: 'Many pupils learning English as an additional language',
  high_send: 'Many pupils with SEND',
  small_rural: 'Small or rural school',
  mixed_age: 'Mixed-age classes',
  urban: 'Urban',
  coastal: 'Coastal',
  high_mobility: 'Many pupils joining mid-year',
});
export type IntakeContext = keyof typeof IntakeContext.labels;

// ---- Communities of practice ----------------------------------------------------------------

/**
 * The kinds of cross-school community the case study found (year group or phase, subject and
 * aspect leaders, career stage, transition), and the activity type a meeting of each records.
 */
export const CommunityKind = vocabulary({
  year_group: 'Year group or phase',
  subject_leads: 'Subject or aspect leaders',
  early_career: 'Early-career teachers',
  transition: 'Transition',
  other: 'Other',
});
export type CommunityKind = keyof typeof CommunityKind.labels;
export const communityActivityType: Record<CommunityKind, string> = {
  year_group: 'subject_phase_network',
  subject_leads: 'subject_phase_network',
  early_career: 'coaching_mentoring',
  transition: 'transition',
  other: 'subject_phase_network',
};

/** Wenger's levels of participation (Wenger, McDermott and Snyder 2002): every level is welcome. */
export const Participation = vocabulary({
  core: 'Core (leads and shapes the community)',
  active: 'Active (takes part regularly)',
  peripheral: 'Peripheral (follows, joins now and then)',
});
export type Participation = keyof typeof Participation.labels;

// ---- Evidence for the maturity instruments --------------------------------------------------

/**
 * The maturity-model strands this domain's records are evidence for, by the strand codes of the
 * built-in instruments (`maturity-model`, `partnership-survey`).
 */
export const PracticeStrand = vocabulary({
  'E&C': 'Evaluation and challenge',
  JPD: 'Joint practice development',
  MC: 'Mentoring and coaching',
});
export type PracticeStrand = keyof typeof PracticeStrand.labels;

/** The activity types this domain records, checked against the built-in catalogue by a test. */
export const practiceActivityTypes = {
  review: 'peer_review',
  jpdCycle: 'joint_practice_development',
} as const;

/** The category of a built-in activity type (for labels in the web app). */
export const activityCategoryOf = (code: string): ActivityCategory | null => builtInActivityTypes.find((t) => t.code === code)?.category ?? null;
