/**
 * What other parts of Trellis may use from network analysis: the operator's analysis (the
 * command line passes `null` for the actor: the operator holds the database and sees every
 * school), its CSV form, and the context it runs in.
 */
export { analyseNetwork, analysisTableCsv, type NetworkContext, type NetworkGraphFacts, networkChange, networkContext, networkGraphFacts } from './network.service.ts';
export { type NetworkAnalysis, SnapshotQuery } from './network.schema.ts';
