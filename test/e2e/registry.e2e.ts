import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCsv } from '../../server/domains/imports/csv-source.ts';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { sharedData } from '../harness.ts';
import { ImportPage } from './pages/import.page.ts';
import { NetworkPage } from './pages/network.page.ts';
import { SchoolPage } from './pages/school.page.ts';
import { SchoolSearchPage } from './pages/school-search.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { launchChromium } from './browser.ts';
import { type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * The web app in Debian Chromium against the real server and real schools (two local
 * authorities of the demo cut). Every test signs in afresh as the demo administrator (imports
 * and declaring a network's classification need one). Set TRELLIS_E2E_SCREENSHOTS=/some/dir to
 * keep screenshots.
 */

/** The schools under test; the whole demo region is loaded, as the demo accounts sit around a Devon federation. */
const localAuthorities = ['Plymouth', 'Torbay'];
const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let trellis: RunningTrellis;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** A real school in a real federation, found in the loaded data. */
let member: { schoolId: number; urn: number; schoolName: string; networkId: number; networkName: string; joinedOn: string | null };
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

async function screenshot(name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  trellis = await startTrellis(demoLocalAuthorities);
  const found = await sql<{
    school_id: number;
    urn: number;
    school_name: string;
    network_id: number;
    network_name: string;
    joined_on: string | null;
  }>`
    select s.id as school_id, s.urn, s.name as school_name, n.id as network_id, n.name as network_name, m.joined_on
    from membership m
    join school s on s.id = m.school_id
    join network n on n.id = m.network_id
    where m.left_on is null and s.latitude is not null and s.la_name in (${sql.join(localAuthorities)})
      and (select count(*) from membership o where o.network_id = n.id and o.left_on is null) >= 2
    order by m.joined_on is null, n.name, s.name
    limit 1`.execute(trellis.database.db);
  const row = found.rows[0];
  if (!row) throw new Error(`No located school with a current membership in ${localAuthorities.join(', ')}: the demo data lacks federations`);
  member = { schoolId: row.school_id, urn: row.urn, schoolName: row.school_name, networkId: row.network_id, networkName: row.network_name, joinedOn: row.joined_on };

  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(trellis.url) && !r.url().startsWith('data:')) outsideRequests.push(r.url());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

beforeEach(async () => {
  await context.clearCookies();
  await new SignInPage(page, trellis.url).signInAs('admin@trellis.demo');
});

afterAll(async () => {
  await browser?.close();
  await trellis?.close();
});

describe('registry pages', () => {
  it('finds a school by name and shows its networks over time', async () => {
    const search = await new SchoolSearchPage(page, trellis.url).open();
    await search.searchFor(member.schoolName);
    expect(await search.resultNames()).toContain(member.schoolName);
    expect(page.url()).toContain(`q=${encodeURIComponent(member.schoolName).replace(/%20/g, '+')}`);

    const school = await search.openSchool(member.schoolName, member.urn);
    expect(await school.name()).toBe(member.schoolName);
    expect((await school.profile()).URN).toBe(String(member.urn));
    const memberships = await school.networksOverTime();
    expect(memberships.map((m) => m.network)).toContain(member.networkName);
    expect(memberships.find((m) => m.network === member.networkName)?.left).toBe('Current');
    expect(await school.timelineBars()).toBe(memberships.length);
    await screenshot('school');
  });

  it('shows the network’s members on a date (and not before the school joined) and maps them', async () => {
    await page.goto(`${trellis.url}/schools/${member.schoolId}`);
    const school = await new SchoolPage(page).loaded();
    const network = await school.openNetwork(member.networkName);
    expect(await network.name()).toBe(member.networkName);
    expect(await network.memberNames()).toContain(member.schoolName);

    if (member.joinedOn) {
      expect(await network.membersOn(member.joinedOn)).toContain(member.schoolName);
      expect(await network.membersOn(dayBefore(member.joinedOn))).not.toContain(member.schoolName);
      expect(page.url()).toContain(`on=${dayBefore(member.joinedOn)}`);
      await network.membersOn(member.joinedOn);
    }

    expect(await network.mapPoints()).toBeGreaterThanOrEqual(1);
    expect(await network.mapSummary()).toMatch(/\d+ members? mapped/);
    expect((await network.focusMapPoint(0)).length).toBeGreaterThan(0);
    await screenshot('network');
  });

  it('saves declared classification values and marks where they differ from the computed ones', async () => {
    await page.goto(`${trellis.url}/networks/${member.networkId}`);
    const network = await new NetworkPage(page).loaded();
    const before = await network.typology();
    const computedSpan = before.find((r) => r.dimension === 'Cross-phase or single phase')?.computed ?? '';
    // Declare the opposite of what the member data shows, so the row must be marked.
    const declared = computedSpan.startsWith('Cross-phase') ? 'Single phase' : 'Cross-phase';
    await network.declare({ 'Cross-phase or single phase': declared, 'Relationship depth': 'Collegiality' });
    const after = await network.typology();
    const span = after.find((r) => r.dimension === 'Cross-phase or single phase');
    expect(span?.declared).toBe(declared);
    if (computedSpan) expect(span?.differs).toBe(true);
    expect(after.find((r) => r.dimension === 'Relationship depth')?.declared).toBe('Collegiality');
    await screenshot('network-typology');

    await page.reload();
    const reloaded = await new NetworkPage(page).loaded();
    expect((await reloaded.typology()).find((r) => r.dimension === 'Relationship depth')?.declared).toBe('Collegiality');
  });

  it('keeps the search in the URL, so a reload or a shared link shows the same results', async () => {
    const search = await new SchoolSearchPage(page, trellis.url).open(`?q=${encodeURIComponent(member.schoolName)}&status=open`);
    expect(await search.resultNames()).toContain(member.schoolName);
    await page.reload();
    await new SchoolSearchPage(page, trellis.url).open(`?q=${encodeURIComponent(member.schoolName)}&status=open`);
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('open');
    const none = await new SchoolSearchPage(page, trellis.url).open('?q=zzzz-no-such-school');
    expect(await none.emptyMessage()).toContain('No school matches');
  });

  it('answers an unknown school with a not-found page, not a blank one', async () => {
    await page.goto(`${trellis.url}/schools/999999999`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Not found');
  });
});

describe('import page', () => {
  let folder: string;
  let header: string;
  let rows: string[];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'trellis-e2e-'));
    // Three real register rows of the loaded authorities, in the published establishments format.
    const columns = ['urn', 'name', 'local_authority_name', 'phase_of_education', 'gender', 'status'];
    header = columns.join(',');
    rows = [];
    for await (const r of readCsv(sharedData('gias/gias-data_establishments_20240617.csv'))) {
      if (r.values.local_authority_name !== localAuthorities[0]) continue;
      rows.push(columns.map((c) => `"${(r.values[c] ?? '').replace(/"/g, '""')}"`).join(','));
      if (rows.length === 3) break;
    }
  });

  it('uploads a CSV, shows progress, then the counts', async () => {
    const file = join(folder, 'establishments-sample.csv');
    writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
    const importPage = await new ImportPage(page, trellis.url).open();
    expect((await importPage.kinds()).length).toBeGreaterThan(1);
    const outcome = await importPage.upload(file, 'establishments');
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.heading).toContain('establishments-sample.csv');
    expect(outcome.tiles['Rows read']).toBe('3');
    expect(outcome.tiles['Rows loaded']).toBe('3');
    await screenshot('import-done');
  });

  it('detects the kind from the header and lists the rows to fix when a file is wrong', async () => {
    const file = join(folder, 'establishments-broken.csv');
    const broken = rows[1]!.replace(/"[^"]*"$/, '"Sort of open"');
    writeFileSync(file, `${header}\n${rows[0]}\n${broken}\n`);
    const importPage = await new ImportPage(page, trellis.url).open();
    const outcome = await importPage.upload(file);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.heading).toBe('Nothing was imported');
    expect(outcome.problems).toHaveLength(1);
    expect(outcome.problems[0]).toMatchObject({ row: '2', column: 'status' });
    expect(outcome.problems[0]?.message).toContain('Sort of open');
    await screenshot('import-failed');
  });
});

describe('the whole session', () => {
  it('made no request outside the server and raised no page errors', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
