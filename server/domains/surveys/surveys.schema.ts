import { z } from 'zod';
import { Instrument, ResponseFormat, RespondentRole, ScaleOption } from '../../../common/instruments.ts';

/**
 * The staff surveys' HTTP contract: Zod schemas shared by routes (validation, OpenAPI) and the
 * web app (types). Imports only zod and common/. Dates are yyyy-mm-dd.
 */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();
const SchoolId = z.number().int().positive().describe('A member school (its Trellis id)');
const text = (min: number, max: number, tooShort: string) => z.string().trim().min(min, tooShort).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const IdParam = z.object({ id: Id });
export const TokenParam = z.object({ token: z.string().trim().min(8, 'too short to be a survey link or code').max(100).describe('The token of a personal link, or a shared code') });

export const Role = z.enum(RespondentRole.codes).describe('The role a respondent declares (governor; head or deputy; senior leader; middle leader; teacher; support staff)');
export type Role = z.infer<typeof Role>;
export const WaveStatus = z.enum(['draft', 'open', 'closed']).describe('draft: being set up; open: taking responses; closed: results available');
export type WaveStatus = z.infer<typeof WaveStatus>;

/** The smallest breakdown cell shown: k. Below 3 a cell could point at one or two people. */
export const minimumK = 3;
export const defaultK = 5;
const MinCell = z
  .number()
  .int()
  .min(minimumK, `must be at least ${minimumK}: smaller groups could identify the people in them`)
  .max(50, 'at most 50')
  .describe(`k: breakdown cells with fewer respondents are suppressed (default ${defaultK}, never below ${minimumK})`);

// ---- Waves ----------------------------------------------------------------------------------

export const NewWave = z
  .object({
    title: text(3, 200, 'give the round a title, e.g. "Staff survey, January 2026"').describe('What the round is called, e.g. "Staff survey, January 2026"'),
    instrumentId: z
      .string()
      .regex(/^[a-z][a-z0-9-]{2,60}$/, 'an instrument id, e.g. partnership-survey')
      .optional()
      .describe('A built-in instrument (GET /survey-instruments)'),
    instrument: Instrument.optional().describe('Or an instrument of your own, in the same shape as the built-in ones'),
    schoolIds: z.array(SchoolId).min(1, 'choose at least one school').max(500).optional().describe('The member schools taking part (default: every member today)'),
    closesOn: IsoDate.describe('The deadline respondents are given'),
    hideStageLabels: z.boolean().default(true).describe('Show items with stage letters A–D only, not the stage names (reduces social-desirability bias)'),
    minCell: MinCell.default(defaultK),
  })
  .refine((w) => (w.instrumentId === undefined) !== (w.instrument === undefined), { path: ['instrumentId'], message: 'give either instrumentId (a built-in instrument) or instrument (your own), not both or neither' })
  .refine((w) => !w.schoolIds || new Set(w.schoolIds).size === w.schoolIds.length, { path: ['schoolIds'], message: 'a school is listed twice' });
export type NewWave = z.infer<typeof NewWave>;

export const WavePatch = z
  .object({
    title: text(3, 200, 'give the round a title'),
    closesOn: IsoDate,
    hideStageLabels: z.boolean(),
    minCell: MinCell,
    schoolIds: z.array(SchoolId).min(1, 'choose at least one school').max(500),
  })
  .partial()
  .refine((w) => !w.schoolIds || new Set(w.schoolIds).size === w.schoolIds.length, { path: ['schoolIds'], message: 'a school is listed twice' })
  .describe('While the round is a draft anything may change; once open only the title and deadline; once closed nothing');
export type WavePatch = z.infer<typeof WavePatch>;

const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });

const Viewer = z.object({
  canManage: z.boolean().describe('The viewer runs the round (a coordinator of the network, or an administrator)'),
  canReadResults: z.boolean().describe('The round has closed and at least one of its schools shares its survey results with the viewer'),
});

