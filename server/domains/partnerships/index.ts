/**
 * What other parts of Trellis may use from partnerships: the demo seeder (startup, `trellis
 * demo`, browser tests), the operator's read of a plan and its plain-text form (the CLI), and
 * the vocabulary of the state machine.
 */
export { demoFederation, seedDemoPartnerships } from './demo-partnerships.ts';
export { computeFunding, type FundingOutcome, type FundingTerms } from './funding.ts';
export { checkTransition, nextSteps, transitions } from './partnership-stage.ts';
export type { Plan } from './partnerships.schema.ts';
export { operatorPlan } from './partnerships.service.ts';
export { describePlan } from './plan-text.ts';
