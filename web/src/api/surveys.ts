import type { z } from 'zod';
import type { Instrument } from '../../../common/instruments.ts';
import type * as results from '../../../server/domains/surveys/results.schema.ts';
import type * as schema from '../../../server/domains/surveys/surveys.schema.ts';
import { get, post, request } from './client.ts';

/**
 * Staff surveys (server/domains/surveys/surveys.routes.ts), typed by the server's Zod contract:
 * types only, so no zod in the bundle. Managing a round needs the network's survey.manage
 * (coordinators, administrators); results need a non-empty pool of schools whose survey results
 * the reader may see; the respondent's two routes need only the link's token or the code.
 */

export type { Instrument };
export type Role = z.infer<typeof schema.Role>;
export type WaveStatus = z.infer<typeof schema.WaveStatus>;
export type WaveSummary = z.infer<typeof schema.WaveSummary>;
export type Wave = z.infer<typeof schema.Wave>;
export type NewWave = z.input<typeof schema.NewWave>;
export type WavePatch = z.input<typeof schema.WavePatch>;
export type NewInvitations = z.input<typeof schema.NewInvitations>;
export type InvitationView = z.infer<typeof schema.InvitationView>;
export type IssuedInvitation = z.infer<typeof schema.IssuedInvitation>;
export type Tracking = z.infer<typeof schema.Tracking>;
export type Reminders = z.infer<typeof schema.Reminders>;
export type ReminderRound = z.infer<typeof schema.ReminderRound>;
export type RemindRequest = z.input<typeof schema.RemindRequest>;
export type PaperResponse = z.input<typeof schema.PaperResponse>;
export type Submission = z.input<typeof schema.Submission>;
export type Receipt = z.infer<typeof schema.Receipt>;
export type SurveyForm = z.infer<typeof schema.SurveyForm>;
export type FormDimension = SurveyForm['dimensions'][number];
export type FormStrand = FormDimension['strands'][number];
export type FormItem = FormStrand['items'][number];
export type Answers = Submission['answers'];
export type NewInterview = z.input<typeof schema.NewInterview>;
export type InterviewSummary = z.infer<typeof schema.InterviewSummary>;
export type Interview = z.infer<typeof schema.Interview>;
export type NewCoding = z.input<typeof schema.NewCoding>;
export type Coding = z.infer<typeof schema.Coding>;
export type CodingCounts = z.infer<typeof schema.CodingCounts>;

export type WaveResults = z.infer<typeof results.WaveResults>;
export type CellStatus = z.infer<typeof results.CellStatus>;
export type ItemCell = z.infer<typeof results.WaveResults>['items'][number]['overall'];
export type ResultItem = WaveResults['items'][number];
export type ResultStrand = WaveResults['strands'][number];
export type Profile = ResultStrand['overall'];
export type Change = NonNullable<NonNullable<WaveResults['change']>['items'][number]['overall']>;
/** A breakdown group as results report it: its respondents (null when hidden) and why. */
export type Group = WaveResults['breakdowns']['overall'];

/** GET /survey-instruments answers this brief form of each built-in instrument (the route's own schema). */
export type InstrumentSummary = {
  id: string;
  version: number;
  title: string;
  citation: string;
  description: string;
  audience: 'staff' | 'leaders';
  format: 'endorse' | 'scale' | 'text';
  stages: { code: string; label: string }[];
  strands: { code: string; label: string; dimension: string; items: number }[];
  items: number;
};

const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
const remove = (path: string) => request<void>('DELETE', path);
const token = (t: string) => encodeURIComponent(t.trim());

export const surveys = {
  instruments: (signal?: AbortSignal) => get<{ items: InstrumentSummary[] }>('/survey-instruments', {}, signal),
  instrument: (id: string, signal?: AbortSignal) => get<Instrument>(`/survey-instruments/${encodeURIComponent(id)}`, {}, signal),
  /** The round's own copy of its instrument (managers). */
  waveInstrument: (waveId: number, signal?: AbortSignal) => get<Instrument>(`/survey-waves/${waveId}/instrument`, {}, signal),

  /** The rounds the reader manages or whose results could include a school they may see; newest first. */
  waves: (networkId: number, signal?: AbortSignal) => get<{ items: WaveSummary[] }>(`/networks/${networkId}/survey-waves`, {}, signal),
  createWave: (networkId: number, body: NewWave) => post<Wave>(`/networks/${networkId}/survey-waves`, body),
  wave: (id: number, signal?: AbortSignal) => get<Wave>(`/survey-waves/${id}`, {}, signal),
  updateWave: (id: number, body: WavePatch) => patch<Wave>(`/survey-waves/${id}`, body),
  open: (id: number) => post<Wave>(`/survey-waves/${id}/open`),
  close: (id: number) => post<Wave>(`/survey-waves/${id}/close`),

  /** Links and codes come back once: only their hash is kept. */
  invite: (id: number, body: NewInvitations) => post<{ items: IssuedInvitation[] }>(`/survey-waves/${id}/invitations`, body),
  invitations: (id: number, signal?: AbortSignal) => get<{ items: InvitationView[] }>(`/survey-waves/${id}/invitations`, {}, signal),
  tracking: (id: number, signal?: AbortSignal) => get<Tracking>(`/survey-waves/${id}/tracking`, {}, signal),
  reminders: (id: number, signal?: AbortSignal) => get<Reminders>(`/survey-waves/${id}/reminders`, {}, signal),
  remind: (id: number, body: RemindRequest) => post<ReminderRound>(`/survey-waves/${id}/reminders`, body),
  keyInPaper: (id: number, body: PaperResponse) => post<Receipt>(`/survey-waves/${id}/paper-responses`, body),

  /** 409 while the round is open: results exist only once it has closed. */
  results: (id: number, compareTo?: number, signal?: AbortSignal) => get<WaveResults>(`/survey-waves/${id}/results`, { compareTo }, signal),

  interviews: (id: number, signal?: AbortSignal) => get<{ items: InterviewSummary[] }>(`/survey-waves/${id}/interviews`, {}, signal),
  addInterview: (id: number, body: NewInterview) => post<InterviewSummary>(`/survey-waves/${id}/interviews`, body),
  interview: (interviewId: number, signal?: AbortSignal) => get<Interview>(`/survey-interviews/${interviewId}`, {}, signal),
  code: (interviewId: number, body: NewCoding) => post<Coding>(`/survey-interviews/${interviewId}/codings`, body),
  uncode: (codingId: number) => remove(`/survey-codings/${codingId}`),
  codings: (id: number, signal?: AbortSignal) => get<CodingCounts>(`/survey-waves/${id}/codings`, {}, signal),

  /** The respondent's form (no session): 404 for an unknown or not-yet-open link, 409 once spent or closed. */
  form: (t: string, signal?: AbortSignal) => get<SurveyForm>(`/survey/${token(t)}`, {}, signal),
  submit: (t: string, body: Submission) => post<Receipt>(`/survey/${token(t)}`, body, { own401: true }),
};

export const resultsCsvUrl = (id: number): string => `/api/v1/survey-waves/${id}/results.csv`;
/** The printable report, rendered to PDF by the server's Chromium (501 where none is installed). */
export const reportPdfUrl = (id: number): string => `/api/v1/survey-waves/${id}/report.pdf`;
