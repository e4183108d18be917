import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

/** A network's partnership plan: formation, goals, agreement, meetings, reviews, ending. */
export const partnershipRoutes =
  (_ctx: { db: Kysely<DB>; today: () => string }): FastifyPluginAsyncZod =>
  async () => {};
