import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outcomeMeasures, PupilSubject } from '../../../common/evaluation.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import { debianChromium, oneAtATime, ownOrigin, renderPagePdf, Unavailable } from '../../http/page-pdf.ts';
import { sessionCookie } from '../../http/session.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { againstTheOddsOf, networkBenchmark, similarSchoolsOf } from './benchmarking.service.ts';
import { evaluationCsv } from './evaluation-csv.ts';
import { EvaluationListItem, EvaluationReport, EvaluationSpec, IdParam, MeasureCode, PupilUploadSummary } from './evaluation.schema.ts';
import { type EvaluationContext, getEvaluation, listEvaluations, runEvaluation } from './evaluation.service.ts';
import { importPupilResults } from './pupil-import.ts';
import { loadMeasure } from './school-data.ts';

const tags = ['evaluation'];
const AcademicYear = z.string().regex(/^\d{4}\/\d{2}$/, 'write an academic year as 2018/19');
/** A national cohort's file is tens of MB; more is several files. */
const uploadLimit = 64 * 1024 * 1024;

/**
 * Evidence, benchmarking and impact evaluation (docs/evaluation.md). Validate → service → reply.
 * Every route needs a session; services decide on the networks and schools asked about.
 */
export const evaluationRoutes =
  (ctx: EvaluationContext): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = (req: { actor?: Actor | null }) => req.actor as Actor;
    const read = { access: 'registry.read' } as const;
    const run = { access: 'evaluation.run' } as const;

    app.get(
      '/outcome-measures',
      {
        config: read,
        schema: {
          tags,
          summary: 'The published outcome measures Trellis compares, with the years the data hold for each',
          response: { 200: z.object({ items: z.array(z.object({ code: z.string(), label: z.string(), phase: z.string(), unit: z.string(), better: z.string(), years: z.array(z.string()) })), pupilSubjects: z.array(z.object({ code: z.string(), label: z.string() })) }) },
        },
      },
      async () => {
        const items = [];
        for (const m of outcomeMeasures) {
          const { years } = await loadMeasure(ctx.db, m);
          items.push({ code: m.code, label: m.label, phase: m.phase, unit: m.unit, better: m.better, years });
        }
        return { items, pupilSubjects: Object.entries(PupilSubject).map(([code, label]) => ({ code, label })) };
      },
    );

    app.post(
      '/evaluations',
      {
        config: { ...run, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { tags, summary: 'Run an impact evaluation: matching, balance, per-year comparisons, difference in differences, by-type comparisons and (with pupil results) two-level models', body: EvaluationSpec, response: { 201: EvaluationReport } },
      },
      async (req, reply) => reply.code(201).send(await runEvaluation(ctx, actor(req), req.body)),
    );
    app.get(
      '/evaluations',
      { config: run, schema: { tags, summary: 'Saved evaluations you may read, newest first', querystring: z.object({ networkId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(100).default(50) }), response: { 200: z.object({ items: z.array(EvaluationListItem) }) } } },
      async (req) => ({ items: await listEvaluations(ctx, actor(req), req.query) }),
    );
    app.get('/evaluations/:id', { config: run, schema: { tags, summary: 'A saved evaluation report', params: IdParam, response: { 200: EvaluationReport } } }, (req) => getEvaluation(ctx, actor(req), req.params.id));
    app.get('/evaluations/:id/report.csv', { config: run, schema: { tags, summary: 'Every table of a saved evaluation as one CSV (long format)', params: IdParam } }, async (req, reply) => {
      const report = await getEvaluation(ctx, actor(req), req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="trellis-evaluation-${req.params.id}.csv"`)
        .send(evaluationCsv(report));
    });
    app.get(
      '/evaluations/:id/report.pdf',
      { config: { ...run, rateLimit: { max: 6, timeWindow: '1 minute' } }, schema: { tags, summary: 'The printable report as PDF (rendered by the server’s Chromium; 501 where none is installed)', params: IdParam } },
      async (req, reply) => {
        const id = req.params.id;
        await getEvaluation(ctx, actor(req), id); // the same rule as reading it, before any browser starts
        if (!existsSync(debianChromium)) throw new Unavailable('TRELLIS_NO_CHROMIUM', `PDF reports need Chromium at ${debianChromium} (Debian: apt install chromium); print the report page from your browser instead.`);
        const origin = ownOrigin(app.server.address());
        if (origin === null) throw new Unavailable('TRELLIS_NOT_LISTENING', 'the server is not listening on a network port, so Chromium cannot open the report page');
        const session = req.cookies[sessionCookie] ?? '';
        const pdf = await oneAtATime(() => renderPagePdf(debianChromium, origin, `/evaluations/${id}/print`, 'evaluation-report', session, 60_000));
        return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="trellis-evaluation-${id}.pdf"`).header('cache-control', 'no-store').send(pdf);
      },
    );

    // Pupil results arrive as the CSV file itself (text/csv), like activity imports.
    app.addContentTypeParser(['text/csv', 'application/vnd.ms-excel'], { parseAs: 'buffer', bodyLimit: uploadLimit }, (_req, body, done) => done(null, body));
    app.post(
        '/pupil-results',
        {
          config: { access: 'pupil_results.upload', rateLimit: { max: 10, timeWindow: '1 minute' } },
          bodyLimit: uploadLimit,
          schema: { tags, summary: 'Upload pupil-level results (CSV; all or nothing; format in docs/evaluation.md)', querystring: z.object({ file: z.string().max(200).optional() }), response: { 201: PupilUploadSummary } },
        },
        async (req, reply) => {
          if (!Buffer.isBuffer(req.body)) throw new Invalid('body', 'send the CSV file itself as the request body, with content-type text/csv');
          const dir = await mkdtemp(join(tmpdir(), 'trellis-pupils-'));
          const name = (req.query.file ?? 'pupil-results.csv').replace(/[^\w.-]+/g, '_');
          try {
            await writeFile(join(dir, name), req.body);
            return reply.code(201).send(await importPupilResults(ctx.db, actor(req), join(dir, name), { displayName: name }));
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        },
      );
    app.get(
      '/pupil-uploads',
      {
        config: { access: 'self' },
        schema: {
          tags,
          summary: 'Your pupil-result uploads (administrators: all)',
          response: { 200: z.object({ items: z.array(z.object({ id: z.number(), file: z.string(), rows: z.number(), schools: z.array(z.number()), uploadedAt: z.string(), withdrawn: z.boolean() })) }) },
        },
      },
      async (req) => {
        const a = actor(req);
        let q = ctx.db.selectFrom('pupil_upload').selectAll().orderBy('id', 'desc').limit(200);
        if (!a.posts.some((p) => p.role === 'platform_admin')) q = q.where('uploaded_by', '=', a.personId);
        const rows = await q.execute();
        return { items: rows.map((r) => ({ id: Number(r.id), file: r.file_name, rows: r.rows, schools: r.schools.map(Number), uploadedAt: new Date(r.uploaded_at).toISOString(), withdrawn: r.withdrawn_at !== null })) };
      },
    );
    app.delete('/pupil-uploads/:id', { config: { access: 'self' }, schema: { tags, summary: 'Withdraw an upload: its pupils’ rows are deleted (by its uploader or an administrator)', params: IdParam } }, async (req, reply) => {
      const a = actor(req);
      const row = await ctx.db.selectFrom('pupil_upload').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      const admin = a.posts.some((p) => p.role === 'platform_admin');
      if (!row || (!admin && Number(row.uploaded_by) !== a.personId)) throw new NotFound(`upload ${req.params.id}`);
      await ctx.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('pupil_result').where('upload_id', '=', row.id).execute();
        await trx.updateTable('pupil_upload').set({ withdrawn_at: new Date() }).where('id', '=', row.id).execute();
        for (const schoolId of row.schools) await audit(trx, { personId: a.personId, action: 'pupil_results.withdraw', resourceType: 'pupil-upload', resourceId: Number(row.id), schoolId: Number(schoolId), detail: { file: row.file_name } });
      });
      return reply.code(204).send();
    });

    const Benchmark = z.object({ measure: MeasureCode, year: AcademicYear, k: z.coerce.number().int().min(5).max(200).default(30) });
    app.get(
      '/benchmarking/schools/:id/similar',
      {
        config: read,
        schema: {
          tags,
          summary: 'A school’s similar schools (nearest on standardised context, same phase), with distances and what makes each differ; with a measure and year, the school against them, its authority and the country',
          params: IdParam,
          querystring: z.object({ measure: MeasureCode.optional(), year: AcademicYear.optional(), k: z.coerce.number().int().min(5).max(200).default(30), excludeNetwork: z.coerce.number().int().positive().optional() }),
        },
      },
      (req) => similarSchoolsOf(ctx, actor(req), req.params.id, req.query),
    );
    app.get(
      '/benchmarking/networks/:id',
      {
        config: run,
        schema: {
          tags,
          summary: 'A network against similar schools, its authorities and the country for one measure and year; spread between members; with a pupil subject, variance between and within schools',
          params: IdParam,
          querystring: Benchmark.extend({ subject: z.enum(Object.keys(PupilSubject) as [string, ...string[]]).optional() }),
        },
      },
      (req) => networkBenchmark(ctx, actor(req), req.params.id, req.query),
    );
    app.get(
      '/benchmarking/against-the-odds',
      {
        config: run,
        schema: {
          tags,
          summary: 'Schools of a network or authority ranked by how far they beat the result their context predicts (regression over every school of the phase)',
          querystring: z.object({ networkId: z.coerce.number().int().positive().optional(), laName: z.string().trim().min(1).max(100).optional(), measure: MeasureCode, year: AcademicYear }),
        },
      },
      (req) => againstTheOddsOf(ctx, actor(req), req.query),
    );
  };
