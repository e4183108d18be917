/**
 * What the computational bench parts share: a seeded generator for their synthetic data, a timer
 * that runs a step several times, and the median they report.
 */

/** Mulberry32 (Tommy Ettinger's 32-bit generator): fast, seedable, good enough for test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One line of a bench table: a step, its times, whether it counts towards the target's total. */
export type Row = { step: string; ms: number[]; inTotal: boolean; note: string };

/** Runs `fn` `runs` times; each run's milliseconds and the last result. */
export function time<T>(runs: number, fn: () => T): { ms: number[]; result: T } {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  return { ms, result: result! };
}

/** The median (the mean of the middle two for an even count). */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
