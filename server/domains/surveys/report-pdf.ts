import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Browser } from 'playwright-core';
import { Conflict, DomainError, NotFound } from '../../http/errors.ts';
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

/** Where Debian's `chromium` package puts the browser. */
export const debianChromium = '/usr/bin/chromium';

/** The flags of test/e2e/browser.ts: headless, off the network, no first-run work. */
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

export type ReportPdfOptions = {
  /** The Chromium executable (default /usr/bin/chromium). */
  chromiumPath?: string;
  /** How long the report page may take to draw (default 30 s). */
  timeoutMs?: number;
};

class Unavailable extends DomainError {
  constructor(code: string, message: string) {
    super(501, code, 'Not available on this server', message);
  }
}

// One report at a time: a Chromium costs a few hundred MB and a core (the target has two).
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** The server's own address, as Chromium on the same machine reaches it. */
function ownOrigin(address: AddressInfo | string | null): string | null {
  if (address === null || typeof address === 'string') return null;
  const any = address.address === '0.0.0.0' || address.address === '::';
  const host = any ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

async function loadChromium(): Promise<typeof import('playwright-core').chromium> {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    throw new Unavailable('TRELLIS_NO_CHROMIUM', 'PDF reports need the playwright-core package, which is not installed here; print the report page from your browser instead.');
  }
}

async function renderPdf(executablePath: string, origin: string, waveId: number, session: string, timeoutMs: number): Promise<Buffer> {
  const chromium = await loadChromium();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 1400 } });
    await context.addCookies([{ name: sessionCookie, value: session, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    await context.route('**/*', (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const response = await page.goto(`${origin}/survey-rounds/${waveId}/report`, { waitUntil: 'load' });
    if (!response?.ok()) throw new Unavailable('TRELLIS_NO_WEB_APP', 'the web app is not served by this server (run `npm run build:web`), so there is no report page to print');
    const report = page.locator('[data-testid="survey-report"]:not([data-ready="false"])');
    await report.waitFor().catch(() => {
      throw new DomainError(504, 'TRELLIS_REPORT_TIMEOUT', 'The report took too long', `the report page did not finish drawing within ${timeoutMs / 1000} s; try again, or print it from your browser`);
    });
    if ((await report.getAttribute('data-ready')) !== 'true') {
      throw new DomainError(502, 'TRELLIS_REPORT_FAILED', 'The report could not be drawn', 'the report page could not load the results; open it in your browser to see why');
    }
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

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
        const pdf = await oneAtATime(() => renderPdf(executablePath, origin, id, session, timeoutMs));
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="trellis-survey-${id}-report.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    );
  };
