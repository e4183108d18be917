import type { z } from 'zod';
import type { againstTheOddsOf, networkBenchmark, similarSchoolsOf } from '../../../../server/domains/evaluation/benchmarking.service.ts';
import type * as schema from '../../../../server/domains/evaluation/evaluation.schema.ts';
import { ApiError, csrfHeaders, errorFrom, get, post, queryString, request, signInRequired } from '../../api/client.ts';

/**
 * Evidence, benchmarking and impact evaluation (server/domains/evaluation/evaluation.routes.ts),
 * typed by the server's Zod contract and, for the benchmarking answers that have no schema of
 * their own, by the return types of its service (types only: nothing of the server is bundled).
 * It lives in this domain's folder rather than web/src/api/ so the whole feature is one folder.
 */

export type EvaluationSpec = z.input<typeof schema.EvaluationSpec>;
export type EvaluationReport = z.infer<typeof schema.EvaluationReport>;
export type EvaluationListItem = z.infer<typeof schema.EvaluationListItem>;
export type ExactOn = z.infer<typeof schema.ExactOn>;
export type BalanceRow = EvaluationReport['balance'][number];
export type OutcomeResult = EvaluationReport['outcomes'][number];
export type YearComparison = OutcomeResult['years'][number];
export type MultilevelModel = OutcomeResult['multilevel'][number];
export type Interval = YearComparison['ci'];
export type PupilUploadSummary = z.infer<typeof schema.PupilUploadSummary>;

export type MeasureInfo = { code: string; label: string; phase: string; unit: string; better: string; years: string[] };
export type OutcomeMeasures = { items: MeasureInfo[]; pupilSubjects: { code: string; label: string }[] };

export type SimilarSchools = Awaited<ReturnType<typeof similarSchoolsOf>>;
export type Neighbour = SimilarSchools['neighbours'][number];
export type NetworkBenchmark = Awaited<ReturnType<typeof networkBenchmark>>;
export type BenchmarkMember = NetworkBenchmark['members'][number];
export type GroupFigure = NetworkBenchmark['groups']['network'];
export type AgainstTheOdds = Awaited<ReturnType<typeof againstTheOddsOf>>;
export type PupilUpload = { id: number; file: string; rows: number; schools: number[]; uploadedAt: string; withdrawn: boolean };

/** Reports this browser has just run, so opening one after "Run" does not fetch it again. */
const justRun = new Map<number, EvaluationReport>();

export const evaluation = {
  measures: (signal?: AbortSignal) => get<OutcomeMeasures>('/outcome-measures', {}, signal),
  /** Runs (and saves) an evaluation; 201 with the report. Typically a few seconds. */
  run: async (spec: EvaluationSpec) => {
    const report = await post<EvaluationReport>('/evaluations', spec);
    if (report.id !== null) justRun.set(report.id, report);
    return report;
  },
  list: (networkId?: number, signal?: AbortSignal) => get<{ items: EvaluationListItem[] }>('/evaluations', { networkId }, signal),
  report: (id: number, signal?: AbortSignal) => {
    const known = justRun.get(id);
    return known ? Promise.resolve(known) : get<EvaluationReport>(`/evaluations/${id}`, {}, signal);
  },

  similar: (schoolId: number, q: { measure?: string; year?: string; k?: number; excludeNetwork?: number }, signal?: AbortSignal) =>
    get<SimilarSchools>(`/benchmarking/schools/${schoolId}/similar`, q, signal),
  network: (networkId: number, q: { measure: string; year: string; k?: number; subject?: string }, signal?: AbortSignal) =>
    get<NetworkBenchmark>(`/benchmarking/networks/${networkId}`, q, signal),
  againstTheOdds: (q: { networkId?: number; laName?: string; measure: string; year: string }, signal?: AbortSignal) =>
    get<AgainstTheOdds>('/benchmarking/against-the-odds', q, signal),

  uploads: (signal?: AbortSignal) => get<{ items: PupilUpload[] }>('/pupil-uploads', {}, signal),
  withdrawUpload: (id: number) => request<void>('DELETE', `/pupil-uploads/${id}`),
  /** Sends the CSV itself as the body (all or nothing); a refusal names its rows and columns. */
  uploadPupils: async (file: File): Promise<PupilUploadSummary> => {
    let response: Response;
    try {
      response = await fetch(`/api/v1/pupil-results${queryString({ file: file.name.slice(-200) })}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/json', ...csrfHeaders() },
        credentials: 'same-origin',
        body: file,
      });
    } catch {
      throw new ApiError(0, { title: 'Upload failed', detail: 'The connection was lost during the upload. Try again.' });
    }
    if (!response.ok) {
      if (response.status === 401) signInRequired();
      throw await errorFrom(response);
    }
    return (await response.json()) as PupilUploadSummary;
  },
};

export const evaluationCsvUrl = (id: number): string => `/api/v1/evaluations/${id}/report.csv`;
/** The printable report, rendered to PDF by the server's Chromium (501 where none is installed). */
export const evaluationPdfUrl = (id: number): string => `/api/v1/evaluations/${id}/report.pdf`;
