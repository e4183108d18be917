import { existsSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Conflict, NotFound } from '../../http/errors.ts';
import { debianChromium, oneAtATime, ownOrigin, type ReportPdfOptions, renderPagePdf, Unavailable } from '../../http/page-pdf.ts';
import { sessionCookie } from '../../http/session.ts';
import type { Actor } from '../access/actor.ts';
import { IdParam } from './surveys.schema.ts';
import { readableWave, type SurveyContext } from './surveys.service.ts';

/**
 * A round's results as PDF: the web app's printable report page (/survey-rounds/:id/report),
 * opened in headless Debian Chromium with the caller's own session cookie and printed with
 * `page.pdf()`. The page fetches the results as the caller, so the PDF holds exactly what that
 * person may see (their pool, suppressed); the route checks the same rules first so a refusal
 * is a plain 404/409 and no browser is started for it. Chromium loads nothing but this server:
 * every other request is aborted.
 *
 * Where Chromium is not installed (or playwright-core, a development dependency, is not), the
 * route answers 501 and the reader can still print the report page from their own browser.
 */

/** `GET /survey-waves/:id/report.pdf`: registered beside the survey routes (same prefix, same access rule as results). */
export const reportPdfRoutes =
  (ctx: SurveyContext, options: ReportPdfOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const executablePath = options.chromiumPath ?? debianChromium;
    const timeoutMs = options.timeoutMs ?? 30_000;
    app.get(
      '/survey-waves/:id/report.pdf',
      {
        config: { access: 'survey.results.read', rateLimit: { max: 6, timeWindow: '1 minute' } },
        schema: {
          tags: ['surveys'],
          summary: 'The printable results report as PDF (rendered by the server’s Chromium; 501 where none is installed)',
          params: IdParam,
        },
      },
      async (req, reply) => {
        const actor = req.actor as Actor; // the route's access rule has required a session
        const id = req.params.id;
        // The rules of GET /survey-waves/:id/results (results.service.ts), checked before any browser starts.
        const { wave, pool } = await readableWave(ctx, actor, id);
        if (wave.status !== 'closed') throw new Conflict(`survey round ${id} is ${wave.status}; its report exists once it closes`);
        if (pool.length === 0) throw new NotFound(`the results of survey round ${id}`);
        if (!existsSync(executablePath)) {
          throw new Unavailable('TRELLIS_NO_CHROMIUM', `PDF reports need Chromium at ${executablePath} (Debian: apt install chromium); print the report page from your browser instead.`);
        }
        const origin = ownOrigin(app.server.address());
        if (origin === null) throw new Unavailable('TRELLIS_NOT_LISTENING', 'the server is not listening on a network port, so Chromium cannot open the report page');
        const session = req.cookies[sessionCookie] ?? '';
        const pdf = await oneAtATime(() => renderPagePdf(executablePath, origin, `/survey-rounds/${id}/report`, 'survey-report', session, timeoutMs));
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="trellis-survey-${id}-report.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    );
  };
