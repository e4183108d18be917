/**
 * Worker thread of betweenness-parallel.ts (the only other file in analytics/ that touches
 * worker_threads): keeps one set of raw path sums and one scratch, runs Brandes's kernel on each
 * range of sources it is sent, and on 'finish' transfers its sums back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { accumulatePathSums, createBrandesScratch, createPathSums } from './betweenness.ts';
import type { PathWorkerInput, PathWorkerReply, PathWorkerRequest } from './betweenness-parallel.ts';

const input: PathWorkerInput = workerData;
const { graph, weighted } = input;
const sums = createPathSums(graph.nodes, graph.directed, weighted);
const scratch = createBrandesScratch(graph);
const port = parentPort!;

port.on('message', (request: PathWorkerRequest) => {
  if (request.type === 'run') {
    accumulatePathSums(graph, { weighted }, { from: request.from, to: request.to }, sums, scratch);
    port.postMessage({ type: 'done', count: request.to - request.from } satisfies PathWorkerReply);
    return;
  }
  port.postMessage({ type: 'sums', sums } satisfies PathWorkerReply, [
    sums.betweenness.buffer,
    sums.distanceSum.buffer,
    sums.harmonicSum.buffer,
    sums.reached.buffer,
  ]);
});
