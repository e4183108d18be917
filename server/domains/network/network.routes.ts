import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import type { BetweennessJobs } from './betweenness-jobs.ts';
import { analyseNetwork, analysisCsv, type NetworkContext, networkChange, startBetweenness } from './network.service.ts';
import { BetweennessJob, ChangeQuery, NetworkAnalysis, NetworkChange, SnapshotQuery } from './network.schema.ts';

const JobParam = z.object({ id: z.uuid() });

/** Network analysis: snapshots with their metrics, CSV, change between dates, exact betweenness jobs. */
export const networkRoutes =
  (ctx: NetworkContext, jobs: BetweennessJobs): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = (req: { actor: Actor | null }) => req.actor as Actor;
    const tags = ['network analysis'];
    // Any signed-in person; which schools' ties and metrics they see is decided in the service.
    const read = { access: 'registry.read' } as const;

    app.get(
      '/analysis/network',
      {
        config: read,
        schema: { tags, summary: 'The collaboration graph on a date with every school and network metric', querystring: SnapshotQuery, response: { 200: NetworkAnalysis } },
      },
      (req) => analyseNetwork(ctx, actor(req), req.query),
    );
    app.get('/analysis/network.csv', { config: read, schema: { tags, summary: 'The per-school metrics table as CSV', querystring: SnapshotQuery } }, async (req, reply) => {
      const csv = await analysisCsv(ctx, actor(req), req.query);
      const name = `trellis-network-${req.query.network ?? 'all'}-${req.query.at ?? ctx.today()}.csv`;
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
    });
    app.get(
      '/analysis/change',
      { config: read, schema: { tags, summary: 'What changed between two dates: summary, ties, schools', querystring: ChangeQuery, response: { 200: NetworkChange } } },
      (req) => networkChange(ctx, actor(req), req.query),
    );
    app.post(
      '/analysis/betweenness-jobs',
      {
        config: read,
        schema: { tags, summary: 'Start exact betweenness in the background (progress: the events route)', body: SnapshotQuery, response: { 202: BetweennessJob } },
      },
      async (req, reply) => reply.code(202).send(await startBetweenness(ctx, jobs, actor(req), req.body)),
    );
    app.get(
      '/analysis/betweenness-jobs/:id',
      { config: read, schema: { tags, summary: 'A betweenness job: progress, and the result when done', params: JobParam, response: { 200: BetweennessJob } } },
      (req) => {
        const job = jobs.get(actor(req), req.params.id);
        if (!job) throw new NotFound(`job ${req.params.id}`);
        return job;
      },
    );
    app.get(
      '/analysis/betweenness-jobs/:id/events',
      { config: read, schema: { tags, summary: 'Server-sent events: the job on every progress step until it ends', params: JobParam } },
      (req, reply) => {
        const current = jobs.get(actor(req), req.params.id);
        if (!current) throw new NotFound(`job ${req.params.id}`);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
        const send = (job: BetweennessJob) => {
          res.write(`data: ${JSON.stringify(job)}\n\n`);
          if (job.state !== 'running') {
            stop?.();
            res.end();
          }
        };
        const stop = jobs.listen(actor(req), req.params.id, send);
        req.raw.on('close', () => stop?.());
        send(current);
      },
    );
  };
