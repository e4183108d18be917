import type { Page } from 'playwright-core';

export type SharingDecisionRow = { network: string; data: string; decision: string; by: string; note: string };

/** /schools/:id/sharing: which data the school shares with each network, and the decisions so far. */
export class SharingPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(schoolId: number): Promise<this> {
    await this.page.goto(`${this.baseUrl}/schools/${schoolId}/sharing`);
    await this.page.locator('[data-testid="sharing"] table').waitFor();
    return this;
  }

  /** Whether `dataClass` (the start of its label, such as "Outcomes") is shared with the network. */
  async isShared(network: string, dataClass: string): Promise<boolean> {
    return this.switchFor(network, dataClass).isChecked();
  }

  /** Switches a class of data on or off for a network, with an optional note, and waits for the change to be saved. */
  async setShared(network: string, dataClass: string, shared: boolean, note?: string): Promise<void> {
    if (note) await this.page.getByLabel('Note for the record (optional)').fill(note);
    await this.switchFor(network, dataClass).setChecked(shared);
    await this.page
      .getByRole('status')
      .filter({ hasText: `${shared ? 'now shared with' : 'no longer shared with'} ${network}` })
      .waitFor();
  }

  async history(): Promise<SharingDecisionRow[]> {
    return this.page.locator('[data-testid="sharing-history"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cell = (i: number) => r.children[i]?.textContent?.trim() ?? '';
        return { network: cell(1), data: cell(2), decision: cell(3), by: cell(4), note: cell(5) };
      }),
    );
  }

  private switchFor(network: string, dataClass: string) {
    return this.page.getByRole('switch', { name: new RegExp(`^${escapeRegExp(dataClass)}.* shared with ${escapeRegExp(network)}$`) });
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
