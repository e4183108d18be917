import { z } from 'zod';

/** The outcomes API's contract, shared by routes and the web app (types). */

export const IdParam = z.object({ id: z.coerce.number().int().positive() });
export const n = z.number().nullable();
export const SchoolOutcomes = z.object({
  schoolId: z.number(),
  name: z.string(),
  ks2: z.array(z.object({ academicYear: z.string(), release: z.string(), pupils: n, rwmExpectedPct: n, readProgress: n, writeProgress: n, mathsProgress: n })),
  ks4: z.array(z.object({ academicYear: z.string(), release: z.string(), pupils: n, attainment8: n, progress8: n, basics94Pct: n })),
});
export const NetworkOutcomes = z.object({
  networkId: z.number(),
  name: z.string(),
  items: z.array(
    z.object({
      schoolId: z.number(),
      name: z.string(),
      urn: z.number().nullable(),
      shared: z.boolean().describe('false: the school does not share outcomes with you; no figures are given'),
      ks2: z.object({ academicYear: z.string(), rwmExpectedPct: n }).nullable(),
      ks4: z.object({ academicYear: z.string(), attainment8: n }).nullable(),
    }),
  ),
});

export const Aggregate = z
  .object({ academicYear: z.string(), schools: z.number(), mean: n, withheld: z.boolean().describe('true: too few schools to show the mean') })
  .nullable();
export const Summary = z.object({
  networkId: z.number(),
  members: z.number(),
  sharingOutcomes: z.number().describe('members that share outcomes with this network; only they are counted'),
  minSchools: z.number(),
  ks2RwmExpectedPct: Aggregate,
  ks4Attainment8: Aggregate,
});

