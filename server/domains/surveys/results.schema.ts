import { z } from 'zod';
import { ResponseFormat } from '../../../common/instruments.ts';

/**
 * The results of a closed survey round, as one reader may see them (docs/surveys.md). Imports
 * only zod and common/. Percentages are rounded for display (one decimal, half away from zero);
 * a hidden cell has null counts and percentages and says why.
 */

/**
 * No filters: a reader gets one fixed publication (overall, by school, by role group), suppressed
 * as a whole, so no combination of requests can subtract one cell from another.
 */
export const ResultsQuery = z.object({
  compareTo: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Another closed round of the same network and instrument to measure change against (default: the one closed before this)'),
});
export type ResultsQuery = z.infer<typeof ResultsQuery>;

export const CellStatus = z
  .enum(['shown', 'empty', 'suppressed', 'protecting'])
  .describe('shown; empty (nobody in it); suppressed (fewer than k respondents); protecting (hidden so that a suppressed cell cannot be worked out by subtraction)');
export type CellStatus = z.infer<typeof CellStatus>;

const Group = z.object({ n: z.number().nullable().describe('Respondents (null when hidden)'), status: CellStatus });
const SchoolRef = z.object({ schoolId: z.number(), name: z.string(), urn: z.number().nullable() });

const ItemCell = z.object({
  count: z.number().nullable().describe('Respondents endorsing (endorse items) or agreeing, i.e. choosing the upper half of the scale (scale items)'),
  pct: z.number().nullable().describe('count ÷ respondents in the group × 100, one decimal'),
  options: z.array(z.object({ value: z.number(), label: z.string(), count: z.number().nullable(), pct: z.number().nullable() })).nullable().describe('Scale items: every option'),
});
export type ItemCell = z.infer<typeof ItemCell>;

const Profile = z.object({
  reached: z.object({ code: z.string(), label: z.string() }).nullable().describe('The highest stage with a majority at it and at every stage below'),
  status: z.enum(['reached', 'none', 'no-data']).describe('none: not even the first stage has a majority; no-data: the group is hidden or empty'),
  index: z.number().nullable().describe('Maturity index, 0 to maxIndex (two decimals)'),
  stageRates: z.array(z.number().nullable()).describe('Per stage: mean share endorsing its items (deficit items reversed), as a percentage'),
});
export type Profile = z.infer<typeof Profile>;

const Change = z.object({
  before: z.object({ count: z.number(), n: z.number(), pct: z.number() }),
  after: z.object({ count: z.number(), n: z.number(), pct: z.number() }),
  change: z.number().describe('Percentage points, after − before'),
  lower: z.number().describe('95% interval (Newcombe), percentage points'),
  upper: z.number(),
  countChange: z.number(),
  warnings: z.array(z.enum(['small-denominator', 'unequal-denominators', 'count-and-percent-disagree'])),
});
export type Change = z.infer<typeof Change>;

export const WaveResults = z.object({
  wave: z.object({
    id: z.number(),
    title: z.string(),
    networkName: z.string(),
    instrument: z.object({ id: z.string(), version: z.number(), title: z.string() }),
    closedOn: z.string(),
    minCell: z.number().describe('k'),
  }),
  pool: z
    .object({ schools: z.array(SchoolRef), schoolsInRound: z.number(), leftOut: z.number().describe('Schools of the round whose survey results are not shared with you') })
    .describe('The schools these results are computed from: those of the round whose survey results you may see'),
  breakdowns: z.object({
    overall: Group,
    schools: z.array(Group.extend({ school: SchoolRef })),
    roleGroups: z.array(Group.extend({ code: z.string(), label: z.string(), roles: z.array(z.string()) })),
  }),
  items: z.array(
    z.object({
      code: z.string(),
      text: z.string(),
      strand: z.string(),
      stage: z.string().nullable(),
      stageLabel: z.string().nullable(),
      polarity: z.enum(['positive', 'deficit']),
      format: ResponseFormat,
      overall: ItemCell,
      bySchool: z.array(ItemCell).describe('In the order of breakdowns.schools'),
      byRoleGroup: z.array(ItemCell).describe('In the order of breakdowns.roleGroups'),
    }),
  ),
  strands: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      dimension: z.string(),
      stages: z
        .array(z.object({ code: z.string(), label: z.string(), items: z.number(), itemCodes: z.array(z.string()), deficitOnly: z.boolean() }))
        .describe('The stages, lowest first, with the strand’s items at each: their percentages (the distribution) are in `items`'),
      maxIndex: z.number(),
      overall: Profile,
      bySchool: z.array(Profile),
      byRoleGroup: z.array(Profile),
    }),
  ),
  change: z
    .object({
      compareTo: z.object({ id: z.number(), title: z.string(), closedOn: z.string() }),
      respondents: z.object({ before: z.number().nullable(), after: z.number().nullable() }),
      items: z.array(z.object({ code: z.string(), overall: Change.nullable(), byRoleGroup: z.array(Change.nullable()) })),
    })
    .nullable()
    .describe('Change since another round (items with the same code, in groups shown in both)'),
  notes: z.array(z.string()),
});
export type WaveResults = z.infer<typeof WaveResults>;
