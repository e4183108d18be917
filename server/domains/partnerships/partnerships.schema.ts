import { z } from 'zod';
import { dataClasses } from '../../../common/access.ts';
import {
  FundingPeriod,
  FundingRounding,
  GoalStatus,
  KeptKind,
  MeetingFrequency,
  maxActiveGoals,
  PartnershipStage,
  ProgressStatus,
  ReviewDecision,
  SharingStatus,
} from '../../../common/partnerships.ts';
import { Formation } from '../../../common/vocabulary.ts';

/**
 * The partnership plan's HTTP contract: Zod schemas shared by routes (validation, OpenAPI) and
 * the web app (types). Imports only zod and common/. Money is whole pence; dates are yyyy-mm-dd.
 */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();
const SchoolId = z.number().int().positive().describe('A member school (its Trellis id)');
const text = (min: number, max: number, tooShort: string) => z.string().trim().min(min, tooShort).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const unique = <T>(items: T[], key: (t: T) => unknown) => new Set(items.map(key)).size === items.length;
const Pence = z.number().int('a whole number of pence').min(0, 'cannot be negative').max(1e12, 'is more than £10 billion; check the figure');

export const IdParam = z.object({ id: Id });

// ---- Formation ------------------------------------------------------------------------------

const formationFields = {
  purpose: text(10, 2000, 'say what the partnership is for in a sentence (at least 10 characters)').describe(
    'What the partnership is for: the shared problem the schools mean to work on together',
  ),
  sharedVision: optionalText(4000).describe('Where the partners want to be, together, when the work is done'),
  theoryOfAction: optionalText(4000).describe('How knowledge and practice are meant to move between the schools, and why that should improve things'),
  formedOn: IsoDate.optional().describe('When the partnership formed (default: today)'),
  formation: z.enum(Formation.codes).nullable().optional().describe('How it came about: voluntary, incentivised (e.g. by funding) or mandated'),
};
export const NewPartnership = z.object(formationFields);
export type NewPartnership = z.infer<typeof NewPartnership>;
export const PartnershipPatch = z.object(formationFields).partial();
export type PartnershipPatch = z.infer<typeof PartnershipPatch>;

// ---- Goals ----------------------------------------------------------------------------------

const Contribution = z.object({
  schoolId: SchoolId,
  contribution: text(3, 1000, 'say what the school contributes').describe('What this school brings to the goal'),
});
const goalFields = {
  statement: text(5, 500, 'state the goal in a sentence').describe('The goal, in a sentence'),
  measure: text(3, 500, 'say how progress is measured').describe('How progress is measured (the indicator)'),
  unit: optionalText(40).describe('The unit of the measure, e.g. "%", "pupils", "schools"'),
  baseline: z
    .object({
      value: z.number().finite().describe('The measure at the start'),
      on: IsoDate.describe('When the baseline was measured'),
      source: optionalText(300).describe('Where the baseline comes from, e.g. "KS2 2017/18 published results"'),
    })
    .describe('Where things stand at the start'),
  target: z.object({ value: z.number().finite().describe('The value the partners aim for'), on: IsoDate.describe('By when') }).describe('What the partners aim for, by when'),
  contributions: z.array(Contribution).max(100).describe("Each member school's part in reaching the goal"),
};
const targetAfterBaseline = (g: { baseline?: { on: string } | undefined; target?: { on: string } | undefined }) => !g.baseline || !g.target || g.target.on > g.baseline.on;
const contributionsUnique = (g: { contributions?: { schoolId: number }[] | undefined }) => !g.contributions || unique(g.contributions, (c) => c.schoolId);
export const NewGoal = z
  .object({ ...goalFields, contributions: goalFields.contributions.default([]) })
  .refine(targetAfterBaseline, { path: ['target', 'on'], message: 'the target date must come after the baseline date' })
  .refine(contributionsUnique, { path: ['contributions'], message: 'a school is listed twice; give each school one contribution' });
export type NewGoal = z.infer<typeof NewGoal>;
export const GoalPatch = z
  .object({ ...goalFields, status: z.enum(GoalStatus.codes).describe('Where the goal stands') })
  .partial()
  .refine(targetAfterBaseline, { path: ['target', 'on'], message: 'the target date must come after the baseline date' })
  .refine(contributionsUnique, { path: ['contributions'], message: 'a school is listed twice; give each school one contribution' });