export const WaveSummary = z.object({
  id: z.number(),
  networkId: z.number(),
  networkName: z.string(),
  title: z.string(),
  instrument: z.object({ id: z.string(), version: z.number(), title: z.string() }),
  status: WaveStatus,
  closesOn: z.string(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  hideStageLabels: z.boolean(),
  minCell: z.number(),
  schoolCount: z.number(),
  viewer: Viewer,
});
export type WaveSummary = z.infer<typeof WaveSummary>;

export const Wave = WaveSummary.extend({
  schools: z.array(SchoolRef),
  returns: z
    .object({ invited: z.number(), returned: z.number(), ratePct: z.number().nullable() })
    .nullable()
    .describe('Returns so far (the round’s managers only)'),
});
export type Wave = z.infer<typeof Wave>;

// ---- Invitations ----------------------------------------------------------------------------

export const NewInvitations = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('links'),
      schoolId: SchoolId,
      role: Role,
      labels: z
        .array(text(1, 200, 'say who the link is for'))
        .min(1, 'give at least one label')
        .max(500)
        .describe('One personal link per entry; each label says who it is for (a name, an email, or "Teacher 3"), so reminders can be sent; answers are never linked to it'),
    }),
    z.object({
      kind: z.literal('code'),
      schoolId: SchoolId.nullable().default(null).describe('The school the code is for; null lets respondents choose among the round’s schools'),
      role: Role.nullable().default(null).describe('The role the code is for; null lets respondents choose'),
      capacity: z.number().int().min(1, 'at least 1').max(5000).describe('How many people the code is given to: the invited count, and the most returns it accepts'),
    }),
    z.object({
      kind: z.literal('paper'),
      schoolId: SchoolId,
      role: Role.nullable().default(null).describe('The role the forms were given to; null when each form says'),
      capacity: z.number().int().min(1, 'at least 1').max(5000).describe('How many paper forms were handed out'),
    }),
  ])
  .describe('Personal links (one each), a shared code, or a batch of paper forms');
export type NewInvitations = z.infer<typeof NewInvitations>;

export const InvitationKind = z.enum(['link', 'code', 'paper']);
export const InvitationView = z.object({
  id: z.number(),
  kind: InvitationKind,
  school: SchoolRef.nullable().describe('null: a shared code for any of the round’s schools'),
  role: Role.nullable(),
  label: z.string().nullable(),
  capacity: z.number(),
  returned: z.number(),
  lastReturnedOn: z.string().nullable(),
  reminders: z.number(),
  lastRemindedOn: z.string().nullable(),
  createdOn: z.string(),
});
export type InvitationView = z.infer<typeof InvitationView>;

export const IssuedInvitation = z.object({
  invitationId: z.number(),
  kind: InvitationKind,
  school: SchoolRef.nullable(),
  role: Role.nullable(),
  label: z.string().nullable(),
  link: z.string().nullable().describe('The personal link or the code’s link, shown once (only a hash is kept)'),
  code: z.string().nullable().describe('The shared code, shown once'),
});
export type IssuedInvitation = z.infer<typeof IssuedInvitation>;
export const IssuedInvitations = z.object({ items: z.array(IssuedInvitation) });

const Returns = z.object({ invited: z.number(), returned: z.number(), ratePct: z.number().nullable().describe('returned ÷ invited × 100, to one decimal place') });
export const Tracking = z.object({
  waveId: z.number(),
  status: WaveStatus,
  total: Returns,
  online: z.number().describe('Returns made online'),
  paper: z.number().describe('Paper forms keyed in'),
  bySchool: z.array(Returns.extend({ school: SchoolRef.nullable().describe('null: shared codes for any school') })),
  byRole: z.array(Returns.extend({ role: Role.nullable().describe('null: invitations that leave the role to the respondent') })),
  cells: z.array(Returns.extend({ school: SchoolRef.nullable(), role: Role.nullable() })),
});
export type Tracking = z.infer<typeof Tracking>;

export const RemindRequest = z.object({
  invitationIds: z.array(z.number().int().positive()).min(1).max(5000).optional().describe('Remind only these (default: every outstanding invitation)'),
  note: optionalText(500),
});
export type RemindRequest = z.infer<typeof RemindRequest>;
export const ReminderRound = z.object({ remindedOn: z.string(), items: z.array(IssuedInvitation).describe('Fresh links and codes to resend (earlier ones still work); paper batches have neither') });
export const Reminders = z.object({
  outstanding: z.array(InvitationView).describe('Invitations not yet (fully) returned'),
  history: z.array(z.object({ id: z.number(), remindedOn: z.string(), invitations: z.number(), note: z.string().nullable(), by: z.string().nullable() })),
});

// ---- Responses ------------------------------------------------------------------------------

const AnswerInput = z.union([z.boolean(), z.number(), z.string().max(4000)]);
const Answers = z
  .record(z.string().min(1).max(20), AnswerInput)
  .describe('Item code → true (ticked; blank items may be left out), a scale value, or text');

