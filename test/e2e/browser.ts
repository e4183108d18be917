import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });

/** What the tests watch across every browser context they open. */
export type Watch = { contexts: BrowserContext[]; outsideRequests: string[]; pageErrors: string[] };

/**
 * A browser of one's own (a fresh context with its own cookies, as on one's own computer),
 * watched for requests that leave the server and for page errors.
 */
export async function watchedPage(browser: Browser, baseUrl: string, watch: Watch): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  watch.contexts.push(context);
  context.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) watch.outsideRequests.push(r.url());
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => watch.pageErrors.push(String(e)));
  return page;
}
