import type { BuiltGraph } from './graph-model.ts';
import { type LayoutMessage, type LayoutRequest, layoutBudgetMs, layoutSettings } from './layout-protocol.ts';

export type LayoutState = { status: 'running' | 'settled' | 'stopped' | 'failed'; elapsedMs: number; iterations: number; error?: string };

export type LayoutControl = {
  /** Stops the layout where it is (the last positions stay). */
  stop: () => void;
  /** Ends the worker without reporting; call when the drawing goes away. */
  dispose: () => void;
};

/**
 * Runs ForceAtlas2 in a worker for a bounded time and writes its positions into the graph as
 * they come, then asks for a redraw (`redraw`: sigma re-reads every position on the next frame). Positions arrive a few times a second, each as
 * one typed array, so the main thread does one pass over the schools per update and nothing
 * in between.
 */
export function startLayout(built: BuiltGraph, onState: (state: LayoutState) => void, redraw: () => void, options: { maxMs?: number; postEveryMs?: number; restFraction?: number } = {}): LayoutControl {
  const n = built.graph.order;
  let worker: Worker | null = null;
  let finished = false;
  let last: LayoutState = { status: 'running', elapsedMs: 0, iterations: 0 };
  const report = (state: LayoutState) => {
    last = state;
    onState(state);
  };
  const end = (status: LayoutState['status'], error?: string, quietly = false) => {
    if (finished) return;
    finished = true;
    worker?.terminate();
    worker = null;
    if (!quietly) report({ ...last, status, ...(error ? { error } : {}) });
  };
  if (n === 0 || built.tieCount === 0) {
    // Nothing pulls schools together: the starting positions (geography or a circle) are the picture.
    queueMicrotask(() => end('settled'));
    return { stop: () => end('stopped'), dispose: () => end('stopped', undefined, true) };
  }
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'network-layout' });
  } catch (error) {
    queueMicrotask(() => end('failed', error instanceof Error ? error.message : String(error)));
    return { stop: () => undefined, dispose: () => undefined };
  }
  worker.addEventListener('message', (event: MessageEvent<LayoutMessage>) => {
    if (finished) return;
    const { positions, iterations, elapsedMs, done, reason } = event.data;
    // Written in place, without graphology's update event: sigma answers that event by copying
    // every school's display data twice before redrawing (~200 ms for 24,000 schools on a slow
    // machine), whereas its redraw reads positions from these very attributes anyway.
    let i = 0;
    built.graph.forEachNode((_key, attributes) => {
      attributes.x = positions[i++]!;
      attributes.y = positions[i++]!;
    });
    redraw();
    last = { status: 'running', elapsedMs, iterations };
    if (done) end(reason === 'settled' ? 'settled' : 'stopped');
    else report(last);
  });
  worker.addEventListener('error', (event) => end('failed', event.message || 'The layout worker failed to start.'));
  // The worker gets its own copy, starting from where the schools are now (a second run goes on from the first).
  const nodes = built.matrices.nodes.slice();
  let k = 0;
  built.graph.forEachNode((_key, attributes) => {
    nodes[k * 10] = attributes.x;
    nodes[k * 10 + 1] = attributes.y;
    k++;
  });
  const request: LayoutRequest = {
    nodes,
    edges: built.matrices.edges.slice(),
    settings: layoutSettings(n),
    maxMs: options.maxMs ?? layoutBudgetMs(n),
    postEveryMs: options.postEveryMs ?? (n > 5000 ? 400 : 120),
    restFraction: options.restFraction ?? (n > 5000 ? 1 : 0),
  };
  worker.postMessage({ type: 'start', request }, [request.nodes.buffer, request.edges.buffer]);
  return { stop: () => end('stopped'), dispose: () => end('stopped', undefined, true) };
}
