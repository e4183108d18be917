import type { Page } from 'playwright-core';
import { MyPostsPage } from './my-posts.page.ts';

/** /invite/:token: what the link offers, and creating the account it invites. */
export class InvitePage {
  constructor(private readonly page: Page) {}

  async open(link: string): Promise<this> {
    await this.page.goto(link);
    await this.page.locator('[data-testid="invitation-offer"]').waitFor();
    return this;
  }

  async offer(): Promise<string> {
    return (await this.page.locator('[data-testid="invitation-offer"]').textContent()) ?? '';
  }

  /** A setup or reset link: the new password twice; lands on "My posts", signed in. */
  async choosePassword(password: string): Promise<MyPostsPage> {
    const form = this.page.getByRole('form', { name: 'Choose a password' });
    await form.getByLabel('Choose a password').fill(password);
    await form.getByLabel('Type it again').fill(password);
    await form.getByRole('button', { name: 'Set password and sign in' }).click();
    await this.page.waitForURL((url) => url.pathname === '/me');
    return new MyPostsPage(this.page, new URL(this.page.url()).origin).loaded();
  }

  /** A new account: name, password twice; lands on "My posts". */
  async createAccount(name: string, password: string): Promise<MyPostsPage> {
    const form = this.page.getByRole('form', { name: 'Create your account' });
    await form.getByLabel('Your name').fill(name);
    await form.getByLabel('Choose a password').fill(password);
    await form.getByLabel('Type it again').fill(password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await this.page.waitForURL((url) => url.pathname === '/me');
    return new MyPostsPage(this.page, new URL(this.page.url()).origin).loaded();
  }
}
