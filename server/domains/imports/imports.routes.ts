import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { audit } from '../access/audit.ts';
import { getImportJob, removeFolder, stagingFolder, startImportJob } from './import-jobs.ts';
import { importers } from './kinds.ts';

const Problem = z.object({
  file: z.string(),
  row: z.number().optional(),
  line: z.number().optional(),
  column: z.string().optional(),
  message: z.string(),
  fix: z.string(),
});
const Job = z.object({
  jobId: z.string(),
  status: z.enum(['queued', 'reading', 'loading', 'done', 'failed']),
  kind: z.string().nullable(),
  file: z.string(),
  bytesRead: z.number(),
  totalBytes: z.number(),
  rows: z.number(),
  result: z
    .object({
      kind: z.string(),
      file: z.string(),
      rowsRead: z.number(),
      rowsLoaded: z.number(),
      skipped: z.record(z.string(), z.number()),
      summary: z.record(z.string(), z.number()),
      encoding: z.string(),
      asOf: z.string(),
    })
    .optional(),
  problems: z.array(Problem).optional(),
  error: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

/** Upload a public data file; the import runs as a job the client polls for progress. */
export const importRoutes =
  (db: Kysely<DB>): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(['text/csv', 'application/octet-stream', 'application/vnd.ms-excel'], (_req, payload, done) => done(null, payload));

    app.get(
      '/imports/kinds',
      { config: { access: 'registry.read' }, schema: { tags: ['imports'], summary: 'The file formats Trellis imports', response: { 200: z.object({ items: z.array(z.object({ kind: z.string(), title: z.string(), requiredColumns: z.array(z.string()) })) }) } } },
      async () => ({ items: importers.map((i) => ({ kind: i.kind, title: i.title, requiredColumns: [...i.requiredColumns] })) }),
    );

    app.post(
      '/imports',
      {
        config: { access: 'import.run' },
        bodyLimit: 512 * 1024 * 1024,
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV file to import (body: the raw file)',
          querystring: z.object({
            kind: z.string().max(60).optional().describe('Import kind; omitted: detected from the header'),
            file: z.string().max(200).optional().describe('Original file name (its date is the extract date)'),
            asOf: z.iso.date().optional(),
          }),
          response: { 202: Job },
        },
      },
      async (req, reply) => {
        const folder = await stagingFolder();
        const name = (req.query.file ?? 'upload.csv').replace(/[^\w.-]+/g, '_');
        const path = join(folder, name);
        try {
          await pipeline(req.body as Readable, createWriteStream(path));
        } catch (error) {
          await removeFolder(folder);
          throw error;
        }
        const job = startImportJob(db, path, name, req.query.kind, req.query.asOf, () => removeFolder(folder));
        await audit(db, { personId: req.actor?.personId ?? null, action: 'import.run', resourceType: 'import-job', resourceId: job.jobId, detail: { file: name, kind: req.query.kind ?? null }, ip: req.ip });
        return reply.code(202).send(job);
      },
    );

    app.get('/imports/:jobId', { config: { access: 'import.run' }, schema: { tags: ['imports'], summary: 'Progress and outcome of an import', params: z.object({ jobId: z.uuid() }), response: { 200: Job } } }, async (req) => {
      const job = getImportJob(req.params.jobId);
      if (!job) throw new NotFound(`Import job ${req.params.jobId}`);
      return job;
    });
  };
