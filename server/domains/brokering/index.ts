/**
 * What other parts of Trellis may use from brokering: the routes (app.ts), the demo seeder
 * (server/demo.ts) and the operator's ranking and allocation for the command line.
 */
export { brokeringRoutes } from './brokering.routes.ts';
export type { Allocation, Candidate, Ranking } from './brokering.schema.ts';
export { type DemoBrokering, seedDemoBrokering } from './demo-brokering.ts';
export { allocateArea, operatorRanking } from './ranking.service.ts';
