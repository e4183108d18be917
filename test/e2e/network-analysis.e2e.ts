import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityCatalogue } from '../../server/domains/activities/activities.schema.ts';
import type { NetworkAnalysis } from '../../server/domains/network/network.schema.ts';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { NetworkAnalysisPage } from './pages/network-analysis.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { type RunningTrellis, startNationalTrellis, startTrellis } from './trellis-server.ts';

/**
 * Network analysis in the browser. A coordinator opens their federation's analysis: the map is
 * drawn (WebGL canvas, every school a node), a filter by activity type changes what is drawn
 * as the API says it should, a school chosen on the canvas shows its card with every metric and
 * what each means, the table sorts, the CSV downloads, exact betweenness runs as a job. Then
 * the national register (about 27,000 schools linked by shared federations and trusts) draws
 * without freezing the page while its layout runs: the gaps between animation frames are
 * measured in the page. TRELLIS_E2E_SCREENSHOTS=/some/dir keeps screenshots.
 */

const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let browser: Browser;
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
});

async function screenshot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** What the API answers for a query, fetched with the page's own session (the reference the page must match). */
async function apiSnapshot(page: Page, baseUrl: string, query: string): Promise<NetworkAnalysis> {
  const res = await page.request.get(`${baseUrl}/api/v1/analysis/network${query}`);
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as NetworkAnalysis;
}

const numeric = (cell: string): number => (cell === '—' ? Number.NaN : Number(cell.replace(/[,\s]/g, '').replace('−', '-')));

describe('a coordinator analyses their network', () => {
  let trellis: RunningTrellis;
  let federation: { id: number; name: string };

  beforeAll(async () => {
    trellis = await startTrellis(demoLocalAuthorities);
    const row = await sql<{ id: number; name: string }>`
      select n.id, n.name from post p join person on person.id = p.person_id join network n on n.id = p.network_id
      where person.email = 'coordinator@trellis.demo' and p.role = 'network_coordinator' limit 1`.execute(trellis.database.db);
    federation = { id: Number(row.rows[0]!.id), name: row.rows[0]!.name };
  });

  afterAll(async () => {
    await trellis?.close();
  });

  it('sees the map, filters it, reads a school’s metrics, sorts the table and downloads it', async () => {
    const page = await watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });
    await new SignInPage(page, trellis.url).signInAs('coordinator@trellis.demo');

    // The reference: what the API says for the whole network, and for each activity type.
    const all = await apiSnapshot(page, trellis.url, `?network=${federation.id}`);
    expect(all.schools.length).toBeGreaterThan(1);
    expect(all.ties.length).toBeGreaterThan(0);
    const catalogue = (await (await page.request.get(`${trellis.url}/api/v1/activity-types`)).json()) as ActivityCatalogue;
    let filter: { code: string; label: string; ties: number; schools: number } | null = null;
    for (const type of catalogue.categories.flatMap((c) => c.types)) {
      const one = await apiSnapshot(page, trellis.url, `?network=${federation.id}&types=${type.code}`);
      if (one.ties.length !== all.ties.length) {
        filter = { code: type.code, label: type.label, ties: one.ties.length, schools: one.schools.length };
        if (one.ties.length > 0) break;
      }
    }
    expect(filter, 'some activity type covers only part of the ties').not.toBeNull();

    const analysis = await new NetworkAnalysisPage(page, trellis.url).open(federation.id);
    expect(await analysis.heading()).toBe(`Network analysis: ${federation.name}`);
    expect(await analysis.canvasCount()).toBeGreaterThan(0);
    expect(await analysis.nodeCount()).toBe(all.schools.length);
    expect(await analysis.counts()).toEqual({ schools: all.schools.length, ties: all.ties.length });
    expect(await analysis.countsText()).toContain(`${all.schools.length} schools`);
    await screenshot(page, 'analysis-network');

    // One activity type: fewer (or other) ties, exactly as many as the API gives for it.
    await analysis.filterByActivityType(filter!.label);
    expect(new URL(page.url()).searchParams.get('types')).toBe(filter!.code);
    expect(await analysis.counts()).toEqual({ schools: filter!.schools, ties: filter!.ties });
    await screenshot(page, 'analysis-filtered');

    // Back to every type; wait for the layout to stop so schools stay where they are drawn.
    await analysis.open(federation.id);
    await analysis.layoutFinished();
    const degree = (s: NetworkAnalysis['schools'][number]) => s.metrics.degree ?? 0;
    const hub = [...all.schools].sort((a, b) => degree(b) - degree(a) || a.name.localeCompare(b.name))[0]!;
    const schoolMetrics = all.metrics.filter((m) => m.level === 'school');

    const found = await analysis.findSchool(hub.name);
    expect(found.name).toBe(hub.name);
    expect(Object.keys(found.metrics)).toEqual(schoolMetrics.map((m) => m.label));
    expect(found.links).toEqual(['School page', 'Collaboration profile']);
    const first = schoolMetrics[0]!;
    expect(await analysis.metricMeaning(first.label)).toContain(first.meaning);

    // The same school by a click on the canvas, where sigma draws it.
    const clicked = await analysis.clickSchoolOnMap(hub.name);
    expect(clicked.name).toBe(hub.name);
    await screenshot(page, 'analysis-card');

    // The table: every school; sorting by a metric orders it, highest first then lowest first.
    expect(await analysis.tableRowCount()).toBe(all.schools.length);
    const sortable = schoolMetrics.find((m) => m.key === 'degree') ?? first;
    expect(await analysis.sortTableBy(sortable.label)).toBe('descending');
    const down = (await analysis.tableColumn(sortable.key)).map(numeric).filter((v) => !Number.isNaN(v));
    expect(down.length).toBeGreaterThan(0);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(await analysis.sortTableBy(sortable.label)).toBe('ascending');
    const up = (await analysis.tableColumn(sortable.key)).map(numeric).filter((v) => !Number.isNaN(v));
    expect(up).toEqual([...up].sort((a, b) => a - b));

    const csv = await analysis.downloadCsv();
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines.length).toBe(all.schools.length + 1);
    expect(csv.text).toContain(hub.name);

    // Exact betweenness: a background job whose progress arrives as events; its columns join the table.
    expect(await analysis.computeExactBetweenness()).toBe('done');
    expect(await analysis.tableHeaders()).toEqual(expect.arrayContaining(['exactBetweenness', 'exactWeightedBetweenness']));

    const geo = await analysis.showGeography();
    expect(geo.points).toBe(all.schools.filter((s) => s.lat !== null && s.lon !== null).length);
    await screenshot(page, 'analysis-geography');

    await analysis.openChanges();
    await page.locator('[data-testid="change-summary"] table').waitFor();
    await screenshot(page, 'analysis-changes');

    expect(pageErrors).toEqual([]);
    expect(outsideRequests).toEqual([]);
  });
});

