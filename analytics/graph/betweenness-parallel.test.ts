import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { graphCases } from '../../test/graph-cases.ts';
import { pathMetrics } from './betweenness.ts';
import { pathMetricsInParallel } from './betweenness-parallel.ts';
import { buildGraph, type Graph } from './csr.ts';
import { seededRandom } from './shortest-paths.ts';

const cases = graphCases();

function randomGraph(n: number, m: number, seed: number): Graph {
  const random = seededRandom(seed);
  const source = Array.from({ length: m }, () => Math.floor(random() * n));
  const target = Array.from({ length: m }, () => Math.floor(random() * n));
  const weight = Array.from({ length: m }, () => [0.5, 1, 2][Math.floor(random() * 3)]!);
  return buildGraph({ nodes: n, source, target, weight });
}

function expectSame(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let v = 0; v < a.length; v++) {
    if (Number.isNaN(a[v]!)) expect(b[v]).toBeNaN();
    else expect(Math.abs(a[v]! - b[v]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a[v]!)));
  }
}

describe('pathMetricsInParallel (worker threads)', () => {
  it('gives the single-threaded results on two workers, with progress up to 1', async () => {
    for (const name of ['karate-weighted', 'sparse-weighted', 'directed-weighted', 'empty']) {
      const g = cases.find((c) => c.name === name)!.graph;
      for (const weighted of [false, true]) {
        const progress: number[] = [];
        const parallel = await pathMetricsInParallel(g, { weighted, workers: 2, minNodesForWorkers: 0, chunk: 7, onProgress: (f) => progress.push(f) });
        const single = pathMetrics(g, { weighted });
        for (const key of ['betweenness', 'betweennessNormalised', 'closeness', 'closenessReachable', 'harmonic', 'harmonicNormalised'] as const) {
          expectSame(single[key], parallel[key]);
        }
        if (Number.isNaN(single.averagePathLength)) expect(parallel.averagePathLength).toBeNaN();
        else expect(parallel.averagePathLength).toBeCloseTo(single.averagePathLength, 12);
        if (g.nodes > 0) expect(progress.at(-1)).toBe(1);
        expect(progress).toEqual([...progress].sort((x, y) => x - y));
      }
    }
  });

  it('runs small graphs on the calling thread, still with progress', async () => {
    const g = cases.find((c) => c.name === 'planted')!.graph;
    const progress: number[] = [];
    const m = await pathMetricsInParallel(g, { weighted: false, onProgress: (f) => progress.push(f), chunk: 10 });
    expectSame(pathMetrics(g, { weighted: false }).betweenness, m.betweenness);
    expect(progress).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  });

  it('stops the workers when cancelled', async () => {
    const g = randomGraph(3000, 12000, 1);
    const controller = new AbortController();
    const started = performance.now();
    const run = pathMetricsInParallel(g, {
      weighted: true,
      workers: 2,
      minNodesForWorkers: 0,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toThrow(/aborted/);
    expect(performance.now() - started).toBeLessThan(20_000);
    await expect(pathMetricsInParallel(g, { weighted: true, signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
    const small = cases.find((c) => c.name === 'karate')!.graph;
    const onThread = new AbortController();
    await expect(pathMetricsInParallel(small, { weighted: false, chunk: 5, signal: onThread.signal, onProgress: () => onThread.abort() })).rejects.toThrow(/aborted/);
  });

  it('works under tsx, as the server and the CLI run it', async () => {
    const module = new URL('./betweenness-parallel.ts', import.meta.url).href;
    const csr = new URL('./csr.ts', import.meta.url).href;
    const script = `
      const { pathMetricsInParallel } = await import(${JSON.stringify(module)});
      const { buildGraph } = await import(${JSON.stringify(csr)});
      const g = buildGraph({ nodes: 5, source: [0, 1, 2, 3], target: [1, 2, 3, 4] });
      const m = await pathMetricsInParallel(g, { weighted: false, workers: 2, minNodesForWorkers: 0, chunk: 1 });
      console.log(JSON.stringify([...m.betweenness]));`;
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, '--input-type=module', '-e', script], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual([0, 3, 4, 3, 0]);
  });
});
