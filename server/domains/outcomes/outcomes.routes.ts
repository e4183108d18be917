import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { IdParam, NetworkOutcomes, SchoolOutcomes, Summary } from './outcomes.schema.ts';
import { networkOutcomeSummary, networkOutcomes, schoolOutcomes } from './outcomes.service.ts';

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
