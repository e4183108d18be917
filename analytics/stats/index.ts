/**
 * Statistics for impact analysis: OLS with classical, HC1 and cluster-robust SEs, logistic
 * regression with separation detection, Welch's t-test with Hedges' g, and Holm's adjustment.
 * Pure and I/O-free; every estimate is checked against statsmodels/scipy fixtures written by
 * test/reference/stats_reference.py.
 */
export { chiSquareCdf, chiSquareUpperP, normalCdf, normalQuantile, normalTwoSidedP, tCdf, tQuantile, tTwoSidedP } from './distributions.ts';
export { holmAdjust } from './holm.ts';
export { fitLogistic, type LogisticFit, type LogisticInput, type Separation } from './logistic.ts';
export { fitOls, type OlsFit, type OlsInference, type OlsInput } from './ols.ts';
export { type HedgesGResult, hedgesG, type WelchResult, welchTTest } from './welch.ts';
