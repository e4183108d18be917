import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFederation } from '../../server/domains/access/demo-accounts.ts';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { NetworkPage } from './pages/network.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * The evidence hub in the browser: the demo federation's coordinator opens the federation's page,
 * follows "Evaluate impact", says it formed in 2016/17, keeps the KS2 measures and runs the
 * evaluation on the demo region's real performance tables; the report shows the balance of every
 * covariate before and after matching and, per outcome, each year's difference with its 95%
 * interval, within ten seconds of the click. The printable page signals it is drawn (as the
 * server's PDF renderer waits for), and the federation's benchmark page sets it against similar
 * schools, its local authority and the country.
 */

const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let trellis: RunningTrellis;
let browser: Browser;
let federation: { id: number; name: string };
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

const newPage = (): Promise<Page> => watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });

async function screenshot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** A figure as the report prints it ("−0.12", "1,234.5") → a number; NaN for a dash. */
const numberIn = (text: string) => Number(text.trim().replace(/\u2212/g, '-').replace(/,/g, '').replace(/^\+/, ''));

/** /evaluations/new: choose the schools' formation year and the outcomes, then run. */
class EvaluationFormPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.getByRole('form', { name: 'Evaluate impact' }).waitFor();
    return this;
  }

  async treatedSchools(): Promise<string> {
    return ((await this.page.locator('input[name="treated"]:checked').locator('xpath=..').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async formedIn(year: string): Promise<void> {
    await this.page.getByLabel('Formed in').selectOption(year);
  }

  /** Ticks exactly these outcome measures (by code), unticking the rest. */
  async chooseOutcomes(codes: string[]): Promise<void> {
    const boxes = this.page.locator('input[name="outcomes"]');
    for (const box of await boxes.all()) {
      const code = (await box.getAttribute('value')) ?? '';
      if ((await box.isChecked()) && !codes.includes(code)) await box.uncheck();
    }
    for (const code of codes) await this.page.locator(`input[name="outcomes"][value="${code}"]`).check();
  }

  /** Runs the evaluation; resolves once the report's effects are on screen, with the time taken. */
  async run(): Promise<{ report: EvaluationReportPage; ms: number }> {
    const started = performance.now();
    await this.page.getByRole('button', { name: 'Run the evaluation' }).click();
    const report = new EvaluationReportPage(this.page);
    await report.loaded();
    return { report, ms: performance.now() - started };
  }
}

type BalanceRow = { covariate: string; smdBefore: number; smdAfter: number };
type EffectRow = { year: string; period: string; difference: string; ci: string };

/** /evaluations/:id: the report of one evaluation. */
class EvaluationReportPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="evaluation"][aria-busy="false"] [data-testid="effects-table"]').first().waitFor();
    return this;
  }

  async id(): Promise<number> {
    return Number(new URL(this.page.url()).pathname.split('/')[2]);
  }

  async title(): Promise<string> {
    return ((await this.page.locator('article.evaluation-page h1').textContent()) ?? '').trim();
  }

  async caveatTitles(): Promise<string[]> {
    return this.page.locator('[data-testid="caveats"] li strong').allTextContents();
  }

  async balance(): Promise<BalanceRow[]> {
    const rows = await this.page.locator('[data-testid="balance-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        covariate: tr.getAttribute('data-covariate') ?? '',
        before: tr.querySelector('[data-cell="smd-before"]')?.textContent ?? '',
        after: tr.querySelector('[data-cell="smd-after"]')?.textContent ?? '',
      })),
    );
    return rows.map((r) => ({ covariate: r.covariate, smdBefore: numberIn(r.before), smdAfter: numberIn(r.after) }));
  }

  async outcomes(): Promise<string[]> {
    return this.page.locator('[data-testid="effects-table"]').evaluateAll((tables) => tables.map((t) => t.getAttribute('data-measure') ?? ''));
  }

  async effects(measure: string): Promise<EffectRow[]> {
    return this.page.locator(`[data-testid="effects-table"][data-measure="${measure}"] tbody tr`).evaluateAll((trs) =>
      trs.map((tr) => ({
        year: tr.getAttribute('data-year') ?? '',
        period: tr.getAttribute('data-period') ?? '',
        difference: tr.querySelector('[data-cell="difference"]')?.textContent?.trim() ?? '',
        ci: tr.querySelector('[data-cell="ci"]')?.textContent?.trim() ?? '',
      })),
    );
  }

  async forestPlots(): Promise<number> {
    return this.page.locator('figure.forest-plot svg').count();
  }
}

/** /networks/:id/benchmark: the network against its comparison groups for one measure and year. */
class BenchmarkPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="benchmark-result"][data-state="ready"] [data-testid="benchmark-groups"]').waitFor();
    return this;
  }

  async groups(): Promise<{ group: string; label: string; mean: string }[]> {
    return this.page.locator('[data-testid="benchmark-groups"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ group: tr.getAttribute('data-group') ?? '', label: tr.querySelector('th')?.textContent?.trim() ?? '', mean: tr.children[2]?.textContent?.trim() ?? '' })),
    );
  }

  async members(): Promise<string[]> {
    return this.page.locator('[data-testid="benchmark-members"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-school') ?? ''));
  }

  async barGroups(): Promise<string[]> {
    return this.page.locator('[data-testid="group-bars"] g[data-group]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-group') ?? ''));
  }
}

beforeAll(async () => {
  trellis = await startTrellis(demoLocalAuthorities);
  const found = await demoFederation(trellis.database.db, new Date().toISOString().slice(0, 10));
  if (!found) throw new Error('the demo region has no federation with results');
  federation = found;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await trellis?.close();
});

