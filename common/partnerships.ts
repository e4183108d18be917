/**
 * The vocabulary of a network's partnership plan: lifecycle stages, goal and review statuses,
 * review decisions, meeting frequencies, funding models and what an ending keeps. Shared by
 * server and web; stored values are the codes, the labels are what people read. The ideas come
 * from DOMAIN.md §4 (Muijs et al. ch. 12; NFER 2007 on funding); the wording is ours.
 */
import { vocabulary } from './vocabulary.ts';

/** The lifecycle, in order. The allowed moves and their preconditions: server/domains/partnerships/partnership-stage.ts. */
export const PartnershipStage = vocabulary({
  forming: 'Forming',
  active: 'Active',
  under_review: 'Under review',
  renewed: 'Renewed',
  ending: 'Ending',
  ended: 'Ended',
});
export type PartnershipStage = keyof typeof PartnershipStage.labels;

/** A partnership works towards a handful of goals at most; a sixth asks the partners to retire or merge one. */
export const maxActiveGoals = 5;

/** Where a goal stands: set by the latest review's judgement, or by the coordinator. */
export const GoalStatus = vocabulary({
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  achieved: 'Achieved',
  not_achieved: 'Not achieved',
});
export type GoalStatus = keyof typeof GoalStatus.labels;

/** A review's judgement of one goal. */
export const ProgressStatus = vocabulary({
  on_track: 'On track',
  at_risk: 'At risk',
  achieved: 'Achieved',
  not_achieved: 'Not achieved',
});
export type ProgressStatus = keyof typeof ProgressStatus.labels;

/** What a review decides about the partnership's future. */
export const ReviewDecision = vocabulary({
  renew: 'Renew with the same focus',
  renegotiate: 'Renegotiate the focus (change the goals)',
  end: 'Move to an agreed ending',
});
export type ReviewDecision = keyof typeof ReviewDecision.labels;

/** How often the agreement expects the partners to meet, with the meetings that makes in a year. */
export const MeetingFrequency = vocabulary({
  weekly: 'Weekly',
  fortnightly: 'Fortnightly',
  monthly: 'Monthly',
  half_termly: 'Every half term',
  termly: 'Every term',
  yearly: 'Once a year',
});
export type MeetingFrequency = keyof typeof MeetingFrequency.labels;
export const meetingsPerYear: Record<MeetingFrequency, number> = { weekly: 39, fortnightly: 19, monthly: 12, half_termly: 6, termly: 3, yearly: 1 };

/** How partner schools pay into shared costs (NFER 2007, as summarised in DOMAIN.md §4). */
export const FundingModel = vocabulary({
  equal: 'Equal shares',
  by_size: 'By size (pupils on roll)',
  percent_of_budget: "A percentage of each school's budget",
  ad_hoc: 'Ad hoc amounts',
});
export type FundingModel = keyof typeof FundingModel.labels;

/** The unit contributions are rounded to; see docs/partnerships.md for the rounding rule. */
export const FundingRounding = vocabulary({ penny: 'To the penny', pound: 'To the whole pound' });
export type FundingRounding = keyof typeof FundingRounding.labels;

export const FundingPeriod = vocabulary({ per_year: 'Per year', per_term: 'Per term', one_off: 'One-off' });
export type FundingPeriod = keyof typeof FundingPeriod.labels;

/**
 * A member school's data-sharing position against the agreement: what the agreement intends
 * for a class of data beside what the school's leaders have actually decided (consent).
 */
export const SharingStatus = vocabulary({
  as_agreed: 'Shared, as agreed',
  awaiting_school: "Agreed, but the school's leaders have not shared it",
  beyond_terms: 'Shared, beyond what the agreement asks',
  not_in_terms: 'Not part of the agreement',
});
export type SharingStatus = keyof typeof SharingStatus.labels;

/** What the partners keep when a partnership ends. */
export const KeptKind = vocabulary({
  practice: 'Practice',
  relationship: 'Relationship',
  resource: 'Resource',
});
export type KeptKind = keyof typeof KeptKind.labels;

/** Pence as pounds for people: 123456 → "£1,234.56"; whole pounds drop the pence. */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  const rest = abs % 100;
  return `${sign}£${pounds}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}
