import iterate from 'graphology-layout-forceatlas2/iterate.js';
import type { LayoutMessage, LayoutRequest } from './layout-protocol.ts';

/**
 * ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian 2014, "ForceAtlas2, a continuous graph
 * layout algorithm", PLoS ONE 9(6): e98679) off the main thread. graphology's own supervisor
 * builds its worker from a blob: URL, which the server's content security policy refuses
 * (script-src 'self'), so this module worker, bundled by Vite and served from the same origin,
 * runs the library's iteration instead.
 *
 * It iterates in batches of about `postEveryMs`, sends the positions after each batch (a copy,
 * 8 bytes per school) and yields so a "stop" can arrive; it ends after `maxMs` or once the
 * schools have stopped moving (the mean step under 1/2000 of the drawing's extent).
 */

let current = 0;

function run(request: LayoutRequest, run: number) {
  const { nodes, edges, settings, maxMs, postEveryMs } = request;
  const n = nodes.length / 10;
  const started = performance.now();
  const previous = new Float32Array(n * 2);
  let iterations = 0;
  const step = () => {
    if (run !== current) return;
    const batch = performance.now();
    for (let i = 0; i < n; i++) {
      previous[2 * i] = nodes[i * 10]!;
      previous[2 * i + 1] = nodes[i * 10 + 1]!;
    }
    do {
      iterate(settings, nodes, edges);
      iterations++;
    } while (performance.now() - batch < postEveryMs);
    const positions = new Float32Array(n * 2);
    let moved = 0;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x = nodes[i * 10]!;
      const y = nodes[i * 10 + 1]!;
      positions[2 * i] = x;
      positions[2 * i + 1] = y;
      moved += Math.hypot(x - previous[2 * i]!, y - previous[2 * i + 1]!);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    const elapsedMs = performance.now() - started;
    const settled = n === 0 || moved / n < (maxX - minX) / 2000;
    const done = settled || elapsedMs >= maxMs;
    const message: LayoutMessage = { type: 'positions', positions, iterations, elapsedMs, done, reason: settled ? 'settled' : done ? 'time' : null };
    self.postMessage(message, { transfer: [positions.buffer] });
    // Rest a little between batches: on a two-core machine the page and its drawing need the other core and some of this one.
    if (!done) setTimeout(step, Math.round((performance.now() - batch) * request.restFraction));
  };
  step();
}

self.addEventListener('message', (event: MessageEvent<{ type: 'start'; request: LayoutRequest } | { type: 'stop' }>) => {
  current++;
  if (event.data.type === 'start') run(event.data.request, current);
});
