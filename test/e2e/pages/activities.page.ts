import type { Page } from 'playwright-core';

export type InvolvedSchool = { name: string; direction: 'giving' | 'receiving' | 'mutual'; people?: Record<string, number> };

export type ActivityInput = {
  type: string;
  title: string;
  /** Added from the chosen network's members (or the person's own schools), else found by search. */
  schools: InvolvedSchool[];
  startOn: string;
  recurrence?: string;
  occurrences?: number;
  hours?: number;
  focus?: string;
  notes?: string;
};

export type ShownActivity = { title: string; schools: { name: string; hidden: boolean }[] };

/** /activities/new: quick entry of an activity between schools. */
export class RecordActivityPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query: { networkId?: number; schoolId?: number } = {}): Promise<this> {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    await this.page.goto(`${this.baseUrl}/activities/new${search.size ? `?${search}` : ''}`);
    return this.shown();
  }

  async shown(): Promise<this> {
    await this.page.getByRole('form', { name: 'Record an activity' }).waitFor();
    return this;
  }

  /** Fills the form and records the activity; returns the saved activity as the page shows it. */
  async record(a: ActivityInput): Promise<ShownActivity> {
    const form = this.page.getByRole('form', { name: 'Record an activity' });
    await form.getByLabel('Type of activity').selectOption({ label: a.type });
    await form.getByLabel('Title').fill(a.title);
    for (const s of a.schools) {
      const already = (await form.getByLabel(`Direction of ${s.name}`).count()) > 0;
      if (!already) {
        const quick = form.getByRole('button', { name: `Add ${s.name}`, exact: true });
        if ((await quick.count()) === 0) await form.getByLabel('Find another school').fill(s.name);
        await quick.first().click();
      }
      await form.getByLabel(`Direction of ${s.name}`).selectOption(s.direction);
      for (const [level, n] of Object.entries(s.people ?? {})) await form.getByLabel(`${level} from ${s.name}`, { exact: true }).fill(String(n));
    }
    await form.getByLabel('Started on').fill(a.startOn);
    if (a.recurrence) await form.getByLabel('How often').selectOption({ label: a.recurrence });
    if (a.occurrences !== undefined) await form.getByLabel('How many times').fill(String(a.occurrences));
    if (a.hours !== undefined) await form.getByLabel(/^Hours/).fill(String(a.hours));
    if (a.focus) await form.getByLabel('Focus (optional)').fill(a.focus);
    if (a.notes) await form.getByLabel('What came of it (optional)').fill(a.notes);
    await form.getByRole('button', { name: 'Record the activity' }).click();
    const saved = this.page.locator('[data-testid="activity-saved"]');
    const refused = form.locator('[data-testid="form-error"]');
    await saved.or(refused).waitFor();
    if (await refused.isVisible()) throw new Error(`the activity was refused: ${await refused.textContent()}`);
    return readActivity(this.page, '[data-testid="activity-saved"] [data-testid="activity"]');
  }

  /** From the saved activity, opens a school's collaboration profile. */
  async openProfileOf(school: string): Promise<CollaborationPage> {
    await this.page.locator('[data-testid="activity-saved"]').getByRole('link', { name: school, exact: true }).click();
    return new CollaborationPage(this.page, this.baseUrl).loaded();
  }
}

async function readActivity(page: Page, selector: string): Promise<ShownActivity> {
  return page.locator(selector).evaluate((el) => ({
    title: el.querySelector('.activity-title')?.textContent?.trim() ?? '',
    schools: [...el.querySelectorAll('.activity-schools > li')].map((li) => ({
      name: (li.querySelector('a, .hidden-school')?.textContent ?? '').trim(),
      hidden: li.getAttribute('data-hidden') === 'true',
    })),
  }));
}

/** /activities: the log, with filters in the address. */
export class ActivityLogPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query: { networkId?: number; schoolId?: number } = {}): Promise<this> {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    await this.page.goto(`${this.baseUrl}/activities${search.size ? `?${search}` : ''}`);
    return this.loaded();
  }

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="activity-log"][aria-busy="false"]').waitFor();
    return this;
  }

  async activities(): Promise<ShownActivity[]> {
    return this.page.locator('[data-testid="activity-log"] [data-testid="activity"]').evaluateAll((items) =>
      items.map((el) => ({
        title: el.querySelector('.activity-title')?.textContent?.trim() ?? '',
        schools: [...el.querySelectorAll('.activity-schools > li')].map((li) => ({
          name: (li.querySelector('a, .hidden-school')?.textContent ?? '').trim(),
          hidden: li.getAttribute('data-hidden') === 'true',
        })),
      })),
    );
  }
}

export type TieRow = { partner: string; hidden: boolean; class: string; text: string };

/** /schools/:id/collaboration: partners and tie strength, giving and receiving, participation, timeline. */
export class CollaborationPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(schoolId: number): Promise<this> {
    await this.page.goto(`${this.baseUrl}/schools/${schoolId}/collaboration`);
    return this.loaded();
  }

  /** Waits for the ties, or for the message that the school does not share them. */
  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="ties"], [data-testid="collaboration"] .empty').first().waitFor();
    return this;
  }

  async heading(): Promise<string> {
    return ((await this.page.locator('article.collaboration h1').textContent()) ?? '').trim();
  }

  async notShared(): Promise<string | null> {
    const empty = this.page.locator('[data-testid="collaboration"] > .empty .empty-title');
    return (await empty.count()) > 0 ? ((await empty.textContent()) ?? '').trim() : null;
  }

  async ties(): Promise<TieRow[]> {
    return this.page.locator('[data-testid="ties"] [data-testid="tie"]').evaluateAll((items) =>
      items.map((li) => ({
        partner: (li.querySelector('.tie-partner')?.textContent ?? '').trim(),
        hidden: li.querySelector('.hidden-school') !== null,
        class: li.getAttribute('data-class') ?? '',
        text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
  }

  async balance(): Promise<string> {
    return ((await this.page.locator('[data-testid="balance"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The timeline's activity titles, newest first, once loaded. */
  async timeline(): Promise<string[]> {
    await this.page.locator('[data-testid="school-timeline"][aria-busy="false"]').waitFor();
    return this.page.locator('[data-testid="school-timeline"] .activity-title').allTextContents();
  }

  async participationShown(): Promise<boolean> {
    await this.page.locator('[data-testid="school-participation"][aria-busy="false"]').waitFor();
    return (await this.page.locator('[data-testid="school-participation"] svg rect').count()) > 0;
  }
}

export type CsvProblemRow = { row: string; column: string; problem: string; fix: string };

/** /activities/import: a CSV file of activities, all or nothing. */
export class ActivityImportPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.baseUrl}/activities/import`);
    await this.page.getByRole('form', { name: 'Upload activities' }).waitFor();
    return this;
  }

  /** Uploads `csv` as a file named `name`; returns the heading of the outcome and any problems listed. */
  async upload(name: string, csv: string): Promise<{ heading: string; problems: CsvProblemRow[] }> {
    const form = this.page.getByRole('form', { name: 'Upload activities' });
    await form.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await form.getByRole('button', { name: 'Upload', exact: true }).click();
    const outcome = this.page.locator('[data-testid="activities-import-result"] h2, [data-testid="activities-import-result"] [role="alert"]').first();
    await outcome.waitFor();
    const problems = await this.page.locator('[data-testid="csv-problems"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cell = (i: number) => r.children[i]?.textContent?.trim() ?? '';
        return { row: cell(0), column: cell(1), problem: cell(2), fix: cell(3) };
      }),
    );
    return { heading: ((await outcome.textContent()) ?? '').trim(), problems };
  }
}
