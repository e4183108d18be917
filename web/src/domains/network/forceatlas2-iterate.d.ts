/**
 * graphology-layout-forceatlas2 ships types for its entry points but not for the one iteration
 * function, which the layout worker runs on its own matrices (see layout.worker.ts).
 */
declare module 'graphology-layout-forceatlas2/iterate.js' {
  import type { ForceAtlas2Settings } from 'graphology-layout-forceatlas2';

  /** One ForceAtlas2 step over the matrices, in place: 10 floats per node (x, y, dx, dy, old dx, old dy, mass, convergence, size, fixed), 3 per edge (source × 10, target × 10, weight). */
  export default function iterate(settings: Required<ForceAtlas2Settings>, nodes: Float32Array, edges: Float32Array): unknown;
}
