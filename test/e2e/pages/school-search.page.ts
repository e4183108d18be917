import type { Page } from 'playwright-core';
import { SchoolPage } from './school.page.ts';

/** /schools: search by name or URN, filters, results, "Load more". */
export class SchoolSearchPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(query = ''): Promise<this> {
    await this.page.goto(`${this.baseUrl}/schools${query}`);
    await this.resultsSettled();
    return this;
  }

  async searchFor(text: string): Promise<this> {
    await this.page.getByRole('searchbox', { name: 'School name or URN' }).fill(text);
    await this.page.getByRole('button', { name: 'Search', exact: true }).click();
    await this.resultsSettled(text);
    return this;
  }

  async filterBy(label: 'Phase' | 'Type' | 'Status' | 'In a network of kind', option: string): Promise<this> {
    await this.page.getByLabel(label, { exact: true }).selectOption({ label: option });
    await this.resultsSettled();
    return this;
  }

  async resultNames(): Promise<string[]> {
    return this.page.locator('section.results tbody tr td:first-child a').allTextContents();
  }

  async emptyMessage(): Promise<string | null> {
    const empty = this.page.locator('section.results .empty-title');
    return (await empty.count()) > 0 ? empty.textContent() : null;
  }

  /** Opens a school from the results; `urn` picks the right one when names repeat (a closed predecessor…). */
  async openSchool(name: string, urn?: number): Promise<SchoolPage> {
    const rows = this.page.locator('section.results tbody tr');
    const row = urn === undefined ? rows : rows.filter({ has: this.page.locator('td.num', { hasText: String(urn) }) });
    await row.getByRole('link', { name, exact: true }).first().click();
    return new SchoolPage(this.page).loaded();
  }

  /** Waits until the results for the current (or given) query are on screen. */
  private async resultsSettled(q?: string) {
    const selector = q === undefined ? 'section.results[aria-busy="false"]' : `section.results[aria-busy="false"][data-q="${q.replace(/"/g, '\\"')}"]`;
    await this.page.locator(selector).waitFor();
  }
}
