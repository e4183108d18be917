import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

export type NewRound = { title: string; instrument: string; schools: string[]; k: number; hideStageLabels: boolean };
export type RateRow = { name: string; invited: string; returned: string; rate: string };

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** /networks/:id/surveys: a network's survey rounds, and setting up a new one as its coordinator would. */
export class SurveyRoundsPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="survey-rounds"][aria-busy="false"]').waitFor();
    return this;
  }

  async roundTitles(): Promise<string[]> {
    return this.page.locator('[data-testid="rounds-table"] tbody th a').allTextContents();
  }

  /** Fills in "Set up a survey round" (ticking exactly the schools named) and waits for the new round's page. */
  async setUpRound(r: NewRound): Promise<SurveyRoundPage> {
    await this.page.getByRole('button', { name: 'Set up a survey round' }).click();
    const form = this.page.getByRole('form', { name: 'Set up a survey round' });
    await form.getByLabel('Title').fill(r.title);
    await form.getByLabel('Instrument').selectOption({ label: r.instrument });
    await form.getByLabel('Smallest group shown (k)').fill(String(r.k));
    await form.getByLabel(/^Hide stage labels/).setChecked(r.hideStageLabels);
    const choices = form.locator('.school-choices label');
    await choices.first().waitFor();
    for (const label of await choices.all()) {
      const name = ((await label.textContent()) ?? '').trim();
      await label.locator('input').setChecked(r.schools.includes(name));
    }
    await form.getByRole('button', { name: 'Set up the round' }).click();
    return new SurveyRoundPage(this.page).loaded();
  }
}

/** /survey-rounds/:id: invitations, returns, reminders, paper forms, open and close. */
export class SurveyRoundPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="survey-round"]').waitFor();
    await this.page.locator('[data-testid="round-invitations"][aria-busy="false"]').waitFor();
    return this;
  }

  async status(): Promise<string> {
    return (await this.page.locator('[data-testid="survey-round"]').getAttribute('data-status')) ?? '';
  }

  /** Issues one personal link per label for a school and role; returns the links shown (once). */
  async issueLinks(school: string, role: string, labels: string[]): Promise<string[]> {
    const form = this.page.getByRole('form', { name: 'Invite staff' });
    await form.getByLabel('Personal links').check();
    await form.getByLabel('School', { exact: true }).selectOption({ label: school });
    await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
    await form.getByLabel('Who each link is for, one a line').fill(labels.join('\n'));
    await form.getByRole('button', { name: 'Issue the links' }).click();
    const issued = this.page.locator('[data-testid="issued-invitations"]');
    await issued.locator(`li[data-school="${school}"]`).first().waitFor();
    return issued.locator('[data-testid="issued-link"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Open the round for answers' }).click();
    await this.page.locator('[data-testid="survey-round"][data-status="open"]').waitFor();
  }

  /** Closes the round, through its confirmation. */
  async close(): Promise<void> {
    await this.page.getByRole('button', { name: 'Close the round…' }).click();
    await this.page.getByRole('button', { name: 'Close the round', exact: true }).click();
    await this.page.locator('[data-testid="survey-round"][data-status="closed"]').waitFor();
  }

  /** "3 of 3 returned (100%) · 3 online, 0 on paper". */
  async totalReturns(): Promise<string> {
    await this.page.locator('[data-testid="round-tracking"][aria-busy="false"]').waitFor();
    return text(this.page, '[data-testid="tracking-total"]');
  }

  /** Invited, returned and rate per school. */
  async returnsBySchool(): Promise<RateRow[]> {
    await this.page.locator('[data-testid="round-tracking"][aria-busy="false"] [data-testid="tracking-by-school"]').waitFor();
    return this.page.locator('[data-testid="tracking-by-school"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cells = [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
        return { name: r.querySelector('th')?.textContent?.trim() ?? '', invited: cells[0] ?? '', returned: cells[1] ?? '', rate: cells[2] ?? '' };
      }),
    );
  }

  async outstandingCount(): Promise<number> {
    await this.page.locator('[data-testid="round-reminders"][aria-busy="false"]').waitFor();
    return this.page.locator('[data-testid="outstanding"] tbody tr').count();
  }

  async openResults(): Promise<SurveyResultsPage> {
    await this.page.locator('.page-head-side').getByRole('link', { name: 'Results' }).click();
    return new SurveyResultsPage(this.page).loaded();
  }
}

/** /survey/:token: the form a respondent opens from their link, with no account. */
export class RespondentPage {
  constructor(
    private readonly page: Page,
    private readonly link: string,
  ) {}

