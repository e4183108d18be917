import type { Page } from 'playwright-core';
import { SignInPage } from './sign-in.page.ts';

export type PostRow = { role: string; place: string; from: string; status: string };

/** /me: the signed-in person's posts, and signing out. */
export class MyPostsPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.baseUrl}/me`);
    return this.loaded();
  }

  async loaded(): Promise<this> {
    await this.page.getByRole('heading', { name: 'My posts', level: 1 }).waitFor();
    return this;
  }

  async currentPosts(): Promise<PostRow[]> {
    return this.page.locator('[data-testid="current-posts"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cell = (i: number) => r.children[i]?.querySelector('a')?.textContent?.trim() ?? r.children[i]?.textContent?.trim() ?? '';
        return { role: cell(0), place: cell(1), from: cell(2), status: cell(3) };
      }),
    );
  }

  async signOut(): Promise<SignInPage> {
    await this.page.locator('main').getByRole('button', { name: 'Sign out', exact: true }).click();
    return new SignInPage(this.page, this.baseUrl).shown();
  }

  async signOutEverywhere(): Promise<SignInPage> {
    await this.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    return new SignInPage(this.page, this.baseUrl).shown();
  }
}
