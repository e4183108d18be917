import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { ActivityImportPage, ActivityLogPage, CollaborationPage, RecordActivityPage } from './pages/activities.page.ts';
import { NetworkPage } from './pages/network.page.ts';
import { type GoalInput, PlanPage } from './pages/plan.page.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * The collaboration record in the browser: a coordinator forms a partnership with goals and a
 * written agreement, logs an activity between two schools and finds the tie on a school's
 * profile; a teacher sees the partners whose activity records are not shared with them
 * redacted; a CSV file with problems is refused row by row. The demo federation already has a
 * plan, so the coordinator gets a network of their own, set up in the database as an
 * administrator would: two real schools as members, a coordinator post, and both schools
 * sharing their activity records with it.
 */

const shots = process.env.TRELLIS_E2E_SCREENSHOTS;
const hidden = 'A school that does not share its activity records with you';

let trellis: RunningTrellis;
let browser: Browser;
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

type School = { id: number; name: string; urn: number };
/** The network made for these tests and its two members; the demo teacher's school (in the demo federation). */
let fresh: { id: number; name: string; a: School; b: School };
let teacherSchool: School;
let demoFederation: { id: number; name: string };

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const newPage = (): Promise<Page> => watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });

async function signedIn(email: string): Promise<Page> {
  const page = await newPage();
  await new SignInPage(page, trellis.url).signInAs(email);
  return page;
}

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
  // Two open Torbay schools with names no other school has (the page objects find schools by name).
  const schools = await sql<School>`
    select s.id, s.name, s.urn from school s
    where s.status = 'open' and s.la_name = 'Torbay' and s.urn is not null
      and (select count(*) from school t where lower(t.name) = lower(s.name)) = 1
    order by s.name limit 2`.execute(db);
  const [a, b] = schools.rows.map((s) => ({ id: Number(s.id), name: s.name, urn: Number(s.urn) }));
  if (!a || !b) throw new Error('the demo region has no two open Torbay schools');
  const name = 'Torbay Writing Partnership';
  const network = await sql<{ id: number }>`
    insert into network (name, kind, purpose, opened_on) values (${name}, 'partnership', 'Browser test network', ${isoDaysAgo(400)}::date) returning id`.execute(db);
  const id = Number(network.rows[0]!.id);
  const admin = await personId('admin@trellis.demo');
  for (const s of [a, b]) {
    await sql`insert into membership (school_id, network_id, role, joined_on, source) values (${s.id}, ${id}, 'member', ${isoDaysAgo(400)}::date, 'browser test')`.execute(db);
    await sql`insert into consent_decision (school_id, network_id, data_class, shared, decided_by, note)
              values (${s.id}, ${id}, 'activity_records', true, ${admin}, 'Browser test: shared with the partnership')`.execute(db);
  }
  await sql`insert into post (person_id, role, network_id, from_on, created_by)
            values (${await personId('coordinator@trellis.demo')}, 'network_coordinator', ${id}, ${isoDaysAgo(30)}::date, ${admin})`.execute(db);
  // The demo head also leads both schools (an executive head), so the agreement can be agreed in the browser.
  const head = await personId('head@trellis.demo');
  for (const s of [a, b]) {
    await sql`insert into post (person_id, role, school_id, from_on, created_by) values (${head}, 'head_teacher', ${s.id}, ${isoDaysAgo(30)}::date, ${admin})`.execute(db);
  }
  fresh = { id, name, a, b };

  const teacher = await sql<{ id: number; name: string; urn: number }>`
    select s.id, s.name, s.urn from post p join person on person.id = p.person_id join school s on s.id = p.school_id
    where person.email = 'teacher@trellis.demo' limit 1`.execute(db);
  teacherSchool = { id: Number(teacher.rows[0]!.id), name: teacher.rows[0]!.name, urn: Number(teacher.rows[0]!.urn) };
  const federation = await sql<{ id: number; name: string }>`
    select n.id, n.name from post p join person on person.id = p.person_id join network n on n.id = p.network_id
    where person.email = 'coordinator@trellis.demo' and n.id <> ${id} limit 1`.execute(db);
  demoFederation = { id: Number(federation.rows[0]!.id), name: federation.rows[0]!.name };
  // The demo has most federation schools share their activity records with it; the teacher's
  // school stops, so the redaction tests below see it as a school that shares nothing.
  await sql`insert into consent_decision (school_id, network_id, data_class, shared, decided_by, note)
    select ${teacherSchool.id}, ${demoFederation.id}, 'activity_records', false, p.person_id, 'e2e: not shared'
    from post p where p.role = 'platform_admin' limit 1`.execute(db);

  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await trellis?.close();
});

