import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { seedDemoAccounts } from '../access/demo-accounts.ts';
import { getPlan } from '../partnerships/partnerships.service.ts';
import { loadDemo } from '../registry/demo.ts';
import { answerIntroduction, getRequest, introduce, raiseRequest, shortlist } from './casework.service.ts';
import { type DemoBrokering, seedDemoBrokering } from './demo-brokering.ts';
import { rankRequest } from './ranking.service.ts';

/**
 * The demo of brokered support on the real demo region, and the story the browser test tells:
 * the demo head raises a maths request, the demo broker ranks it and finds the demo supporter's
 * school near the top, introduces it, both heads accept, and a support partnership with goals
 * appears.
 */
let h: DatabaseHandle;
const today = '2026-11-23';
let seeded: DemoBrokering | null = null;

beforeAll(async () => {
  h = await testDatabase();
  await loadDemo(h.db, sharedData(''));
  await seedDemoAccounts(h.db, today);
  seeded = await seedDemoBrokering(h.db, today);
}, 180_000);
afterAll(async () => h?.close());

const actor = async (email: string) => {
  const p = await h.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return (await loadActor(h.db, p.id, today, null))!;
};
const ctx = () => ({ db: h.db, today: () => today });

describe('demo brokering', () => {
  it('seeds a declared broker, a supporter, offers, priorities and an open request, once', async () => {
    expect(seeded?.accounts.map((a) => a.email)).toEqual(['broker@trellis.demo', 'supporter@trellis.demo']);
    const broker = await actor('broker@trellis.demo');
    expect(broker.posts.map((p) => p.role)).toEqual(['honest_broker']);
    const head = await actor('head@trellis.demo');
    const request = await getRequest(ctx(), head, seeded!.requestId);
    expect(request).toMatchObject({ status: 'open', focusArea: 'send', school: { schoolId: head.posts[0]!.schoolId } });
    const offers = await h.db.selectFrom('expertise_offer').select(['focus_area', 'status']).orderBy('id').execute();
    expect(offers.filter((o) => o.status === 'active').length).toBeGreaterThanOrEqual(3);
    expect(await seedDemoBrokering(h.db, today)).toBeNull();
  });

  it('lets the browser test’s story happen: request, explained ranking, introduction, both accept, partnership with goals', async () => {
    const head = await actor('head@trellis.demo');
    const broker = await actor('broker@trellis.demo');
    const supporter = await actor('supporter@trellis.demo');
    const schoolId = head.posts[0]!.schoolId!;
    const raised = await raiseRequest(ctx(), head, { schoolId, focusArea: 'maths', kind: 'mentoring_coaching', daysNeeded: 3, terms: 3, description: 'Reasoning in upper key stage 2: coaching for our Year 5 and 6 teachers.', goals: [], conflicts: [] });
    const ranking = await rankRequest(ctx(), broker, raised.id, { limit: 10 });
    expect(ranking.brokerCheck.flag).toBe('none');
    const mine = ranking.candidates.find((c) => c.school.schoolId === seeded!.supporterSchoolId && c.offer !== null);
    expect(mine, `supporter school ${seeded!.supporterSchoolId} in ${ranking.candidates.map((c) => c.school.schoolId).join(', ')}`).toBeDefined();
    expect(mine!.rank).toBeLessThanOrEqual(3);
    for (const c of ranking.candidates) expect(c.factors.reduce((t, f) => t + f.contribution, 0)).toBe(c.score);
    const listed = await shortlist(ctx(), broker, raised.id, { candidates: [{ schoolId: mine!.school.schoolId, offerId: mine!.offer!.offerId }], source: 'ranking' });
    const introduced = await introduce(ctx(), broker, raised.id, { shortlistEntryId: listed.shortlist![0]!.id });
    const introId = introduced.introductions[0]!.id;
    await answerIntroduction(ctx(), head, introId, { answer: 'accepted' });
    const matched = await answerIntroduction(ctx(), supporter, introId, { answer: 'accepted' });
    expect(matched.status).toBe('matched');
    const plan = await getPlan(ctx(), head, matched.partnershipId!);
    expect(plan.goals.length).toBeGreaterThanOrEqual(2);
    expect(plan.members.map((m) => m.schoolId).sort()).toEqual([schoolId, seeded!.supporterSchoolId].sort());
  });
});
