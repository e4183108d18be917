import type { Page } from 'playwright-core';
import { demoPassword } from '../trellis-server.ts';

/** /sign-in: email and password; after signing in the app goes to `next` (or home). */
export class SignInPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(next?: string): Promise<this> {
    await this.page.goto(`${this.baseUrl}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    return this.shown();
  }

  /** Waits until the sign-in form is on screen (after a redirect, say). */
  async shown(): Promise<this> {
    await this.page.getByRole('form', { name: 'Sign in' }).waitFor();
    return this;
  }

  /** Signs in (opening the page first unless it is showing) and waits for the app to greet the person. */
  async signInAs(email: string, password = demoPassword): Promise<void> {
    if (!new URL(this.page.url(), this.baseUrl).pathname.startsWith('/sign-in')) await this.open();
    await this.submit(email, password);
    await this.page.locator('.site-header .account-name').waitFor();
  }

  /** A sign-in that should fail: returns the message shown. */
  async failToSignIn(email: string, password: string): Promise<string> {
    const answered = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/sign-in');
    await this.submit(email, password);
    await answered;
    // The form is back (not "Signing in…") once the answer is shown: the alert is this attempt's.
    await this.page.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    const alert = this.page.getByRole('alert');
    await alert.waitFor();
    return (await alert.textContent()) ?? '';
  }

  private async submit(email: string, password: string) {
    const form = this.page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }
}
