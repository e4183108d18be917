import { z } from 'zod';
import {
  AffiliationKind,
  FocusArea,
  FocusGroup,
  IntroductionAnswer,
  IntroductionStatus,
  OfferStatus,
  RequestStatus,
  ShortlistSource,
  SupportKind,
  SupportOutcome,
} from '../../../common/brokering.ts';

/**
 * Brokered support's HTTP contract (docs/brokering.md): Zod schemas shared by routes
 * (validation, OpenAPI) and the web app (types). Imports only zod and common/. Dates are
 * yyyy-mm-dd; days are days of a member of staff's time per term.
 */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();
const SchoolId = z.number().int().positive().describe('A school (its Trellis id)');
const text = (min: number, max: number, tooShort: string) => z.string().trim().min(min, tooShort).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const Days = z.number().gt(0, 'must be more than 0').max(60, 'is more than 60 days a term; check the figure');

export const IdParam = z.object({ id: Id });

const FocusCode = z.enum(FocusArea.codes).describe('A focus area (GET /api/v1/brokering/vocabulary)');
const KindCode = z.enum(SupportKind.codes).describe('A kind of support');

export const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });
export type SchoolRef = z.infer<typeof SchoolRef>;
export const PersonRef = z.object({ personId: z.number(), name: z.string() });

// ---- Vocabulary -------------------------------------------------------------------------------

export const Vocabulary = z.object({
  focusAreas: z.array(z.object({ code: FocusCode, label: z.string(), group: z.enum(FocusGroup.codes), derived: z.boolean().describe('Trellis also reads this area from published data') })),
  kinds: z.array(z.object({ code: KindCode, label: z.string(), activityType: z.string() })),
  statuses: z.array(z.object({ code: z.enum(RequestStatus.codes), label: z.string(), next: z.array(z.enum(RequestStatus.codes)) })),
  affiliationKinds: z.array(z.object({ code: z.enum(AffiliationKind.codes), label: z.string() })),
  outcomes: z.array(z.object({ code: z.enum(SupportOutcome.codes), label: z.string() })),
  factors: z.array(z.object({ code: z.string(), label: z.string(), meaning: z.string(), range: z.string(), weight: z.number() })),
  rules: z.object({ strengthAt: z.number(), needAt: z.number(), offerBonus: z.number(), priorityPenalty: z.number(), yearsAveraged: z.number() }),
});
export type Vocabulary = z.infer<typeof Vocabulary>;

// ---- Priorities and offers -----------------------------------------------------------------------

export const NewPriority = z
  .object({
    focusArea: FocusCode,
    note: optionalText(2000).describe('What the school wants to improve, in its own words'),
    fromOn: IsoDate.optional().describe('Default: today'),
    untilOn: IsoDate.nullable().optional().describe('When the priority lapses (default: open-ended)'),
  })
  .refine((p) => !p.fromOn || !p.untilOn || p.untilOn > p.fromOn, { path: ['untilOn'], message: 'must come after fromOn' });
export type NewPriority = z.infer<typeof NewPriority>;
export const PriorityPatch = z.object({ note: optionalText(2000), untilOn: IsoDate.nullable().optional().describe('End the priority on this day (null: open-ended again)') });
export type PriorityPatch = z.infer<typeof PriorityPatch>;
export const Priority = z.object({
  id: z.number(),
  school: SchoolRef,
  focusArea: FocusCode,
  note: z.string().nullable(),
  fromOn: z.string(),
  untilOn: z.string().nullable(),
  current: z.boolean(),
  declaredBy: z.string().nullable(),
});
export type Priority = z.infer<typeof Priority>;

