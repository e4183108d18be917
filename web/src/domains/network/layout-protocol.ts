import type { ForceAtlas2Settings } from 'graphology-layout-forceatlas2';

/** What the page and the layout worker (layout.worker.ts) say to each other. */

export type LayoutRequest = {
  /** graphology-layout-forceatlas2's node matrix: 10 floats per node. */
  nodes: Float32Array;
  /** Its edge matrix: source × 10, target × 10, weight. */
  edges: Float32Array;
  settings: Required<ForceAtlas2Settings>;
  /** Stop after this long, settled or not. */
  maxMs: number;
  /** Send positions this often (each send makes the map redraw every school). */
  postEveryMs: number;
  /** After each batch, pause this fraction of the batch's time. */
  restFraction: number;
};

export type LayoutMessage = {
  type: 'positions';
  /** x, y per school, in node order. */
  positions: Float32Array;
  iterations: number;
  elapsedMs: number;
  done: boolean;
  reason: 'settled' | 'time' | null;
};

/**
 * graphology's `inferSettings` for a graph of n nodes (Barnes–Hut above 2,000 nodes, strong
 * gravity so separate components stay in view, slow-down 1 + ln n), Barnes–Hut's θ at Gephi's
 * 1.2, and every other setting at the library's default, since the iteration function reads them all.
 */
export function layoutSettings(n: number): Required<ForceAtlas2Settings> {
  return {
    linLogMode: false,
    outboundAttractionDistribution: false,
    adjustSizes: false,
    edgeWeightInfluence: 1,
    scalingRatio: 10,
    strongGravityMode: true,
    gravity: 0.05,
    slowDown: 1 + Math.log(Math.max(n, 1)),
    barnesHutOptimize: n > 2000,
    // Gephi's default (its ForceAtlas2 panel): about three times faster than 0.5 on 24,000 schools, and the picture is the same.
    barnesHutTheta: 1.2,
  };
}

/**
 * How long the layout may run: about a second per 3,000 schools, at least 2 s and at most 10 s.
 * ForceAtlas2 has no end of its own; past this the picture barely changes on graphs this size.
 */
export const layoutBudgetMs = (n: number): number => Math.min(10_000, Math.max(2_000, (n / 3000) * 1000));
