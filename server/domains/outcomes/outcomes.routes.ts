import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { networkOutcomeSummary, networkOutcomes, schoolOutcomes } from './outcomes.service.ts';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const n = z.number().nullable();
const SchoolOutcomes = z.object({
  schoolId: z.number(),
  name: z.string(),
  ks2: z.array(z.object({ academicYear: z.string(), release: z.string(), pupils: n, rwmExpectedPct: n, readProgress: n, writeProgress: n, mathsProgress: n })),
  ks4: z.array(z.object({ academicYear: z.string(), release: z.string(), pupils: n, attainment8: n, progress8: n, basics94Pct: n })),
});
const NetworkOutcomes = z.object({
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

const Aggregate = z
  .object({ academicYear: z.string(), schools: z.number(), mean: n, withheld: z.boolean().describe('true: too few schools to show the mean') })
  .nullable();
const Summary = z.object({
  networkId: z.number(),
  members: z.number(),
  sharingOutcomes: z.number().describe('members that share outcomes with this network; only they are counted'),
  minSchools: z.number(),
  ks2RwmExpectedPct: Aggregate,
  ks4Attainment8: Aggregate,
});

/** Outcomes, a data class schools share by consent (see access/scope.ts). */
export const outcomeRoutes =
  (ctx: { db: Kysely<DB> }): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = (req: { actor: Actor | null }) => req.actor as Actor;
    app.get(
      '/schools/:id/outcomes',
      { config: { access: 'school.data.read' }, schema: { tags: ['outcomes'], summary: "A school's results by year (shared by consent)", params: IdParam, response: { 200: SchoolOutcomes } } },
      (req) => schoolOutcomes(ctx, actor(req), req.params.id),
    );
    app.get(
      '/networks/:id/outcomes',
      {
        config: { access: 'registry.read' },
        schema: { tags: ['outcomes'], summary: "Members' latest results, where each school shares them with you", params: IdParam, response: { 200: NetworkOutcomes } },
      },
      (req) => networkOutcomes(ctx, actor(req), req.params.id),
    );
    app.get(
      '/networks/:id/outcomes/summary',
      {
        config: { access: 'network.aggregate.read' },
        schema: { tags: ['outcomes'], summary: "Aggregates of the sharing members' results (researchers' view)", params: IdParam, response: { 200: Summary } },
      },
      (req) => networkOutcomeSummary(ctx, actor(req), req.params.id),
    );
  };
