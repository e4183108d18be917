/** Evidence, benchmarking and impact evaluation: what the CLI and other domains use. */
export { evaluationCsv } from './evaluation-csv.ts';
export { EvaluationReport, EvaluationSpec } from './evaluation.schema.ts';
export { getEvaluation, runEvaluation } from './evaluation.service.ts';
export { importPupilResults } from './pupil-import.ts';
