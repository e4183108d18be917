import type { Page } from 'playwright-core';

export type AuditRow = { who: string; what: string; about: string; details: string };

/** /audit: recorded events, newest first, with "Older events" for the next page. */
export class AuditPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  /** Opens the log from the header, as a person would. */
  async openFromHeader(): Promise<this> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    return this.loaded();
  }

  async open(): Promise<this> {
    await this.page.goto(`${this.baseUrl}/audit`);
    return this.loaded();
  }

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="audit"][aria-busy="false"]').waitFor();
    return this;
  }

  async events(): Promise<AuditRow[]> {
    return this.page.locator('[data-testid="audit"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cell = (i: number) => r.children[i]?.textContent?.trim() ?? '';
        return { who: cell(1), what: cell(2), about: cell(3), details: cell(4) };
      }),
    );
  }
}
