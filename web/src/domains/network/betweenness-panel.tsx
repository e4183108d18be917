import { useEffect, useRef, useState } from 'react';
import { type BetweennessJob, followBetweennessJob, type MetricInfo, networkAnalysis, type SnapshotQuery } from '../../api/network.ts';
import { formatNumber } from '../../components/format.ts';
import { ErrorNotice } from '../../components/states.tsx';

/** School id → exact betweenness, unweighted and weighted (both normalised to 0..1). */
export type ExactBetweenness = Map<number, { betweenness: number; weighted: number }>;

/** How the two exact columns read in the table and the card. */
export const EXACT_BETWEENNESS: readonly MetricInfo[] = [
  {
    key: 'exactBetweenness',
    label: 'Betweenness (exact)',
    level: 'school',
    formula: 'Σ_{s≠v≠t} σ_st(v) / σ_st, normalised by (n−1)(n−2)/2',
    meaning: 'The share of shortest paths between other schools that pass through this one, counted over every pair: a broker bridging groups that would otherwise not meet.',
  },
  {
    key: 'exactWeightedBetweenness',
    label: 'Weighted betweenness (exact)',
    level: 'school',
    formula: 'as betweenness, with distance = 1 / tie strength',
    meaning: 'The same, where strong ties are short paths: the school that sits on the routes strong partnerships actually use.',
  },
];

type Props = {
  query: SnapshotQuery;
  onResult: (result: ExactBetweenness | null) => void;
};

/**
 * Exact betweenness takes seconds to minutes on a national graph, so it runs on the server as a
 * job: this starts it, shows its progress from the job's event stream, and hands the result to
 * the table when it is done.
 */
export function BetweennessPanel({ query, onResult }: Props) {
  const [job, setJob] = useState<BetweennessJob | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [starting, setStarting] = useState(false);
  const stop = useRef<(() => void) | null>(null);
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;

  useEffect(() => () => stop.current?.(), []);

  const start = async () => {
    setError(null);
    setStarting(true);
    onResultRef.current(null);
    try {
      const started = await networkAnalysis.startBetweenness(query);
      setJob(started);
      stop.current?.();
      stop.current = followBetweennessJob(
        started.id,
        (next) => {
          setJob(next);
          if (next.state === 'done' && next.result) onResultRef.current(new Map(next.result.map((r) => [r.id, { betweenness: r.betweenness, weighted: r.weighted }])));
        },
        setError,
      );
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setStarting(false);
    }
  };

  const running = job?.state === 'running';
  const percent = job ? Math.round(job.progress * 100) : 0;
  return (
    <div className="betweenness" data-testid="betweenness" data-state={job?.state ?? 'idle'}>
      <div className="betweenness-row">
        <button type="button" className="button button-secondary button-small" onClick={() => void start()} disabled={starting || running} aria-busy={starting || running}>
          {job?.state === 'done' ? 'Compute exact betweenness again' : 'Compute exact betweenness'}
        </button>
        {job && running ? (
          <>
            <progress max={1} value={job.progress} aria-label="Exact betweenness: share of schools processed" />
            <span className="small muted" aria-live="polite">
              {percent}% · {formatNumber(Math.round(job.seconds))} s
            </span>
          </>
        ) : null}
        {job?.state === 'done' ? (
          <span className="small" role="status">
            Exact betweenness added to the table ({formatNumber(Math.round(job.seconds * 10) / 10)} s).
          </span>
        ) : null}
        {!job ? <span className="small muted">Counts every shortest path; on the whole country this takes a few minutes.</span> : null}
      </div>
      {job?.state === 'failed' ? <ErrorNotice error={new Error(job.error ?? 'The job failed.')} title="Exact betweenness could not be computed" /> : null}
      {error ? <ErrorNotice error={error} title="Exact betweenness could not be computed" /> : null}
    </div>
  );
}
