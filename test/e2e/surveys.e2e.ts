import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { builtInInstrument } from '../../server/domains/surveys/index.ts';
import { makeResponses, makeWave } from '../factories.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { NetworkPage } from './pages/network.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { RespondentPage, type SurveyResultsPage, type SurveyRoundPage, SurveyRoundsPage } from './pages/surveys.page.ts';
import { type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * A staff survey round in the browser, end to end: a coordinator sets up a round of the
 * partnership survey for three member schools with k = 3, issues a personal link for a teacher
 * at each, opens it; three teachers answer through their links in three browsers of their own
 * (no account, no sign-in), each once; the coordinator follows the returns, closes the round and
 * reads the results — overall figures shown, every per-school figure hidden as "fewer than 3"
 * (one respondent each), the stage profile with its rule; then downloads the CSV and the PDF of
 * the printable report, which the server renders in Debian Chromium. The network is set up in
 * the database as an administrator would: three real schools, a coordinator post, and each
 * school sharing its survey results with the network.
 */

const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let trellis: RunningTrellis;
let browser: Browser;
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

type School = { id: number; name: string };
let network: { id: number; name: string; schools: School[] };

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const newPage = (): Promise<Page> => watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });

async function screenshot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function personId(email: string): Promise<number> {
  const row = await sql<{ id: number }>`select id from person where email = ${email}`.execute(trellis.database.db);
  if (!row.rows[0]) throw new Error(`no person ${email}`);
  return Number(row.rows[0].id);
}

beforeAll(async () => {
  trellis = await startTrellis(demoLocalAuthorities);
  const db = trellis.database.db;
  // Three open Torbay schools with names no other school has (the page objects find schools by name).
  const picked = await sql<School>`
    select s.id, s.name from school s
    where s.status = 'open' and s.la_name = 'Torbay'
      and (select count(*) from school t where lower(t.name) = lower(s.name)) = 1
    order by s.name desc limit 3`.execute(db);
  const schools = picked.rows.map((s) => ({ id: Number(s.id), name: s.name }));
  if (schools.length < 3) throw new Error('the demo region has no three open Torbay schools');
  const name = 'Torbay Staff Survey Partnership';
  const made = await sql<{ id: number }>`
    insert into network (name, kind, purpose, opened_on) values (${name}, 'partnership', 'Browser test network for staff surveys', ${isoDaysAgo(400)}::date) returning id`.execute(db);
  const id = Number(made.rows[0]!.id);
  const admin = await personId('admin@trellis.demo');
  for (const s of schools) {
    await sql`insert into membership (school_id, network_id, role, joined_on, source) values (${s.id}, ${id}, 'member', ${isoDaysAgo(400)}::date, 'browser test')`.execute(db);
    await sql`insert into consent_decision (school_id, network_id, data_class, shared, decided_by, note)
              values (${s.id}, ${id}, 'survey_results', true, ${admin}, 'Browser test: survey results shared with the partnership')`.execute(db);
  }
  await sql`insert into post (person_id, role, network_id, from_on, created_by)
            values (${await personId('coordinator@trellis.demo')}, 'network_coordinator', ${id}, ${isoDaysAgo(30)}::date, ${admin})`.execute(db);
  network = { id, name, schools };
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await trellis?.close();
});

// Every respondent ticks the positive Beginning statements and all Developing ones; two of the
// three also tick the Embedding ones of joint practice development. Deficit statements stay blank.
const everyone = ['JPD A1', 'JPD B1', 'JPD B2', 'JPD B3', 'JPD B4', 'HSC B1', 'HSC B2', 'HSC B3', 'HSC B5', 'CMP A1', 'CMP A2', 'CMP B1', 'E&C A1', 'E&C B1', 'E&C B2', 'AA A1', 'AA B1', 'AA B2'];
const embedding = ['JPD C1', 'JPD C2', 'JPD C3'];

