import type { z } from 'zod';
import type * as schema from '../../../../server/domains/brokering/brokering.schema.ts';
import { get, post, put, request } from '../../api/client.ts';

/**
 * Brokered support (server/domains/brokering/brokering.routes.ts; docs/brokering.md), typed by
 * the server's Zod contract: types only, so nothing of the server (nor zod) reaches the bundle.
 * It lives in this domain's folder, as the evaluation and practice clients do.
 */

export type Vocabulary = z.infer<typeof schema.Vocabulary>;
export type FactorInfo = Vocabulary['factors'][number];
export type Profile = z.infer<typeof schema.Profile>;
export type ProfileArea = Profile['areas'][number];
export type Priority = z.infer<typeof schema.Priority>;
export type NewPriority = z.input<typeof schema.NewPriority>;
export type Offer = z.infer<typeof schema.Offer>;
export type NewOffer = z.input<typeof schema.NewOffer>;
export type OfferPatch = z.input<typeof schema.OfferPatch>;
export type Affiliations = z.infer<typeof schema.Affiliations>;
export type Affiliation = Affiliations['affiliations'][number];
export type DeclareAffiliations = z.input<typeof schema.DeclareAffiliations>;
export type AffiliationInput = DeclareAffiliations['affiliations'][number];
export type BrokerCheck = z.infer<typeof schema.BrokerCheck>;
export type NewRequest = z.input<typeof schema.NewRequest>;
export type RequestGoal = NonNullable<NewRequest['goals']>[number];
export type RequestSummary = z.infer<typeof schema.RequestSummary>;
export type RequestView = z.infer<typeof schema.RequestView>;
export type Introduction = z.infer<typeof schema.Introduction>;
export type MyIntroduction = Introduction & { request: RequestSummary };
export type Candidate = z.infer<typeof schema.Candidate>;
export type FactorContribution = Candidate['factors'][number];
export type ShortlistEntry = z.infer<typeof schema.ShortlistEntry>;
export type Ranking = z.infer<typeof schema.Ranking>;
export type ShortlistInput = z.input<typeof schema.ShortlistInput>;
export type AnswerInput = z.input<typeof schema.AnswerInput>;
export type Allocation = z.infer<typeof schema.Allocation>;
export type AllocationQuery = Partial<z.output<typeof schema.AllocationQuery>>;
export type RequestQuery = Partial<z.output<typeof schema.RequestQuery>>;
export type Fairness = Allocation['fairness'];

/** The vocabulary never changes while the app runs: fetched once. */
let vocabularyOnce: Promise<Vocabulary> | null = null;

export const brokering = {
  vocabulary: (): Promise<Vocabulary> => {
    vocabularyOnce ??= get<Vocabulary>('/brokering/vocabulary').catch((error: unknown) => {
      vocabularyOnce = null;
      throw error;
    });
    return vocabularyOnce;
  },

  profile: (schoolId: number, signal?: AbortSignal) => get<Profile>(`/schools/${schoolId}/brokering-profile`, {}, signal),
  declarePriority: (schoolId: number, body: NewPriority) => post<Priority>(`/schools/${schoolId}/priorities`, body),
  /** Ends a priority today (or on `untilOn`), or changes its note. */
  changePriority: (id: number, body: { note?: string | null; untilOn?: string | null }) => request<Priority>('PATCH', `/priorities/${id}`, { body }),
  declareOffer: (body: NewOffer) => post<Offer>('/expertise-offers', body),
  changeOffer: (id: number, body: OfferPatch) => request<Offer>('PATCH', `/expertise-offers/${id}`, { body }),

  affiliations: (signal?: AbortSignal) => get<Affiliations>('/brokers/me/affiliations', {}, signal),
  declareAffiliations: (body: DeclareAffiliations) => put<Affiliations>('/brokers/me/affiliations', body),

  /** `mine` is sent only when true: the server reads any value given as "yes". */
  requests: (q: RequestQuery, signal?: AbortSignal) => get<{ items: RequestSummary[] }>('/support-requests', { ...q, mine: q.mine ? true : undefined }, signal),
  raise: (body: NewRequest) => post<RequestView>('/support-requests', body),
  request: (id: number, signal?: AbortSignal) => get<RequestView>(`/support-requests/${id}`, {}, signal),
  take: (id: number) => post<RequestView>(`/support-requests/${id}/broker`),
  /** `weights`: "factor:w,…" for the factors whose weight differs from the default. */
  candidates: (id: number, q: { limit?: number; weights?: string | undefined }, signal?: AbortSignal) => get<Ranking>(`/support-requests/${id}/candidates`, q, signal),
  shortlist: (id: number, body: ShortlistInput) => post<RequestView>(`/support-requests/${id}/shortlist`, body),
  introduce: (id: number, body: { shortlistEntryId: number; note?: string | null }) => post<RequestView>(`/support-requests/${id}/introductions`, body),
  myIntroductions: (signal?: AbortSignal) => get<{ items: MyIntroduction[] }>('/introductions/mine', {}, signal),
  answer: (introductionId: number, body: AnswerInput) => post<RequestView>(`/introductions/${introductionId}/answer`, body),
  start: (id: number, body: { startedOn?: string } = {}) => post<RequestView>(`/support-requests/${id}/start`, body),
  review: (id: number, body: { note: string; heldOn?: string }) => post<RequestView>(`/support-requests/${id}/review`, body),
  continue: (id: number, body: { note?: string | null } = {}) => post<RequestView>(`/support-requests/${id}/continue`, body),
  close: (id: number, body: { outcome: string; note?: string | null }) => post<RequestView>(`/support-requests/${id}/close`, body),
  withdraw: (id: number, body: { reason: string }) => post<RequestView>(`/support-requests/${id}/withdraw`, body),

  allocation: (q: AllocationQuery, signal?: AbortSignal) => get<Allocation>('/brokering/allocation', q, signal),
};
