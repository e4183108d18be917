import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { AuditPage } from './pages/audit.page.ts';
import { InvitePage } from './pages/invite.page.ts';
import { MyPostsPage } from './pages/my-posts.page.ts';
import { NetworkPage } from './pages/network.page.ts';
import { PeoplePage } from './pages/people.page.ts';
import { SchoolPage } from './pages/school.page.ts';
import { SharingPage } from './pages/sharing.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { demoPassword, type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * Accounts and permissions in the browser: signing in and out, consent that takes effect on the
 * partner's next request, and an invitation from link to post. Each person browses in a context
 * of their own (their own cookies), as they would on their own computer.
 */

/** The whole demo region, so the demo accounts sit around the same federation a newcomer's `npm start` shows. */
const localAuthorities = demoLocalAuthorities;
const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let trellis: RunningTrellis;
let browser: Browser;
/** The demo federation F and its first two members: A (whose head shares its outcomes with F) and B (the teacher's school). */
let demo: { schoolA: { id: number; name: string; hasResults: boolean }; schoolB: { id: number; name: string }; network: { id: number; name: string } };
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

/** A browser of one's own: a fresh context, watched for requests outside the server and page errors. */
const newPage = (): Promise<Page> => watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });

async function signedIn(email: string): Promise<Page> {
  const page = await newPage();
  await new SignInPage(page, trellis.url).signInAs(email);
  return page;
}

async function screenshot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function postOf(email: string) {
  const row = await sql<{ school_id: number | null; network_id: number | null; school_name: string | null; network_name: string | null }>`
    select p.school_id, p.network_id, s.name as school_name, n.name as network_name
    from post p join person on person.id = p.person_id
    left join school s on s.id = p.school_id left join network n on n.id = p.network_id
    where person.email = ${email} limit 1`.execute(trellis.database.db);
  if (!row.rows[0]) throw new Error(`no post for ${email}: seedDemoAccounts did not run`);
  return row.rows[0];
}

beforeAll(async () => {
  trellis = await startTrellis(localAuthorities);
  const head = await postOf('head@trellis.demo');
  const teacher = await postOf('teacher@trellis.demo');
  const coordinator = await postOf('coordinator@trellis.demo');
  const results = await sql<{ n: number }>`
    select count(*)::int as n from ks2_result r join school s on s.urn = r.urn where s.id = ${head.school_id}`.execute(trellis.database.db);
  demo = {
    schoolA: { id: Number(head.school_id), name: head.school_name ?? '', hasResults: (results.rows[0]?.n ?? 0) > 0 },
    schoolB: { id: Number(teacher.school_id), name: teacher.school_name ?? '' },
    network: { id: Number(coordinator.network_id), name: coordinator.network_name ?? '' },
  };
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await trellis?.close();
});

describe('signing in', () => {
  it('sends a visitor without a session to sign in, refuses a wrong password, then returns to the page asked for', async () => {
    const page = await newPage();
    await page.goto(`${trellis.url}/schools/${demo.schoolB.id}`);
    const signIn = await new SignInPage(page, trellis.url).shown();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/schools/${demo.schoolB.id}`);
    // The API itself refuses too: the page is not merely hidden.
    expect((await page.request.get(`${trellis.url}/api/v1/schools/${demo.schoolB.id}`)).status()).toBe(401);

    expect(await signIn.failToSignIn('teacher@trellis.demo', 'not-the-password')).toContain('The email or password is not right');
    await screenshot(page, 'sign-in-refused');

    await signIn.signInAs('teacher@trellis.demo');
    const school = await new SchoolPage(page).loaded();
    expect(await school.name()).toBe(demo.schoolB.name);
    expect(await page.locator('.site-header .account-name').textContent()).toBe('Grace Okafor');
  });

  it("shows a researcher the network's results in aggregate only", async () => {
    const researcher = await signedIn('researcher@trellis.demo');
    await researcher.goto(`${trellis.url}/networks/${demo.network.id}`);
    const network = await new NetworkPage(researcher).loaded();
    const summary = await network.resultsSummary();
    expect(summary).toMatch(/In aggregate: 1 of \d+ members share their results with the network\./);
    expect(summary).toContain('withheld (fewer than 3 schools)');
    expect((await network.memberResults()).every((m) => !m.shared)).toBe(true);
    await researcher.goto(`${trellis.url}/schools/${demo.schoolA.id}`);
    expect((await (await new SchoolPage(researcher).loaded()).results()).message).toBe('This school does not share its results with you.');
  });

  it('refuses an account for a while after five failed attempts, and says how long', async () => {
    const page = await newPage();
    const signIn = await new SignInPage(page, trellis.url).open();
    for (let i = 0; i < 5; i++) expect(await signIn.failToSignIn('researcher@trellis.demo', `wrong-${i}`)).toContain('not right');
    // Even the right password is refused now, with the wait the server gives (Retry-After).
    expect(await signIn.failToSignIn('researcher@trellis.demo', demoPassword)).toMatch(/Too many failed attempts for this email\. Try again in 1[45] minutes/);
  });

  it('opens an invitation link without a session', async () => {
    const page = await newPage();
    await page.goto(`${trellis.url}/invite/${'x'.repeat(43)}`);
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/invite/${'x'.repeat(43)}`);
  });
});

