/**
 * The vocabulary of brokered support (issue 8; DOMAIN.md §8): the focus areas a school may need
 * help in or offer help with, the kinds of support, the casework statuses of a request and an
 * introduction, the kinds of affiliation a broker declares, and the outcomes a closed request
 * records. Shared by server and web; codes are stored, labels are shown, the wording is ours.
 * Which focus areas Trellis can also read from published data: server/domains/brokering/strengths.ts.
 */
import { vocabulary } from './vocabulary.ts';

/** What a focus area is about: a subject, a phase of education, or an aspect of school life. */
export const FocusGroup = vocabulary({
  subject: 'Subject',
  phase: 'Phase',
  aspect: 'Aspect',
});
export type FocusGroup = keyof typeof FocusGroup.labels;

/** Every focus area, grouped; a request, a priority and an offer each name one. */
export const FocusArea = vocabulary({
  english: 'English',
  reading: 'Reading',
  writing: 'Writing',
  maths: 'Mathematics',
  science: 'Science',
  computing: 'Computing',
  languages: 'Modern foreign languages',
  humanities: 'History and geography',
  arts: 'Art, music and drama',
  physical_education: 'Physical education',
  early_years: 'Early years',
  primary: 'Primary phase (whole-school results)',
  secondary: 'Secondary phase (whole-school results)',
  post_16: 'Sixth form and post-16',
  behaviour: 'Behaviour and attitudes',
  send: 'Special educational needs and disabilities (SEND)',
  attendance: 'Attendance',
  disadvantaged: 'Disadvantaged pupils',
  leadership: 'Leadership and management',
  governance: 'Governance',
  curriculum: 'Curriculum design',
  assessment: 'Assessment and moderation',
  teaching: 'Teaching and learning',
  early_career_teachers: 'Early career teachers',
  transition: 'Transition between phases',
  safeguarding: 'Safeguarding and welfare',
});
export type FocusArea = keyof typeof FocusArea.labels;

export const focusGroupOf: Record<FocusArea, FocusGroup> = {
  english: 'subject',
  reading: 'subject',
  writing: 'subject',
  maths: 'subject',
  science: 'subject',
  computing: 'subject',
  languages: 'subject',
  humanities: 'subject',
  arts: 'subject',
  physical_education: 'subject',
  early_years: 'phase',
  primary: 'phase',
  secondary: 'phase',
  post_16: 'phase',
  behaviour: 'aspect',
  send: 'aspect',
  attendance: 'aspect',
  disadvantaged: 'aspect',
  leadership: 'aspect',
  governance: 'aspect',
  curriculum: 'aspect',
  assessment: 'aspect',
  teaching: 'aspect',
  early_career_teachers: 'aspect',
  transition: 'aspect',
  safeguarding: 'aspect',
};

/** How support is given. Each maps to the activity type the support is recorded as (docs/brokering.md). */
export const SupportKind = vocabulary({
  mentoring_coaching: 'Mentoring or coaching',
  peer_review: 'Peer review',
  joint_practice_development: 'Joint practice development',
  secondment: 'Secondment',
  leadership_support: 'Leadership support',
  training: 'Training',
});
export type SupportKind = keyof typeof SupportKind.labels;

/**
 * A support request's casework, in order. open → shortlisted → introduced → matched →
 * in_support → reviewed → closed; withdrawn from any stage before matched. The allowed moves:
 * `requestTransitions`.
 */
export const RequestStatus = vocabulary({
  open: 'Open: waiting for a broker',
  shortlisted: 'Shortlisted',
  introduced: 'Introduced: waiting for both schools',
  matched: 'Matched: support partnership formed',
  in_support: 'Support under way',
  reviewed: 'Reviewed',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
});
export type RequestStatus = keyof typeof RequestStatus.labels;

/**
 * Which status may follow which. An introduction one side declines sends the request back to
 * shortlisted; a shortlist may be redone while shortlisted. Everything else moves forward.
 */
export const requestTransitions: Record<RequestStatus, readonly RequestStatus[]> = {
  open: ['shortlisted', 'withdrawn'],
  shortlisted: ['shortlisted', 'introduced', 'withdrawn'],
  introduced: ['shortlisted', 'matched', 'withdrawn'],
  matched: ['in_support'],
  in_support: ['reviewed'],
  reviewed: ['in_support', 'closed'],
  closed: [],
  withdrawn: [],
};

/** Requests still being worked on (not closed or withdrawn). */
export const liveRequestStatuses: readonly RequestStatus[] = ['open', 'shortlisted', 'introduced', 'matched', 'in_support', 'reviewed'];

/** One side's answer to an introduction. */
export const IntroductionAnswer = vocabulary({
  pending: 'Waiting',
  accepted: 'Accepted',
  declined: 'Declined',
});
export type IntroductionAnswer = keyof typeof IntroductionAnswer.labels;

/** An introduction as a whole: accepted once both sides accept, declined once either declines. */
export const IntroductionStatus = vocabulary({
  pending: 'Waiting for an answer',
  accepted: 'Accepted by both',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
});
export type IntroductionStatus = keyof typeof IntroductionStatus.labels;

/** A broker's tie to a school or network, declared so that partiality can be seen. */
export const AffiliationKind = vocabulary({
  employed: 'Employed there (now)',
  governor: 'Governor or trustee',
  former: 'Formerly employed or governor',
  family: 'Family member works or studies there',
  other: 'Other interest',
});
export type AffiliationKind = keyof typeof AffiliationKind.labels;

/** How the supported school judged the support when the request closed. */
export const SupportOutcome = vocabulary({
  achieved: 'Achieved what was asked',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
  ended_early: 'Ended early',
});
export type SupportOutcome = keyof typeof SupportOutcome.labels;

/** An expertise offer's state: staff offers wait for a school leader's approval before they are matched. */
export const OfferStatus = vocabulary({
  proposed: 'Waiting for a school leader’s approval',
  active: 'Active',
  withdrawn: 'Withdrawn',
});
export type OfferStatus = keyof typeof OfferStatus.labels;

/** Where a shortlist entry came from. */
export const ShortlistSource = vocabulary({
  ranking: 'The ranking',
  allocation: 'A system-wide allocation',
});
export type ShortlistSource = keyof typeof ShortlistSource.labels;