describe('a staff survey round, from invitation to report', () => {
  let coordinator: Page;
  let round: SurveyRoundPage;
  let results: SurveyResultsPage;
  const links: string[] = [];

  it('a coordinator sets up a round of the partnership survey for three schools (k = 3) and issues a personal link for a teacher at each', async () => {
    coordinator = await newPage();
    await new SignInPage(coordinator, trellis.url).signInAs('coordinator@trellis.demo');
    await coordinator.goto(`${trellis.url}/networks/${network.id}`);
    await new NetworkPage(coordinator).loaded();
    await coordinator.locator('.page-head-side').getByRole('link', { name: 'Surveys' }).click();
    const rounds = await new SurveyRoundsPage(coordinator).loaded();
    expect(await rounds.roundTitles()).toEqual([]);
    round = await rounds.setUpRound({
      title: 'Staff survey, spring term',
      instrument: 'Partnership survey',
      schools: network.schools.map((s) => s.name),
      k: 3,
      hideStageLabels: true,
    });
    expect(await round.status()).toBe('draft');
    for (const s of network.schools) {
      const issued = await round.issueLinks(s.name, 'Teacher', [`Teacher at ${s.name}`]);
      expect(issued).toHaveLength(1);
      expect(issued[0]).toMatch(new RegExp(`^${trellis.url}/survey/[A-Za-z0-9_%-]{40,}$`));
      links.push(issued[0]!);
    }
    expect(new Set(links).size).toBe(3);
    // A draft takes no answers: its links are not recognised yet.
    const early = new RespondentPage(await newPage(), links[0]!);
    expect(await early.open()).toBe('unknown');
    await round.open();
    expect(await round.totalReturns()).toMatch(/^0 of 3 returned \(0%\)/);
    await screenshot(coordinator, 'survey-round-open');
  });

  it('three teachers answer through their links, each in a browser of their own with no sign-in; a link works once', async () => {
    for (const [i, link] of links.entries()) {
      const page = await newPage();
      const respondent = new RespondentPage(page, link);
      expect(await respondent.open()).toBe('form');
      expect(await page.locator('.site-header .account-name').count()).toBe(0);
      // The round hides stage names: the statements carry only the letters A–D.
      expect((await respondent.stageTags()).sort()).toEqual(['A', 'B', 'C', 'D']);
      expect(await page.locator('.survey-items').textContent()).not.toMatch(/Beginning|Developing|Embedding|Leading/);
      await respondent.tick(i < 2 ? [...everyone, ...embedding] : everyone);
      if (i === 0) await screenshot(page, 'survey-respondent');
      expect(await respondent.send()).toContain('Your answers have been received.');
      // The same link again: already answered, not a second form.
      expect(await respondent.open()).toBe('spent');
      expect(await respondent.heading()).toBe('This survey has already been answered');
    }
    expect(await new RespondentPage(await newPage(), `${trellis.url}/survey/not-a-real-survey-link-at-all`).open()).toBe('unknown');
  });

  it('the coordinator sees the returns per school, then closes the round', async () => {
    await coordinator.reload();
    await round.loaded();
    expect(await round.totalReturns()).toBe('3 of 3 returned (100%) · 3 online, 0 on paper');
    const bySchool = await round.returnsBySchool();
    expect(bySchool.map((r) => r.name).sort()).toEqual(network.schools.map((s) => s.name).sort());
    for (const r of bySchool) expect([r.invited, r.returned, r.rate]).toEqual(['1', '1', '100%']);
    expect(await round.outstandingCount()).toBe(0);
    await round.close();
    results = await round.openResults();
  });

  it('results show the overall figures, hide every school of one respondent as "fewer than 3", and give each strand’s stage profile with its rule', async () => {
    expect(await results.overallRespondents()).toBe('3');
    const bySchool = await results.respondentsBySchool();
    expect(Object.keys(bySchool).sort()).toEqual(network.schools.map((s) => s.name).sort());
    for (const shown of Object.values(bySchool)) expect(shown).toBe('fewer than 3');
    expect(await results.respondentsByRoleGroup()).toEqual({ HD: 'none', SLT: 'none', T: '3', S: 'none' });
    for (const s of network.schools) {
      const panel = await results.schoolPanel(s.name);
      expect(panel).toContain('fewer than 3');
      expect(panel).not.toMatch(/\d+(\.\d)?%/);
      // No per-school figure anywhere in the statements table: the marker, never a number.
      for (const cell of await results.schoolCellTexts(s.name)) expect(cell).toBe('fewer than 3');
    }
    // JPD: Beginning and Developing endorsed by all three (deficits left blank), Embedding by two of three.
    const jpd = await results.stageProfile('JPD');
    expect(jpd.verdict).toBe('Embedding · maturity index 2.67 of 4');
    expect(jpd.reason).toBe('Beginning (100%), Developing (100%), Embedding (66.7%) have a majority; Leading (0%) does not, so the strand stands at Embedding.');
    expect(jpd.items).toBe(13);
    const hsc = await results.stageProfile('HSC');
    expect(hsc.reason).toMatch(/majority/);
    await screenshot(coordinator, 'survey-results');
    await coordinator.goto(`${trellis.url}/survey-rounds/${await coordinator.evaluate(() => location.pathname.split('/')[2])}/report`);
    await coordinator.locator('[data-testid="survey-report"][data-ready="true"]').waitFor();
    await coordinator.emulateMedia({ media: 'print' });
    await screenshot(coordinator, 'survey-report-print');
    await coordinator.emulateMedia({ media: 'screen' });
    await coordinator.goBack();
    await results.loaded();
  });

  it('the results download as CSV, with the hidden cells blank and saying why', async () => {
    const csv = await results.downloadCsv();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('section,code,strand,stage,statement,breakdown,group,respondents,count,percent,maturity_index,note');
    const schoolRows = lines.filter((l) => l.includes(',school,'));
    expect(schoolRows.length).toBeGreaterThan(0);
    for (const row of schoolRows) expect(row).toMatch(/,,,,,?suppressed: fewer than 3 respondents$/);
    expect(lines.some((l) => l.startsWith('item,JPD A1,') && l.includes(',overall,All respondents,3,3,100,'))).toBe(true);
  });

  it('the printable report downloads as a PDF rendered by the server’s Chromium', async () => {
    const pdf = await results.downloadPdf();
    if (shots) await writeFile(join(shots, 'survey-report.pdf'), pdf);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pdf.length).toBeGreaterThan(10_000);
  });

  it('with an earlier round on record, the results chart the change with its intervals and warn that the number answering changed', async () => {
    // Last year's round of the same instrument, as if run and closed then: twelve teachers, four per school, half ticking JPD A1.
    const before = await makeWave(trellis.database.db, network, network.schools, {
      status: 'closed',
      title: 'Staff survey, last year',
      minCell: 3,
      instrument: builtInInstrument('partnership-survey')!,
      closedOn: isoDaysAgo(365),
    });
    await makeResponses(
      trellis.database.db,
      before,
      network.schools.flatMap((school) => [
        { school, role: 'teacher' as const, count: 2, answers: { 'JPD A1': true as const } },
        { school, role: 'teacher' as const, count: 2 },
      ]),
    );
    await results.reload();
    const change = await results.change();
    expect(change.heading).toBe('Change since Staff survey, last year');
    expect(change.warning).toContain('With 12 respondents before and 3 now');
    const a1 = change.rows.find((r) => r.item === 'JPD A1');
    // 6 of 12 → 3 of 3: the percentage doubles while the count halves.
    expect(a1?.warnings.split(' ').sort()).toEqual(['count-and-percent-disagree', 'small-denominator', 'unequal-denominators']);
    expect(change.rows).toHaveLength(60);
    await screenshot(coordinator, 'survey-change');
  });

  it('made no request outside Trellis and raised no page error', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
