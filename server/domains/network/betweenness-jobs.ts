import { randomUUID } from 'node:crypto';
import type { Graph } from '../../../analytics/graph/csr.ts';
import type { Actor } from '../access/actor.ts';
import type { BetweennessJob } from './network.schema.ts';

/** Exact betweenness of every node, unweighted and weighted, normalised to 0..1. */
export type ExactBetweenness = (graph: Graph, onProgress: (fraction: number) => void, signal: AbortSignal) => Promise<{ unweighted: Float64Array; weighted: Float64Array }>;

type Job = BetweennessJob & { owner: number; listeners: Set<(job: BetweennessJob) => void>; abort: AbortController };

/**
 * Exact betweenness runs in the background (Brandes over every source: seconds on a network,
 * about a minute on the national graph), one job per request, its progress pushed to
 * listeners (the events route streams them). Jobs live in memory for an hour after they end;
 * only the person who started one may read it.
 */
export class BetweennessJobs {
  private readonly jobs = new Map<string, Job>();
  constructor(
    private readonly exact: ExactBetweenness,
    private readonly keepMs = 60 * 60 * 1000,
  ) {}

  start(actor: Actor, graph: Graph, schools: readonly { id: number; name: string }[], visible: Uint8Array): BetweennessJob {
    const job: Job = {
      id: randomUUID(),
      state: 'running',
      progress: 0,
      startedAt: new Date().toISOString(),
      seconds: 0,
      error: null,
      result: null,
      owner: actor.personId,
      listeners: new Set(),
      abort: new AbortController(),
    };
    this.jobs.set(job.id, job);
    const started = performance.now();
    let lastPush = 0;
    const push = () => {
      job.seconds = Math.round((performance.now() - started) / 100) / 10;
      for (const l of job.listeners) l(view(job));
    };
    this.exact(
      graph,
      (fraction) => {
        job.progress = fraction;
        // At most four pushes a second: progress bars do not need more.
        if (performance.now() - lastPush > 250) {
          lastPush = performance.now();
          push();
        }
      },
      job.abort.signal,
    ).then(
      ({ unweighted, weighted }) => {
        job.state = 'done';
        job.progress = 1;
        job.result = schools
          .map((s, i) => ({ id: s.id, name: s.name, betweenness: round(unweighted[i]!), weighted: round(weighted[i]!) }))
          .filter((_, i) => visible[i] === 1);
        push();
        this.expire(job.id);
      },
      (error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        push();
        this.expire(job.id);
      },
    );
    return view(job);
  }

  /** The job, when it exists and `actor` started it (else null: the route answers 404). */
  get(actor: Actor, id: string): BetweennessJob | null {
    const job = this.jobs.get(id);
    return job && job.owner === actor.personId ? view(job) : null;
  }

  /** Calls `listener` on every progress push until the returned function is called. */
  listen(actor: Actor, id: string, listener: (job: BetweennessJob) => void): (() => void) | null {
    const job = this.jobs.get(id);
    if (!job || job.owner !== actor.personId) return null;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Stops every running job (the app is closing). */
  stopAll(): void {
    for (const job of this.jobs.values()) job.abort.abort();
  }

  private expire(id: string): void {
    setTimeout(() => this.jobs.delete(id), this.keepMs).unref();
  }
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

function view(job: Job): BetweennessJob {
  const { id, state, progress, startedAt, seconds, error, result } = job;
  return { id, state, progress: Math.round(progress * 1000) / 1000, startedAt, seconds, error, result };
}