export type GoalPatch = z.infer<typeof GoalPatch>;
export const RetireGoal = z.object({
  reason: text(3, 1000, 'say why the goal is retired').describe('Why the goal is retired (achieved, dropped, merged…)'),
  mergedIntoGoalId: z.number().int().positive().nullable().optional().describe('The goal of the same partnership it was merged into, if any'),
  retiredOn: IsoDate.optional().describe('Default: today'),
});
export type RetireGoal = z.infer<typeof RetireGoal>;

// ---- Agreement ------------------------------------------------------------------------------

const exempt = z.array(SchoolId).max(100).optional().describe('Member schools excused from paying (e.g. a school in difficulty)');
export const FundingTerms = z
  .discriminatedUnion('model', [
    z.object({
      model: z.literal('equal'),
      totalPence: Pence.describe('The total to raise, in pence'),
      rounding: z.enum(FundingRounding.codes).default('penny'),
      period: z.enum(FundingPeriod.codes).default('per_year'),
      exemptSchoolIds: exempt,
    }),
    z.object({
      model: z.literal('by_size'),
      totalPence: Pence.describe('The total to raise, in pence, shared in proportion to pupils on roll'),
      rounding: z.enum(FundingRounding.codes).default('penny'),
      period: z.enum(FundingPeriod.codes).default('per_year'),
      exemptSchoolIds: exempt,
    }),
    z.object({
      model: z.literal('percent_of_budget'),
      percent: z.number().gt(0, 'must be more than 0').max(100, 'cannot be more than 100').describe('The share of each budget, e.g. 0.5 for 0.5%'),
      budgets: z
        .array(z.object({ schoolId: SchoolId, budgetPence: Pence.describe("The school's budget, in pence") }))
        .max(100)
        .describe("Each paying school's budget"),
      rounding: z.enum(FundingRounding.codes).default('penny'),
      period: z.enum(FundingPeriod.codes).default('per_year'),
      exemptSchoolIds: exempt,
    }),
    z.object({
      model: z.literal('ad_hoc'),
      amounts: z
        .array(z.object({ schoolId: SchoolId, amountPence: Pence.describe('What the school pays, in pence'), note: optionalText(300) }))
        .max(100)
        .describe('Amounts agreed school by school; schools not listed meet their own costs'),
      period: z.enum(FundingPeriod.codes).default('one_off'),
    }),
  ])
  .describe('How the partners share costs: equal shares, by size, a percentage of budget, or ad hoc amounts');
export type FundingTerms = z.infer<typeof FundingTerms>;

const AgreementRole = z.object({
  who: text(2, 200, 'say who (a person, a post or a group)').describe('Who: a person, a post ("each head teacher") or a group'),
  schoolId: SchoolId.nullable().optional().describe('The member school, when the role is held in one'),
  responsibility: text(3, 1000, 'say what they are responsible for').describe('What they do for the partnership'),
});
const SharingTerm = z.object({
  dataClass: z.enum(dataClasses),
  intended: z.boolean().describe('Whether the partners agree to share this class of data with the network'),
  purpose: optionalText(500).describe('What the data is for'),
});

export const AgreementInput = z
  .object({
    effectiveFrom: IsoDate.optional().describe('When this version takes effect (default: today)'),
    principles: z.array(text(3, 500, 'write the principle out')).min(1, 'give at least one principle').max(20).describe('The principles the partners work by'),
    roles: z.array(AgreementRole).max(60).default([]).describe('Who does what'),
    meetings: z
      .object({
        frequency: z.enum(MeetingFrequency.codes).describe('How often the partners meet'),
        minAttendancePct: z.number().int().min(0).max(100).nullable().default(null).describe("The share of meetings each school is expected to attend, as a percentage"),
        consequence: optionalText(1000).describe('What follows when a school attends less than that (e.g. no call on shared funds)'),
      })
      .describe('Meeting and attendance expectations'),
    dataSharing: z
      .array(SharingTerm)
      .max(dataClasses.length)
      .default([])
      .refine((t) => unique(t, (x) => x.dataClass), 'a data class is listed twice')
      .describe('The data-sharing terms: what each member school is asked to share with the network (each school decides, through its leaders)'),
    conflictResolution: text(10, 4000, 'describe how disagreements are resolved').describe('How disagreements between partners are resolved'),
    funding: FundingTerms,
    changeNote: optionalText(1000).describe('What changed from the previous version'),
  })
  .describe('A new version of the written agreement; it supersedes the previous one, which is kept');
