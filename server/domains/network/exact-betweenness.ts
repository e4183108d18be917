import type { ExactBetweenness } from './betweenness-jobs.ts';

/** Exact betweenness over both cores (analytics/graph/betweenness-parallel.ts). */
export const exactBetweenness: ExactBetweenness = async () => {
  throw new Error('exact betweenness is not wired yet');
};