describe('the evidence hub', () => {
  let coordinator: Page;
  let reportId: number;

  it('the coordinator evaluates the federation’s impact from its page: balance and per-year effects with intervals, in under ten seconds', async () => {
    coordinator = await newPage();
    await new SignInPage(coordinator, trellis.url).signInAs('coordinator@trellis.demo');
    await coordinator.goto(`${trellis.url}/networks/${federation.id}`);
    await new NetworkPage(coordinator).loaded();
    await coordinator.locator('.page-head-side').getByRole('link', { name: 'Evaluate impact' }).click();
    const form = await new EvaluationFormPage(coordinator).loaded();
    expect(await form.treatedSchools()).toContain(federation.name);
    await form.formedIn('2016/17');
    await form.chooseOutcomes(['ks2_rwm_expected', 'ks2_maths_progress']);
    const { report, ms } = await form.run();
    console.log(`evaluation: click to report visible in ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(10_000);
    reportId = await report.id();
    expect(reportId).toBeGreaterThan(0);
    expect(await report.title()).toContain(federation.name);
    expect(await report.caveatTitles()).toContain('A quasi-experiment, not a trial.');

    const balance = await report.balance();
    expect(balance.map((r) => r.covariate).sort()).toEqual(['fsm_pct', 'nearby_schools', 'prior_attainment', 'pupil_roll', 'sen_pct']);
    for (const row of balance) {
      expect(Number.isFinite(row.smdBefore), `${row.covariate}: SMD before`).toBe(true);
      expect(Number.isFinite(row.smdAfter), `${row.covariate}: SMD after`).toBe(true);
    }

    expect(await report.outcomes()).toEqual(['ks2_rwm_expected', 'ks2_maths_progress']);
    // The demo's tables: KS2 results 2015/16 to 2017/18, progress scores to 2018/19; none before 2015/16.
    const heldYears: Record<string, string[]> = {
      ks2_rwm_expected: ['2015/16 baseline', '2016/17 baseline', '2017/18 later'],
      ks2_maths_progress: ['2015/16 baseline', '2016/17 baseline', '2017/18 later', '2018/19 later'],
    };
    for (const [measure, held] of Object.entries(heldYears)) {
      const years = await report.effects(measure);
      expect(years.map((y) => `${y.year} ${y.period}`)).toEqual(held);
      const later = years.filter((y) => y.period === 'later');
      for (const y of later) {
        expect(y.difference, `${measure} ${y.year}`).toMatch(/^[+\u2212]?\d+\.\d{2}$/);
        const [low, high] = y.ci.split(' to ').map(numberIn);
        expect(low, `${measure} ${y.year} CI`).toBeLessThanOrEqual(numberIn(y.difference));
        expect(high, `${measure} ${y.year} CI`).toBeGreaterThanOrEqual(numberIn(y.difference));
      }
    }
    expect(await report.forestPlots()).toBe(2);
    await screenshot(coordinator, 'evaluation-report');
  });

  it('the printable report signals it is drawn, for the server’s PDF renderer', async () => {
    await coordinator.goto(`${trellis.url}/evaluations/${reportId}/print`);
    await coordinator.locator('[data-testid="evaluation-report"][data-ready="true"]').waitFor();
    expect(await coordinator.locator('[data-testid="evaluation-report"] [data-testid="balance-table"]').count()).toBe(1);
    // Print: the matched pairs are open, the screen-only links gone.
    expect(await coordinator.locator('[data-testid="evaluation-report"] details.pairs[open]').count()).toBe(1);
    expect(await coordinator.locator('[data-testid="evaluation-report"] [data-testid="evaluation-csv"]').count()).toBe(0);
    if (shots) {
      await coordinator.emulateMedia({ media: 'print' });
      await screenshot(coordinator, 'evaluation-report-print');
      await coordinator.emulateMedia({ media: 'screen' });
    }
    await coordinator.goto(`${trellis.url}/evaluations`);
    await coordinator.locator('[data-testid="evaluations"][aria-busy="false"]').waitFor();
    expect(await coordinator.locator(`[data-testid="evaluations"] a[href="/evaluations/${reportId}"]`).count()).toBe(1);
  });

  it('the federation’s benchmark page sets it against similar schools, its local authority and the country', async () => {
    await coordinator.goto(`${trellis.url}/networks/${federation.id}`);
    await new NetworkPage(coordinator).loaded();
    await coordinator.locator('.page-head-side').getByRole('link', { name: 'Benchmark' }).click();
    const bench = await new BenchmarkPage(coordinator).loaded();
    const groups = await bench.groups();
    expect(groups.map((g) => g.group)).toEqual(['network', 'similar', 'localAuthority', 'national']);
    expect(groups.map((g) => g.label)).toEqual(['This network', 'Similar schools', 'Local authority', 'National']);
    // Similar, authority and national groups are large: their means are shown.
    for (const g of groups.slice(1)) expect(Number.isFinite(numberIn(g.mean)), g.label).toBe(true);
    expect(await bench.barGroups()).toEqual(['network', 'similar', 'localAuthority', 'national']);
    expect((await bench.members()).length).toBeGreaterThanOrEqual(2);
    await coordinator.locator('[data-testid="member-neighbours"][aria-busy="false"] [data-testid="similar-schools"]').waitFor();
    await coordinator.locator('[data-testid="against-the-odds"][aria-busy="false"]').waitFor();
    await screenshot(coordinator, 'network-benchmark');
  });

  it('made no request outside Trellis and raised no page error', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
