import type { Page } from 'playwright-core';

export type Invitee = { email: string; name?: string; role: string; school?: string };

/** /admin/people (administrators): invitations, people and their posts. */
export class PeoplePage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<this> {
    await this.page.goto(`${this.baseUrl}/admin/people`);
    await this.page.locator('[data-testid="people"][aria-busy="false"]').waitFor();
    return this;
  }

  /** Fills the invitation form (role by its label, the school found by name) and returns the one-time link shown. */
  async invite(who: Invitee): Promise<string> {
    const form = this.page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Email').fill(who.email);
    if (who.name) await form.getByLabel('Name (optional)').fill(who.name);
    await form.getByLabel('Role').selectOption({ label: who.role });
    if (who.school) {
      await form.getByLabel('Find the school').fill(who.school);
      const chosen = form.getByLabel('Chosen school');
      await chosen.locator('option', { hasText: who.school }).first().waitFor({ state: 'attached' });
      const value = await chosen.locator('option', { hasText: who.school }).first().getAttribute('value');
      await chosen.selectOption(value ?? '');
    }
    await form.getByRole('button', { name: 'Create invitation link' }).click();
    const link = this.page.getByLabel('Send this link to them');
    await link.waitFor();
    return link.inputValue();
  }

  /** Asks for a password reset link for one of the people listed; returns the link shown in their card. */
  async resetLinkFor(email: string): Promise<string> {
    const card = this.page.locator(`[data-testid="person"][data-email="${email}"]`);
    await card.getByRole('button', { name: 'Password reset link' }).click();
    const link = card.getByLabel('Send this link to them');
    await link.waitFor();
    return link.inputValue();
  }

  /** Searches people by name or email; returns each match's name line and its posts' roles and places. */
  async find(text: string): Promise<{ email: string; posts: { role: string; place: string; status: string }[] }[]> {
    await this.page.getByRole('searchbox', { name: 'Name or email' }).fill(text);
    await this.page.getByRole('button', { name: 'Find', exact: true }).click();
    await this.page.waitForURL((url) => url.searchParams.get('q') === text);
    await this.page.locator('[data-testid="people"][aria-busy="false"]').waitFor();
    return this.page.locator('[data-testid="person"]').evaluateAll((people) =>
      people.map((p) => ({
        email: p.getAttribute('data-email') ?? '',
        posts: [...p.querySelectorAll('tbody tr')].map((r) => ({
          role: r.children[0]?.textContent?.trim() ?? '',
          place: r.children[1]?.textContent?.trim() ?? '',
          status: r.children[3]?.textContent?.trim() ?? '',
        })),
      })),
    );
  }
}
