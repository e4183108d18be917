/**
 * What other parts of Trellis may use from evaluation and challenge and joint practice
 * development: the routes (app.ts), the demo seeder (server/demo.ts), and the operator's reads
 * for the command line (library search, a practice's lineage, a network's review reciprocity).
 */
export { type DemoPractice, seedDemoPractice } from './demo-practice.ts';
export { operatorLineage, operatorReciprocity, operatorSearch } from './operator.ts';
export { practiceRoutes } from './practice.routes.ts';
export type { LineageGraph, PracticeSummary, ReciprocityView } from './practice.schema.ts';
