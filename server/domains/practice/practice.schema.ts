import { z } from 'zod';
import { MeetingFrequency } from '../../../common/partnerships.ts';
import {
  ActionStatus,
  CommunityKind,
  EvidenceKind,
  FindingKind,
  IntakeContext,
  JpdRole,
  JpdStage,
  JpdStatus,
  jpdSchools,
  OutcomeMeasure,
  Participation,
  PracticePhase,
  PracticeStatus,
  PracticeStrand,
  PracticeSubject,
  PupilChoice,
  PupilInvolvement,
  RagGrade,
  ReciprocityFlag,
  ReviewStage,
  WheelArea,
} from '../../../common/practice.ts';

/**
 * The HTTP contract of peer review, joint practice development, the practice library and
 * communities of practice (docs/practice.md): Zod schemas shared by the routes (validation,
 * OpenAPI) and the web app (types). Imports only zod and common/. Dates are yyyy-mm-dd.
 */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();
const RefId = z.number().int().positive();
const SchoolId = RefId.describe('A school (its Trellis id)');
const PersonId = RefId.describe('A person (their Trellis id)');
const text = (min: number, max: number, tooShort: string) => z.string().trim().min(min, tooShort).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const unique = <T>(items: T[], key: (t: T) => unknown) => new Set(items.map(key)).size === items.length;
const Rag = z.enum(RagGrade.codes).describe('A grade of the RAG wheel: inadequate (red), requires_improvement (amber), good (green), outstanding (purple)');
const Strength = z.number().int().min(1, 'the ladder runs from 1 to 5').max(5, 'the ladder runs from 1 to 5').describe('Strength of evidence, 1 (described) … 5 (ready to spread): common/practice.ts');

export const IdParam = z.object({ id: Id });
export const PersonParam = z.object({ id: Id, personId: Id });
export const LineageParam = z.object({ id: Id, parentId: Id });

const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });

// =============================================================================================
// Peer review

const scheduleFields = {
  visitStartOn: IsoDate.nullable().optional().describe('First day of the visit'),
  visitEndOn: IsoDate.nullable().optional().describe('Last day of the visit (often the day after: two days is usual)'),
  followUpOn: IsoDate.nullable().optional().describe('The follow-up visit, a term or two later'),
};
const scheduleOrder = (s: { visitStartOn?: string | null | undefined; visitEndOn?: string | null | undefined; followUpOn?: string | null | undefined }) =>
  !(s.visitStartOn && s.visitEndOn && s.visitEndOn < s.visitStartOn);
const followUpAfter = (s: { visitEndOn?: string | null | undefined; followUpOn?: string | null | undefined }) => !(s.visitEndOn && s.followUpOn && s.followUpOn <= s.visitEndOn);

const planFields = {
  title: text(3, 200, 'give the review a short title'),
  focus: text(10, 2000, 'say what the host wants examined, in a sentence or two').describe(
    'What the host school asks the team to look at: a question, or a judgement of its own to test ("our learning behaviour is outstanding")',
  ),
  focusArea: z
    .enum(['leadership_management', 'teaching_learning_assessment', 'personal_development_behaviour_welfare', 'outcomes'])
    .nullable()
    .optional()
    .describe('The area of the RAG wheel the focus sits in'),
  priority: optionalText(1000).describe("The host school's own priority the focus serves (e.g. from its development plan)"),
  partnershipGoalId: RefId.nullable().optional().describe("Or: a goal of the network's partnership plan the focus serves"),
  claimedJudgement: Rag.nullable().optional().describe("The host's own judgement of the focus, for the team to test"),
  ...scheduleFields,
};
export const NewReview = z
  .object({ hostSchoolId: SchoolId.describe('The school being reviewed: a member of the network'), ...planFields })
  .refine(scheduleOrder, { path: ['visitEndOn'], message: 'the visit cannot end before it starts' })
  .refine(followUpAfter, { path: ['followUpOn'], message: 'the follow-up comes after the visit' });
export type NewReview = z.infer<typeof NewReview>;
export const ReviewPatch = z
  .object(planFields)
  .partial()
  .refine(scheduleOrder, { path: ['visitEndOn'], message: 'the visit cannot end before it starts' })
  .refine(followUpAfter, { path: ['followUpOn'], message: 'the follow-up comes after the visit' });
export type ReviewPatch = z.infer<typeof ReviewPatch>;

