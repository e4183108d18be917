import type { Page } from 'playwright-core';
import { NetworkPage } from './network.page.ts';

export type MembershipRow = { network: string; kind: string; role: string; joined: string; left: string };

/** /schools/:id: the profile and the school's networks over time. */
export class SchoolPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('article.school h1').waitFor();
    await this.page.locator('[data-testid="networks-over-time"][aria-busy="false"]').waitFor();
    return this;
  }

  async name(): Promise<string> {
    return (await this.page.locator('article.school h1').textContent()) ?? '';
  }

  async profile(): Promise<Record<string, string>> {
    const facts = await this.page.locator('.facts .fact').evaluateAll((nodes) =>
      nodes.map((n) => [n.querySelector('dt')?.textContent ?? '', n.querySelector('dd')?.textContent ?? ''] as const),
    );
    return Object.fromEntries(facts);
  }

  /** The memberships table under the timeline, one row per membership. */
  async networksOverTime(): Promise<MembershipRow[]> {
    return this.page.locator('[data-testid="networks-over-time"] table tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cell = (i: number) => r.children[i]?.textContent?.trim() ?? '';
        return { network: cell(0), kind: cell(1), role: cell(2), joined: cell(3), left: cell(4) };
      }),
    );
  }

  /** The Results section once loaded: the tables' years, or the message shown instead of them. */
  async results(): Promise<{ years: string[]; message: string }> {
    const section = this.page.locator('[data-testid="results"][aria-busy="false"]');
    await section.waitFor();
    const years = await section.locator('table tbody th[scope="row"]').allTextContents();
    const message = (await section.locator('.empty-title').count()) > 0 ? ((await section.locator('.empty-title').textContent()) ?? '') : '';
    return { years, message };
  }

  async openSharingSettings(): Promise<void> {
    await this.page.getByRole('link', { name: 'Data sharing settings' }).click();
    await this.page.locator('[data-testid="sharing"]').waitFor();
  }

  async timelineBars(): Promise<number> {
    return this.page.locator('.timeline-bar').count();
  }

  async openNetwork(name: string): Promise<NetworkPage> {
    await this.page.locator('[data-testid="networks-over-time"] table').getByRole('link', { name, exact: true }).click();
    return new NetworkPage(this.page).loaded();
  }
}
