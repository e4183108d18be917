import type { MetricValues } from './metrics.ts';
import type { SnapshotGraph } from './snapshot.ts';

export type CachedSnapshot = { key: string; snap: SnapshotGraph; values: MetricValues; computedAt: string; seconds: number };

/**
 * The last few analysed snapshots, keyed by what they were built from (scope, date, filters,
 * the caller's visible schools and the analysis generation, which moves on with every write to
 * activities, memberships, schools and networks): a changed tie is never served from here.
 * Least recently used first out; in memory, so a restart starts cold.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, CachedSnapshot>();
  private readonly pending = new Map<string, Promise<CachedSnapshot>>();
  constructor(private readonly capacity = 16) {}

  /** The cached entry, or the one `compute` makes (concurrent askers for one key share it). */
  async get(key: string, compute: () => Promise<CachedSnapshot>): Promise<{ entry: CachedSnapshot; cached: boolean }> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { entry: hit, cached: true };
    }
    const running = this.pending.get(key);
    if (running) return { entry: await running, cached: true };
    const promise = compute();
    this.pending.set(key, promise);
    try {
      const entry = await promise;
      this.entries.set(key, entry);
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
      return { entry, cached: false };
    } finally {
      this.pending.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** FNV-1a over the visible node flags: part of the key, so two callers who see different schools never share. */
export function visibilityHash(visible: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < visible.length; i++) {
    h ^= visible[i]! + (i & 0xff);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
