import { z } from 'zod';
import { ActivityCategory, Direction, Period, Recurrence, StaffLevel, TieClass } from '../../../common/activities.ts';

/** The collaboration record's HTTP contract. Imports only zod and common/, so the web app reuses it. */

const IsoDate = z.iso.date().describe('yyyy-mm-dd');
const Id = z.coerce.number().int().positive();
export const IdParam = z.object({ id: Id });

export const TypeCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,47}$/, 'use 2–48 lower-case letters, digits or _, starting with a letter (e.g. forest_school)')
  .describe('Stable code of an activity type');
export const CodeParam = z.object({ code: TypeCode });

// ---------------------------------------------------------------------------------------------
// The catalogue

export const ActivityType = z.object({
  code: z.string(),
  category: z.enum(ActivityCategory.codes),
  label: z.string(),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  retiredOn: z.string().nullable().describe('Not offered for new records since this date; older records keep it'),
});
export type ActivityType = z.infer<typeof ActivityType>;

export const ActivityCatalogue = z.object({
  categories: z.array(z.object({ code: z.enum(ActivityCategory.codes), label: z.string(), types: z.array(ActivityType) })),
});
export type ActivityCatalogue = z.infer<typeof ActivityCatalogue>;

export const NewActivityType = z.object({
  code: TypeCode,
  category: z.enum(ActivityCategory.codes),
  label: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).optional(),
});
export type NewActivityType = z.infer<typeof NewActivityType>;

