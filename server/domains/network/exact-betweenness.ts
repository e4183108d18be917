import { pathMetricsInParallel } from '../../../analytics/graph/betweenness-parallel.ts';
import type { ExactBetweenness } from './betweenness-jobs.ts';

/**
 * Exact betweenness over both cores (analytics/graph/betweenness-parallel.ts): unweighted (a
 * step is a tie) and weighted (a step costs 1 / tie strength), normalised as networkx does.
 * The two passes share the progress bar, half each.
 */
export const exactBetweenness: ExactBetweenness = async (graph, onProgress, signal) => {
  const unweighted = await pathMetricsInParallel(graph, { weighted: false, signal, onProgress: (f) => onProgress(f / 2) });
  const weighted = await pathMetricsInParallel(graph, { weighted: true, signal, onProgress: (f) => onProgress(0.5 + f / 2) });
  return { unweighted: unweighted.betweennessNormalised, weighted: weighted.betweennessNormalised };
};