const goal = (n: number, extra: Partial<GoalInput> = {}): GoalInput => ({
  statement: `Goal ${n}: more pupils write at the expected standard`,
  measure: 'Pupils meeting the expected standard in writing at KS2',
  unit: '%',
  baseline: 60 + n,
  baselineOn: isoDaysAgo(60),
  target: 70 + n,
  targetOn: `${new Date().getUTCFullYear() + 2}-07-31`,
  ...extra,
});

describe('a partnership from formation to the first tie', () => {
  it('a coordinator forms a partnership with goals and an agreement, logs an activity between two schools, and sees the tie on the school’s profile', async () => {
    const coordinator = await signedIn('coordinator@trellis.demo');
    await coordinator.goto(`${trellis.url}/networks/${fresh.id}`);
    const network = await new NetworkPage(coordinator).loaded();
    await network.follow('Partnership plan');
    const plan = await new PlanPage(coordinator, trellis.url).loaded();

    // No plan yet: the coordinator forms one.
    expect(await plan.offersToForm()).toBe(true);
    await plan.formPartnership({
      purpose: 'Raise attainment in writing at the end of primary by sharing what works between our two schools.',
      vision: 'Every pupil leaves primary school writing with confidence.',
      theory: 'Teachers observe each other and moderate together, so strong practice in one school moves to the other.',
    });
    expect(await plan.stage()).toBe('Forming');
    expect(await plan.purpose()).toContain('Raise attainment in writing');

    // Five goals, one with each school's contribution; a sixth is refused with the reason.
    expect(await plan.addGoal(goal(1, { contributions: { [fresh.a.name]: 'Hosts the observation visits', [fresh.b.name]: 'Leads moderation of Year 6 writing' } }))).toBeNull();
    for (const n of [2, 3, 4, 5]) expect(await plan.addGoal(goal(n))).toBeNull();
    expect(await plan.goalCount()).toMatch(/^5 of at most 5 goals in force/);
    expect(await plan.goalText(goal(1).statement)).toContain(`${fresh.a.name}: Hosts the observation visits`);
    expect(await plan.goalText(goal(2).statement)).toContain(`Contribution not yet stated: ${[fresh.a.name, fresh.b.name].sort().join(', ')}`);
    const refusal = await plan.addGoal(goal(6));
    expect(refusal).toMatch(/this partnership already has 5 goals in force and may have at most 5/i);
    expect(refusal).toContain('retire a goal');
    expect(await plan.goalStatements()).toHaveLength(5);
    await screenshot(coordinator, 'plan-goals');

    // The written agreement: version 1, waiting for both schools' leaders.
    await plan.writeAgreement({
      principles: ['We share what works and what does not', 'Every school gives as well as receives'],
      frequency: 'Every half term',
      minAttendancePct: 80,
      consequence: 'No call on the shared fund that year',
      sharing: ['Activity records'],
      conflictResolution: 'The two heads meet within a fortnight; if they cannot agree, the chair of governors of each school decides together.',
      equalShares: 3000,
    });
    const agreement = await plan.agreement();
    expect(agreement).toMatchObject({ version: 1, agreed: false, principles: ['We share what works and what does not', 'Every school gives as well as receives'] });
    expect(agreement.status).toContain(fresh.a.name);
    expect(agreement.status).toContain(fresh.b.name);
    expect(await plan.funding()).toEqual({ [fresh.a.name]: '£1,500', [fresh.b.name]: '£1,500' });
    // Data sharing: the agreement asks for activity records, which both schools already share.
    expect(await plan.sharing(4)).toEqual({ [fresh.a.name]: 'as_agreed', [fresh.b.name]: 'as_agreed' });
    // Moving to Active waits for both schools to agree; the page says so instead of offering it.
    const active = (await plan.nextSteps()).find((s) => s.to === 'active');
    expect(active?.allowed).toBe(false);
    expect(active?.missing.join(' ')).toContain('still awaiting');
    await screenshot(coordinator, 'plan-agreement');

    // The schools' head agrees for each; nobody else may. Then the coordinator moves the partnership to Active.
    const head = await signedIn('head@trellis.demo');
    const headsView = await new PlanPage(head, trellis.url).open(fresh.id);
    expect(await headsView.canChange()).toBe(false);
    await headsView.agreeFor(fresh.a.name);
    expect((await headsView.agreement()).status).toBe(`Awaiting agreement from ${fresh.b.name}.`);
    await headsView.agreeFor(fresh.b.name);
    expect(await headsView.agreement()).toMatchObject({ version: 1, agreed: true });
    await plan.open(fresh.id);
    expect((await plan.nextSteps()).find((s) => s.to === 'active')).toEqual({ to: 'active', allowed: true, missing: [] });
    await plan.moveTo('Active', 'Goals set and the agreement agreed by both schools');
    expect(await plan.stage()).toBe('Active');
    expect((await plan.nextSteps()).map((s) => s.to)).toEqual(['under_review']);

    // An activity between the two schools, logged from the network page.
    await coordinator.goto(`${trellis.url}/networks/${fresh.id}`);
    await (await new NetworkPage(coordinator).loaded()).follow('Record an activity');
    const entry = await new RecordActivityPage(coordinator, trellis.url).shown();
    const saved = await entry.record({
      type: 'Peer observation',
      title: 'Year 6 writing lesson observations',
      schools: [
        { name: fresh.a.name, direction: 'giving', people: { Teachers: 2 } },
        { name: fresh.b.name, direction: 'receiving', people: { Teachers: 3, 'Middle leaders': 1 } },
      ],
      startOn: isoDaysAgo(70),
      recurrence: 'Weekly',
      occurrences: 6,
      hours: 1.5,
      focus: 'Writing',
    });
    expect(saved.title).toBe('Year 6 writing lesson observations');
    expect(saved.schools).toEqual(expect.arrayContaining([{ name: fresh.a.name, hidden: false }, { name: fresh.b.name, hidden: false }]));

    // The tie on the first school's profile: weak (one kind of activity, help one way), with the facts behind it.
    const profile = await entry.openProfileOf(fresh.a.name);
    expect(await profile.heading()).toBe(`Collaboration: ${fresh.a.name}`);
    const ties = await profile.ties();
    expect(ties).toEqual([expect.objectContaining({ partner: fresh.b.name, hidden: false, class: 'weak' })]);
    expect(ties[0]?.text).toContain('6 contacts in the last 12 months');
    expect(ties[0]?.text).toContain('1 kind of activity (strong needs 2)');
    expect(ties[0]?.text).toContain('help went one way only');
    expect(await profile.balance()).toContain('mostly gives');
    expect(await profile.timeline()).toContain('Year 6 writing lesson observations');
    expect(await profile.participationShown()).toBe(true);
    await screenshot(coordinator, 'collaboration-profile');

    // The network page counts the tie; participation is withheld below three sharing schools.
    await coordinator.goto(`${trellis.url}/networks/${fresh.id}`);
    const collaboration = await (await new NetworkPage(coordinator).loaded()).collaboration();
    expect(collaboration.summary).toMatchObject({ 'Strong ties': '0', 'Weak ties': '1', 'Members with no tie': '0' });
    expect(collaboration.ties).toEqual([{ pair: expect.stringContaining(fresh.b.name), class: 'weak' }]);
    expect(collaboration.participation).toContain('fewer than the 3 needed');
  });
});

