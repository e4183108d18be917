import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFederation } from '../../server/domains/access/demo-accounts.ts';
import { demoLocalAuthorities } from '../../server/domains/registry/demo.ts';
import { launchChromium, watchedPage } from './browser.ts';
import { SignInPage } from './pages/sign-in.page.ts';
import { type RunningTrellis, startTrellis } from './trellis-server.ts';

/**
 * Evaluation and challenge and joint practice development in the browser, on the demo world.
 *
 * (a) A peer review through its whole life, each person in a browser of their own: the head of
 * school A sets up a review of A in the demo federation with a focus and its own judgement,
 * forms a two-school team (a teacher from B, trained and lead; a senior leader from C) and starts
 * the visit; the teacher from B records a lesson visit (a word in the notes that may be a name is
 * flagged) and a conversation with pupils the class teacher knows least about (a descriptor that
 * names a pupil is refused, a description is kept), a strength and an area to develop graded on
 * the RAG wheel, and the team's judgement, and moves the review to Findings (the move to
 * Actions agreed is not hers to make); the head proposes an action with owner and due date and
 * agrees it; at the follow-up the action is done with what changed, what changed is recorded,
 * and the review is closed. The coordinator sees the plan but the report hidden by consent, and
 * the reciprocity drawing shows who reviewed whom.
 *
 * (b) A pair project of A and B runs a cycle through its four stages with a coaching note, writes
 * the practice down, records evidence of impact and publishes it to the library; the senior
 * leader from C finds it by full-text search and adapts it for C, and the lineage is drawn (and
 * the seeded practice's, three schools over three generations). The seeded "Year 6 teachers"
 * community shows its members by level of participation and its output in the library; a member
 * leaves and rejoins at another level.
 */

const shots = process.env.TRELLIS_E2E_SCREENSHOTS;

