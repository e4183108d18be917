import type { z } from 'zod';
import type * as schema from '../../../server/domains/network/network.schema.ts';
import { get, post, queryString } from './client.ts';

/**
 * Network analysis (server/domains/network): a snapshot of the collaboration graph on a date
 * with every school's metrics, what changed between two dates, and the exact-betweenness
 * background job. Typed by the server's Zod contract (types only: no zod in the bundle).
 */

export type NetworkAnalysis = z.infer<typeof schema.NetworkAnalysis>;
export type NetworkChange = z.infer<typeof schema.NetworkChange>;
export type BetweennessJob = z.infer<typeof schema.BetweennessJob>;
export type SchoolNode = z.infer<typeof schema.SchoolNode>;
export type GraphTie = z.infer<typeof schema.GraphTie>;
export type MetricInfo = z.infer<typeof schema.MetricInfo>;
export type GraphBasis = z.infer<typeof schema.GraphBasis>;
export type TieChange = z.infer<typeof schema.TieChange>;
export type TieClass = GraphTie['class'];
/** The query as the web app sends it: every field optional, the server fills its defaults. */
export type SnapshotQuery = Partial<z.output<typeof schema.SnapshotQuery>>;
export type ChangeQuery = Omit<SnapshotQuery, 'at'> & { from: string; to: string };

const snapshotParams = (q: SnapshotQuery) => ({
  network: q.network,
  at: q.at,
  basis: q.basis,
  types: q.types,
  phase: q.phase,
  la: q.la,
  // The server reads any present value as true (z.coerce.boolean), so false is left out.
  directed: q.directed ? 'true' : undefined,
});

export const networkAnalysis = {
  snapshot: (query: SnapshotQuery, signal?: AbortSignal) => get<NetworkAnalysis>('/analysis/network', snapshotParams(query), signal),
  change: (query: ChangeQuery, signal?: AbortSignal) =>
    get<NetworkChange>('/analysis/change', { ...snapshotParams(query), from: query.from, to: query.to }, signal),
  startBetweenness: (query: SnapshotQuery) => post<BetweennessJob>('/analysis/betweenness-jobs', { ...snapshotParams(query), directed: undefined }),
  betweennessJob: (id: string, signal?: AbortSignal) => get<BetweennessJob>(`/analysis/betweenness-jobs/${encodeURIComponent(id)}`, {}, signal),
};

/** The per-school metrics table as CSV, for a plain download link (the session cookie goes with it). */
export const networkCsvUrl = (query: SnapshotQuery): string => `/api/v1/analysis/network.csv${queryString(snapshotParams(query))}`;

/**
 * Follows a betweenness job through its Server-Sent Events: `onUpdate` gets each state, the
 * last one done or failed. When the event stream breaks (a proxy that buffers it, a restart),
 * it falls back to asking for the job once a second. Returns a function that stops following.
 */
export function followBetweennessJob(id: string, onUpdate: (job: BetweennessJob) => void, onError: (error: Error) => void): () => void {
  let stopped = false;
  let poll: ReturnType<typeof setTimeout> | null = null;
  const source = new EventSource(`/api/v1/analysis/betweenness-jobs/${encodeURIComponent(id)}/events`);
  const finish = () => {
    stopped = true;
    source.close();
    if (poll) clearTimeout(poll);
  };
  source.onmessage = (event: MessageEvent<string>) => {
    if (stopped) return;
    let job: BetweennessJob;
    try {
      job = JSON.parse(event.data) as BetweennessJob;
    } catch {
      return; // a keep-alive or a line we do not know: the next event carries the state
    }
    onUpdate(job);
    if (job.state !== 'running') finish();
  };
  const pollOnce = () => {
    networkAnalysis.betweennessJob(id).then(
      (job) => {
        if (stopped) return;
        onUpdate(job);
        if (job.state === 'running') poll = setTimeout(pollOnce, 1000);
        else finish();
      },
      (error: unknown) => {
        if (stopped) return;
        finish();
        onError(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
  source.onerror = () => {
    // EventSource retries by itself; after the server has closed a finished stream, or when
    // events cannot get through, ask for the job directly instead.
    if (stopped) return;
    source.close();
    if (!poll) pollOnce();
  };
  return finish;
}
