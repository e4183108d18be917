import type { Locator, Page } from 'playwright-core';

export type GoalInput = {
  statement: string;
  measure: string;
  unit?: string;
  baseline: number;
  baselineOn: string;
  target: number;
  targetOn: string;
  /** What each member school contributes, by the school's name. */
  contributions?: Record<string, string>;
};

export type AgreementInput = {
  principles: string[];
  frequency: string;
  minAttendancePct: number;
  consequence?: string;
  /** Data classes the partners agree to share, by label ("Activity records"). */
  sharing: string[];
  conflictResolution: string;
  /** Equal shares of a total, in pounds. */
  equalShares: number;
};

export type NextStep = { to: string; allowed: boolean; missing: string[] };

/** /networks/:id/plan: a network's partnership plan, formed, read and changed as a coordinator would. */
export class PlanPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(networkId: number): Promise<this> {
    await this.page.goto(`${this.baseUrl}/networks/${networkId}/plan`);
    return this.loaded();
  }

  async loaded(): Promise<this> {
    await this.page.locator('[data-testid="plan"][aria-busy="false"]').waitFor();
    return this;
  }

  /** Whether the page offers to form a partnership (the network has none, and the reader coordinates it). */
  async offersToForm(): Promise<boolean> {
    return (await this.page.getByRole('form', { name: 'Form a partnership' }).count()) > 0;
  }

  async formPartnership(p: { purpose: string; vision?: string; theory?: string }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Form a partnership' });
    await form.getByLabel('Purpose', { exact: true }).fill(p.purpose);
    if (p.vision) await form.getByLabel('Shared vision (optional)').fill(p.vision);
    if (p.theory) await form.getByLabel('Theory of action (optional)').fill(p.theory);
    await form.getByRole('button', { name: 'Form the partnership' }).click();
    await this.page.locator('[data-testid="plan-purpose-text"]').waitFor();
  }

  async purpose(): Promise<string> {
    return ((await this.page.locator('[data-testid="plan-purpose-text"]').textContent()) ?? '').trim();
  }

  async stage(): Promise<string> {
    return ((await this.page.locator('[data-testid="plan-stage-label"]').textContent()) ?? '').trim();
  }

  async nextSteps(): Promise<NextStep[]> {
    return this.page.locator('[data-testid="plan-stage"] li.next-step').evaluateAll((items) =>
      items.map((li) => ({
        to: li.getAttribute('data-to') ?? '',
        allowed: li.classList.contains('is-allowed'),
        missing: [...li.querySelectorAll('.still-needed li')].map((m) => m.textContent?.trim() ?? ''),
      })),
    );
  }

  private get goals(): Locator {
    return this.page.locator('[data-testid="plan-goals"]');
  }

  /**
   * Adds a goal through the form. Returns null when it was added, or the message shown when
   * Trellis refused it (the form stays open then; `cancel` closes it).
   */
  async addGoal(g: GoalInput): Promise<string | null> {
    await this.goals.getByRole('button', { name: 'Add a goal' }).click();
    const form = this.page.getByRole('form', { name: 'Add a goal' });
    await form.getByLabel('Goal', { exact: true }).fill(g.statement);
    await form.getByLabel('Measure', { exact: true }).fill(g.measure);
    if (g.unit) await form.getByLabel('Unit (optional)').fill(g.unit);
    await form.getByLabel('Baseline value').fill(String(g.baseline));
    await form.getByLabel('Measured on').fill(g.baselineOn);
    await form.getByLabel('Target value').fill(String(g.target));
    await form.getByLabel('Target date').fill(g.targetOn);
    for (const [school, text] of Object.entries(g.contributions ?? {})) await form.getByLabel(school, { exact: true }).fill(text);
    const before = await this.goalStatements();
    await form.getByRole('button', { name: 'Add the goal' }).click();
    const refused = form.locator('[data-testid="form-error"]');
    const added = this.goals.getByRole('status').filter({ hasText: `Goal added: ${g.statement}` });
    await refused.or(added).waitFor();
    if (await refused.isVisible()) {
      const message = ((await refused.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      await form.getByRole('button', { name: 'Cancel' }).click();
      return message;
    }
    if ((await this.goalStatements()).length !== before.length + 1) throw new Error('the goal was reported added but the list did not grow');
    return null;
  }

  /** The statements of the goals in force, in order. */
  async goalStatements(): Promise<string[]> {
    return this.goals.locator('.goal-list').first().locator('[data-testid="goal"] .goal-statement').allTextContents();
  }

  async goalCount(): Promise<string> {
    return ((await this.goals.locator('[data-testid="goal-count"]').textContent()) ?? '').trim();
  }

  /** What a goal shows about each school's contribution. */
  async goalText(statement: string): Promise<string> {
    const goal = this.goals.locator('[data-testid="goal"]').filter({ hasText: statement });
    return ((await goal.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async writeAgreement(a: AgreementInput): Promise<void> {
    const section = this.page.locator('[data-testid="plan-agreement"]');
    await section.getByRole('button', { name: /^Write (the agreement|a new version)$/ }).click();
    const form = this.page.getByRole('form', { name: 'Write the agreement' });
    await form.getByLabel('Principles').fill(a.principles.join('\n'));
    await form.getByLabel('How often the partners meet').selectOption({ label: a.frequency });
    await form.getByLabel('Each school attends at least (%)').fill(String(a.minAttendancePct));
    if (a.consequence) await form.getByLabel('If a school attends less (optional)').fill(a.consequence);
    for (const dataClass of a.sharing) await form.getByRole('checkbox', { name: dataClass }).check();
    await form.getByLabel('How disagreements are resolved').fill(a.conflictResolution);
    await form.getByLabel('How costs are shared').selectOption({ label: 'Equal shares' });
    await form.getByLabel('Total to raise (£)').fill(String(a.equalShares));
    await form.getByRole('button', { name: /^Save version \d+$/ }).click();
    await section.getByRole('status').filter({ hasText: /Version \d+ of the agreement saved/ }).waitFor();
  }

  /** The agreement in force: its version, whether all have agreed, and the sentence about who has not. */
  async agreement(): Promise<{ version: number; agreed: boolean; status: string; principles: string[] }> {
    const status = this.page.locator('[data-testid="agreement-status"]');
    await status.waitFor();
    return {
      version: Number(await status.getAttribute('data-version')),
      agreed: (await status.getAttribute('data-agreed')) === 'true',
      status: ((await status.locator('.notice').first().textContent()) ?? '').trim(),
      principles: await this.page.locator('[data-testid="plan-agreement"] .agreement-terms ol').first().locator('li').allTextContents(),
    };
  }

  /** Per school, the amount it pays under the agreement's funding model. */
  async funding(): Promise<Record<string, string>> {
    const rows = await this.page.locator('[data-testid="plan-funding"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.children[0]?.textContent?.trim() ?? '', tr.children[1]?.textContent?.trim() ?? ''] as const),
    );
    return Object.fromEntries(rows);
  }

  /** The data-sharing comparison: per school, the cell for a data class ("Activity records"). */
  async sharing(dataClassColumn: number): Promise<Record<string, string>> {
    const rows = await this.page.locator('[data-testid="plan-sharing"] tbody tr').evaluateAll(
      (trs, col) => trs.map((tr) => [tr.querySelector('th')?.textContent?.trim() ?? '', tr.children[col]?.getAttribute('data-status') ?? ''] as const),
      dataClassColumn,
    );
    return Object.fromEntries(rows);
  }

  /** Whether any change is offered (coordinators only). */
  async canChange(): Promise<boolean> {
    return (await this.page.getByRole('button', { name: 'Add a goal' }).count()) > 0;
  }

  /** As a leader of `school`: agrees to the version in force for it, and waits for the plan to say so. */
  async agreeFor(school: string): Promise<void> {
    const section = this.page.locator('[data-testid="plan-agreement"]');
    await section.getByRole('button', { name: new RegExp(`^Agree to version \\d+ for ${school.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click();
    await section.getByRole('status').filter({ hasText: `${school} has agreed to version` }).waitFor();
  }

  /** Moves the partnership to a stage (by its label) with an optional note, and waits for the page to show it. */
  async moveTo(stage: string, note?: string): Promise<void> {
    const step = this.page.locator('[data-testid="plan-stage"] li.next-step').filter({ has: this.page.getByRole('button', { name: `Move to ${stage}` }) });
    if (note) await step.getByRole('textbox').fill(note);
    await step.getByRole('button', { name: `Move to ${stage}` }).click();
    await this.page.locator(`[data-testid="plan-stage-label"]`, { hasText: stage }).waitFor();
  }
}
