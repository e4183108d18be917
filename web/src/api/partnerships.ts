import type { z } from 'zod';
import type * as schema from '../../../server/domains/partnerships/partnerships.schema.ts';
import { get, post, put, request } from './client.ts';

/**
 * A network's partnership plan (server/domains/partnerships/partnerships.routes.ts), typed by the
 * server's Zod contract: types only, so no zod in the bundle. Reading needs the network's
 * partnership.read, changing it partnership.edit; a refusal answers 404, as for a missing plan.
 */

export type Plan = z.infer<typeof schema.Plan>;
export type PartnershipSummary = z.infer<typeof schema.PartnershipSummary>;
export type Goal = z.infer<typeof schema.Goal>;
export type Agreement = z.infer<typeof schema.Agreement>;
export type DataSharingView = z.infer<typeof schema.DataSharingView>;
export type FundingView = z.infer<typeof schema.FundingView>;
export type FundingTerms = z.infer<typeof schema.FundingTerms>;
export type Meeting = z.infer<typeof schema.Meeting>;
export type MeetingsView = z.infer<typeof schema.MeetingsView>;
export type Review = z.infer<typeof schema.Review>;
export type Ending = z.infer<typeof schema.Ending>;
export type NextStep = Plan['nextSteps'][number];

export type NewPartnership = z.input<typeof schema.NewPartnership>;
export type PartnershipPatch = z.input<typeof schema.PartnershipPatch>;
export type NewGoal = z.input<typeof schema.NewGoal>;
export type GoalPatch = z.input<typeof schema.GoalPatch>;
export type RetireGoal = z.input<typeof schema.RetireGoal>;
export type AgreementInput = z.input<typeof schema.AgreementInput>;
export type SignAgreement = z.input<typeof schema.SignAgreement>;
export type NewMeeting = z.input<typeof schema.NewMeeting>;
export type NewReview = z.input<typeof schema.NewReview>;
export type ReviewPatch = z.input<typeof schema.ReviewPatch>;
export type TransitionRequest = z.input<typeof schema.TransitionRequest>;
export type EndingInput = z.input<typeof schema.EndingInput>;

const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });

export const partnerships = {
  /** The network's current plan; 404 when it has none (or the reader may not see it). */
  current: (networkId: number, signal?: AbortSignal) => get<Plan>(`/networks/${networkId}/partnership`, {}, signal),
  /** Every partnership the network has had, newest first; 404 when the reader may not see them. */
  list: (networkId: number, signal?: AbortSignal) => get<{ items: PartnershipSummary[] }>(`/networks/${networkId}/partnerships`, {}, signal),
  plan: (id: number, signal?: AbortSignal) => get<Plan>(`/partnerships/${id}`, {}, signal),
  form: (networkId: number, body: NewPartnership) => post<Plan>(`/networks/${networkId}/partnerships`, body),
  update: (id: number, body: PartnershipPatch) => patch<Plan>(`/partnerships/${id}`, body),

  addGoal: (id: number, body: NewGoal) => post<Goal>(`/partnerships/${id}/goals`, body),
  updateGoal: (goalId: number, body: GoalPatch) => patch<Goal>(`/goals/${goalId}`, body),
  retireGoal: (goalId: number, body: RetireGoal) => post<Goal>(`/goals/${goalId}/retire`, body),

  agreements: (id: number, signal?: AbortSignal) => get<{ items: Agreement[] }>(`/partnerships/${id}/agreements`, {}, signal),
  writeAgreement: (id: number, body: AgreementInput) => put<Agreement>(`/partnerships/${id}/agreement`, body),
  sign: (id: number, body: SignAgreement) => post<Agreement>(`/partnerships/${id}/agreement/sign`, body),

  meetings: (id: number, signal?: AbortSignal) => get<MeetingsView>(`/partnerships/${id}/meetings`, {}, signal),
  recordMeeting: (id: number, body: NewMeeting) => post<Meeting>(`/partnerships/${id}/meetings`, body),

  startReview: (id: number, body: NewReview) => post<Review>(`/partnerships/${id}/reviews`, body),
  updateReview: (reviewId: number, body: ReviewPatch) => patch<Review>(`/reviews/${reviewId}`, body),

  transition: (id: number, body: TransitionRequest) => post<Plan>(`/partnerships/${id}/transition`, body),
  recordEnding: (id: number, body: EndingInput) => put<Ending>(`/partnerships/${id}/ending`, body),
};
