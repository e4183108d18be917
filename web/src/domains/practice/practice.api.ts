import type { z } from 'zod';
import type * as schema from '../../../../server/domains/practice/practice.schema.ts';
import { get, post, put, request } from '../../api/client.ts';

/**
 * Peer review, joint practice development, the practice library and communities of practice
 * (server/domains/practice/practice.routes.ts; docs/practice.md), typed by the server's Zod
 * contract: types only, so nothing of the server (nor zod) reaches the bundle. It lives in this
 * domain's folder, as the evaluation client does, so the whole feature is one folder.
 */

export type Review = z.infer<typeof schema.Review>;
export type ReviewSummary = z.infer<typeof schema.ReviewSummary>;
export type ReviewNextStep = Review['nextSteps'][number];
export type Reviewer = Review['team'][number];
export type ReviewerCandidate = z.infer<typeof schema.ReviewerCandidates>['items'][number];
export type Report = z.infer<typeof schema.Report>;
export type Evidence = z.infer<typeof schema.Evidence>;
export type Finding = z.infer<typeof schema.Finding>;
export type Action = z.infer<typeof schema.Action>;
export type ReciprocityView = z.infer<typeof schema.ReciprocityView>;
export type NewReview = z.input<typeof schema.NewReview>;
export type ReviewPatch = z.input<typeof schema.ReviewPatch>;
export type NewReviewer = z.input<typeof schema.NewReviewer>;
export type NewEvidence = z.input<typeof schema.NewEvidence>;
export type NewFinding = z.input<typeof schema.NewFinding>;
export type JudgementInput = z.input<typeof schema.JudgementInput>;
export type NewAction = z.input<typeof schema.NewAction>;
export type ActionPatch = z.input<typeof schema.ActionPatch>;
export type FollowUpInput = z.input<typeof schema.FollowUpInput>;
export type PracticeEvidence = z.infer<typeof schema.PracticeEvidence>;

export type JpdProject = z.infer<typeof schema.JpdProject>;
export type JpdSummary = z.infer<typeof schema.JpdSummary>;
export type JpdCycle = z.infer<typeof schema.JpdProject>['cycles'][number];
export type NewJpdProject = z.input<typeof schema.NewJpdProject>;
export type JpdProjectPatch = z.input<typeof schema.JpdProjectPatch>;
export type JpdParticipant = z.input<typeof schema.ParticipantsInput>['participants'][number];
export type NewJpdCycle = z.input<typeof schema.NewJpdCycle>;
export type JpdCyclePatch = z.input<typeof schema.JpdCyclePatch>;
export type CycleAdvance = z.input<typeof schema.CycleAdvance>;
export type NewCoachingNote = z.input<typeof schema.NewCoachingNote>;
export type NewImpact = z.input<typeof schema.NewImpact>;
export type PublishInput = z.input<typeof schema.PublishInput>;

export type Practice = z.infer<typeof schema.Practice>;
export type PracticeSummary = z.infer<typeof schema.PracticeSummary>;
// The parsed form: its numbers are numbers (the schema's input coerces them from the query string).
export type PracticeQuery = Partial<z.infer<typeof schema.PracticeQuery>>;
export type NewPractice = z.input<typeof schema.NewPractice>;
export type PracticePatch = z.input<typeof schema.PracticePatch>;
export type AdaptInput = z.input<typeof schema.AdaptInput>;
export type LineagePatch = z.input<typeof schema.LineagePatch>;
export type LineageGraph = z.infer<typeof schema.LineageGraph>;

export type Community = z.infer<typeof schema.Community>;
export type CommunitySummary = z.infer<typeof schema.CommunitySummary>;
export type NewCommunity = z.input<typeof schema.NewCommunity>;
export type CommunityPatch = z.input<typeof schema.CommunityPatch>;
export type MemberInput = z.input<typeof schema.MemberInput>;
export type NewCommunityMeeting = z.input<typeof schema.NewCommunityMeeting>;
export type NewOutput = z.input<typeof schema.NewOutput>;
export type Practitioner = z.infer<typeof schema.Practitioners>['items'][number];

const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const remove = <T>(path: string) => request<T>('DELETE', path);

