/**
 * What other parts of Trellis may use from the activities domain: the demo generator, bulk
 * import (for the command line), and the tie recomputation and operator view of ties.
 */
export type { ActivityContext } from './activities.service.ts';
export { ImportNotAllowed, importActivities, optionalColumns, requiredColumns } from './activity-import.ts';
export { seedDemoActivities } from './demo-activities.ts';
export { operatorTiesOf, type RecomputeResult, recomputeAllTies } from './ties.service.ts';
export { loadEventLog } from './ties.repository.ts';