describe('the national map', () => {
  let trellis: RunningTrellis;

  beforeAll(async () => {
    trellis = await startNationalTrellis();
  }, 600_000);

  afterAll(async () => {
    await trellis?.close();
  });

  it('draws 24,000+ schools without freezing the page while the layout runs', async () => {
    const page = await watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });
    await new SignInPage(page, trellis.url).signInAs(trellis.accounts[0]!.email);
    const analysis = await new NetworkAnalysisPage(page, trellis.url).open(undefined, '?basis=membership');
    const nodes = await analysis.nodeCount();
    expect(nodes).toBeGreaterThanOrEqual(24_000);
    expect(await analysis.layoutState()).toBe('running');

    const frames = await analysis.frameTimes(2000);
    const stillRunning = await analysis.layoutState();
    console.log(
      `National map: ${nodes} schools, ${(await analysis.counts()).ties} ties; over 2 s of layout (${stillRunning} at the end): ${frames.frames} frames, longest gap ${frames.longestMs} ms, median ${frames.medianMs} ms, 95th percentile ${frames.p95Ms} ms`,
    );
    expect(stillRunning).toBe('running');
    expect(frames.longestMs).toBeLessThan(200);
    expect(frames.medianMs).toBeLessThan(50);

    // The table holds every school but draws only the rows in view.
    expect(await analysis.tableRowCount()).toBe(nodes);
    expect(await analysis.renderedRowCount()).toBeLessThan(60);
    await screenshot(page, 'analysis-national');
    expect(pageErrors).toEqual([]);
    expect(outsideRequests).toEqual([]);
  });
});