export const NewReviewer = z.object({
  personId: PersonId,
  schoolId: SchoolId.describe("The reviewer's school: a partner school of the network, not the host"),
  trained: z.boolean().default(false).describe('Has been trained as a peer reviewer'),
  lead: z.boolean().default(false).describe('Leads the team (one per review)'),
});
export type NewReviewer = z.infer<typeof NewReviewer>;

export const ReviewTransition = z.object({
  to: z.enum(ReviewStage.codes),
  note: optionalText(2000).describe('Why (needed to cancel)'),
});
export type ReviewTransition = z.infer<typeof ReviewTransition>;

const Pupil = z.object({
  descriptor: text(3, 120, 'describe the pupil in a few words').describe('A description, never a name: "pupil the teacher knows least, Y4"'),
  chosen: z.enum(PupilChoice.codes).default('teacher_knows_least').describe('Why this pupil was chosen'),
});
const evidenceFields = {
  kind: z.enum(EvidenceKind.codes),
  observedOn: IsoDate,
  yearGroup: optionalText(40).describe('e.g. "Y4" or "Reception"'),
  subject: optionalText(80),
  context: optionalText(500).describe('Where and what: "maths lesson, 25 minutes", "books of six pupils"'),
  pupils: z.array(Pupil).max(12).describe('For conversations with pupils: who, described'),
  notes: text(1, 10000, 'write what you saw or heard'),
};
const pupilsWhenTalking = (e: { kind?: string | undefined; pupils?: unknown[] | undefined }) => e.kind !== 'pupil_conversation' || (e.pupils?.length ?? 0) > 0;
export const NewEvidence = z
  .object({ ...evidenceFields, pupils: evidenceFields.pupils.default([]) })
  .refine(pupilsWhenTalking, { path: ['pupils'], message: 'a conversation with pupils describes at least one pupil (the class teacher picks those they know least about)' });
export type NewEvidence = z.infer<typeof NewEvidence>;
export const EvidencePatch = z.object(evidenceFields).partial();
export type EvidencePatch = z.infer<typeof EvidencePatch>;

const findingFields = {
  kind: z.enum(FindingKind.codes),
  area: z.enum(WheelArea.codes).describe('The review focus, or an area of the wheel'),
  statement: text(5, 4000, 'state the finding in a sentence'),
  judgement: Rag.nullable().optional(),
  evidenceIds: z.array(RefId).max(100).describe('Evidence forms of this review the finding rests on'),
};
export const NewFinding = z.object({ ...findingFields, area: findingFields.area.default('focus'), evidenceIds: findingFields.evidenceIds.default([]) });
export type NewFinding = z.infer<typeof NewFinding>;
export const FindingPatch = z.object(findingFields).partial();
export type FindingPatch = z.infer<typeof FindingPatch>;

export const JudgementInput = z.object({ judgement: Rag, note: optionalText(4000).describe('What the judgement rests on, and any qualification') });
export type JudgementInput = z.infer<typeof JudgementInput>;

const actionFields = {
  findingId: RefId.nullable().optional().describe('The finding (usually an area to develop) the action answers'),
  description: text(5, 2000, 'say what will be done'),
  ownerName: text(2, 200, 'name who will do it').describe('Who will do it (a person or a post)'),
  ownerPersonId: RefId.nullable().optional().describe('The owner, when they have a Trellis account'),
  dueOn: IsoDate,
};
export const NewAction = z.object(actionFields);
export type NewAction = z.infer<typeof NewAction>;
export const ActionPatch = z
  .object({
    ...actionFields,
    status: z.enum(['agreed', 'in_progress', 'done', 'dropped']).describe('done needs whatChanged; dropped needs whatChanged saying why'),
    whatChanged: optionalText(4000).describe('At follow-up: what changed, or why the action was dropped'),
  })
  .partial();
export type ActionPatch = z.infer<typeof ActionPatch>;

export const FollowUpInput = z.object({
  summary: text(10, 8000, 'say what has changed since the review').describe('What the follow-up found had changed'),
  followUpOn: IsoDate.optional().describe('The day of the follow-up visit (default: as planned)'),
});
export type FollowUpInput = z.infer<typeof FollowUpInput>;

export const ReciprocityQuery = z.object({
  from: IsoDate.optional().describe('Default: three years before `to`'),
  to: IsoDate.optional().describe('Default: today'),
});

