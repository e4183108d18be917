/**
 * The survey scoring and anonymity kernel: response matrices in typed arrays, per-item tallies
 * by school and role group, k-anonymous suppression of breakdowns (primary, complementary and
 * an exact differencing audit), stage profiles and a maturity index per strand, and change
 * between waves with Newcombe intervals. Pure and I/O-free; the surveys domain loads responses
 * and instruments and stores or serves the results. Rules are documented in each file.
 */
export { formatPercent, type Proportion, percentUnits, responseRate, roundedPercent, roundHalfAwayFromZero } from './percent.ts';
export { answerAt, type ItemFormat, type ItemSpec, type MatrixLayout, maxAnswer, type ResponseMatrix, type ResponseMatrixInput, responseMatrix, SurveyInputError, withLayout } from './response-matrix.ts';
export { agreementFrom, NO_DATA, NO_STAGE, type StageProfiles, stageProfiles } from './stage-profile.ts';
export {
  auditSuppression,
  checkK,
  DEFAULT_K,
  type Disclosure,
  EntryStatus,
  isHidden,
  MIN_K,
  maskTally,
  type Publication,
  type SuppressedRound,
  type Suppression,
  suppressBreakdown,
  suppressRound,
  suppressTable,
  type TableCounts,
  type TableEntry,
  type TableLine,
} from './suppression.ts';
export {
  answeredOf,
  countOf,
  type Grouping,
  itemSlots,
  overallGrouping,
  percentOf,
  type RoundTallies,
  roleGroupGrouping,
  rollUp,
  schoolGrouping,
  schoolRoleGrouping,
  slotOffsets,
  type Tally,
  tally,
  tallyRound,
} from './tally.ts';
export { compareTallies, compareWaves, type Interval, proportionDifference, type TallyComparison, type WaveChange, WaveFlag, type WaveWarning, waveWarningRule, wilsonInterval, Z_95 } from './wave-comparison.ts';
