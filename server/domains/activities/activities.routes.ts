import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/database.ts';
import { Invalid } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import {
  ActivityCatalogue,
  ActivityPage,
  ActivityPatch,
  ActivityQuery,
  ActivityType,
  ActivityTypePatch,
  ActivityView,
  CodeParam,
  IdParam,
  ImportSummary,
  NetworkParticipation,
  NetworkTies,
  NewActivity,
  NewActivityType,
  OnQuery,
  ParticipationQuery,
  SchoolParticipation,
  SchoolTies,
} from './activities.schema.ts';
import * as svc from './activities.service.ts';
import { importActivities } from './activity-import.ts';
import { networkParticipation, schoolParticipation } from './participation.service.ts';
import { networkTieView, schoolTieProfile } from './ties.service.ts';

/** Uploaded activity files are small: a year of a large network's activity is well under this. */
const importLimit = 5 * 1024 * 1024;

/** Activities and the ties between schools derived from them: validate → service → reply. */
export const activityRoutes =
  (ctx: { db: Kysely<DB>; today: () => string }): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = (req: { actor: Actor | null }) => req.actor as Actor;
    const activities = { tags: ['activities'] };
    const ties = { tags: ['ties'] };
    const read = { access: 'registry.read' } as const; // rows filtered by consent in the service
    const record = { access: 'activity.record' } as const; // which schools: decided in the service
    const catalogue = { access: 'catalogue.manage' } as const; // administrators only

    app.addContentTypeParser(['text/csv', 'application/vnd.ms-excel'], { parseAs: 'buffer', bodyLimit: importLimit }, (_req, body, done) => done(null, body));

    app.get('/activity-types', { config: read, schema: { ...activities, summary: 'The activity catalogue, by category', response: { 200: ActivityCatalogue } } }, () =>
      svc.activityCatalogue(ctx),
    );
    app.post(
      '/activity-types',
      { config: catalogue, schema: { ...activities, summary: 'Add a type to the catalogue (administrators)', body: NewActivityType, response: { 201: ActivityType } } },
      async (req, reply) => reply.code(201).send(await svc.addActivityType(ctx, actor(req), req.body)),
    );
    app.patch(
      '/activity-types/:code',
      { config: catalogue, schema: { ...activities, summary: 'Relabel, move or retire a type (administrators)', params: CodeParam, body: ActivityTypePatch, response: { 200: ActivityType } } },
      (req) => svc.changeActivityType(ctx, actor(req), req.params.code, req.body),
    );

    app.get(
      '/activities',
      { config: read, schema: { ...activities, summary: 'Activities you may see (by consent), newest first', querystring: ActivityQuery, response: { 200: ActivityPage } } },
      (req) => svc.listActivities(ctx, actor(req), req.query),
    );
    app.post('/activities', { config: record, schema: { ...activities, summary: 'Record an activity between schools', body: NewActivity, response: { 201: ActivityView } } }, async (req, reply) =>
      reply.code(201).send(await svc.recordActivity(ctx, actor(req), req.body)),
    );
    app.post(
      '/activities/import',
      {
        config: record,
        bodyLimit: importLimit,
        schema: {
          ...activities,
          summary: 'Import activities from CSV, all or nothing (body: the raw file; format in docs/activities.md)',
          querystring: z.object({ file: z.string().max(200).optional().describe('Original file name, for messages') }),
          response: { 201: ImportSummary },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) throw new Invalid('body', 'send the CSV file itself as the request body, with content-type text/csv');
        const body = req.body;
        const folder = await mkdtemp(join(tmpdir(), 'trellis-activities-'));
        try {
          const name = (req.query.file ?? 'activities.csv').replace(/[^\w.-]+/g, '_');
          const path = join(folder, name);
          await writeFile(path, body);
          return reply.code(201).send(await importActivities(ctx, actor(req), path, { displayName: name }));
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    );
    app.get('/activities/:id', { config: read, schema: { ...activities, summary: 'An activity you may see', params: IdParam, response: { 200: ActivityView } } }, (req) =>
      svc.getActivity(ctx, actor(req), req.params.id),
    );
    app.patch('/activities/:id', { config: record, schema: { ...activities, summary: 'Change an activity', params: IdParam, body: ActivityPatch, response: { 200: ActivityView } } }, (req) =>
      svc.changeActivity(ctx, actor(req), req.params.id, req.body),
    );
    app.delete('/activities/:id', { config: record, schema: { ...activities, summary: 'Withdraw an activity (kept for the audit trail)', params: IdParam } }, async (req, reply) => {
      await svc.withdrawActivity(ctx, actor(req), req.params.id);
      return reply.code(204).send();
    });

    app.get(
      '/schools/:id/ties',
      {
        config: { access: 'school.data.read' },
        schema: { ...ties, summary: "A school's collaboration profile: partners, tie strength, giving and receiving", params: IdParam, querystring: OnQuery, response: { 200: SchoolTies } },
      },
      (req) => schoolTieProfile(ctx, actor(req), req.params.id, req.query.on),
    );
    app.get(
      '/networks/:id/ties',
      { config: read, schema: { ...ties, summary: 'Ties among the members of a network on a date', params: IdParam, querystring: OnQuery, response: { 200: NetworkTies } } },
      (req) => networkTieView(ctx, actor(req), req.params.id, req.query.on),
    );
    app.get(
      '/schools/:id/participation',
      {
        config: { access: 'school.data.read' },
        schema: { ...activities, summary: "Who takes part in a school's collaboration, by level, over time", params: IdParam, querystring: ParticipationQuery, response: { 200: SchoolParticipation } },
      },
      (req) => schoolParticipation(ctx, actor(req), req.params.id, req.query),
    );
    app.get(
      '/networks/:id/participation',
      {
        config: { access: 'network.aggregate.read' },
        schema: { ...activities, summary: "Who takes part in a network's activities, by level, over time (sharing schools)", params: IdParam, querystring: ParticipationQuery, response: { 200: NetworkParticipation } },
      },
      (req) => networkParticipation(ctx, actor(req), req.params.id, req.query),
    );
  };