export const PaperResponse = z.object({
  schoolId: SchoolId.describe('The school on the form (a paper batch for it must have been recorded)'),
  role: Role,
  answers: Answers,
});
export type PaperResponse = z.infer<typeof PaperResponse>;

export const Submission = z.object({
  submissionKey: z.string().min(16, 'send the submissionKey the form gave you').max(100).describe('The one-time key the form carries; sending the same key twice stores one response'),
  schoolId: SchoolId.optional().describe('Required when the form offers a choice of school'),
  role: Role.optional().describe('Required when the form offers a choice of role'),
  answers: Answers,
});
export type Submission = z.infer<typeof Submission>;
export const Receipt = z.object({ received: z.literal(true), duplicate: z.boolean().describe('This key had already been received: nothing new was stored'), message: z.string() });
export type Receipt = z.infer<typeof Receipt>;

const FormItem = z.object({
  code: z.string(),
  text: z.string(),
  stage: z.string().nullable().describe('The stage, or only its letter (A = first) when stage labels are hidden'),
  stageLabel: z.string().nullable(),
  format: ResponseFormat,
  help: z.string().nullable(),
});
export const SurveyForm = z.object({
  title: z.string(),
  networkName: z.string(),
  closesOn: z.string(),
  instrument: z.object({ title: z.string(), description: z.string(), format: ResponseFormat, scale: z.array(ScaleOption).nullable() }),
  stageLabelsHidden: z.boolean(),
  dimensions: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      strands: z.array(z.object({ code: z.string(), label: z.string(), description: z.string().nullable(), items: z.array(FormItem) })),
    }),
  ),
  school: z.object({ fixed: SchoolRef.nullable(), choices: z.array(SchoolRef) }).describe('fixed: the invitation’s school; otherwise choose one'),
  role: z.object({ fixed: Role.nullable(), choices: z.array(z.object({ code: Role, label: z.string() })) }),
  submissionKey: z.string().describe('Send this back with the answers: it makes a double submission harmless'),
  privacy: z.string(),
});
export type SurveyForm = z.infer<typeof SurveyForm>;

// ---- Interview notes ------------------------------------------------------------------------

export const NewInterview = z.object({
  title: text(3, 200, 'give the note a title, e.g. "Ash, middle leader"').describe('e.g. "School A, middle leader" (avoid names: notes are sensitive)'),
  schoolId: SchoolId.nullable().default(null).describe('One of the round’s schools, when the interview was there'),
  heldOn: IsoDate.nullable().default(null),
  body: z.string().min(1, 'paste the notes').max(200_000, 'at most 200,000 characters; split long transcripts into several notes').describe('The notes or transcript, as text'),
});
export type NewInterview = z.infer<typeof NewInterview>;

export const NewCoding = z
  .object({
    strand: z.string().min(1).max(8).describe('A strand code of the round’s instrument, e.g. JPD'),
    start: z.number().int().min(0, 'cannot be negative').describe('First character of the passage (0-based)'),
    end: z.number().int().min(1).describe('One past the last character of the passage'),
    comment: optionalText(1000),
  })
  .refine((c) => c.end > c.start, { path: ['end'], message: 'must come after start' });
export type NewCoding = z.infer<typeof NewCoding>;

export const Coding = z.object({ id: z.number(), strand: z.string(), start: z.number(), end: z.number(), passage: z.string(), comment: z.string().nullable(), codedBy: z.string().nullable() });
export type Coding = z.infer<typeof Coding>;

export const InterviewSummary = z.object({
  id: z.number(),
  waveId: z.number(),
  title: z.string(),
  school: SchoolRef.nullable(),
  heldOn: z.string().nullable(),
  characters: z.number(),
  codings: z.number(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type InterviewSummary = z.infer<typeof InterviewSummary>;
export const Interview = InterviewSummary.extend({ body: z.string(), passages: z.array(Coding) });
export type Interview = z.infer<typeof Interview>;

export const CodingCounts = z.object({
  waveId: z.number(),
  interviews: z.number(),
  codings: z.number(),
  strands: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      dimension: z.string(),
      codings: z.number().describe('Passages coded to the strand (a passage with two codes counts for each)'),
      interviews: z.number().describe('Notes with at least one passage coded to it'),
      bySchool: z.array(z.object({ school: SchoolRef.nullable(), codings: z.number() })),
    }),
  ),
});
export type CodingCounts = z.infer<typeof CodingCounts>;