const Reviewer = z.object({
  personId: z.number(),
  name: z.string(),
  schoolId: z.number(),
  schoolName: z.string(),
  trained: z.boolean(),
  lead: z.boolean(),
  evidence: z.number().describe('Evidence forms this reviewer recorded'),
});
export type Reviewer = z.infer<typeof Reviewer>;
export const Evidence = z.object({
  id: z.number(),
  kind: z.enum(EvidenceKind.codes),
  observedOn: z.string(),
  yearGroup: z.string().nullable(),
  subject: z.string().nullable(),
  context: z.string().nullable(),
  pupils: z.array(z.object({ descriptor: z.string(), chosen: z.enum(PupilChoice.codes) })),
  notes: z.string(),
  school: z.object({ schoolId: z.number(), name: z.string() }),
  recordedBy: z.string(),
  createdAt: z.string(),
  warnings: z.array(z.string()).describe('Words in the notes that may be names: check them (nothing is refused)'),
});
export type Evidence = z.infer<typeof Evidence>;
export const Finding = z.object({
  id: z.number(),
  kind: z.enum(FindingKind.codes),
  area: z.enum(WheelArea.codes),
  statement: z.string(),
  judgement: Rag.nullable(),
  evidenceIds: z.array(z.number()),
  recordedBy: z.string(),
  createdAt: z.string(),
});
export type Finding = z.infer<typeof Finding>;
export const Action = z.object({
  id: z.number(),
  findingId: z.number().nullable(),
  description: z.string(),
  owner: z.object({ name: z.string(), personId: z.number().nullable() }),
  dueOn: z.string(),
  status: z.enum(ActionStatus.codes),
  agreedOn: z.string().nullable(),
  whatChanged: z.string().nullable(),
  closedOn: z.string().nullable(),
  overdue: z.boolean().describe('Not closed and past its due date'),
});
export type Action = z.infer<typeof Action>;
const ReviewNextStep = z.object({
  to: z.enum(ReviewStage.codes),
  label: z.string(),
  meaning: z.string(),
  who: z.string(),
  youMay: z.boolean(),
  allowed: z.boolean(),
  missing: z.array(z.string()),
});
export const Report = z.object({
  evidence: z.array(Evidence),
  evidenceCounts: z.record(z.string(), z.number()).describe('Evidence forms by kind'),
  findings: z.array(Finding),
  teamJudgement: z.object({ judgement: Rag, note: z.string().nullable() }).nullable(),
  actions: z.array(Action),
  followUp: z.object({ on: z.string().nullable(), summary: z.string() }).nullable(),
  wheel: z
    .array(z.object({ area: z.enum(WheelArea.codes), label: z.string(), claimed: Rag.nullable(), team: Rag.nullable() }))
    .describe("For drawing the RAG wheel: each inspection area with the team's grade (the focus area: the team's judgement; others: the lowest grade of a finding in the area) and, for the focus area, the host's own"),
});
export type Report = z.infer<typeof Report>;
export const Review = z.object({
  id: z.number(),
  network: z.object({ id: z.number(), name: z.string() }),
  host: SchoolRef,
  title: z.string(),
  focus: z.string(),
  focusArea: z.enum(WheelArea.codes).nullable(),
  priority: z.string().nullable(),
  partnershipGoal: z.object({ id: z.number(), statement: z.string() }).nullable(),
  claimedJudgement: Rag.nullable(),
  stage: z.enum(ReviewStage.codes),
  schedule: z.object({ visitStartOn: z.string().nullable(), visitEndOn: z.string().nullable(), followUpOn: z.string().nullable() }),
  team: z.array(Reviewer),
  teamGaps: z.array(SchoolRef).describe('Partner schools of the network with no reviewer on the team (the protocol asks for one from each)'),
  warnings: z.array(z.string()),
  history: z.array(z.object({ from: z.string().nullable(), to: z.string(), by: z.string().nullable(), on: z.string(), note: z.string().nullable() })),
  nextSteps: z.array(ReviewNextStep),
  viewer: z.object({ canManage: z.boolean(), isReviewer: z.boolean(), isHostLeader: z.boolean(), canReadReport: z.boolean() }),
  report: Report.nullable().describe('Evidence, findings, judgements and actions: null for readers the host has not shared it with'),
  reportHidden: z.string().nullable().describe('Why the report is not shown, when it is not'),
  activityIds: z.object({ visit: z.number().nullable(), followUp: z.number().nullable() }).describe('The collaboration records the visits created'),
  cancelledReason: z.string().nullable(),
  closedOn: z.string().nullable(),
  createdAt: z.string(),
});
export type Review = z.infer<typeof Review>;
export const ReviewSummary = z.object({
  id: z.number(),
  networkId: z.number(),
  host: SchoolRef,
  title: z.string(),
  stage: z.enum(ReviewStage.codes),
  focusArea: z.enum(WheelArea.codes).nullable(),
  visitStartOn: z.string().nullable(),
  visitEndOn: z.string().nullable(),
  followUpOn: z.string().nullable(),
  reviewers: z.number(),
  reportVisible: z.boolean(),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;
export const ReviewerCandidates = z.object({
  items: z.array(z.object({ personId: z.number(), name: z.string(), schoolId: z.number(), schoolName: z.string(), role: z.string(), reviewsGiven: z.number(), onTeam: z.boolean() })),
});
export type ReviewerCandidates = z.infer<typeof ReviewerCandidates>;
export const ReciprocityView = z.object({
  network: z.object({ id: z.number(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  reviews: z.number().describe('Reviews held (visit begun) in the window'),
  reciprocity: z.number().nullable().describe('Share of reviewer→host links whose reverse also exists'),
  schools: z.array(
    z.object({
      schoolId: z.number(),
      name: z.string(),
      hosted: z.number(),
      gave: z.number(),
      reviewedBy: z.number(),
      reviewed: z.number(),
      balance: z.number(),
      flags: z.array(z.enum(ReciprocityFlag.codes)),
    }),
  ),
  edges: z.array(z.object({ fromSchoolId: z.number(), toSchoolId: z.number(), reviews: z.number(), reciprocated: z.boolean() })).describe('Who reviewed whom: from the reviewer school to the host'),
});
export type ReciprocityView = z.infer<typeof ReciprocityView>;

// =============================================================================================
// Joint practice development

const Participant = z.object({ personId: PersonId, schoolId: SchoolId, role: z.enum(JpdRole.codes) });
const participantsUnique = (p: { personId: number }[]) => unique(p, (x) => x.personId);
export const NewJpdProject = z.object({
  title: text(3, 200, 'give the project a short title'),
  problem: text(10, 4000, 'state the problem of practice in a sentence or two').describe('The problem of practice the partners work on together'),
  networkId: RefId.nullable().optional().describe('The network it is done in, if any'),
  schoolIds: z
    .array(SchoolId)
    .min(jpdSchools.min, 'a JPD project is a pair or a triad: name two or three schools')
    .max(jpdSchools.max, 'a JPD project is a pair or a triad: name two or three schools (start another project for a fourth)')
    .refine((ids) => unique(ids, (x) => x), 'a school is listed twice'),
  participants: z.array(Participant).max(12).default([]).refine(participantsUnique, 'a person is listed twice'),
  startedOn: IsoDate.optional().describe('Default: today'),
});
export type NewJpdProject = z.infer<typeof NewJpdProject>;
export const JpdProjectPatch = z
  .object({
    title: text(3, 200, 'give the project a short title'),
    problem: text(10, 4000, 'state the problem of practice'),
    developedPractice: optionalText(20000).describe('The practice as the partners have developed it (it changes as it moves)'),
    pupilInvolvement: z.enum(PupilInvolvement.codes),
    pupilInvolvementNote: optionalText(4000).describe('How pupils took part'),
    status: z.enum(['completed', 'stopped']).describe('Ends the project'),
    endedOn: IsoDate,
  })
  .partial();
export type JpdProjectPatch = z.infer<typeof JpdProjectPatch>;
export const ParticipantsInput = z.object({ participants: z.array(Participant).max(12).refine(participantsUnique, 'a person is listed twice') });
export type ParticipantsInput = z.infer<typeof ParticipantsInput>;

export const NewJpdCycle = z.object({
  focus: text(3, 1000, 'say what this cycle tries'),
  startedOn: IsoDate.optional(),
  planNotes: optionalText(8000),
});
export type NewJpdCycle = z.infer<typeof NewJpdCycle>;
export const JpdCyclePatch = z
  .object({ focus: text(3, 1000, 'say what this cycle tries'), planNotes: optionalText(8000), teachNotes: optionalText(8000), reflectNotes: optionalText(8000), refineNotes: optionalText(8000) })
  .partial();
export type JpdCyclePatch = z.infer<typeof JpdCyclePatch>;
export const CycleAdvance = z.object({
  to: z.enum([...JpdStage.codes, 'complete']).describe('The next stage, or complete after refine'),
  on: IsoDate.optional().describe('When a completed cycle ended (default: today)'),
});
export type CycleAdvance = z.infer<typeof CycleAdvance>;
export const NewCoachingNote = z.object({
  note: text(1, 8000, 'write the note'),
  stage: z.enum(JpdStage.codes).optional().describe("Default: the cycle's current stage"),
  coachPersonId: RefId.nullable().optional().describe('The coach the note is about or by'),
});
export type NewCoachingNote = z.infer<typeof NewCoachingNote>;

const YearCode = z.string().regex(/^\d{4}\/\d{2}$/, 'an academic year such as 2022/23');
export const OutcomeLink = z.object({
  schoolId: SchoolId,
  measure: z.enum(OutcomeMeasure.codes),
  fromYear: YearCode.describe('The year before the practice'),
  toYear: YearCode.describe('A year after'),
});
export const NewImpact = z.object({
  description: text(5, 4000, 'say what changed for pupils'),
  measure: optionalText(300).describe('What was measured'),
  before: optionalText(100),
  after: optionalText(100),
  pupils: z.number().int().min(1).max(100000).nullable().optional().describe('How many pupils'),
  strength: Strength,
  outcomeLink: OutcomeLink.nullable().optional().describe('A published measure of one of the schools to show beside the claim'),
});
export type NewImpact = z.infer<typeof NewImpact>;

const practiceFields = {
  title: text(3, 200, 'give the practice a short title'),
  summary: text(10, 2000, 'summarise the practice in a sentence or two'),
  body: z.string().max(40000).describe('The practice in full: what teachers do, and how'),
  phase: z.enum(PracticePhase.codes).nullable(),
  subject: z.enum(PracticeSubject.codes).nullable(),
  intake: z.array(z.enum(IntakeContext.codes)).max(8).describe('The intake it was developed with'),
  intakeNote: optionalText(1000),
  evidence: optionalText(8000).describe('The evidence of its impact, in words'),
  evidenceStrength: Strength.nullable(),
  contacts: z
    .array(z.object({ personId: PersonId, helpsWith: optionalText(300) }))
    .max(10)
    .refine((c) => unique(c, (x) => x.personId), 'a person is listed twice')
    .describe('People who can help others use it'),
};
export const PublishInput = z.object({
  schoolId: SchoolId.describe("The project school publishing it (one of the project's)"),
  title: practiceFields.title.optional().describe('Default: the project title'),
  summary: practiceFields.summary,
  body: practiceFields.body.optional().describe('Default: the practice as developed'),
  phase: practiceFields.phase.optional(),
  subject: practiceFields.subject.optional(),
  intake: practiceFields.intake.default([]),
  intakeNote: practiceFields.intakeNote,
  contacts: practiceFields.contacts.optional().describe("Default: the project's participants"),
});
export type PublishInput = z.infer<typeof PublishInput>;

const JpdCycleView = z.object({
  id: z.number(),
  number: z.number(),
  focus: z.string(),
  stage: z.enum(JpdStage.codes),
  complete: z.boolean(),
  startedOn: z.string(),
  completedOn: z.string().nullable(),
  notes: z.object({ plan: z.string().nullable(), teach_observe: z.string().nullable(), reflect: z.string().nullable(), refine: z.string().nullable() }),
  coachingNotes: z.array(z.object({ id: z.number(), stage: z.enum(JpdStage.codes), note: z.string(), coach: z.string().nullable(), writtenBy: z.string(), writtenOn: z.string() })),
  activityId: z.number().nullable(),
});
export type JpdCycleView = z.infer<typeof JpdCycleView>;
const ImpactView = z.object({
  id: z.number(),
  description: z.string(),
  measure: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  pupils: z.number().nullable(),
  strength: z.number(),
  strengthLabel: z.string(),
  outcome: z
    .object({
      schoolId: z.number(),
      schoolName: z.string(),
      measure: z.enum(OutcomeMeasure.codes),
      measureLabel: z.string(),
      fromYear: z.string(),
      toYear: z.string(),
      visible: z.boolean().describe("False when the reader may not see the school's outcomes"),
      from: z.number().nullable(),
      to: z.number().nullable(),
      change: z.number().nullable(),
    })
    .nullable(),
  recordedOn: z.string(),
});
export type ImpactView = z.infer<typeof ImpactView>;
export const JpdProject = z.object({
  id: z.number(),
  title: z.string(),
  problem: z.string(),
  network: z.object({ id: z.number(), name: z.string() }).nullable(),
  status: z.enum(JpdStatus.codes),
  kind: z.enum(['pair', 'triad']),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  schools: z.array(SchoolRef),
  participants: z.array(z.object({ personId: z.number(), name: z.string(), schoolId: z.number(), schoolName: z.string(), role: z.enum(JpdRole.codes) })),
  cycles: z.array(JpdCycleView),
  developedPractice: z.string().nullable(),
  pupilInvolvement: z.object({ level: z.enum(PupilInvolvement.codes), note: z.string().nullable() }),
  impact: z.array(ImpactView),
  evidenceStrength: z.number().nullable().describe('The strongest rung its impact evidence reaches'),
  practice: z.object({ id: z.number(), title: z.string(), status: z.enum(PracticeStatus.codes) }).nullable(),
  createdAt: z.string(),
});
export type JpdProject = z.infer<typeof JpdProject>;
export const JpdSummary = z.object({
  id: z.number(),
  title: z.string(),
  status: z.enum(JpdStatus.codes),
  network: z.object({ id: z.number(), name: z.string() }).nullable(),
  schools: z.array(SchoolRef),
  cycles: z.number(),
  completedCycles: z.number(),
  startedOn: z.string(),
  practiceId: z.number().nullable(),
});
export type JpdSummary = z.infer<typeof JpdSummary>;
export const JpdQuery = z.object({ networkId: Id.optional(), schoolId: Id.optional() });

// =============================================================================================
// The practice library

export const NewPractice = z.object({
  schoolId: SchoolId.describe('The school whose practice it is'),
  title: practiceFields.title,
  summary: practiceFields.summary,
  body: practiceFields.body.default(''),
  phase: practiceFields.phase.optional(),
  subject: practiceFields.subject.optional(),
  intake: practiceFields.intake.default([]),
  intakeNote: practiceFields.intakeNote,
  evidence: practiceFields.evidence,
  evidenceStrength: practiceFields.evidenceStrength.optional(),
  contacts: practiceFields.contacts.optional().describe('People who can help others use it (default: whoever records it)'),
});
export type NewPractice = z.infer<typeof NewPractice>;
export const PracticePatch = z.object(practiceFields).partial();
export type PracticePatch = z.infer<typeof PracticePatch>;
export const AdaptInput = z.object({
  schoolId: SchoolId.describe('The school adapting it'),
  whatChanged: text(5, 4000, 'say what you changed, and why').describe('How the practice was changed for the new context, and why'),
  title: practiceFields.title.optional(),
  summary: practiceFields.summary.optional(),
  body: practiceFields.body.optional(),
  phase: practiceFields.phase.optional(),
  subject: practiceFields.subject.optional(),
  intake: practiceFields.intake.optional(),
  intakeNote: practiceFields.intakeNote,
});
export type AdaptInput = z.infer<typeof AdaptInput>;
export const LineageInput = z.object({
  adaptedFrom: RefId.describe('The practice this one was adapted from'),
  whatChanged: text(5, 4000, 'say what changed, and why'),
  result: optionalText(4000).describe('With what result'),
});
export type LineageInput = z.infer<typeof LineageInput>;
export const LineagePatch = z.object({ whatChanged: text(5, 4000, 'say what changed, and why'), result: optionalText(4000) }).partial();
export type LineagePatch = z.infer<typeof LineagePatch>;
export const WithdrawInput = z.object({ reason: text(3, 1000, 'say why it is withdrawn') });
export const PracticeQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Words to search for (web-search syntax: "quoted phrase", -exclude, or)'),
  phase: z.enum(PracticePhase.codes).optional(),
  subject: z.enum(PracticeSubject.codes).optional(),
  intake: z.enum(IntakeContext.codes).optional(),
  schoolId: Id.optional(),
  networkId: Id.optional().describe("Only practices of this network's member schools"),
  minStrength: z.coerce.number().int().min(1).max(5).optional(),
  status: z.enum(['published', 'mine']).default('published').describe("published (default), or mine: every record of the reader's own schools"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10000).default(0),
});
export type PracticeQuery = z.infer<typeof PracticeQuery>;
export const LineageQuery = z.object({ direction: z.enum(['both', 'descendants', 'ancestors']).default('both') });

const PracticeLink = z.object({
  practiceId: z.number(),
  title: z.string().nullable(),
  school: z.object({ schoolId: z.number(), name: z.string() }).nullable(),
  whatChanged: z.string(),
  result: z.string().nullable(),
  visible: z.boolean().describe('False for a draft of another school: shown only as a link'),
});
const Contact = z.object({ personId: z.number(), name: z.string(), email: z.string(), school: z.string().nullable(), helpsWith: z.string().nullable(), practiceId: z.number() });
export const PracticeSummary = z.object({
  id: z.number(),
  title: z.string(),
  summary: z.string(),
  school: SchoolRef,
  phase: z.enum(PracticePhase.codes).nullable(),
  subject: z.enum(PracticeSubject.codes).nullable(),
  intake: z.array(z.enum(IntakeContext.codes)),
  evidenceStrength: z.number().nullable(),
  status: z.enum(PracticeStatus.codes),
  publishedOn: z.string().nullable(),
  parents: z.number(),
  adaptations: z.number(),
  rank: z.number().nullable().describe('ts_rank_cd of the search (title weighs most, then summary, then body)'),
  headline: z.string().nullable().describe('Where the words were found, matches in «»'),
});
export type PracticeSummary = z.infer<typeof PracticeSummary>;
export const PracticePage = z.object({ items: z.array(PracticeSummary), total: z.number() });
export const Practice = PracticeSummary.omit({ rank: true, headline: true }).extend({
  body: z.string(),
  intakeNote: z.string().nullable(),
  evidence: z.string().nullable(),
  contacts: z.array(Contact),
  alsoHelp: z.array(Contact).describe('People at schools that adapted it, who can say how it went for them'),
  adaptedFrom: z.array(PracticeLink),
  adaptedInto: z.array(PracticeLink),
  jpdProject: z.object({ id: z.number(), title: z.string() }).nullable(),
  withdrawn: z.object({ on: z.string(), reason: z.string().nullable() }).nullable(),
  viewer: z.object({ canEdit: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Practice = z.infer<typeof Practice>;
export const LineageGraph = z.object({
  practiceId: z.number(),
  direction: z.enum(['both', 'descendants', 'ancestors']),
  nodes: z.array(
    z.object({
      practiceId: z.number(),
      title: z.string().nullable(),
      school: z.object({ schoolId: z.number(), name: z.string() }).nullable(),
      status: z.enum(PracticeStatus.codes).nullable(),
      evidenceStrength: z.number().nullable(),
      depth: z.number().describe('Generations from the practice asked about: negative for ancestors, positive for descendants'),
      visible: z.boolean(),
    }),
  ),
  edges: z.array(z.object({ from: z.number().describe('The practice adapted from'), to: z.number().describe('The adaptation'), whatChanged: z.string().nullable(), result: z.string().nullable(), crossesSchools: z.boolean() })),
  schools: z.number().describe('Distinct schools the lineage reaches'),
  generations: z.number(),
});
export type LineageGraph = z.infer<typeof LineageGraph>;

// =============================================================================================
// Communities of practice

const Member = z.object({
  personId: PersonId,
  schoolId: SchoolId.describe("The member's school: a member of the network"),
  participation: z.enum(Participation.codes),
  facilitator: z.boolean().default(false),
});
export const NewCommunity = z.object({
  name: text(3, 200, 'name the community'),
  kind: z.enum(CommunityKind.codes),
  domain: text(5, 2000, 'say what the community cares about').describe('The shared concern that brings members together (Wenger’s domain)'),
  rhythm: z.enum(MeetingFrequency.codes).describe('How often it means to meet'),
  startedOn: IsoDate.optional(),
  members: z.array(Member).max(200).default([]).refine((m) => unique(m, (x) => x.personId), 'a person is listed twice'),
});
export type NewCommunity = z.infer<typeof NewCommunity>;
export const CommunityPatch = z
  .object({ name: text(3, 200, 'name the community'), domain: text(5, 2000, 'say what the community cares about'), rhythm: z.enum(MeetingFrequency.codes), status: z.enum(['active', 'closed']) })
  .partial();
export type CommunityPatch = z.infer<typeof CommunityPatch>;
export const MemberInput = Member.omit({ personId: true });
export type MemberInput = z.infer<typeof MemberInput>;
export const NewCommunityMeeting = z.object({
  heldOn: IsoDate,
  title: text(3, 200, 'give the meeting a title'),
  notes: optionalText(8000),
  attendees: z.array(PersonId).min(1, 'list who came (at least one member)').max(200).refine((a) => unique(a, (x) => x), 'a person is listed twice'),
});
export type NewCommunityMeeting = z.infer<typeof NewCommunityMeeting>;
export const NewOutput = z.object({
  title: text(3, 200, 'name the output'),
  description: optionalText(4000),
  practiceId: RefId.nullable().optional().describe('A practice in the library the community produced'),
  producedOn: IsoDate.optional(),
});
export type NewOutput = z.infer<typeof NewOutput>;

export const Community = z.object({
  id: z.number(),
  network: z.object({ id: z.number(), name: z.string() }),
  name: z.string(),
  kind: z.enum(CommunityKind.codes),
  domain: z.string(),
  rhythm: z.enum(MeetingFrequency.codes),
  status: z.enum(['active', 'closed']),
  startedOn: z.string(),
  closedOn: z.string().nullable(),
  members: z.array(
    z.object({
      personId: z.number(),
      name: z.string(),
      school: z.object({ schoolId: z.number(), name: z.string() }),
      participation: z.enum(Participation.codes),
      facilitator: z.boolean(),
      joinedOn: z.string(),
      leftOn: z.string().nullable(),
      attendedLastYear: z.number(),
    }),
  ),
  meetings: z.array(
    z.object({
      id: z.number(),
      heldOn: z.string(),
      title: z.string(),
      notes: z.string().nullable(),
      attendees: z.array(z.object({ personId: z.number(), name: z.string(), schoolName: z.string() })),
      activityId: z.number().nullable(),
    }),
  ),
  outputs: z.array(z.object({ id: z.number(), title: z.string(), description: z.string().nullable(), practice: z.object({ id: z.number(), title: z.string() }).nullable(), producedOn: z.string() })),
  rhythmCheck: z.object({ expectedLastYear: z.number(), heldLastYear: z.number(), kept: z.boolean() }).describe('Meetings held in the last 12 months against the rhythm'),
  schools: z.number(),
  viewer: z.object({ canEdit: z.boolean() }),
});
export type Community = z.infer<typeof Community>;
export const PractitionersQuery = z.object({ schoolId: Id.optional().describe('Only this member school') });
export const Practitioners = z.object({
  items: z.array(z.object({ personId: z.number(), name: z.string(), schoolId: z.number(), schoolName: z.string(), role: z.string() })),
});
export type Practitioners = z.infer<typeof Practitioners>;
export const CommunitySummary = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(CommunityKind.codes),
  rhythm: z.enum(MeetingFrequency.codes),
  status: z.enum(['active', 'closed']),
  members: z.number(),
  schools: z.number(),
  lastMetOn: z.string().nullable(),
});
export type CommunitySummary = z.infer<typeof CommunitySummary>;

// =============================================================================================
// Evidence for the maturity instruments

export const EvidenceQuery = z.object({ from: IsoDate.optional().describe('Default: a year before `to`'), to: IsoDate.optional().describe('Default: today') });
export const EvidenceItemKind = z.enum([
  'review_hosted',
  'review_given',
  'review_followed_up',
  'jpd_project',
  'jpd_cycle',
  'coaching',
  'pupil_co_construction',
  'practice_published',
  'practice_adapted_elsewhere',
  'practice_adapted_here',
  'community_meeting',
]);
export const PracticeEvidence = z.object({
  school: SchoolRef,
  from: z.string(),
  to: z.string(),
  strands: z.array(
    z.object({
      strand: z.enum(PracticeStrand.codes),
      label: z.string(),
      items: z.array(
        z.object({
          kind: EvidenceItemKind,
          title: z.string(),
          on: z.string(),
          ref: z.object({ type: z.enum(['peer_review', 'jpd_project', 'practice', 'community']), id: z.number() }),
          detail: z.string().nullable(),
          statements: z.array(z.string()).describe('Statements of the built-in instruments this is evidence for (instrument id and item code)'),
        }),
      ),
    }),
  ),
  hidden: z.number().describe('Records in the period the reader may not see'),
});
export type PracticeEvidence = z.infer<typeof PracticeEvidence>;
