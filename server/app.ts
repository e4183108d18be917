import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { DatabaseHandle } from './db/open.ts';
import { audit } from './domains/access/audit.ts';
import { accessRoutes } from './domains/access/access.routes.ts';
import { activityRoutes } from './domains/activities/activities.routes.ts';
import { brokeringRoutes } from './domains/brokering/index.ts';
import { evaluationRoutes } from './domains/evaluation/evaluation.routes.ts';
import { importRoutes } from './domains/imports/imports.routes.ts';
import { BetweennessJobs } from './domains/network/betweenness-jobs.ts';
import { exactBetweenness } from './domains/network/exact-betweenness.ts';
import { networkContext } from './domains/network/network.service.ts';
import { networkRoutes } from './domains/network/network.routes.ts';
import { outcomeRoutes } from './domains/outcomes/outcomes.routes.ts';
import { partnershipRoutes } from './domains/partnerships/partnerships.routes.ts';
import { practiceRoutes } from './domains/practice/index.ts';
import { exportMemberships, exportSchools } from './domains/registry/export.ts';
import { registryRoutes } from './domains/registry/registry.routes.ts';
import { surveyRoutes } from './domains/surveys/surveys.routes.ts';
import { isoToday } from './domains/registry/registry.service.ts';
import { registerErrorHandling, Unauthenticated } from './http/errors.ts';
import { registerSessions } from './http/session.ts';

export const attribution =
  'Contains public sector information licensed under the Open Government Licence v3.0 (Department for Education: Get Information about Schools, performance tables, school census; Ofsted).';

export type AppDeps = {
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
  /** Built web app to serve at /; default web/dist when it exists. */
  webDist?: string | null;
  /** Fixed "today" for tests. */
  today?: () => string;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* (so cookies are marked Secure). */
  trustProxy?: boolean;
  /** Per-address limits on sign-in and invitations; off only in tests that send many requests from one address. */
  rateLimits?: boolean;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The HTTP application: API under /api/v1, OpenAPI at /api/docs, the web app at /. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: deps.trustProxy ?? false,
    // JSON bodies are small; the import upload route raises its own limit.
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  const { db } = deps.database;
  const today = deps.today ?? isoToday;
  const ctx = { db, today };
  const jobs = new BetweennessJobs(exactBetweenness);
  app.addHook('onClose', async () => jobs.stopAll());

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false, ...(deps.rateLimits === false ? { allowList: () => true } : {}) });
  registerSessions(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Trellis API', version: '1', description: 'The registry of schools and the networks they form, with dated memberships and typologies.' },
      tags: [{ name: 'schools' }, { name: 'networks' }, { name: 'memberships' }, { name: 'outcomes' }, { name: 'activities' }, { name: 'ties' }, { name: 'partnerships' }, { name: 'sharing' }, { name: 'evaluation' }, { name: 'brokering' }, { name: 'peer review' }, { name: 'joint practice development' }, { name: 'practice library' }, { name: 'communities of practice' }, { name: 'access' }, { name: 'imports' }, { name: 'export' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // The API's own description is for people who have signed in, like every other page.
    uiHooks: {
      onRequest: async (req) => {
        if (!req.actor) throw new Unauthenticated('sign in to read the API documentation');
      },
    },
  });

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok', database: deps.database.kind };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', database: deps.database.kind, detail: (error as Error).message });
    }
  });

  await app.register(
    async (api) => {
      await api.register(registryRoutes(ctx));
      await api.register(importRoutes(db));
      await api.register(accessRoutes(ctx));
      await api.register(outcomeRoutes(ctx));
      await api.register(activityRoutes(ctx));
      await api.register(partnershipRoutes(ctx));
      await api.register(surveyRoutes(ctx));
      await api.register(practiceRoutes(ctx));
      await api.register(brokeringRoutes(ctx));
      await api.register(evaluationRoutes({ db }));
      await api.register(networkRoutes(networkContext(db, today), jobs));
      api.get(
        '/meta',
        {
          config: { access: 'registry.read' },
          schema: {
            tags: ['export'],
            summary: 'What the registry holds, and the data attribution',
            response: { 200: z.object({ schools: z.number(), networks: z.number(), memberships: z.number(), attribution: z.string() }) },
          },
        },
        async () => {
          const count = async (table: 'school' | 'network' | 'membership') =>
            Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
          return { schools: await count('school'), networks: await count('network'), memberships: await count('membership'), attribution };
        },
      );
      api.get('/export/schools.csv', { config: { access: 'registry.export' }, schema: { tags: ['export'], summary: 'The registry of schools as CSV' } }, async (req, reply) => {
        await audit(db, { personId: req.actor?.personId ?? null, action: 'export.schools', resourceType: 'export', resourceId: 'schools.csv', ip: req.ip });
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="trellis-schools.csv"');
        const { PassThrough } = await import('node:stream');
        const out = new PassThrough();
        void exportSchools(db, out).catch((e) => out.destroy(e));
        return reply.send(out);
      });
      api.get('/export/memberships.csv', { config: { access: 'registry.export' }, schema: { tags: ['export'], summary: 'Every membership, with its dates, as CSV' } }, async (req, reply) => {
        await audit(db, { personId: req.actor?.personId ?? null, action: 'export.memberships', resourceType: 'export', resourceId: 'memberships.csv', ip: req.ip });
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="trellis-memberships.csv"');
        const { PassThrough } = await import('node:stream');
        const out = new PassThrough();
        void exportMemberships(db, out).catch((e) => out.destroy(e));
        return reply.send(out);
      });
    },
    { prefix: '/api/v1' },
  );

  const webDist = deps.webDist === undefined ? join(root, 'web', 'dist') : deps.webDist;
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    // Deep links (/schools/123) load the app, which routes on the client.
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      // An API path, or a missing file (/assets/old-build.js), is a 404, not the app's page.
      if (req.url.startsWith('/api/') || /\.[a-z0-9]+$/i.test(req.url.split('?')[0] ?? '')) {
        return reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not found', status: 404, code: 'TRELLIS_NOT_FOUND', detail: `No route for ${req.method} ${req.url}` });
      }
      return reply.sendFile('index.html');
    });
  }
  return app;
}
