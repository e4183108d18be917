import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DomainError } from '../../http/errors.ts';
import { chromiumArgs, debianChromium } from '../../http/page-pdf.ts';

/**
 * A review report as PDF: the HTML of report-html.ts, set as the content of a page in headless
 * Debian Chromium and printed with `page.pdf()`. Unlike the survey report (which prints the web
 * app's page with the reader's session), the page here is complete HTML from the server, so
 * Chromium opens no URL at all: JavaScript is off and every request is aborted.
 *
 * One browser is kept while reports are being printed and closed after a minute without one
 * (or when the app closes); reports print one at a time (a Chromium costs a few hundred MB and
 * a core). Without Chromium the route answers 501 and the HTML report prints from any browser.
 */

const idleMs = 60_000;

export class PdfUnavailable extends DomainError {
  constructor(message: string) {
    super(501, 'TRELLIS_NO_CHROMIUM', 'Not available on this server', message);
  }
}

export type PdfPrinter = { print: (html: string) => Promise<Buffer>; close: () => Promise<void> };

/** A printer that keeps one Chromium between reports. */
export function chromiumPrinter(executablePath = debianChromium): PdfPrinter {
  let browser: Promise<Browser> | null = null;
  let idle: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const close = async () => {
    if (idle) clearTimeout(idle);
    idle = null;
    const b = browser;
    browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  };
  const launch = async (): Promise<Browser> => {
    if (!existsSync(executablePath)) throw new PdfUnavailable(`PDF reports need Chromium at ${executablePath} (Debian: apt install chromium); open the HTML report and print it from your browser instead.`);
    let chromium: typeof import('playwright-core').chromium;
    try {
      chromium = (await import('playwright-core')).chromium;
    } catch {
      throw new PdfUnavailable('PDF reports need the playwright-core package, which is not installed here; open the HTML report and print it from your browser instead.');
    }
    return chromium.launch({ executablePath, args: chromiumArgs });
  };
  const render = async (html: string): Promise<Buffer> => {
    if (idle) clearTimeout(idle);
    browser ??= launch();
    const b = await browser.catch((e: unknown) => {
      browser = null;
      throw e;
    });
    const context = await b.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    try {
      await context.route('**/*', (route) => route.abort());
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
      await page.emulateMedia({ media: 'print' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await context.close().catch(() => undefined);
      idle = setTimeout(() => void close(), idleMs);
      idle.unref();
    }
  };
  return {
    print: (html) => {
      const run = queue.then(
        () => render(html),
        () => render(html),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    close,
  };
}