let trellis: RunningTrellis;
let browser: Browser;
let federation: { id: number; name: string };
const contexts: BrowserContext[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

type Person = { personId: number; name: string; schoolId: number; school: string };
const people: Record<'head' | 'teacher' | 'reviewer', Person> = {} as Record<'head' | 'teacher' | 'reviewer', Person>;

const isoDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const newPage = (): Promise<Page> => watchedPage(browser, trellis.url, { contexts, outsideRequests, pageErrors });

async function screenshot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function signedIn(email: string): Promise<Page> {
  const page = await newPage();
  await new SignInPage(page, trellis.url).signInAs(email);
  return page;
}

/** Chooses the option of a <select> whose text contains `text` (labels carry schools and roles). */
async function chooseOption(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  if (value === null) throw new Error(`no option containing "${text}"`);
  await select.selectOption(value);
}

/** /peer-reviews/:id: one review, its stage, its forms; methods say what a person does. */
class ReviewPage {
  constructor(private readonly page: Page) {}

  async open(id: number): Promise<this> {
    await this.page.goto(`${trellis.url}/peer-reviews/${id}`);
    await this.page.locator('[data-testid="review"]').waitFor();
    return this;
  }

  async id(): Promise<number> {
    return Number(new URL(this.page.url()).pathname.split('/')[2]);
  }

  async stageIs(stage: string): Promise<void> {
    await this.page.locator(`[data-testid="review-stage"][data-stage="${stage}"]`).waitFor();
  }

  /** The stepper's current step, and the steps before it marked done. */
  async stepper(): Promise<{ current: string; done: string[] }> {
    const steps = this.page.locator('[data-testid="review-stepper"] li');
    const current = (await this.page.locator('[data-testid="review-stepper"] li[aria-current="step"]').getAttribute('data-step')) ?? '';
    const done = await steps.evaluateAll((lis) => lis.filter((li) => li.classList.contains('is-done')).map((li) => li.getAttribute('data-step') ?? ''));
    return { current, done };
  }

  async move(to: string, label: string): Promise<void> {
    await this.page.locator(`[data-testid="review-next-steps"] li[data-to="${to}"]`).getByRole('button', { name: `Move to ${label}` }).click();
    await this.stageIs(to);
  }

  async nextStepText(to: string): Promise<string> {
    return ((await this.page.locator(`[data-testid="review-next-steps"] li[data-to="${to}"]`).textContent()) ?? '').replace(/\s+/g, ' ');
  }

  async addReviewer(name: string, flags: { trained?: boolean; lead?: boolean }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Add a reviewer' });
    await chooseOption(form.getByLabel('Reviewer', { exact: true }), name);
    if (flags.trained) await form.getByLabel('Trained reviewer').check();
    if (flags.lead) await form.getByLabel('Lead reviewer').check();
    const before = await this.page.locator('[data-testid="review-team"] tbody tr').count();
    await form.getByRole('button', { name: 'Add to the team' }).click();
    await expect.poll(() => this.page.locator('[data-testid="review-team"] tbody tr').count()).toBe(before + 1);
  }

  async team(): Promise<{ name: string; school: string; trained: boolean }[]> {
    return this.page.locator('[data-testid="review-team"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        name: r.querySelector('th')?.firstChild?.textContent?.trim() ?? '',
        school: r.children[1]?.textContent?.trim() ?? '',
        trained: r.getAttribute('data-trained') === 'true',
      })),
    );
  }

  /** Records an evidence form; returns the name warnings the server gave back (if any). */
  async recordEvidence(e: { kind: string; yearGroup: string; subject: string; notes: string; pupils?: string[] }): Promise<string[]> {
    const count = await this.page.locator('[data-testid="evidence"]').count();
    await this.page.getByRole('button', { name: 'Record evidence' }).click();
    const form = this.page.getByRole('form', { name: 'Record evidence' });
    await form.getByLabel('Kind of evidence').selectOption(e.kind);
    await form.getByLabel('Year group').fill(e.yearGroup);
    await form.getByLabel('Subject').fill(e.subject);
    for (const [i, descriptor] of (e.pupils ?? []).entries()) {
      if (i > 0) await form.getByRole('button', { name: 'Add a pupil' }).click();
      await form.getByLabel(`Pupil ${i + 1}: description`).fill(descriptor);
    }
    await form.getByLabel('Notes').fill(e.notes);
    await form.getByRole('button', { name: 'Record the evidence' }).click();
    await expect.poll(() => this.page.locator('[data-testid="evidence"]').count()).toBe(count + 1);
    const warnings = this.page.locator('[data-testid="evidence-warnings"] li');
    return warnings.allTextContents();
  }

  /** Sends a pupil descriptor that names a pupil: the server refuses it beside the field; returns its message. */
  async descriptorRefused(descriptor: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Record evidence' }).click();
    const form = this.page.getByRole('form', { name: 'Record evidence' });
    await form.getByLabel('Kind of evidence').selectOption('pupil_conversation');
    await form.getByLabel('Pupil 1: description').fill(descriptor);
    await form.getByLabel('Notes').fill('Asked what helps them learn when the adult is with another group.');
    await form.getByRole('button', { name: 'Record the evidence' }).click();
    const error = form.locator('#pupil-0-descriptor-error');
    await error.waitFor();
    const message = (await error.textContent()) ?? '';
    await form.getByRole('button', { name: 'Cancel' }).click();
    return message;
  }

  async writeFinding(kind: 'strength' | 'area_to_develop', statement: string, grade: string): Promise<void> {
    const count = await this.page.locator(`[data-testid="finding"][data-kind="${kind}"]`).count();
    await this.page.getByRole('button', { name: 'Write a finding' }).click();
    const form = this.page.getByRole('form', { name: 'Write a finding' });
    await form.locator(`input[name="finding-kind"][value="${kind}"]`).check();
    await form.getByLabel('Finding', { exact: true }).fill(statement);
    await form.locator(`[data-testid="rag-choice-finding-judgement"] input[value="${grade}"]`).check();
    // Every finding here rests on all the evidence gathered.
    for (const box of await form.locator('fieldset', { hasText: 'Rests on the evidence' }).locator('input[type="checkbox"]').all()) await box.check();
    await form.getByRole('button', { name: 'Save the finding' }).click();
    await expect.poll(() => this.page.locator(`[data-testid="finding"][data-kind="${kind}"]`).count()).toBe(count + 1);
  }

  async findings(): Promise<{ kind: string; grade: string }[]> {
    return this.page.locator('[data-testid="finding"]').evaluateAll((items) =>
      items.map((f) => ({ kind: f.getAttribute('data-kind') ?? '', grade: f.querySelector('.rag-chip')?.getAttribute('data-grade') ?? '' })),
    );
  }

  async judge(grade: string, note: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'The team’s judgement' });
    await form.locator(`input[value="${grade}"]`).check();
    await form.getByLabel('What it rests on (optional)').fill(note);
    await form.getByRole('button', { name: 'Save the judgement' }).click();
    await this.page.locator(`[data-testid="team-judgement"] .rag-chip[data-grade="${grade}"]`).waitFor();
  }

  async proposeAction(a: { description: string; owner: string; dueOn: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Propose an action' }).click();
    const form = this.page.getByRole('form', { name: 'Add an action' });
    await form.getByLabel('What will be done').fill(a.description);
    await form.getByLabel('Owner').fill(a.owner);
    await form.getByLabel('Due on').fill(a.dueOn);
    await form.getByRole('button', { name: 'Save the action' }).click();
    await this.page.locator('[data-testid="action"]', { hasText: a.description }).waitFor();
  }

  async actions(): Promise<{ status: string; owner: string; due: string }[]> {
    return this.page.locator('[data-testid="action"]').evaluateAll((items) =>
      items.map((a) => ({
        status: a.getAttribute('data-status') ?? '',
        owner: a.querySelector('[data-testid="action-owner"]')?.textContent ?? '',
        due: a.querySelector('[data-testid="action-due"]')?.textContent ?? '',
      })),
    );
  }

  async closeAction(description: string, whatChanged: string): Promise<void> {
    const form = this.page.getByRole('form', { name: `Progress of: ${description}` });
    await form.getByLabel('Progress', { exact: true }).selectOption('done');
    await form.getByLabel('What changed').fill(whatChanged);
    await form.getByRole('button', { name: 'Record progress' }).click();
    await this.page.locator('[data-testid="action"][data-status="done"]', { hasText: description }).waitFor();
  }

  async recordFollowUp(summary: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Record the follow-up' });
    await form.getByLabel('What has changed since the review').fill(summary);
    await form.getByRole('button', { name: 'Record the follow-up' }).click();
    await this.page.locator('[data-testid="follow-up-summary"]', { hasText: summary }).waitFor();
  }
}

