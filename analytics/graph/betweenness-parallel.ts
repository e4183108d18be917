/**
 * Exact path metrics (betweenness, closeness, harmonic centrality, average path length) over
 * every core: the sources are dealt out in chunks to `node:worker_threads` workers, each runs
 * Brandes's kernel (betweenness.ts) on its share and posts its raw sums back, transferring the
 * typed arrays rather than copying them; the sums add up and are finished once.
 *
 * This file and its worker (betweenness.worker.ts) are the only ones in analytics/ allowed to
 * touch worker_threads: everything else in analytics/ is pure computation. Exact betweenness on
 * a network of 24,000 schools takes minutes, so the server runs this as a background job, with
 * progress and cancellation.
 *
 * The worker is a TypeScript file, and Node 20 cannot start one by itself. Tried and tested:
 * under `tsx`, or with `execArgv: ['--import', 'tsx']`, a worker whose entry is a .ts file still
 * fails with ERR_UNKNOWN_FILE_EXTENSION on Node 20.20 (the hooks `--import tsx` installs do not
 * reach a worker's entry), and Vitest transforms TypeScript in its own module runner, which
 * workers do not get.
 * What works in all three (node --import tsx, the tsx CLI, Vitest) is a one-line JavaScript
 * bootstrap evaluated in the worker that registers tsx's ESM hooks (`tsx/esm/api`, a
 * dependency) and then imports the worker file. Where Node strips types itself
 * (`process.features.typescript`, Node ≥ 22.18) the worker file is started directly.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  accumulatePathSums,
  createBrandesScratch,
  createPathSums,
  finishPathSums,
  mergePathSums,
  type PathMetrics,
  type PathOptions,
  type PathSums,
} from './betweenness.ts';
import type { Graph } from './csr.ts';

export type ParallelPathOptions = PathOptions & {
  /** Worker threads; default the number of cores (`os.availableParallelism()`). */
  workers?: number;
  /** Called with the fraction of sources done (0..1), after each chunk. */
  onProgress?: (fraction: number) => void;
  /** Aborting stops the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Below this many nodes everything runs on the calling thread (still in chunks, yielding to
   * the event loop between them): starting workers costs more than it saves. Default 2000.
   */
  minNodesForWorkers?: number;
  /** Sources per chunk; default about n / (50 · workers), so progress moves in ~1-2% steps. */
  chunk?: number;
};

/** What a worker is started with. */
export type PathWorkerInput = { graph: Graph; weighted: boolean };
/** Main thread → worker: run a range of sources, or send the sums back. */
export type PathWorkerRequest = { type: 'run'; from: number; to: number } | { type: 'finish' };
/** Worker → main thread. */
export type PathWorkerReply = { type: 'done'; count: number } | { type: 'sums'; sums: PathSums };

const workerUrl = new URL('./betweenness.worker.ts', import.meta.url);

/** Starts one worker on `input`, through the tsx bootstrap when this Node cannot load .ts itself. */
export function startPathWorker(input: PathWorkerInput): Worker {
  const stripsTypes = 'typescript' in process.features && Boolean(process.features.typescript);
  if (stripsTypes || !workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl, { workerData: input });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

/**
 * Raw path sums over all sources, split across worker threads (see the file's header). Falls
 * back to the calling thread for graphs under `minNodesForWorkers` nodes or with one worker.
 */
export async function accumulatePathSumsInParallel(g: Graph, options: ParallelPathOptions): Promise<PathSums> {
  const n = g.nodes;
  const workers = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
  const chunk = Math.max(1, Math.floor(options.chunk ?? Math.ceil(n / (50 * workers))));
  options.signal?.throwIfAborted();
  if (workers === 1 || n === 0 || n < (options.minNodesForWorkers ?? 2000)) return accumulateOnThisThread(g, options, chunk);
  return new Promise<PathSums>((resolve, reject) => {
    const total = createPathSums(n, g.directed, options.weighted);
    const pool: Worker[] = [];
    const finished = new Set<Worker>();
    let next = 0;
    let done = 0;
    let returned = 0;
    let settled = false;
    const stop = (error: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      reject(error);
    };
    const onAbort = () => stop(options.signal!.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const assign = (w: Worker) => {
      if (next < n) {
        const to = Math.min(n, next + chunk);
        w.postMessage({ type: 'run', from: next, to } satisfies PathWorkerRequest);
        next = to;
      } else w.postMessage({ type: 'finish' } satisfies PathWorkerRequest);
    };
    const count = Math.min(workers, Math.ceil(n / chunk));
    for (let i = 0; i < count; i++) {
      const w = startPathWorker({ graph: g, weighted: options.weighted });
      pool.push(w);
      w.on('message', (reply: PathWorkerReply) => {
        if (settled) return;
        if (reply.type === 'done') {
          done += reply.count;
          options.onProgress?.(done / n);
          assign(w);
          return;
        }
        mergePathSums(total, reply.sums);
        finished.add(w);
        void w.terminate();
        if (++returned === count) {
          settled = true;
          options.signal?.removeEventListener('abort', onAbort);
          resolve(total);
        }
      });
      w.on('error', stop);
      w.on('exit', (code) => {
        if (!settled && !finished.has(w)) stop(new Error(`path-metrics worker stopped with exit code ${code} before it finished`));
      });
      assign(w);
    }
  });
}

/** The same pass on the calling thread, in chunks, yielding between them so abort can land. */
async function accumulateOnThisThread(g: Graph, options: ParallelPathOptions, chunk: number): Promise<PathSums> {
  const sums = createPathSums(g.nodes, g.directed, options.weighted);
  const scratch = createBrandesScratch(g);
  for (let from = 0; from < g.nodes; from += chunk) {
    accumulatePathSums(g, options, { from, to: Math.min(g.nodes, from + chunk) }, sums, scratch);
    options.onProgress?.(sums.sources / g.nodes);
    await new Promise<void>((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
  }
  return sums;
}

/**
 * Every exact path metric (PathMetrics: betweenness raw and normalised, closeness, harmonic,
 * average path length), computed across worker threads: the background job's entry point.
 */
export async function pathMetricsInParallel(g: Graph, options: ParallelPathOptions): Promise<PathMetrics> {
  return finishPathSums(await accumulatePathSumsInParallel(g, options));
}