export const peerReviews = {
  list: (networkId: number, signal?: AbortSignal) => get<{ items: ReviewSummary[] }>(`/networks/${networkId}/peer-reviews`, {}, signal),
  create: (networkId: number, body: NewReview) => post<Review>(`/networks/${networkId}/peer-reviews`, body),
  get: (id: number, signal?: AbortSignal) => get<Review>(`/peer-reviews/${id}`, {}, signal),
  update: (id: number, body: ReviewPatch) => patch<Review>(`/peer-reviews/${id}`, body),
  candidates: (id: number, signal?: AbortSignal) => get<{ items: ReviewerCandidate[] }>(`/peer-reviews/${id}/reviewer-candidates`, {}, signal),
  addReviewer: (id: number, body: NewReviewer) => post<Review>(`/peer-reviews/${id}/reviewers`, body),
  removeReviewer: (id: number, personId: number) => remove<Review>(`/peer-reviews/${id}/reviewers/${personId}`),
  /** 409 with what is still missing; 403 naming whose move it is. */
  transition: (id: number, to: Review['stage'], note?: string) => post<Review>(`/peer-reviews/${id}/transition`, note ? { to, note } : { to }),
  addEvidence: (id: number, body: NewEvidence) => post<Evidence>(`/peer-reviews/${id}/evidence`, body),
  deleteEvidence: (evidenceId: number) => remove<void>(`/peer-review-evidence/${evidenceId}`),
  addFinding: (id: number, body: NewFinding) => post<Finding>(`/peer-reviews/${id}/findings`, body),
  deleteFinding: (findingId: number) => remove<void>(`/peer-review-findings/${findingId}`),
  judge: (id: number, body: JudgementInput) => put<Review>(`/peer-reviews/${id}/judgement`, body),
  addAction: (id: number, body: NewAction) => post<Action>(`/peer-reviews/${id}/actions`, body),
  updateAction: (actionId: number, body: ActionPatch) => patch<Action>(`/peer-review-actions/${actionId}`, body),
  followUp: (id: number, body: FollowUpInput) => put<Review>(`/peer-reviews/${id}/follow-up`, body),
  reciprocity: (networkId: number, q: { from?: string; to?: string }, signal?: AbortSignal) =>
    get<ReciprocityView>(`/networks/${networkId}/peer-review-reciprocity`, q, signal),
  schoolEvidence: (schoolId: number, q: { from?: string; to?: string }, signal?: AbortSignal) =>
    get<PracticeEvidence>(`/schools/${schoolId}/practice-evidence`, q, signal),
};

/** The printable report: one self-contained page (audited when it is another school's). */
export const reviewReportHtmlUrl = (id: number) => `/api/v1/peer-reviews/${id}/report.html`;
/** The same page printed to PDF by the server's Chromium (501 where none is installed). */
export const reviewReportPdfUrl = (id: number) => `/api/v1/peer-reviews/${id}/report.pdf`;

export const jpd = {
  list: (q: { networkId?: number; schoolId?: number }, signal?: AbortSignal) => get<{ items: JpdSummary[] }>('/jpd-projects', q, signal),
  create: (body: NewJpdProject) => post<JpdProject>('/jpd-projects', body),
  get: (id: number, signal?: AbortSignal) => get<JpdProject>(`/jpd-projects/${id}`, {}, signal),
  update: (id: number, body: JpdProjectPatch) => patch<JpdProject>(`/jpd-projects/${id}`, body),
  setParticipants: (id: number, participants: JpdParticipant[]) => put<JpdProject>(`/jpd-projects/${id}/participants`, { participants }),
  addCycle: (id: number, body: NewJpdCycle) => post<JpdProject>(`/jpd-projects/${id}/cycles`, body),
  updateCycle: (cycleId: number, body: JpdCyclePatch) => patch<JpdProject>(`/jpd-cycles/${cycleId}`, body),
  advance: (cycleId: number, body: CycleAdvance) => post<JpdProject>(`/jpd-cycles/${cycleId}/advance`, body),
  addCoachingNote: (cycleId: number, body: NewCoachingNote) => post<JpdProject>(`/jpd-cycles/${cycleId}/coaching-notes`, body),
  addImpact: (id: number, body: NewImpact) => post<JpdProject>(`/jpd-projects/${id}/impact`, body),
  publish: (id: number, body: PublishInput) => post<Practice>(`/jpd-projects/${id}/publish`, body),
};

export const library = {
  search: (q: PracticeQuery, signal?: AbortSignal) => get<{ items: PracticeSummary[]; total: number }>('/practices', q, signal),
  create: (body: NewPractice) => post<Practice>('/practices', body),
  get: (id: number, signal?: AbortSignal) => get<Practice>(`/practices/${id}`, {}, signal),
  update: (id: number, body: PracticePatch) => patch<Practice>(`/practices/${id}`, body),
  publish: (id: number) => post<Practice>(`/practices/${id}/publish`),
  withdraw: (id: number, reason: string) => post<Practice>(`/practices/${id}/withdraw`, { reason }),
  adapt: (id: number, body: AdaptInput) => post<Practice>(`/practices/${id}/adapt`, body),
  updateLineage: (id: number, parentId: number, body: LineagePatch) => patch<Practice>(`/practices/${id}/lineage/${parentId}`, body),
  lineage: (id: number, signal?: AbortSignal) => get<LineageGraph>(`/practices/${id}/lineage`, { direction: 'both' }, signal),
};

export const communities = {
  list: (networkId: number, signal?: AbortSignal) => get<{ items: CommunitySummary[] }>(`/networks/${networkId}/communities`, {}, signal),
  practitioners: (networkId: number, schoolId?: number, signal?: AbortSignal) =>
    get<{ items: Practitioner[] }>(`/networks/${networkId}/practitioners`, { schoolId }, signal),
  create: (networkId: number, body: NewCommunity) => post<Community>(`/networks/${networkId}/communities`, body),
  get: (id: number, signal?: AbortSignal) => get<Community>(`/communities/${id}`, {}, signal),
  update: (id: number, body: CommunityPatch) => patch<Community>(`/communities/${id}`, body),
  putMember: (id: number, personId: number, body: MemberInput) => put<Community>(`/communities/${id}/members/${personId}`, body),
  removeMember: (id: number, personId: number) => remove<Community>(`/communities/${id}/members/${personId}`),
  addMeeting: (id: number, body: NewCommunityMeeting) => post<Community>(`/communities/${id}/meetings`, body),
  addOutput: (id: number, body: NewOutput) => post<Community>(`/communities/${id}/outputs`, body),
};
