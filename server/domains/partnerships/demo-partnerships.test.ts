import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { seedDemoAccounts } from '../access/demo-accounts.ts';
import { loadDemo } from '../registry/demo.ts';
import { seedDemoPartnerships } from './demo-partnerships.ts';
import { getPlan, listPartnerships, networkPlan } from './partnerships.service.ts';

let h: DatabaseHandle;
const today = '2026-11-23';
let planned: Awaited<ReturnType<typeof seedDemoPartnerships>> = [];

beforeAll(async () => {
  h = await testDatabase();
  await loadDemo(h.db, sharedData(''));
  await seedDemoAccounts(h.db, today);
  planned = await seedDemoPartnerships(h.db, today);
}, 120_000);
afterAll(async () => h.close());

const actor = async (email: string) => {
  const p = await h.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return (await loadActor(h.db, p.id, today, null))!;
};
const ctx = () => ({ db: h.db, today: () => today });

describe('demo partnerships', () => {
  it('plan the demo federation (the demo coordinator’s network) and one more real network', async () => {
    expect(planned).toHaveLength(2);
    const coordinator = await actor('coordinator@trellis.demo');
    expect(planned[0]!.networkId).toBe(coordinator.posts[0]!.networkId);
    const members = await sql<{ n: number }>`select count(*)::int as n from membership where network_id = ${planned[1]!.networkId} and left_on is null`.execute(h.db);
    expect(members.rows[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('give each a realistic, agreed, running plan', async () => {
    const admin = await actor('admin@trellis.demo');
    for (const { networkId } of planned) {
      const plan = await networkPlan(ctx(), admin, networkId);
      expect(plan.stage).toBe('active');
      expect(plan.purpose.length).toBeGreaterThan(40);
      expect(plan.goalLimit.inForce).toBeGreaterThanOrEqual(3);
      expect(plan.goalLimit.inForce).toBeLessThanOrEqual(5);
      for (const g of plan.goals.filter((x) => !x.retired)) {
        expect(g.target.on > g.baseline.on).toBe(true);
        expect(g.missingContributions).toEqual([]);
      }
      // Baselines from the schools' real published results.
      expect(plan.goals.some((g) => /^KS2 \d{4}\/\d{2} published results/.test(g.baseline.source ?? ''))).toBe(true);
      expect(plan.agreement?.agreed).toBe(true);
      expect(plan.funding?.problems).toEqual([]);
      expect(plan.funding!.shares.reduce((t, s) => t + s.amountPence, 0)).toBe(plan.funding!.totalPence);
      expect(plan.attendance.meetingsHeld).toBeGreaterThanOrEqual(3);
      expect(plan.attendance.schools.some((s) => s.belowExpectation)).toBe(true);
      expect(plan.reviews).toHaveLength(1);
      expect(plan.reviews[0]!.progress.length).toBeGreaterThanOrEqual(3);
      expect(plan.history.map((c) => c.to)).toEqual(['forming', 'active', 'under_review', 'renewed', 'active']);
      expect(plan.history.every((c) => c.on < today)).toBe(true);
      // Back to Active after the review: the next review has still to be started.
      expect(plan.nextSteps).toEqual([expect.objectContaining({ to: 'under_review', allowed: false })]);
    }
  });

  it('use the federation’s equal shares, and the second network’s funding by size with a renegotiated focus and an ended predecessor', async () => {
    const admin = await actor('admin@trellis.demo');
    const fed = await networkPlan(ctx(), admin, planned[0]!.networkId);
    expect(fed.funding?.terms.model).toBe('equal');
    expect(fed.reviews[0]!.decision).toBe('renew');
    const second = await networkPlan(ctx(), admin, planned[1]!.networkId);
    expect(second.funding?.terms.model).toBe('by_size');
    expect(second.reviews[0]!.decision).toBe('renegotiate');
    expect(second.agreementVersions.map((v) => v.version)).toEqual([2, 1]);
    expect(second.goals.filter((g) => g.retired)).toHaveLength(1);
    const all = await listPartnerships(ctx(), admin, planned[1]!.networkId);
    expect(all.items.map((p) => p.stage)).toEqual(['active', 'ended']);
    const past = await getPlan(ctx(), admin, all.items[1]!.id);
    expect(past.ending?.kept.map((k) => k.kind)).toEqual(['practice', 'relationship', 'resource']);
    expect(past.endedOn).toBe(past.ending?.endsOn);
  });

  it('let the demo head see the plan and the coordinator edit it; signatures come from each school’s head', async () => {
    const head = await actor('head@trellis.demo');
    const coordinator = await actor('coordinator@trellis.demo');
    const plan = await networkPlan(ctx(), head, planned[0]!.networkId);
    expect(plan.viewer).toEqual({ canEdit: false, canSignFor: [head.posts[0]!.schoolId] });
    expect((await networkPlan(ctx(), coordinator, planned[0]!.networkId)).viewer.canEdit).toBe(true);
    expect(plan.agreement!.signatures.find((s) => s.schoolId === head.posts[0]!.schoolId)?.signedBy).toBe('Tom Hughes');
  });

  it('is idempotent', async () => {
    const before = await sql<{ n: number }>`select (select count(*) from partnership) + (select count(*) from person) as n`.execute(h.db);
    expect(await seedDemoPartnerships(h.db, today)).toEqual([]);
    const after = await sql<{ n: number }>`select (select count(*) from partnership) + (select count(*) from person) as n`.execute(h.db);
    expect(Number(after.rows[0]!.n)).toBe(Number(before.rows[0]!.n));
  });
});
