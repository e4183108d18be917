import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

/** Activities and the ties between schools derived from them. */
export const activityRoutes =
  (_ctx: { db: Kysely<DB>; today: () => string }): FastifyPluginAsyncZod =>
  async () => {};