export const ActivityTypePatch = z
  .object({
    category: z.enum(ActivityCategory.codes).optional(),
    label: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(500).nullable().optional(),
    retired: z.boolean().optional().describe('true: stop offering it for new records (from today); false: offer it again'),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'change at least one field');
export type ActivityTypePatch = z.infer<typeof ActivityTypePatch>;

// ---------------------------------------------------------------------------------------------
// Activities

const People = z.number().int().min(1).max(100_000);
/** How many people of each level took part, for one school (levels left out: none). */
export const Staff = z.strictObject({
  governors: People.optional(),
  heads: People.optional(),
  senior_leaders: People.optional(),
  middle_leaders: People.optional(),
  teachers: People.optional(),
  support_staff: People.optional(),
  pupils: People.optional(),
  parents: People.optional(),
});
export type Staff = z.infer<typeof Staff>;

export const InvolvedSchool = z.object({
  schoolId: z.number().int().positive(),
  direction: z.enum(Direction.codes),
  staff: Staff.default({}),
});

const activityFields = {
  type: TypeCode,
  title: z.string().trim().min(1).max(200),
  networkId: z.number().int().positive().nullable().optional().describe('The network the activity was done in, if any'),
  schools: z.array(InvolvedSchool).min(2, 'an activity between schools involves at least two').max(100),
  startOn: IsoDate,
  endOn: IsoDate.optional().describe('Last day of a one-off activity over several days; a series ends on its last occurrence (computed)'),
  recurrence: z.enum(Recurrence.codes).default('once'),
  occurrences: z.number().int().min(1).max(500).default(1).describe('How many times a series happened (1 for once)'),
  hoursPerOccurrence: z.number().positive().max(2000).optional().describe('Hours each occurrence took (rounded to 0.01)'),
  focus: z.string().trim().max(200).optional().describe('Subject or aspect, e.g. "early reading" or "SEND"'),
  outcomeNotes: z.string().trim().max(5000).optional(),
  evidence: z
    .array(z.url({ protocol: /^https?$/, error: 'give a web address starting http:// or https://' }).max(2000))
    .max(20)
    .default([])
    .describe('Links to evidence (documents, pages, videos)'),
};
export const NewActivity = z.object(activityFields);
export type NewActivity = z.infer<typeof NewActivity>;

export const ActivityPatch = z
  .object({
    type: activityFields.type.optional(),
    title: activityFields.title.optional(),
    networkId: activityFields.networkId,
    schools: z.array(InvolvedSchool).min(2, 'an activity between schools involves at least two').max(100).optional(),
    startOn: IsoDate.optional(),
    endOn: IsoDate.nullable().optional(),
    recurrence: z.enum(Recurrence.codes).optional(),
    occurrences: z.number().int().min(1).max(500).optional(),
    hoursPerOccurrence: z.number().positive().max(2000).nullable().optional(),
    focus: z.string().trim().max(200).nullable().optional(),
    outcomeNotes: z.string().trim().max(5000).nullable().optional(),
    evidence: activityFields.evidence.unwrap().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'change at least one field');
export type ActivityPatch = z.infer<typeof ActivityPatch>;

export const SchoolRef = z.object({ id: z.number(), urn: z.number().nullable(), name: z.string() });
export type SchoolRef = z.infer<typeof SchoolRef>;

export const ActivityView = z.object({
  id: z.number(),
  type: z.object({ code: z.string(), label: z.string(), category: z.enum(ActivityCategory.codes) }),
  title: z.string(),
  network: z.object({ id: z.number(), name: z.string() }).nullable(),
  schools: z.array(
    z.object({
      school: SchoolRef.nullable().describe('null: a school that does not share its activity records with you (its staff counts are left out too)'),
      direction: z.enum(Direction.codes),
      staff: Staff.nullable(),
    }),
  ),
  startOn: z.string(),
  endOn: z.string(),
  recurrence: z.enum(Recurrence.codes),
  occurrences: z.number(),
  hoursPerOccurrence: z.number().nullable(),
  focus: z.string().nullable(),
  outcomeNotes: z.string().nullable(),
  evidence: z.array(z.string()),
  recordedAt: z.string(),
  updatedAt: z.string().nullable(),
});
export type ActivityView = z.infer<typeof ActivityView>;

export const ActivityQuery = z.object({
  networkId: Id.optional().describe('Activities done in this network'),
  schoolId: Id.optional().describe('Activities involving this school (only if you may see its activity records)'),
  type: TypeCode.optional(),
  category: z.enum(ActivityCategory.codes).optional(),
  from: IsoDate.optional().describe('Activities still going on or after this date'),
  to: IsoDate.optional().describe('Activities begun on or before this date'),
  focus: z.string().trim().min(1).max(100).optional().describe('Part of the focus, any case'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export const ActivityPage = z.object({
  items: z.array(ActivityView),
  nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
});

export const ImportSummary = z.object({
  file: z.string(),
  rowsRead: z.number(),
  activitiesCreated: z.number(),
  tiesRecomputed: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

// ---------------------------------------------------------------------------------------------
// Ties

export const OnQuery = z.object({ on: IsoDate.optional().describe('The date the ties are measured on; default today') });

const Flow = {
  gave: z.number().describe('Contacts in which this school gave to the other'),
  received: z.number().describe('Contacts in which the other school gave to this one'),
};
export const TieMeasures = z.object({
  class: z.enum(TieClass.codes),
  strength: z.number().describe('0–1 composite for ordering (docs/activities.md); the class is the rule'),
  longStanding: z.boolean().describe('First and last contact at least five years apart'),
  firstContact: z.string(),
  lastContact: z.string(),
  daysSinceLastContact: z.number(),
  contacts: z.number().describe('Occurrences of shared activities up to the date'),
  activities: z.number().describe('Activity records shared'),
  hours: z.number(),
  types: z.number().describe('Multiplexity: distinct activity types'),
  levels: z.array(z.enum(StaffLevel.codes)),
  ...Flow,
  reciprocity: z.number().nullable().describe('1 − |gave − received| / (gave + received); null with no directed contact'),
  recent: z.object({ contacts: z.number(), hours: z.number(), types: z.number(), levels: z.array(z.enum(StaffLevel.codes)), ...Flow }).describe('The 12 months up to the date'),
});
export type TieMeasures = z.infer<typeof TieMeasures>;

export const SchoolTie = TieMeasures.extend({
  partner: SchoolRef.nullable().describe('null: a school that does not share its activity records with you'),
  balance: z.number().nullable().describe('(gave − received) / (gave + received), from this school’s side: +1 only gives, −1 only receives'),
  sharedNetworks: z.array(z.object({ id: z.number(), name: z.string() })).nullable().describe('Networks both schools belong to on the date (null for a partner not shown)'),
});
export const SchoolTies = z.object({
  school: SchoolRef,
  on: z.string(),
  summary: z.object({
    partners: z.number(),
    strong: z.number(),
    weak: z.number(),
    dormant: z.number(),
    longStanding: z.number(),
    gave: z.number(),
    received: z.number(),
    balance: z.number().nullable().describe('Across all ties: +1 only gives, −1 only receives'),
    outsideNetworks: z.number().describe('Ties to schools it shares no network with on the date (openness)'),
  }),
  ties: z.array(SchoolTie),
});
export type SchoolTies = z.infer<typeof SchoolTies>;

export const NetworkTie = TieMeasures.extend({
  a: SchoolRef.nullable(),
  b: SchoolRef.nullable(),
}).describe('gave/received are from a’s side');
export const NetworkTies = z.object({
  network: z.object({ id: z.number(), name: z.string() }),
  on: z.string(),
  members: z.number().describe('Member schools on the date'),
  possiblePairs: z.number(),
  density: z.number().nullable().describe('Ties shown / possible pairs of members'),
  isolated: z.number().describe('Members with no tie shown to another member'),
  ties: z.array(NetworkTie).describe('Ties between two members with at least one end whose activity records you may see'),
});
export type NetworkTies = z.infer<typeof NetworkTies>;

// ---------------------------------------------------------------------------------------------
// Participation

export const ParticipationQuery = z.object({
  by: z.enum(Period.codes).default('term'),
  from: IsoDate.optional().describe('Default: two years before `to`'),
  to: IsoDate.optional().describe('Default: today'),
});
export type ParticipationQuery = z.infer<typeof ParticipationQuery>;

const PeopleByLevel = z.object({
  governors: z.number(),
  heads: z.number(),
  senior_leaders: z.number(),
  middle_leaders: z.number(),
  teachers: z.number(),
  support_staff: z.number(),
  pupils: z.number(),
  parents: z.number(),
});
export const ParticipationPeriod = z.object({
  period: z.string().describe('2026-03 (month) or 2025/26-spring (term)'),
  label: z.string(),
  startOn: z.string(),
  endOn: z.string(),
  activities: z.number().describe('Activities with an occurrence in the period'),
  people: PeopleByLevel.describe('Participations by level: people × activities, each activity counted once per period'),
  total: z.number(),
  levels: z.number().describe('How many levels took part (breadth of penetration)'),
});
export type ParticipationPeriod = z.infer<typeof ParticipationPeriod>;

export const SchoolParticipation = z.object({ school: SchoolRef, by: z.enum(Period.codes), periods: z.array(ParticipationPeriod) });
export const NetworkParticipation = z.object({
  network: z.object({ id: z.number(), name: z.string() }),
  by: z.enum(Period.codes),
  sharingSchools: z.number().describe('Members today that share activity records with the network: only they are counted'),
  minSchools: z.number(),
  withheld: z.boolean().describe('true: fewer sharing schools than minSchools, so no figures are given'),
  periods: z.array(ParticipationPeriod),
});