export type AgreementInput = z.infer<typeof AgreementInput>;

export const SignAgreement = z.object({
  schoolId: SchoolId.describe('The member school agreeing (you must be one of its head teachers or senior leaders)'),
  version: z.number().int().positive().optional().describe('The version you read; refused if a newer one has replaced it'),
  signedOn: IsoDate.optional().describe('Default: today'),
  note: optionalText(500),
});
export type SignAgreement = z.infer<typeof SignAgreement>;

// ---- Meetings -------------------------------------------------------------------------------

const Attendee = z.object({ name: text(1, 200, 'give a name'), role: optionalText(200) });
export const NewMeeting = z.object({
  heldOn: IsoDate.describe('When the meeting was held (not in the future)'),
  title: text(3, 200, 'give the meeting a title').describe("e.g. \"Heads' meeting\", \"Writing working group\""),
  notes: optionalText(4000),
  attendance: z
    .array(z.object({ schoolId: SchoolId, attendees: z.array(Attendee).min(1, 'name at least one person who came for the school').max(50) }))
    .max(200)
    .refine((a) => unique(a, (x) => x.schoolId), 'a school is listed twice')
    .describe('The member schools that were represented, and by whom; schools not listed were absent'),
  otherAttendees: z.array(Attendee).max(50).default([]).describe('People not there for a member school (coordinator, broker, visitors)'),
});
export type NewMeeting = z.infer<typeof NewMeeting>;
export const AttendanceQuery = z.object({ from: IsoDate.optional().describe('Count meetings from this date (default: the same date a year ago)') });

// ---- Reviews --------------------------------------------------------------------------------

const ProgressInput = z.object({
  goalId: z.number().int().positive(),
  valueNow: z.number().finite().nullable().default(null).describe('The measure now, if known'),
  status: z.enum(ProgressStatus.codes),
  commentary: optionalText(2000),
});
const reviewFields = {
  heldOn: IsoDate.describe('When the review was held (not in the future)'),
  summary: optionalText(4000),
  progress: z
    .array(ProgressInput)
    .max(50)
    .refine((p) => unique(p, (x) => x.goalId), 'a goal is listed twice')
    .describe('Progress on each goal'),
  decision: z.enum(ReviewDecision.codes).nullable().optional().describe('Renew (same focus), renegotiate the focus, or move to an agreed ending; empty while the review is under way'),
  decisionNote: optionalText(2000),
};
export const NewReview = z.object({ ...reviewFields, progress: reviewFields.progress.default([]) });
export type NewReview = z.infer<typeof NewReview>;
export const ReviewPatch = z.object(reviewFields).partial().describe('Progress entries replace those for the same goals; others are kept');
export type ReviewPatch = z.infer<typeof ReviewPatch>;

// ---- Stage, ending --------------------------------------------------------------------------

export const TransitionRequest = z.object({
  to: z.enum(PartnershipStage.codes).describe('The stage to move to'),
  note: optionalText(2000).describe('Why (kept in the history)'),
});
export type TransitionRequest = z.infer<typeof TransitionRequest>;

const Kept = z.object({
  kind: z.enum(KeptKind.codes),
  what: text(3, 500, 'say what is kept'),
  keptBy: optionalText(300).describe('Who keeps it going (a school, a post, a group)'),
});
export const EndingInput = z
  .object({
    agreedOn: IsoDate.describe('When the partners agreed to end'),
    endsOn: IsoDate.describe('The agreed end date'),
    reason: text(5, 2000, 'say why the partnership ends'),
    agreedBy: text(3, 500, 'say who agreed the ending').describe('Who agreed it, e.g. "the four heads, at the summer review"'),
    kept: z.array(Kept).max(50).default([]).describe('What the partners keep: practices, relationships, resources'),
  })
  .refine((e) => e.endsOn >= e.agreedOn, { path: ['endsOn'], message: 'the end date cannot come before the date it was agreed' });