describe('partners that do not share', () => {
  it('shows a teacher the partner of their own school’s activity as a school that does not share its records, everywhere', async () => {
    const teacher = await signedIn('teacher@trellis.demo');
    // The teacher records an activity between their school and one that shares its records only with another network.
    const entry = await new RecordActivityPage(teacher, trellis.url).open({ schoolId: teacherSchool.id });
    const saved = await entry.record({
      type: 'Shared extra-curricular activity',
      title: 'Joint choir rehearsal',
      schools: [
        { name: teacherSchool.name, direction: 'mutual', people: { Pupils: 24, Teachers: 1 } },
        { name: fresh.a.name, direction: 'mutual', people: { Pupils: 18 } },
      ],
      startOn: isoDaysAgo(3),
    });
    expect(saved.schools).toEqual([
      { name: teacherSchool.name, hidden: false },
      { name: hidden, hidden: true },
    ]);

    // The log and the school's profile name only the teacher's own school.
    const log = await new ActivityLogPage(teacher, trellis.url).open({ schoolId: teacherSchool.id });
    const listed = (await log.activities()).find((a) => a.title === 'Joint choir rehearsal');
    expect(listed?.schools).toEqual([
      { name: teacherSchool.name, hidden: false },
      { name: hidden, hidden: true },
    ]);
    expect(JSON.stringify(await log.activities())).not.toContain(fresh.a.name);
    await screenshot(teacher, 'activity-log-redacted');

    const profile = await new CollaborationPage(teacher, trellis.url).open(teacherSchool.id);
    const ties = await profile.ties();
    expect(ties.some((t) => t.hidden && t.partner === hidden)).toBe(true);
    expect(ties.every((t) => t.partner !== fresh.a.name)).toBe(true);

    // The partner's own profile is closed to the teacher.
    const partner = await new CollaborationPage(teacher, trellis.url).open(fresh.a.id);
    expect(await partner.notShared()).toBe('This school does not share its activity records with you.');

    // The coordinator of the partner's network sees it, with the teacher's school (which shares nothing with them) redacted in turn.
    const coordinator = await signedIn('coordinator@trellis.demo');
    const seen = await new CollaborationPage(coordinator, trellis.url).open(fresh.a.id);
    const theirs = await seen.ties();
    expect(theirs.filter((t) => t.hidden)).toHaveLength(1);
    expect(theirs.map((t) => t.partner)).toContain(fresh.b.name);
    expect(theirs.map((t) => t.partner)).not.toContain(teacherSchool.name);
  });

  it('shows a member school’s teacher the federation’s plan without the means to change it', async () => {
    const teacher = await signedIn('teacher@trellis.demo');
    const plan = await new PlanPage(teacher, trellis.url).open(demoFederation.id);
    expect(await plan.stage()).not.toBe('');
    expect((await plan.goalStatements()).length).toBeGreaterThan(0);
    expect(await plan.canChange()).toBe(false);
    expect(await teacher.getByRole('note').filter({ hasText: 'You can read this plan' }).count()).toBe(1);
  });
});

