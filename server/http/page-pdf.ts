import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { DomainError } from './errors.ts';
import { sessionCookie } from './session.ts';

/**
 * Printing a page of the web app to PDF on the server: the page is opened in headless Debian
 * Chromium with the caller's own session cookie, so it fetches its data as the caller and the
 * PDF holds exactly what that person may see. Used by the survey report and the evaluation
 * report. Where Chromium or playwright-core is missing the routes answer 501, and the reader can
 * still print the page from their own browser.
 */

/** Where Debian's `chromium` package puts the browser. */
export const debianChromium = '/usr/bin/chromium';

/** The flags of test/e2e/browser.ts: headless, off the network, no first-run work. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

export type ReportPdfOptions = {
  /** The Chromium executable (default /usr/bin/chromium). */
  chromiumPath?: string;
  /** How long the report page may take to draw (default 30 s). */
  timeoutMs?: number;
};

export class Unavailable extends DomainError {
  constructor(code: string, message: string) {
    super(501, code, 'Not available on this server', message);
  }
}

// One report at a time: a Chromium costs a few hundred MB and a core (the target has two).
let queue: Promise<unknown> = Promise.resolve();
export function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** The server's own address, as Chromium on the same machine reaches it. */
export function ownOrigin(address: AddressInfo | string | null): string | null {
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

/**
 * Opens `path` of this server in headless Chromium as the caller (their session cookie), waits
 * for `testId` to be drawn (`data-ready="true"`), and prints it. Every request off this server
 * is aborted.
 */
export async function renderPagePdf(executablePath: string, origin: string, path: string, testId: string, session: string, timeoutMs: number): Promise<Buffer> {
  const chromium = await loadChromium();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 1400 } });
    await context.addCookies([{ name: sessionCookie, value: session, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    await context.route('**/*', (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    if (!response?.ok()) throw new Unavailable('TRELLIS_NO_WEB_APP', 'the web app is not served by this server (run `npm run build:web`), so there is no report page to print');
    const report = page.locator(`[data-testid="${testId}"]:not([data-ready="false"])`);
    await report.waitFor().catch(() => {
      throw new DomainError(504, 'TRELLIS_REPORT_TIMEOUT', 'The report took too long', `the report page did not finish drawing within ${timeoutMs / 1000} s; try again, or print it from your browser`);
    });
    if ((await report.getAttribute('data-ready')) !== 'true') {
      throw new DomainError(502, 'TRELLIS_REPORT_FAILED', 'The report could not be drawn', 'the report page could not load its data; open it in your browser to see why');
    }
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

