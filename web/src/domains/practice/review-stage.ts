import type { ReviewStage } from '../../../../common/practice.ts';

/** The usual path of a review, for the stepper; Cancelled is shown apart, as a turning off it. */
export const reviewPath: readonly ReviewStage[] = ['planned', 'visiting', 'findings', 'actions_agreed', 'follow_up', 'closed'];

/** Stages in which the team records evidence and findings (server: review-stage.ts `recordingStages`). */
export const recording: readonly ReviewStage[] = ['visiting', 'findings'];

/** Stages in which an action's progress is recorded (server: review.service.ts `updateAction`). */
export const actionProgress: readonly ReviewStage[] = ['actions_agreed', 'follow_up'];
