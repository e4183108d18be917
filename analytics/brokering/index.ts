/**
 * Brokering kernels (issue 8): the transparent match score that ranks candidate supporters for a
 * request, and the system-wide allocation of supporters to all open requests of an area. Pure and
 * I/O-free; the brokering domain (server/domains/brokering) loads schools, offers, ties and
 * capacities and calls these. The conditions each factor stands for are those of DOMAIN.md §8
 * (Muijs, Ainscow, Chapman & West 2011); the allocation is a min-cost flow (Ahuja, Magnanti &
 * Orlin 1993).
 */
export {
  type AllocatedPair,
  type AllocationInput,
  type AllocationObjective,
  type AllocationResult,
  allocate,
  DEFAULT_MAX_PER_REQUEST,
} from './allocate.ts';
export {
  type CandidateExplanation,
  type CandidateTable,
  DEFAULT_EXCLUDED_SAMPLE,
  DEFAULT_RANK_LIMIT,
  DEFAULT_TRAVEL_HALF_KM,
  defaultWeights,
  type Exclusion,
  type ExclusionReason,
  exclusionReasons,
  explainCandidate,
  Factor,
  type FactorCode,
  type FactorContribution,
  factorInfo,
  factorOrder,
  type RankedCandidate,
  type RankOptions,
  type RankResult,
  rankCandidates,
  type ScoreWeights,
  type SupportRequest,
} from './score.ts';