describe('uploading activities', () => {
  it('refuses a file with problems as a whole, naming each by row and column', async () => {
    const coordinator = await signedIn('coordinator@trellis.demo');
    const upload = await new ActivityImportPage(coordinator, trellis.url).open();
    const { a, b, id } = fresh;
    const on = isoDaysAgo(20);
    const csv = [
      'type,title,schools,start_on,network,staff',
      `peer_observation,A good row,${a.urn}:giving;${b.urn}:receiving,${on},${id},${a.urn}:teachers=2`,
      `knitting,Not in the catalogue,${a.urn}:giving;${b.urn}:receiving,${on},${id},`,
      `peer_observation,Impossible date,${a.urn}:giving;${b.urn}:receiving,31-02-2025,${id},`,
      `peer_observation,Odd direction,${a.urn}:giving;${b.urn}:sideways,${on},${id},`,
    ].join('\n');
    const outcome = await upload.upload('writing-activities.csv', csv);
    expect(outcome.heading).toBe('Nothing was recorded');
    expect(outcome.problems.map((p) => [p.row, p.column])).toEqual([
      ['2', 'type'],
      ['3', 'start_on'],
      ['4', 'schools'],
    ]);
    expect(outcome.problems[0]?.problem).toContain('knitting');
    await screenshot(coordinator, 'activities-csv-refused');

    // All or nothing: the good row was not recorded either.
    const log = await new ActivityLogPage(coordinator, trellis.url).open({ networkId: id });
    expect((await log.activities()).map((x) => x.title)).not.toContain('A good row');

    // Without the problem rows the file goes in.
    const fixed = await upload.open().then((p) => p.upload('writing-activities.csv', csv.split('\n').slice(0, 2).join('\n')));
    expect(fixed.heading).toBe('Recorded 1 activity from writing-activities.csv');
  });
});

describe('the whole session', () => {
  it('made no request outside the server and raised no page errors', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
