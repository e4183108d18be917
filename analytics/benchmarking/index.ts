/**
 * Benchmarking kernels (issue 7): how a school compares with schools like it, which schools do
 * better than their intake predicts, and where results vary between and within schools. Pure
 * and I/O-free; the impact domain loads school and pupil rows and calls these. Every figure is
 * checked against numpy/scipy/statsmodels fixtures written by
 * test/reference/benchmarking_reference.py.
 */
export { type AgainstTheOdds, type AgainstTheOddsInput, againstTheOdds, type Coefficient, type ContextColumn } from './against-the-odds.ts';
export {
  type ContextTable,
  DEFAULT_SIMILAR_K,
  indexSchools,
  type MatchStatus,
  type SimilarityIndex,
  type SimilarOptions,
  type SimilarSchools,
  similarSchools,
  similarSchoolsForEach,
} from './similar-schools.ts';
export {
  describeSchools,
  type PupilScores,
  type PupilVariation,
  pupilVariation,
  quantileOfSorted,
  quartileCuts,
  quartileOf,
  type SchoolSpread,
} from './variation.ts';