beforeAll(async () => {
  trellis = await startTrellis(demoLocalAuthorities);
  const db = trellis.database.db;
  const found = await demoFederation(db, new Date().toISOString().slice(0, 10));
  if (!found) throw new Error('the demo region has no federation');
  federation = found;
  const posts = await sql<{ email: string; person_id: number; name: string; school_id: number; school: string }>`
    select p.email, p.id::int as person_id, p.name, s.id::int as school_id, s.name as school
    from person p join post on post.person_id = p.id join school s on s.id = post.school_id
    where p.email in ('head@trellis.demo', 'teacher@trellis.demo', 'reviewer@trellis.demo') and post.to_on is null`.execute(db);
  for (const [key, email] of [
    ['head', 'head@trellis.demo'],
    ['teacher', 'teacher@trellis.demo'],
    ['reviewer', 'reviewer@trellis.demo'],
  ] as const) {
    const row = posts.rows.find((r) => r.email === email);
    if (!row) throw new Error(`no school post for ${email}: is the demo practice seeded?`);
    people[key] = { personId: row.person_id, name: row.name, schoolId: row.school_id, school: row.school };
  }
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await trellis?.close();
});

describe('peer review, from the host’s focus to the follow-up', () => {
  let head: Page;
  let teacher: Page;
  let reviewId: number;
  const action = 'Plan paired talk into every maths lesson in Years 5 and 6';

  it('the host’s head sets the focus, forms a two-school team and starts the visit', async () => {
    const started = performance.now();
    head = await signedIn('head@trellis.demo');
    await head.goto(`${trellis.url}/networks/${federation.id}`);
    await head.locator('.page-head-side').getByRole('link', { name: 'Peer reviews' }).click();
    await head.locator('[data-testid="peer-reviews"][aria-busy="false"]').waitFor();
    await head.getByRole('button', { name: 'Set up a review' }).click();
    const form = head.getByRole('form', { name: 'Set up a review' });
    await expect.poll(() => form.getByLabel('Host school').locator('option').allTextContents()).toEqual([people.head.school]);
    await form.getByLabel('Title').fill('Do pupils reason aloud in maths?');
    await form.getByLabel('Focus').fill('We judge that pupils explain their reasoning well in maths. Test it: do they, in every class, including the pupils we know least?');
    await form.getByLabel('Area of the wheel').selectOption('teaching_learning_assessment');
    await form.getByLabel('The host’s priority').fill('Development plan priority 1: reasoning in mathematics');
    await form.locator('[data-testid="rag-choice-claimed"] input[value="outstanding"]').check();
    await form.getByLabel('First day of the visit').fill(isoDays(-2));
    await form.getByLabel('Last day of the visit').fill(isoDays(-1));
    await form.getByLabel('Follow-up visit').fill(isoDays(0));
    await form.getByRole('button', { name: 'Set up the review' }).click();

    const review = new ReviewPage(head);
    await review.stageIs('planned');
    reviewId = await review.id();
    expect(await head.locator('[data-testid="review-focus"]').textContent()).toContain('explain their reasoning');
    expect(await head.locator('[data-testid="review-plan"] .rag-chip').getAttribute('data-grade')).toBe('outstanding');
    // Without a team the visit cannot start, and the page says so.
    expect(await review.nextStepText('visiting')).toContain('at least one reviewer');

    await review.addReviewer(people.teacher.name, { trained: true, lead: true });
    await review.addReviewer(people.reviewer.name, { trained: false });
    expect(await review.team()).toEqual([
      { name: people.teacher.name, school: people.teacher.school, trained: true },
      { name: people.reviewer.name, school: people.reviewer.school, trained: false },
    ]);
    await review.move('visiting', 'Visit under way');
    expect(await review.stepper()).toEqual({ current: 'visiting', done: ['planned'] });
    console.log(`peer review: set up, team formed and visit started in ${Math.round(performance.now() - started)} ms`);
  });

  it('a reviewer from a partner school records evidence, findings with RAG grades and the judgement, then moves to Findings', async () => {
    const started = performance.now();
    teacher = await signedIn('teacher@trellis.demo');
    const review = await new ReviewPage(teacher).open(reviewId);
    await review.stageIs('visiting');

    const warnings = await review.recordEvidence({
      kind: 'lesson_visit',
      yearGroup: 'Y5',
      subject: 'Maths',
      notes: 'Pairs explained their methods to each other before sharing. Once the adult moved on, Kai stopped talking and waited.',
    });
    expect(warnings.join(' ')).toContain('"Kai" may be a name');

    // A descriptor that names a pupil is refused beside the field; a description is kept.
    expect(await review.descriptorRefused('Jack, Y5')).toContain('"Jack" looks like a name');
    await review.recordEvidence({
      kind: 'pupil_conversation',
      yearGroup: 'Y5',
      subject: 'Maths',
      pupils: ['pupil the teacher knows least, Y5', 'quiet girl new this term, Year 5'],
      notes: 'Both could say what their partner had explained, but neither had explained anything themselves.',
    });
    const conversation = teacher.locator('[data-testid="evidence"][data-kind="pupil_conversation"]');
    expect(await conversation.locator('.pupil-list li').allTextContents()).toEqual([
      'pupil the teacher knows least, Y5 (the pupils the teacher knows least about)',
      'quiet girl new this term, Year 5 (the pupils the teacher knows least about)',
    ]);

    await review.writeFinding('strength', 'Paired talk is routine: pupils explain methods to each other without prompting.', 'good');
    await review.writeFinding('area_to_develop', 'The quietest pupils let their partner do the explaining; nobody checks that both have reasoned.', 'requires_improvement');
    expect(await review.findings()).toEqual([
      { kind: 'strength', grade: 'good' },
      { kind: 'area_to_develop', grade: 'requires_improvement' },
    ]);
    await review.judge('good', 'Strong routines; not yet for every pupil.');
    // The wheel fills the focus's area to the team's grade, with the host's claim outlined.
    expect(await teacher.locator('[data-testid="rag-wheel"] g[data-area="teaching_learning_assessment"]').getAttribute('data-team')).toBe('good');

    await review.move('findings', 'Findings');
    expect(await review.stepper()).toEqual({ current: 'findings', done: ['planned', 'visiting'] });
    // Agreeing the actions is the host's; the team sees whose move it is.
    expect(await review.nextStepText('actions_agreed')).toContain('Not yours to make');
    await screenshot(teacher, 'peer-review-findings');
    console.log(`peer review: evidence and findings recorded in ${Math.round(performance.now() - started)} ms`);
  });

  it('the host agrees an action with an owner and a due date; the follow-up closes it and the review', async () => {
    const started = performance.now();
    const review = await new ReviewPage(head).open(reviewId);
    await review.stageIs('findings');
    expect(await review.nextStepText('actions_agreed')).toContain('at least one action, with an owner and a due date');
    await review.proposeAction({ description: action, owner: 'Maths lead', dueOn: isoDays(60) });
    await review.move('actions_agreed', 'Actions agreed');
    const [agreed] = await review.actions();
    expect(agreed).toMatchObject({ status: 'agreed', owner: 'Maths lead' });
    expect(agreed?.due).toMatch(new RegExp(`^${Number(isoDays(60).slice(8, 10))} .+ ${isoDays(60).slice(0, 4)}$`));

    await review.move('follow_up', 'Follow-up');
    await review.closeAction(action, 'Every Year 5 and 6 maths lesson now has a planned paired-talk task; both partners report back.');
    await review.recordFollowUp('Quieter pupils now explain first in their pairs; the team saw it in all three classes.');
    expect(await review.nextStepText('closed')).not.toContain('Still needed');
    await review.move('closed', 'Closed');
    expect(await review.stepper()).toEqual({ current: 'closed', done: ['planned', 'visiting', 'findings', 'actions_agreed', 'follow_up'] });
    expect((await review.actions()).map((a) => a.status)).toEqual(['done']);
    expect(await head.locator('[data-testid="review-history"] tbody tr').count()).toBe(6);

    // The printable report is the server's self-contained page, read here by the host's own head.
    const html = await head.request.get(`${trellis.url}/api/v1/peer-reviews/${reviewId}/report.html`);
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain('Do pupils reason aloud in maths?');
    expect(await head.locator('[data-testid="report-html"]').getAttribute('href')).toBe(`/api/v1/peer-reviews/${reviewId}/report.html`);
    await screenshot(head, 'peer-review-closed');
    console.log(`peer review: actions agreed, followed up and closed in ${Math.round(performance.now() - started)} ms`);
  });

  it('the coordinator sees the plan but not the report, which the host has not shared; reciprocity draws who reviewed whom', async () => {
    const coordinator = await signedIn('coordinator@trellis.demo');
    const review = await new ReviewPage(coordinator).open(reviewId);
    await review.stageIs('closed');
    expect(await coordinator.locator('[data-testid="report-hidden"]').textContent()).toContain('has not shared its peer-review reports');
    expect(await coordinator.locator('[data-testid="review-evidence"]').count()).toBe(0);

    await coordinator.goto(`${trellis.url}/networks/${federation.id}/peer-reviews`);
    await coordinator.locator('[data-testid="reciprocity"][aria-busy="false"] [data-testid="reciprocity-graph"]').waitFor();
    const edges = await coordinator.locator('[data-testid="reciprocity-edge"]').evaluateAll((paths) => paths.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`));
    // The seeded review of B (by A and C) and this one of A (by B and C).
    for (const [from, to] of [
      [people.head.schoolId, people.teacher.schoolId],
      [people.reviewer.schoolId, people.teacher.schoolId],
      [people.teacher.schoolId, people.head.schoolId],
      [people.reviewer.schoolId, people.head.schoolId],
    ]) {
      expect(edges).toContain(`${from}>${to}`);
    }
    // B now reviews as well as being reviewed; C still only reviews.
    expect(await coordinator.locator(`[data-testid="reciprocity-table"] tr[data-school="${people.teacher.schoolId}"]`).getAttribute('data-flags')).toBe('');
    expect(await coordinator.locator(`[data-testid="reciprocity-table"] tr[data-school="${people.reviewer.schoolId}"]`).getAttribute('data-flags')).toBe('reviews_never_reviewed');
    await screenshot(coordinator, 'peer-review-reciprocity');
  });
});

describe('joint practice development to the library, adapted by a third school', () => {
  let practiceId: number;
  let reviewer: Page;
  const title = 'Number talks for fluency in Year 5';

  it('a pair of A and B runs a cycle with coaching, records impact and publishes the practice', async () => {
    const started = performance.now();
    const head = await signedIn('head@trellis.demo');
    await head.goto(`${trellis.url}/practice`);
    await head.locator('[data-testid="library"]').waitFor();
    await head.locator('.page-head-side').getByRole('link', { name: 'JPD projects' }).click();
    await head.getByRole('button', { name: 'Start a project' }).click();
    const form = head.getByRole('form', { name: 'Start a project' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Network').selectOption(String(federation.id));
    await form.getByLabel('The problem of practice').fill('Year 5 pupils in both schools count on rather than recall number facts, which slows every calculation.');
    await form.getByLabel(people.head.school, { exact: true }).check();
    await form.getByLabel(people.teacher.school, { exact: true }).check();
    await expect.poll(() => form.getByLabel('Participant 1', { exact: true }).locator('option').count()).toBeGreaterThan(2);
    await chooseOption(form.getByLabel('Participant 1', { exact: true }), people.head.name);
    await form.getByRole('button', { name: 'Add a participant' }).click();
    await chooseOption(form.getByLabel('Participant 2', { exact: true }), people.teacher.name);
    await form.getByRole('button', { name: 'Start the project' }).click();

    const project = head.locator('[data-testid="jpd-project"]');
    await project.waitFor();
    expect(await head.locator('[data-testid="participants"] li').count()).toBe(2);
    const cycleForm = head.getByRole('form', { name: 'Start a cycle' });
    await cycleForm.getByLabel('What this cycle tries').fill('Five-minute number talks at the start of each maths lesson');
    await cycleForm.getByRole('button', { name: 'Start the cycle' }).click();
    const cycle = head.locator('[data-testid="cycle"][data-cycle="1"]');
    await cycle.waitFor();
    for (const [label, stage] of [
      ['Move to: Teach and observe', 'teach_observe'],
      ['Move to: Reflect (coaching conversation)', 'reflect'],
    ] as const) {
      await cycle.getByRole('button', { name: label }).click();
      await head.locator(`[data-testid="cycle"][data-cycle="1"][data-stage="${stage}"]`).waitFor();
    }
    await cycle.getByLabel('Coaching note', { exact: true }).fill('Tom noticed he rushed to rescue pupils; both agreed to wait ten seconds before prompting.');
    await cycle.getByRole('button', { name: 'Add the note' }).click();
    await cycle.locator('.coaching-list li').waitFor();
    await cycle.getByRole('button', { name: 'Move to: Refine the practice' }).click();
    await head.locator('[data-testid="cycle"][data-cycle="1"][data-stage="refine"]').waitFor();
    await cycle.getByRole('button', { name: 'Complete the cycle' }).click();
    await head.locator('[data-testid="cycle"][data-cycle="1"][data-stage="complete"]').waitFor();

    const developed = head.getByRole('form', { name: 'The practice as developed' });
    await developed.getByLabel('The practice, as the partners now do it').fill('Each maths lesson opens with a five-minute number talk: one calculation, several methods, pupils explain and compare.');
    await developed.getByLabel('How pupils took part').selectOption('co_constructors');
    await developed.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => head.getByRole('button', { name: 'Publish the practice' }).isEnabled()).toBe(true);

    await head.getByRole('button', { name: 'Add evidence' }).click();
    const impact = head.getByRole('form', { name: 'Evidence of impact' });
    await impact.getByLabel('What changed for pupils').fill('Recall of multiplication facts rose across both Year 5 classes over the term.');
    await impact.getByLabel('Before', { exact: true }).fill('58%');
    await impact.getByLabel('After', { exact: true }).fill('81%');
    await impact.locator('input[name="impact-strength"][value="2"]').check();
    await impact.getByRole('button', { name: 'Record the evidence' }).click();
    await head.locator('[data-testid="impact"] li[data-strength="2"]').waitFor();

    await screenshot(head, 'jpd-project');
    await head.getByRole('button', { name: 'Publish the practice' }).click();
    const publish = head.getByRole('form', { name: 'Publish the practice' });
    await publish.getByLabel('Summary').fill('A daily five-minute number talk that builds fluency by comparing methods aloud.');
    await publish.getByLabel('Subject').selectOption('maths');
    await publish.getByRole('button', { name: 'Publish' }).click();
    await head.locator('[data-testid="practice"][data-status="published"]').waitFor();
    practiceId = Number(new URL(head.url()).pathname.split('/')[2]);
    expect(practiceId).toBeGreaterThan(0);
    // The participants are the people who can help; the impact is its evidence, at its strength.
    expect(await head.locator('[data-testid="who-can-help"] [data-testid="contact"]').count()).toBe(2);
    expect(await head.locator('.strength-badge').first().getAttribute('data-strength')).toBe('2');
    console.log(`JPD: project, cycle, impact and publication in ${Math.round(performance.now() - started)} ms`);
  });

  it('a senior leader at a third school finds it by full-text search, adapts it, and the lineage is drawn', async () => {
    const started = performance.now();
    reviewer = await signedIn('reviewer@trellis.demo');
    await reviewer.goto(`${trellis.url}/practice`);
    await reviewer.getByLabel('Words to search for').fill('number talks fluency');
    await reviewer.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = reviewer.locator(`[data-testid="practice-result"][data-practice="${practiceId}"]`);
    await hit.waitFor();
    expect(await reviewer.locator('[data-testid="practice-result"]').first().getAttribute('data-practice')).toBe(String(practiceId));
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    await hit.getByRole('link', { name: title }).click();
    await reviewer.locator(`[data-testid="practice"][data-practice="${practiceId}"]`).waitFor();

    const changed = 'Run in mixed-age Year 5/6 classes: the older pupils lead the talk, and the calculation is chosen for the younger ones.';
    await reviewer.locator('[data-testid="adapt"]').getByRole('button', { name: 'Adapt this practice' }).click();
    const adapt = reviewer.getByRole('form', { name: 'Adapt this practice' });
    expect(await adapt.getByLabel('For your school').locator('option').allTextContents()).toEqual([people.reviewer.school]);
    await adapt.getByLabel('What you changed, and why').fill(changed);
    await adapt.getByLabel('Mixed-age classes').check();
    await adapt.getByRole('button', { name: 'Make the adaptation' }).click();
    const adapted = reviewer.locator('[data-testid="practice"][data-status="draft"]');
    await adapted.waitFor();
    const adaptedId = Number(await adapted.getAttribute('data-practice'));
    expect(adaptedId).not.toBe(practiceId);
    expect(await reviewer.locator('[data-testid="adapted-from"]').textContent()).toContain(changed);

    const graph = reviewer.locator('[data-testid="lineage-graph"]');
    await graph.waitFor();
    const nodes = await graph.locator('[data-testid="lineage-node"]').evaluateAll((gs) => gs.map((g) => ({ practice: Number(g.getAttribute('data-practice')), school: Number(g.getAttribute('data-school')) })));
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    expect(nodes).toContainEqual({ practice: practiceId, school: people.head.schoolId });
    expect(nodes).toContainEqual({ practice: adaptedId, school: people.reviewer.schoolId });
    const edge = graph.locator(`[data-testid="lineage-edge"][data-from="${practiceId}"][data-to="${adaptedId}"]`);
    expect(await edge.count()).toBe(1);
    expect(await edge.locator('title').textContent()).toContain(changed);
    await screenshot(reviewer, 'practice-lineage');

    // The seeded practice of the demo pair travelled through three schools in three generations.
    await reviewer.goto(`${trellis.url}/practice`);
    await reviewer.getByLabel('Words to search for').fill('talk partners reasoning');
    await reviewer.getByRole('button', { name: 'Search', exact: true }).click();
    await reviewer.locator('[data-testid="practice-result"]').first().getByRole('link').click();
    const seeded = reviewer.locator('[data-testid="lineage-graph"]');
    await seeded.waitFor();
    expect(Number(await seeded.getAttribute('data-nodes'))).toBeGreaterThanOrEqual(3);
    expect(Number(await seeded.getAttribute('data-edges'))).toBeGreaterThanOrEqual(2);
    await screenshot(reviewer, 'practice-lineage-seeded');
    console.log(`library: search, adaptation and lineage in ${Math.round(performance.now() - started)} ms`);
  });

  it('the community of practice shows members by participation and links its output to the library; a member leaves and rejoins', async () => {
    await reviewer.goto(`${trellis.url}/networks/${federation.id}/communities`);
    await reviewer.locator('[data-testid="community-list"] a', { hasText: 'Year 6 teachers' }).click();
    const community = reviewer.locator('[data-testid="community"]');
    await community.waitFor();
    const levelOf = (personId: number) => reviewer.locator(`[data-testid="community-members"] .participation:has(li[data-person="${personId}"])`).getAttribute('data-level');
    expect(await levelOf(people.reviewer.personId)).toBe('core');
    expect(await levelOf(people.teacher.personId)).toBe('active');
    expect(await levelOf(people.head.personId)).toBe('peripheral');
    expect(await reviewer.locator('[data-testid="community-outputs"] a[href^="/practices/"]').count()).toBeGreaterThan(0);
    await screenshot(reviewer, 'community');

    await reviewer.getByRole('button', { name: 'Leave the community' }).click();
    await reviewer.getByRole('button', { name: 'Join the community' }).waitFor();
    expect(await reviewer.locator(`[data-testid="community-members"] li[data-person="${people.reviewer.personId}"]`).count()).toBe(0);
    await reviewer.getByLabel('Taking part as').selectOption('active');
    await reviewer.getByRole('button', { name: 'Join the community' }).click();
    await reviewer.getByRole('button', { name: 'Leave the community' }).waitFor();
    expect(await levelOf(people.reviewer.personId)).toBe('active');
  });

  it('made no request outside Trellis and raised no page error', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
