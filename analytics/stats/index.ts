/**
 * Statistics for impact analysis: OLS with classical, HC1 and cluster-robust SEs, logistic
 * regression with separation detection, Welch's t-test with Hedges' g, and Holm's adjustment;
 * the two-level random-intercept model (REML/ML; also checked against R's lm, glm and nlme).
 * Pure and I/O-free; every estimate is checked against statsmodels/scipy fixtures written by
 * test/reference/stats_reference.py.
 */
export { chiSquareCdf, chiSquareUpperP, normalCdf, normalQuantile, normalTwoSidedP, tCdf, tQuantile, tTwoSidedP } from './distributions.ts';
export { holmAdjust } from './holm.ts';
export { fitLogistic, type LogisticFit, type LogisticInput, type Separation } from './logistic.ts';
export { fitOls, type OlsFit, type OlsInference, type OlsInput } from './ols.ts';
export { type HedgesGResult, hedgesG, type WelchResult, welchTTest } from './welch.ts';
export {
  type BalanceCovariate,
  type BalanceFlags,
  type BalanceInput,
  type BalanceRow,
  type BalanceSide,
  type BalanceTest,
  balanceTable,
} from './balance.ts';
export {
  type CellMean,
  type DidEstimate,
  type DidInput,
  type DidResult,
  differenceInDifferences,
  type EventStudyInput,
  type EventStudyResult,
  type EventStudyYear,
  eventStudy,
} from './did.ts';
export {
  exactStrata,
  type MatchedSet,
  type MatchOptions,
  type MatchOrder,
  type MatchResult,
  matchNearestNeighbours,
  type PropensityOptions,
  type PropensityResult,
  propensityScores,
  type StratumSummary,
  type UnmatchedReason,
  type UnmatchedTreated,
} from './matching.ts';
export { explainedVariance, fitRandomIntercept, fitSchoolSummaries, type MixedFit, type MixedInference, type MixedInput, type SchoolSummaries, type SizeClass, schoolSummaries, waldTest } from './mixed.ts';
