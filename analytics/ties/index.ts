/**
 * Ties between schools from a log of joint activities: frequency, recency, duration,
 * multiplexity, people levels, direction and reciprocity, longevity, and the strong/weak rule.
 * Pure and I/O-free; the activities domain loads the log and stores the result.
 */
export { addMonths, dayNumber, isoDay, occurrenceDay } from './calendar.ts';
export { allocateEventLog, buildEventLog, deriveTies, selectEvents, type EventSpec, type EventLog, GIVES, RECEIVES, type TieTable, yearsApart } from './derive-ties.ts';
export { balance, classifyTie, popcount, reciprocity, strengthScore, TieClassCode, type TieClassName, type TieRule, tieClassNames, tieRule, type WindowMeasures } from './tie-rule.ts';
