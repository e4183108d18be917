import type { Page } from 'playwright-core';

export type TypologyRow = { dimension: string; declared: string; computed: string; differs: boolean };

/** /networks/:id: members on a date, the map, and the classification panel. */
export class NetworkPage {
  constructor(private readonly page: Page) {}

  async loaded(): Promise<this> {
    await this.page.locator('article.network h1').waitFor();
    await this.page.locator('[data-testid="members"][aria-busy="false"]').waitFor();
    return this;
  }

  async name(): Promise<string> {
    return (await this.page.locator('article.network h1').textContent()) ?? '';
  }

  /** Picks the "Members on" date and returns the names of the members on it. */
  async membersOn(date: string): Promise<string[]> {
    await this.page.getByLabel('Members on', { exact: true }).fill(date);
    await this.page.locator(`[data-testid="members"][data-on="${date}"][aria-busy="false"]`).waitFor();
    return this.memberNames();
  }

  async memberNames(): Promise<string[]> {
    return this.page.locator('[data-testid="members"] tbody tr td:first-child a').allTextContents();
  }

  /** How many members the map draws, once it has drawn. */
  async mapPoints(): Promise<number> {
    await this.page.locator('[data-testid="network-map"][aria-busy="false"]').waitFor();
    return this.page.locator('[data-testid="network-map"] a.map-point').count();
  }

  async mapSummary(): Promise<string> {
    return (await this.page.locator('[data-testid="network-map"]').textContent()) ?? '';
  }

  /** Focuses a point on the map (as a keyboard user would) and reads the label it shows. */
  async focusMapPoint(index: number): Promise<string> {
    await this.page.locator('[data-testid="network-map"] a.map-point').nth(index).focus();
    return (await this.page.locator('.map-label text').textContent()) ?? '';
  }

  /** "Members' results": per school, its figures or "Not shared". */
  /** The aggregate line above the members' results, once loaded. */
  async resultsSummary(): Promise<string> {
    const summary = this.page.locator('[data-testid="results-summary"]');
    await summary.waitFor();
    return ((await summary.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async memberResults(): Promise<{ school: string; shared: boolean; text: string }[]> {
    await this.page.locator('[data-testid="member-results"][aria-busy="false"] table').waitFor();
    return this.page.locator('[data-testid="member-results"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        school: r.querySelector('th a')?.textContent?.trim() ?? '',
        shared: r.getAttribute('data-shared') === 'true',
        text: [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '').join(' | '),
      })),
    );
  }

  async typology(): Promise<TypologyRow[]> {
    await this.page.locator('[data-testid="typology"] table').waitFor();
    return this.page.locator('[data-testid="typology"] tbody tr:not(.group-row)').evaluateAll((rows) =>
      rows.map((r) => ({
        dimension: r.querySelector('th')?.firstChild?.textContent?.trim() ?? '',
        declared: r.children[1]?.textContent?.trim() ?? '',
        computed: r.children[2]?.textContent?.trim() ?? '',
        differs: r.classList.contains('is-disagreement'),
      })),
    );
  }

  /** Opens the form, chooses a value per dimension (by their labels), saves. */
  async declare(values: Record<string, string>): Promise<void> {
    await this.page.getByRole('button', { name: 'Declare values' }).click();
    const form = this.page.getByRole('form', { name: 'Declare classification' });
    for (const [dimension, option] of Object.entries(values)) {
      await form.getByLabel(dimension, { exact: true }).selectOption({ label: option });
    }
    await form.getByRole('button', { name: 'Save declared values' }).click();
    await this.page.getByRole('status').filter({ hasText: 'Declared values saved' }).waitFor();
  }

  /** The "Collaboration" section once loaded: its summary figures, the ties listed, and what it says about participation. */
  async collaboration(): Promise<{ summary: Record<string, string>; ties: { pair: string; class: string }[]; participation: string }> {
    await this.page.locator('[data-testid="network-collaboration"][aria-busy="false"]').waitFor();
    await this.page.locator('[data-testid="network-participation"][aria-busy="false"]').waitFor();
    const summary = await this.page.locator('[data-testid="tie-summary"] > div').evaluateAll((tiles) =>
      tiles.map((t) => [t.querySelector('dt')?.textContent?.trim() ?? '', t.querySelector('dd')?.textContent?.trim() ?? ''] as const),
    );
    const ties = await this.page.locator('[data-testid="network-ties"] > li').evaluateAll((items) =>
      items.map((li) => ({ pair: (li.querySelector('.pair')?.textContent ?? '').replace(/\s+/g, ' ').trim(), class: li.getAttribute('data-class') ?? '' })),
    );
    const participation = ((await this.page.locator('[data-testid="network-participation"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    return { summary: Object.fromEntries(summary), ties, participation };
  }

  /** Follows one of the section's links: "Partnership plan", "Activity log" or "Record an activity". */
  async follow(link: 'Partnership plan' | 'Activity log' | 'Record an activity'): Promise<void> {
    await this.page.locator('[data-testid="network-collaboration"]').getByRole('link', { name: link, exact: true }).click();
  }
}
