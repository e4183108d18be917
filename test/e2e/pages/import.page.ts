import type { Page } from 'playwright-core';

export type ImportOutcome =
  | { status: 'done'; heading: string; tiles: Record<string, string> }
  | { status: 'failed'; heading: string; problems: { row: string; line: string; column: string; message: string; fix: string }[] };

/** /import: choose a kind and a file, upload, watch progress, read the outcome. */
export class ImportPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.baseUrl}/import`);
    await this.page.locator('#import-kind option').nth(1).waitFor({ state: 'attached' });
    return this;
  }

  async kinds(): Promise<string[]> {
    return this.page.locator('#import-kind option').allTextContents();
  }

  /** Uploads a file (kind: an option value, or undefined to detect) and waits for the outcome. */
  async upload(path: string, kind?: string): Promise<ImportOutcome> {
    if (kind) await this.page.getByLabel('Kind of file').selectOption(kind);
    await this.page.getByLabel('File', { exact: true }).setInputFiles(path);
    await this.page.getByRole('button', { name: 'Upload and import' }).click();
    const result = this.page.locator('[data-testid="import-result"]');
    await result.waitFor({ timeout: 60_000 });
    const heading = (await result.locator('h2').textContent()) ?? '';
    if ((await result.locator('.problems-table').count()) > 0 || heading.startsWith('Nothing')) {
      const problems = await result.locator('.problems-table tbody tr').evaluateAll((rows) =>
        rows.map((r) => {
          const cell = (i: number) => r.children[i]?.textContent?.trim() ?? '';
          return { row: cell(0), line: cell(1), column: cell(2), message: cell(3), fix: cell(4) };
        }),
      );
      return { status: 'failed', heading, problems };
    }
    const tiles = await result.locator('.stat-tiles > div').evaluateAll((divs) =>
      divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? ''] as const),
    );
    return { status: 'done', heading, tiles: Object.fromEntries(tiles) };
  }
}