export const NewOffer = z.object({
  schoolId: SchoolId.describe('The school whose staff give the support'),
  personId: z.number().int().positive().nullable().optional().describe('The member of staff offering (default: you); null: the school offers, naming no one'),
  focusArea: FocusCode,
  kinds: z.array(KindCode).min(1, 'choose at least one kind of support').max(6).refine((k) => new Set(k).size === k.length, 'a kind is listed twice'),
  capacityDays: Days.describe('Days a term the school can release for this support'),
  note: optionalText(2000).describe('What the expertise is, with evidence (e.g. "led the maths hub’s mastery work group")'),
});
export type NewOffer = z.infer<typeof NewOffer>;
export const OfferPatch = z.object({
  kinds: z.array(KindCode).min(1).max(6).optional(),
  capacityDays: Days.optional(),
  note: optionalText(2000),
  status: z.enum(['active', 'withdrawn']).optional().describe('active: approve (a school leader) or resume; withdrawn: take off offer (kept for the record)'),
});
export type OfferPatch = z.infer<typeof OfferPatch>;
export const Offer = z.object({
  id: z.number(),
  school: SchoolRef,
  person: PersonRef.nullable(),
  focusArea: FocusCode,
  kinds: z.array(KindCode),
  capacityDays: z.number(),
  committedDays: z.number().describe('Days a term held by pending introductions and live support'),
  capacityLeft: z.number(),
  note: z.string().nullable(),
  status: z.enum(OfferStatus.codes),
  approvedOn: z.string().nullable(),
  createdAt: z.string(),
});
export type Offer = z.infer<typeof Offer>;
export const OfferQuery = z.object({
  focusArea: FocusCode.optional(),
  schoolId: Id.optional(),
  status: z.enum(OfferStatus.codes).optional().describe('Default: active (proposed offers are listed to their school’s leaders and their author)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// ---- A school's brokering profile --------------------------------------------------------------

export const DerivedValue = z.object({
  value: z.number().describe('SDs above (+) or below (−) schools with a similar intake; for leadership, the standardised inspection grade'),
  reading: z.enum(['strength', 'need', 'typical']),
  sources: z.array(z.object({ measure: z.string(), label: z.string(), years: z.array(z.string()) })),
  inspection: z.object({ grade: z.string(), on: z.string().nullable() }).nullable(),
});
export const Profile = z.object({
  school: SchoolRef.extend({ phase: z.string().nullable(), laName: z.string().nullable(), open: z.boolean() }),
  areas: z.array(
    z.object({
      focusArea: FocusCode,
      label: z.string(),
      derived: DerivedValue.nullable().describe('Null where Trellis has no data for the area, or withheld'),
      withheld: z.boolean().describe('True where the value rests on published results you may not read for this school'),
      priority: z.boolean().nullable().describe('The school has declared a current priority here (null: not shown to you)'),
      offers: z.number().describe('Active offers of the school in the area'),
    }),
  ),
  priorities: z.array(Priority).nullable().describe('Declared priorities (null: not shown to you: a school’s needs are read by its own staff, its brokers and its authority)'),
  offers: z.array(Offer),
});
export type Profile = z.infer<typeof Profile>;

// ---- Broker affiliations ---------------------------------------------------------------------

export const AffiliationInput = z
  .object({
    schoolId: z.number().int().positive().nullable().optional(),
    networkId: z.number().int().positive().nullable().optional(),
    kind: z.enum(AffiliationKind.codes),
    note: optionalText(500),
  })
  .refine((a) => (a.schoolId ?? null) === null !== ((a.networkId ?? null) === null), { path: ['schoolId'], message: 'name either a school or a network' });
export const DeclareAffiliations = z.object({
  affiliations: z.array(AffiliationInput).max(50).describe('Every school or network you are tied to; an empty list declares none'),
});
export type DeclareAffiliations = z.infer<typeof DeclareAffiliations>;
export const Affiliation = z.object({
  id: z.number(),
  school: SchoolRef.nullable(),
  network: z.object({ networkId: z.number(), name: z.string() }).nullable(),
  kind: z.enum(AffiliationKind.codes),
  note: z.string().nullable(),
  declaredOn: z.string(),
});
export const Affiliations = z.object({
  declaredOn: z.string().nullable().describe('When you last declared (null: never: declare before brokering)'),
  affiliations: z.array(Affiliation),
});
export type Affiliations = z.infer<typeof Affiliations>;

/** The broker's standing towards the two sides: an honest broker is tied to neither or both. */
export const BrokerCheck = z.object({
  broker: PersonRef.nullable(),
  declared: z.boolean(),
  declaredOn: z.string().nullable(),
  affiliatedWithRequester: z.array(z.string()).describe('The broker’s declared ties to the requesting school (or its networks)'),
  affiliatedWithSupporter: z.array(z.string()),
  flag: z.enum(['none', 'requester', 'supporter', 'both', 'undeclared']).describe('requester or supporter: tied to one party only, so not an honest broker'),
  message: z.string().nullable(),
});
export type BrokerCheck = z.infer<typeof BrokerCheck>;

// ---- Requests --------------------------------------------------------------------------------

const RequestGoal = z
  .object({
    statement: text(5, 500, 'state the goal in a sentence'),
    measure: text(3, 500, 'say how progress is measured'),
    unit: optionalText(40),
    baseline: z.object({ value: z.number().finite(), on: IsoDate, source: optionalText(300) }),
    target: z.object({ value: z.number().finite(), on: IsoDate }),
  })
  .refine((g) => g.target.on > g.baseline.on, { path: ['target', 'on'], message: 'the target date must come after the baseline date' });

export const NewRequest = z.object({
  schoolId: SchoolId.describe('The school asking for support (you must be one of its leaders)'),
  focusArea: FocusCode,
  kind: KindCode,
  daysNeeded: Days.describe('Days of support a term'),
  terms: z.number().int().min(1).max(9).default(3).describe('For how many terms'),
  description: text(10, 4000, 'describe what the school needs (at least 10 characters)').describe('What the school wants to improve, and what it has tried'),
  goals: z.array(RequestGoal).max(3).default([]).describe('What success looks like: up to three measurable goals carried into the support partnership'),
  conflicts: z
    .array(z.object({ schoolId: SchoolId, reason: text(3, 300, 'say why') }))
    .max(50)
    .default([])
    .describe('Schools the requester will not be supported by (e.g. a competitor for the same pupils, or a personal tie)'),
});
export type NewRequest = z.infer<typeof NewRequest>;

export const RequestSummary = z.object({
  id: z.number(),
  school: SchoolRef,
  focusArea: FocusCode,
  kind: KindCode,
  daysNeeded: z.number(),
  terms: z.number(),
  status: z.enum(RequestStatus.codes),
  broker: PersonRef.nullable(),
  supporter: SchoolRef.nullable(),
  createdOn: z.string(),
});
export type RequestSummary = z.infer<typeof RequestSummary>;
export const RequestQuery = z.object({
  status: z.enum(RequestStatus.codes).optional(),
  schoolId: Id.optional(),
  networkId: Id.optional().describe('Only requests of schools that are members of this network today'),
  laName: z.string().trim().min(1).max(100).optional(),
  // z.coerce.boolean would read the string "false" as true.
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Only requests you broker'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const Factor = z.object({
  factor: z.string(),
  label: z.string(),
  raw: z.number().nullable().describe('The factor’s own value (withheld, as null, for factors that rest on published results)'),
  normalised: z.number(),
  weight: z.number(),
  contribution: z.number().describe('weight × normalised; a candidate’s contributions sum to its score'),
});
export const Candidate = z.object({
  rank: z.number(),
  school: SchoolRef.extend({ phase: z.string().nullable(), laName: z.string().nullable() }),
  offer: z
    .object({ offerId: z.number(), person: PersonRef.nullable(), kinds: z.array(KindCode), capacityLeft: z.number() })
    .nullable()
    .describe('The declared offer this candidate is (null: a school that has declared no offer in the area)'),
  score: z.number(),
  distanceKm: z.number().nullable(),
  factors: z.array(Factor),
  brokerAffiliated: z.boolean().describe('The broker has declared a tie to this school'),
});
export type Candidate = z.infer<typeof Candidate>;
export const ShortlistEntry = Candidate.extend({ id: z.number(), source: z.enum(ShortlistSource.codes), createdAt: z.string() });
export type ShortlistEntry = z.infer<typeof ShortlistEntry>;

export const Ranking = z.object({
  requestId: z.number(),
  focusArea: FocusCode,
  considered: z.number().describe('Candidate rows (open schools and active offers) before the hard constraints'),
  excludedCounts: z.record(z.string(), z.number()),
  candidates: z.array(Candidate),
  weights: z.record(z.string(), z.number()),
  brokerCheck: BrokerCheck,
  millis: z.number().describe('Time to rank, server side'),
});
export type Ranking = z.infer<typeof Ranking>;
export const RankingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  weights: z
    .string()
    .regex(/^([a-zA-Z]+:\d+(\.\d+)?)(,[a-zA-Z]+:\d+(\.\d+)?)*$/, 'write factor:weight pairs, e.g. strength:0.5,travel:0.05')
    .optional()
    .describe('Override weights of some factors (the rest keep their defaults), e.g. "strength:0.5,travel:0.05"'),
});

const Answer = z.object({ answer: z.enum(IntroductionAnswer.codes), by: z.string().nullable(), on: z.string().nullable(), note: z.string().nullable() });
export const Introduction = z.object({
  id: z.number(),
  requestId: z.number(),
  supporter: SchoolRef,
  offer: z.object({ offerId: z.number(), person: PersonRef.nullable() }).nullable(),
  status: z.enum(IntroductionStatus.codes),
  requester: Answer,
  supporterAnswer: Answer,
  note: z.string().nullable(),
  createdOn: z.string(),
  closedOn: z.string().nullable(),
  viewerAnswers: z.enum(['requester', 'supporter']).nullable().describe('The side you may answer for now, if any'),
});
export type Introduction = z.infer<typeof Introduction>;

export const RequestView = RequestSummary.extend({
  description: z.string(),
  goals: z.array(RequestGoal),
  conflicts: z.array(z.object({ schoolId: z.number(), name: z.string(), reason: z.string() })),
  brokerCheck: BrokerCheck,
  shortlist: z.array(ShortlistEntry).nullable().describe('Brokers only (null for others)'),
  introductions: z.array(Introduction),
  offer: z.object({ offerId: z.number(), person: PersonRef.nullable() }).nullable(),
  supportNetworkId: z.number().nullable(),
  partnershipId: z.number().nullable(),
  activityId: z.number().nullable(),
  startedOn: z.string().nullable(),
  review: z.object({ note: z.string(), on: z.string(), by: z.string().nullable() }).nullable(),
  outcome: z.object({ outcome: z.enum(SupportOutcome.codes), note: z.string().nullable(), closedOn: z.string() }).nullable(),
  withdrawnReason: z.string().nullable(),
  viewer: z.object({
    broker: z.boolean().describe('You may broker this request'),
    requester: z.boolean().describe('You lead the requesting school'),
    nextSteps: z.array(z.string()),
  }),
});
export type RequestView = z.infer<typeof RequestView>;

export const ShortlistInput = z.object({
  candidates: z
    .array(z.object({ schoolId: SchoolId, offerId: z.number().int().positive().nullable().optional() }))
    .min(1, 'shortlist at least one candidate')
    .max(20)
    .refine((c) => new Set(c.map((x) => `${x.schoolId}:${x.offerId ?? ''}`)).size === c.length, 'a candidate is listed twice'),
  source: z.enum(ShortlistSource.codes).default('ranking'),
});
export type ShortlistInput = z.infer<typeof ShortlistInput>;
export const IntroduceInput = z.object({ shortlistEntryId: z.number().int().positive(), note: optionalText(2000).describe('What the broker tells both sides') });
export const AnswerInput = z.object({
  answer: z.enum(['accepted', 'declined']),
  side: z.enum(['requester', 'supporter']).optional().describe('Needed only if you may answer for both sides'),
  note: optionalText(2000),
});
export type AnswerInput = z.infer<typeof AnswerInput>;
export const StartInput = z.object({ startedOn: IsoDate.optional().describe('Default: today') });
export const ReviewInput = z.object({ note: text(10, 4000, 'summarise the review (at least 10 characters)'), heldOn: IsoDate.optional() });
export const CloseInput = z.object({ outcome: z.enum(SupportOutcome.codes), note: optionalText(4000) });
export const WithdrawInput = z.object({ reason: text(3, 1000, 'say why the request is withdrawn') });
export const ContinueInput = z.object({ note: optionalText(1000) });

// ---- Allocation --------------------------------------------------------------------------------

export const AllocationQuery = z.object({
  networkId: Id.optional().describe('Every open request of the network’s member schools'),
  laName: z.string().trim().min(1).max(100).optional().describe('Every open request of the authority’s schools'),
  fairness: z.enum(['none', 'one-before-second']).default('one-before-second'),
  maxPerRequest: z.coerce.number().int().min(1).max(5).default(1).describe('Offers per request (a shortlist of up to this many)'),
  candidates: z.coerce.number().int().min(1).max(50).default(50).describe('Top candidates considered per request'),
});
export const Allocation = z.object({
  area: z.string(),
  fairness: z.enum(['none', 'one-before-second']),
  method: z.string(),
  requests: z.number(),
  supporters: z.number(),
  total: z.number(),
  pairs: z.array(z.object({ request: RequestSummary, candidate: Candidate })),
  unassigned: z.array(RequestSummary),
  millis: z.number(),
});
export type Allocation = z.infer<typeof Allocation>;
