/**
 * What other parts of Trellis may use from staff surveys: the operator's list of rounds and
 * their results (the command line passes no actor: the operator holds the database and sees
 * every school, still k-suppressed), the CSV form of results, and the built-in instruments.
 */
export { builtInInstrument, builtInInstruments } from './instruments/index.ts';
export type { WaveResults } from './results.schema.ts';
export { operatorResults, resultsTableCsv } from './results.service.ts';
export { describeResults } from './results-text.ts';
export { operatorWaves } from './surveys.service.ts';
