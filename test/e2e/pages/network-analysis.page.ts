import type { Download, Page } from 'playwright-core';

export type Counts = { schools: number; ties: number };
export type SchoolCard = { name: string; metrics: Record<string, string>; isolation: string | null; links: string[] };
export type FrameTimes = { frames: number; longestMs: number; medianMs: number; p95Ms: number };

/**
 * /networks/:id/analysis and /analysis: the filters, the network map (sigma on a WebGL canvas),
 * the chosen school's card, the metrics table and its CSV, exact betweenness.
 */
export class NetworkAnalysisPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  private readonly graph = () => this.page.locator('[data-testid="network-graph"]');
  private readonly card = () => this.page.locator('[data-testid="school-card"]');

  /** Opens a network's analysis (or the area's, without an id), with filters in the address if given. */
  async open(networkId?: number, query = ''): Promise<this> {
    await this.page.goto(`${this.baseUrl}${networkId === undefined ? '/analysis' : `/networks/${networkId}/analysis`}${query}`);
    return this.loaded();
  }

  /** Waits until the snapshot has loaded and the map is drawn (a canvas in the map). */
  async loaded(timeout = 120_000): Promise<this> {
    await this.page.locator('[data-testid="analysis-body"][data-state="ready"]').waitFor({ timeout });
    await this.graph().locator('canvas').first().waitFor({ timeout });
    return this;
  }

  async heading(): Promise<string> {
    return ((await this.page.locator('main h1').textContent()) ?? '').trim();
  }

  /** Schools and ties the map says it draws. */
  async counts(): Promise<Counts> {
    const counts = this.page.locator('[data-testid="map-counts"]');
    return { schools: Number(await counts.getAttribute('data-schools')), ties: Number(await counts.getAttribute('data-ties')) };
  }

  async countsText(): Promise<string> {
    return ((await this.page.locator('[data-testid="map-counts"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async canvasCount(): Promise<number> {
    return this.graph().locator('canvas').count();
  }

  /** The nodes sigma was given (the container's count, not the DOM: sigma draws them on the canvas). */
  async nodeCount(): Promise<number> {
    return Number(await this.graph().getAttribute('data-nodes'));
  }

  async layoutState(): Promise<string> {
    return (await this.graph().getAttribute('data-layout')) ?? '';
  }

  /** Waits for ForceAtlas2 to stop (it runs for a bounded time). */
  async layoutFinished(timeout = 30_000): Promise<void> {
    await this.page.locator('[data-testid="network-graph"]:not([data-layout="running"])').waitFor({ timeout });
  }

  /** Ticks one activity type in the filter (by its label) and waits for the new snapshot. */
  async filterByActivityType(label: string): Promise<void> {
    const picker = this.page.locator('[data-testid="type-picker"]');
    if (!(await picker.evaluate((d) => (d as HTMLDetailsElement).open))) await picker.locator('summary').click();
    const before = this.page.url();
    await picker.getByLabel(label, { exact: true }).check();
    await this.page.waitForURL((url) => url.href !== before);
    await this.loaded();
  }

  /** Finds a school by name in the map's finder and chooses it; returns its card. */
  async findSchool(name: string): Promise<SchoolCard> {
    await this.page.getByLabel('Find a school on the map').fill(name);
    await this.page.getByRole('list', { name: 'Matching schools' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}`) }).first().click();
    return this.readCard(name);
  }

  async closeCard(): Promise<void> {
    await this.card().getByRole('button', { name: /^Close the card/ }).click();
    await this.card().waitFor({ state: 'detached' });
  }

  /**
   * Clicks a school where the canvas draws it. Choosing it in the finder moves the camera so the
   * school sits at the centre of the map; the card is closed, and a click at the centre (a real
   * pointer event on the WebGL canvas, resolved by sigma's picking) must open it again.
   */
  async clickSchoolOnMap(name: string): Promise<SchoolCard> {
    await this.findSchool(name);
    const id = await this.card().getAttribute('data-school');
    await this.closeCard();
    // The camera moves to the school (400 ms); the map marks when it is centred there.
    await this.page.locator(`[data-testid="network-graph"][data-centred="${id}"]`).waitFor();
    await this.graph().scrollIntoViewIfNeeded();
    const box = await this.graph().boundingBox();
    if (!box) throw new Error('the network map is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.up();
    return this.readCard(name);
  }

  /** The chosen school's card: its name, each metric (label → value as shown), the isolation flag, its links. */
  async readCard(name?: string): Promise<SchoolCard> {
    const card = this.card();
    await card.waitFor();
    if (name) await card.locator('h3', { hasText: name }).waitFor();
    const metrics = await card.locator('.card-metric').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('.metric-term-label')?.textContent?.trim() ?? '', r.querySelector('dd')?.textContent?.trim() ?? ''] as const),
    );
    const isolation = (await card.locator('[data-testid="isolation"]').count()) > 0 ? await card.locator('[data-testid="isolation"]').textContent() : null;
    return {
      name: ((await card.locator('h3').textContent()) ?? '').trim(),
      metrics: Object.fromEntries(metrics),
      isolation,
      links: await card.getByRole('link').allTextContents(),
    };
  }

  /** The explanation a metric's name gives on focus (its tooltip). */
  async metricMeaning(label: string): Promise<string> {
    const term = this.card().locator('.metric-term-label', { hasText: label }).first();
    await term.focus();
    const id = await term.getAttribute('aria-describedby');
    const tip = this.page.locator(`[id="${id}"]`);
    await tip.waitFor({ state: 'visible' });
    return ((await tip.textContent()) ?? '').trim();
  }

  /** Clicks a column's header to sort by it; returns the sort direction the header reports. */
  async sortTableBy(label: string): Promise<string> {
    const header = this.page.locator('[data-testid="metrics-table"] thead th').filter({ has: this.page.getByRole('button', { name: label, exact: false }) }).first();
    await header.getByRole('button').click();
    return (await header.getAttribute('aria-sort')) ?? '';
  }

  /** The cells of a column (by its key) in the rows drawn, top to bottom. */
  async tableColumn(key: string): Promise<string[]> {
    const table = this.page.locator('[data-testid="metrics-table"]');
    const index = await table.locator('thead th').evaluateAll((ths, k) => ths.findIndex((th) => th.getAttribute('data-column') === k), key);
    if (index < 0) throw new Error(`no column ${key}`);
    return table.locator('tbody tr:not(.spacer-row)').evaluateAll((rows, i) => rows.map((r) => r.children[i]?.textContent?.trim() ?? ''), index);
  }

  async tableHeaders(): Promise<string[]> {
    return this.page.locator('[data-testid="metrics-table"] thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column') ?? ''));
  }

  /** How many rows the table has in all (the table draws only those in view). */
  async tableRowCount(): Promise<number> {
    return Number(await this.page.locator('[data-testid="metrics-table"]').getAttribute('aria-rowcount')) - 1;
  }

  async renderedRowCount(): Promise<number> {
    return this.page.locator('[data-testid="metrics-table"] tbody tr:not(.spacer-row)').count();
  }

  async searchTable(text: string): Promise<void> {
    await this.page.getByLabel('Search schools in the table').fill(text);
  }

  /** Downloads the CSV and returns its file name and text. */
  async downloadCsv(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.locator('[data-testid="csv-download"]').click()]);
    return { name: download.suggestedFilename(), text: await readDownload(download) };
  }

  /** Starts exact betweenness and waits for the job to finish (progress comes by server-sent events). */
  async computeExactBetweenness(timeout = 60_000): Promise<string> {
    await this.page.getByRole('button', { name: 'Compute exact betweenness' }).click();
    const panel = this.page.locator('[data-testid="betweenness"]:is([data-state="done"], [data-state="failed"])');
    await panel.waitFor({ timeout });
    return (await panel.getAttribute('data-state')) ?? '';
  }

  async showGeography(): Promise<{ points: number; ties: number }> {
    await this.page.getByRole('button', { name: 'Geography', exact: true }).click();
    const map = this.page.locator('[data-testid="geo-map"]');
    await map.locator('canvas').waitFor();
    return { points: Number(await map.getAttribute('data-points')), ties: Number(await map.getAttribute('data-ties')) };
  }

  /**
   * Measures how smoothly the page draws: the gaps between animation frames over `ms`, as the
   * page itself sees them (requestAnimationFrame), while whatever is running runs.
   */
  async frameTimes(ms = 2000): Promise<FrameTimes> {
    // A string, so the test runner's transform cannot touch the function the page runs.
    return this.page.evaluate(`new Promise((resolve) => {
      const gaps = [];
      let last = performance.now();
      const end = last + ${ms};
      const tick = (t) => {
        gaps.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else {
          const sorted = [...gaps].sort((a, b) => a - b);
          resolve({
            frames: gaps.length,
            longestMs: Math.round(sorted[sorted.length - 1] * 10) / 10,
            medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10,
            p95Ms: Math.round(sorted[Math.floor(sorted.length * 0.95)] * 10) / 10,
          });
        }
      };
      requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
    })`);
  }

  /** Follows "What changed" and waits for the comparison. */
  async openChanges(): Promise<void> {
    await this.page.getByRole('link', { name: 'What changed' }).click();
    await this.page.locator('[data-testid="change-body"]:is([data-state="ready"], [data-state="error"])').waitFor({ timeout: 120_000 });
  }
}

async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