  /** Opens the link; answers "form" when the survey is shown, or the reason it cannot be ("unknown", "spent", "closed"). */
  async open(): Promise<'form' | 'unknown' | 'spent' | 'closed'> {
    await this.page.goto(this.link);
    const shown = this.page.locator('[data-testid="survey-form"], [data-testid="survey-unusable"]');
    await shown.first().waitFor();
    if (await this.page.locator('[data-testid="survey-form"]').count()) return 'form';
    return ((await this.page.locator('[data-testid="survey-unusable"]').getAttribute('data-reason')) ?? 'unknown') as 'unknown' | 'spent' | 'closed';
  }

  async heading(): Promise<string> {
    return text(this.page, 'main h1');
  }

  /** The stage markers beside the statements, as shown (letters when the round hides the stage names). */
  async stageTags(): Promise<string[]> {
    return [...new Set(await this.page.locator('.survey-items .stage-tag').allTextContents())];
  }

  /** Ticks the statements with these codes ("JPD A1"): "true of my school now". */
  async tick(codes: string[]): Promise<void> {
    for (const code of codes) await this.page.locator(`#item-${code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`).check();
  }

  /** Sends the answers and waits for the thank-you; returns its text. */
  async send(): Promise<string> {
    await this.page.getByRole('button', { name: 'Send my answers' }).click();
    const thanks = this.page.locator('[data-testid="survey-thanks"]');
    await thanks.waitFor();
    return ((await thanks.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }
}

/** /survey-rounds/:id/results: who answered, stage profiles, group panels, the CSV and the PDF. */
export class SurveyResultsPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="survey-results"][aria-busy="false"] [data-testid="respondents"]').waitFor();
    return this;
  }

  async overallRespondents(): Promise<string> {
    return text(this.page, '[data-testid="respondents-overall"]');
  }

  /** Respondents per school as shown: a number, or "fewer than k" / "hidden". */
  async respondentsBySchool(): Promise<Record<string, string>> {
    const rows = await this.page.locator('[data-testid="respondents-by-school"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-school') ?? '', tr.querySelector('td')?.textContent?.trim() ?? ''] as const),
    );
    return Object.fromEntries(rows);
  }

  async respondentsByRoleGroup(): Promise<Record<string, string>> {
    const rows = await this.page.locator('[data-testid="respondents-by-role"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-group') ?? '', tr.querySelector('td')?.textContent?.trim() ?? ''] as const),
    );
    return Object.fromEntries(rows);
  }

  /** What the by-group panel of a school says (its respondents line and its message). */
  async schoolPanel(school: string): Promise<string> {
    const panels = this.page.locator('[data-testid="group-panels"] .group-panel');
    const panel = panels.filter({ has: this.page.locator('h3', { hasText: school }) });
    return ((await panel.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** A strand's stage profile: the verdict line and the rule's explanation. */
  async stageProfile(strand: string): Promise<{ verdict: string; reason: string; items: number }> {
    const article = this.page.locator(`[data-testid="strand-profile"][data-strand="${strand}"]`);
    return {
      verdict: ((await article.locator('[data-testid="profile-verdict"]').textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      reason: ((await article.locator('.profile-reason').textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      items: await article.locator('tr.item-row').count(),
    };
  }

  /** Numbers anywhere in the per-school cells of the statements table (there should be none when every school is hidden). */
  async schoolCellTexts(school: string): Promise<string[]> {
    const table = this.page.locator('[data-testid="items-by-group"]');
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.findIndex((h) => h.trim() === school);
    if (column < 0) return [];
    return table.locator(`tbody tr td:nth-child(${column + 1})`).allTextContents();
  }

  /** The change since the earlier round: its heading, the denominator warning (if any), and the statements charted with their warnings. */
  async change(): Promise<{ heading: string; warning: string | null; rows: { item: string; warnings: string }[] }> {
    const section = this.page.locator('[data-testid="change"]');
    const warning = section.locator('[data-testid="denominator-warning"]');
    return {
      heading: ((await section.locator('h2').textContent()) ?? '').trim(),
      warning: (await warning.count()) ? ((await warning.textContent()) ?? '').replace(/\s+/g, ' ').trim() : null,
      rows: await section.locator('[data-testid="change-chart"] svg g[data-item]').evaluateAll((gs) =>
        gs.map((g) => ({ item: g.getAttribute('data-item') ?? '', warnings: g.getAttribute('data-warnings') ?? '' })),
      ),
    };
  }

  async reload(): Promise<this> {
    await this.page.reload();
    return this.loaded();
  }

  /** Clicks a download link and returns the file's bytes. */
  private async download(testId: string): Promise<Buffer> {
    const [file] = await Promise.all([this.page.waitForEvent('download', { timeout: 90_000 }), this.page.locator(`[data-testid="${testId}"]`).click()]);
    const path = await file.path();
    return readFile(path);
  }

  async downloadCsv(): Promise<string> {
    return (await this.download('results-csv')).toString('utf8');
  }

  async downloadPdf(): Promise<Buffer> {
    return this.download('report-pdf');
  }
}