export type EndingInput = z.infer<typeof EndingInput>;

// ---- Views ----------------------------------------------------------------------------------

export const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });
export type SchoolRef = z.infer<typeof SchoolRef>;

export const Goal = z.object({
  id: z.number(),
  partnershipId: z.number(),
  statement: z.string(),
  measure: z.string(),
  unit: z.string().nullable(),
  baseline: z.object({ value: z.number(), on: z.string(), source: z.string().nullable() }),
  target: z.object({ value: z.number(), on: z.string() }),
  status: z.enum(GoalStatus.codes),
  contributions: z.array(z.object({ schoolId: z.number(), name: z.string(), contribution: z.string() })),
  missingContributions: z.array(SchoolRef).describe('Member schools whose contribution is not yet stated (goals in force only)'),
  retired: z.object({ on: z.string(), reason: z.string(), mergedIntoGoalId: z.number().nullable() }).nullable(),
  latestProgress: z
    .object({ reviewId: z.number(), heldOn: z.string(), valueNow: z.number().nullable(), status: z.enum(ProgressStatus.codes), commentary: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
});
export type Goal = z.infer<typeof Goal>;

export const FundingView = z.object({
  version: z.number().describe('The agreement version the terms come from'),
  terms: FundingTerms,
  totalPence: z.number().nullable(),
  shares: z.array(z.object({ schoolId: z.number(), name: z.string(), amountPence: z.number(), exempt: z.boolean(), basis: z.string() })),
  problems: z.array(z.object({ schoolId: z.number().nullable(), message: z.string() })).describe('Why the shares cannot be worked out (then `shares` is empty)'),
});
export type FundingView = z.infer<typeof FundingView>;

export const Agreement = z.object({
  id: z.number(),
  version: z.number(),
  current: z.boolean().describe('The version in force (the latest)'),
  effectiveFrom: z.string(),
  principles: z.array(z.string()),
  roles: z.array(z.object({ who: z.string(), schoolId: z.number().nullable(), schoolName: z.string().nullable(), responsibility: z.string() })),
  meetings: z.object({ frequency: z.enum(MeetingFrequency.codes), minAttendancePct: z.number().nullable(), consequence: z.string().nullable() }),
  dataSharing: z.array(z.object({ dataClass: z.enum(dataClasses), intended: z.boolean(), purpose: z.string().nullable() })),
  conflictResolution: z.string(),
  funding: FundingTerms,
  changeNote: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  signatures: z.array(z.object({ schoolId: z.number(), name: z.string(), signedOn: z.string(), signedBy: z.string(), role: z.string(), note: z.string().nullable() })),
  awaiting: z.array(SchoolRef).describe('Member schools that have not agreed to this version'),
  agreed: z.boolean().describe('Every member school has agreed to this version'),
});
export type Agreement = z.infer<typeof Agreement>;

export const DataSharingView = z.object({
  version: z.number().nullable().describe('The agreement version whose terms are compared (null: no agreement yet)'),
  schools: z.array(
    z.object({
      schoolId: z.number(),
      name: z.string(),
      classes: z.array(
        z.object({
          dataClass: z.enum(dataClasses),
          intended: z.boolean().describe('The agreement asks for it'),
          shared: z.boolean().describe("The school's leaders share it with the network now"),
          decidedAt: z.string().nullable(),
          status: z.enum(SharingStatus.codes),
        }),
      ),
    }),
  ),
  gaps: z.number().describe('School × data class pairs the agreement asks for that are not shared'),
});
export type DataSharingView = z.infer<typeof DataSharingView>;

const PersonView = z.object({ name: z.string(), role: z.string().nullable() });
export const Meeting = z.object({
  id: z.number(),
  heldOn: z.string(),
  title: z.string(),
  notes: z.string().nullable(),
  attendance: z.array(z.object({ schoolId: z.number(), name: z.string(), attendees: z.array(PersonView) })),
  absent: z.array(SchoolRef).describe('Schools that were members that day and did not attend'),
  otherAttendees: z.array(PersonView),
});
export type Meeting = z.infer<typeof Meeting>;

export const AttendanceSummary = z.object({
  from: z.string(),
  to: z.string(),
  meetingsHeld: z.number(),
  frequency: z.enum(MeetingFrequency.codes).nullable(),
  meetingsExpected: z.number().nullable().describe('Meetings the agreed frequency implies over the period'),
  minAttendancePct: z.number().nullable(),
  consequence: z.string().nullable(),
  schools: z.array(
    z.object({
      schoolId: z.number(),
      name: z.string(),
      expected: z.number().describe('Meetings held while the school was a member'),
      attended: z.number(),
      ratePct: z.number().nullable().describe('attended ÷ expected, as a percentage to one decimal place'),
      belowExpectation: z.boolean(),
    }),
  ),
});
export type AttendanceSummary = z.infer<typeof AttendanceSummary>;
export const MeetingsView = z.object({ items: z.array(Meeting), attendance: AttendanceSummary });

export const Review = z.object({
  id: z.number(),
  heldOn: z.string(),
  summary: z.string().nullable(),
  decision: z.enum(ReviewDecision.codes).nullable(),
  decisionNote: z.string().nullable(),
  recordedBy: z.string().nullable(),
  progress: z.array(
    z.object({ goalId: z.number(), statement: z.string(), valueNow: z.number().nullable(), status: z.enum(ProgressStatus.codes), commentary: z.string().nullable() }),
  ),
  createdAt: z.string(),
});
export type Review = z.infer<typeof Review>;

export const Ending = z.object({
  agreedOn: z.string(),
  endsOn: z.string(),
  reason: z.string(),
  agreedBy: z.string(),
  kept: z.array(z.object({ kind: z.enum(KeptKind.codes), what: z.string(), keptBy: z.string().nullable() })),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
});
export type Ending = z.infer<typeof Ending>;

export const StageChange = z.object({
  id: z.number(),
  from: z.enum(PartnershipStage.codes).nullable(),
  to: z.enum(PartnershipStage.codes),
  on: z.string(),
  at: z.string(),
  by: z.string().nullable(),
  note: z.string().nullable(),
});

export const PartnershipSummary = z.object({
  id: z.number(),
  networkId: z.number(),
  networkName: z.string(),
  stage: z.enum(PartnershipStage.codes),
  purpose: z.string(),
  formedOn: z.string(),
  endedOn: z.string().nullable(),
  activeGoals: z.number(),
});
export type PartnershipSummary = z.infer<typeof PartnershipSummary>;

export const Plan = PartnershipSummary.extend({
  sharedVision: z.string().nullable(),
  theoryOfAction: z.string().nullable(),
  formation: z.enum(Formation.codes).nullable(),
  members: z.array(SchoolRef.extend({ pupilRoll: z.number().nullable() })).describe('Member schools today'),
  goals: z.array(Goal).describe('Goals in force first, then retired ones'),
  goalLimit: z.object({ max: z.literal(maxActiveGoals), inForce: z.number() }),
  agreement: Agreement.nullable().describe('The version in force'),
  agreementVersions: z.array(z.object({ version: z.number(), effectiveFrom: z.string(), createdAt: z.string(), agreed: z.boolean(), signatures: z.number() })),
  dataSharing: DataSharingView,
  funding: FundingView.nullable(),
  attendance: AttendanceSummary,
  recentMeetings: z.array(Meeting).describe('The five latest meetings'),
  meetingCount: z.number(),
  reviews: z.array(Review).describe('Newest first'),
  ending: Ending.nullable(),
  history: z.array(StageChange).describe('Every change of stage, oldest first'),
  nextSteps: z.array(
    z.object({
      to: z.enum(PartnershipStage.codes),
      meaning: z.string(),
      allowed: z.boolean(),
      needsNote: z.boolean(),
      missing: z.array(z.string()).describe('Preconditions not yet met'),
    }),
  ),
  viewer: z.object({ canEdit: z.boolean(), canSignFor: z.array(z.number()).describe('Member schools the viewer may agree the agreement for') }),
});
export type Plan = z.infer<typeof Plan>;