describe('sharing by consent', () => {
  it('stops showing a school’s results to partners from their next request once its head turns sharing off', async () => {
    expect(demo.schoolA.id).not.toBe(demo.schoolB.id);
    // The teacher at B (a partner in F) sees A's results while A shares them with F.
    const teacher = await signedIn('teacher@trellis.demo');
    await teacher.goto(`${trellis.url}/schools/${demo.schoolA.id}`);
    const before = await (await new SchoolPage(teacher).loaded()).results();
    expect(before.message).not.toContain('does not share');
    if (demo.schoolA.hasResults) expect(before.years.length).toBeGreaterThan(0);
    await teacher.goto(`${trellis.url}/networks/${demo.network.id}`);
    const membersBefore = await (await new NetworkPage(teacher).loaded()).memberResults();
    expect(membersBefore.find((m) => m.school === demo.schoolA.name)?.shared).toBe(true);

    // A's head, in a browser of their own, turns off outcomes for F.
    const head = await signedIn('head@trellis.demo');
    await head.goto(`${trellis.url}/schools/${demo.schoolA.id}`);
    await (await new SchoolPage(head).loaded()).openSharingSettings();
    const sharing = new SharingPage(head, trellis.url);
    expect(await sharing.isShared(demo.network.name, 'Outcomes')).toBe(true);
    await sharing.setShared(demo.network.name, 'Outcomes', false, 'Pausing while we check the figures');
    expect(await sharing.isShared(demo.network.name, 'Outcomes')).toBe(false);
    expect((await sharing.history())[0]).toMatchObject({ network: demo.network.name, decision: 'Stopped sharing', by: 'Tom Hughes', note: 'Pausing while we check the figures' });
    await screenshot(head, 'sharing-off');
    // The head sees the decision in the school's audit trail.
    const trail = await new AuditPage(head, trellis.url).openFromHeader();
    expect((await trail.events())[0]).toMatchObject({ who: 'Tom Hughes', what: 'Sharing changed', details: 'Outcomes (pupils’ results): not shared' });
    expect((await trail.events())[0]?.about).toContain(demo.network.name);

    // The teacher's next request: A no longer shares with them, on its page and in F's table.
    await teacher.goto(`${trellis.url}/schools/${demo.schoolA.id}`);
    const after = await (await new SchoolPage(teacher).loaded()).results();
    expect(after.message).toBe('This school does not share its results with you.');
    expect(after.years).toEqual([]);
    await teacher.goto(`${trellis.url}/networks/${demo.network.id}`);
    const membersAfter = await (await new NetworkPage(teacher).loaded()).memberResults();
    const a = membersAfter.find((m) => m.school === demo.schoolA.name);
    expect(a?.shared).toBe(false);
    expect(a?.text).toBe('Not shared');
    await screenshot(teacher, 'network-results-not-shared');

    // The teacher may read their own school's settings but not change them.
    await new SharingPage(teacher, trellis.url).open(demo.schoolB.id);
    expect(await teacher.getByRole('switch').count()).toBe(0);
  });
});

describe('invitations', () => {
  it('an administrator invites a teacher; the link creates the account, which holds the post', async () => {
    const admin = await signedIn('admin@trellis.demo');
    const people = await new PeoplePage(admin, trellis.url).open();
    const link = await people.invite({ email: 'nia.jones@example.org', name: 'Nia Jones', role: 'Teacher', school: demo.schoolB.name });
    expect(link).toMatch(new RegExp(`^${trellis.url}/invite/[A-Za-z0-9_-]{20,}$`));
    await screenshot(admin, 'people-invite');

    const invited = await newPage();
    const invite = await new InvitePage(invited).open(link);
    expect(await invite.offer()).toContain(`as Teacher at ${demo.schoolB.name}`);
    const mine = await invite.createAccount('Nia Jones', 'a long enough passphrase');
    expect(await mine.currentPosts()).toEqual([expect.objectContaining({ role: 'Teacher', place: demo.schoolB.name, status: 'Current' })]);
    await screenshot(invited, 'my-posts');

    // The link works once.
    const again = await newPage();
    await again.goto(link);
    await again.getByRole('heading', { name: 'This link cannot be used' }).waitFor();

    // The administrator finds the new account with its post.
    const found = await people.find('nia.jones');
    expect(found).toEqual([{ email: 'nia.jones@example.org', posts: [expect.objectContaining({ role: 'Teacher', place: demo.schoolB.name, status: 'Current' })] }]);

    // Forgotten already: the administrator gives a reset link, which sets a new password and signs her in.
    const reset = await people.resetLinkFor('nia.jones@example.org');
    const later = await newPage();
    const resetPage = await new InvitePage(later).open(reset);
    expect(await later.getByRole('heading', { level: 1 }).textContent()).toBe('Choose a new password');
    expect(await resetPage.offer()).toContain('nia.jones@example.org');
    expect((await (await resetPage.choosePassword('another long passphrase')).currentPosts()).map((p) => p.place)).toEqual([demo.schoolB.name]);
  });
});

describe('signing out', () => {
  it('ends the session: a reload shows the sign-in page and the API refuses the old cookie', async () => {
    const page = await signedIn('officer@trellis.demo');
    const mine = await new MyPostsPage(page, trellis.url).open();
    await mine.signOut();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.reload();
    await new SignInPage(page, trellis.url).shown();
    await page.goto(`${trellis.url}/schools`);
    await new SignInPage(page, trellis.url).shown();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/schools');
    expect((await page.request.get(`${trellis.url}/api/v1/auth/me`)).status()).toBe(401);
  });

  it('signing out everywhere ends the sessions of other browsers too', async () => {
    const laptop = await signedIn('coordinator@trellis.demo');
    const phone = await signedIn('coordinator@trellis.demo');
    await (await new MyPostsPage(laptop, trellis.url).open()).signOutEverywhere();
    await phone.goto(`${trellis.url}/networks/${demo.network.id}`);
    await new SignInPage(phone, trellis.url).shown();
    expect(new URL(phone.url()).searchParams.get('next')).toBe(`/networks/${demo.network.id}`);
  });
});

describe('the whole session', () => {
  it('made no request outside the server and raised no page errors', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
