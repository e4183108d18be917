import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { seedDemoAccounts } from '../access/demo-accounts.ts';
import { seedDemoActivities } from '../activities/index.ts';
import { seedDemoPartnerships } from '../partnerships/index.ts';
import { loadDemo } from '../registry/demo.ts';
import { type DemoPractice, seedDemoPractice } from './demo-practice.ts';
import { practiceView } from './library.service.ts';
import { getReview, reciprocityOf } from './review.service.ts';
import { lineageOf } from './library.service.ts';
import { getCommunity } from './community.service.ts';
import { getProject } from './jpd.service.ts';

/** The demo of this domain on the real demo region, in the demo federation, as the browser tests find it. */

let h: DatabaseHandle;
const today = '2026-11-23';
let seeded: DemoPractice | null = null;

beforeAll(async () => {
  h = await testDatabase();
  await loadDemo(h.db, sharedData(''));
  await seedDemoAccounts(h.db, today);
  await seedDemoPartnerships(h.db, today);
  await seedDemoActivities(h.db, today);
  seeded = await seedDemoPractice(h.db, today);
}, 180_000);
afterAll(async () => h.close());

const actor = async (email: string) => {
  const p = await h.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return (await loadActor(h.db, p.id, today, null))!;
};
const ctx = () => ({ db: h.db, today: () => today });

describe('demo practice', () => {
  it('adds a reviewer account at the federation’s third school, with the demo password', async () => {
    expect(seeded?.account).toMatchObject({ email: 'reviewer@trellis.demo', name: 'Maya Reid', role: 'senior_leader' });
    const maya = await actor('reviewer@trellis.demo');
    const head = await actor('head@trellis.demo');
    const teacher = await actor('teacher@trellis.demo');
    const coordinator = await actor('coordinator@trellis.demo');
    const schools = [head, teacher, maya].map((a) => a.posts[0]!.schoolId);
    expect(new Set(schools).size).toBe(3);
    const members = await sql<{ n: number }>`select count(*)::int as n from membership where network_id = ${coordinator.posts[0]!.networkId} and school_id = any(${schools}::bigint[]) and left_on is null`.execute(h.db);
    expect(members.rows[0]!.n).toBe(3);
  });

  it('holds a closed review hosted by the demo teacher’s school, its report shared with the federation', async () => {
    const head = await actor('head@trellis.demo');
    const r = await getReview(ctx(), head, seeded!.reviewId);
    expect(r).toMatchObject({ stage: 'closed', claimedJudgement: 'outstanding', report: { teamJudgement: { judgement: 'good' } } });
    expect(r.team.map((t) => t.name)).toEqual(['Tom Hughes', 'Maya Reid']);
    expect(r.report!.evidence.find((e) => e.kind === 'pupil_conversation')!.pupils[0]!.chosen).toBe('teacher_knows_least');
    expect(r.report!.actions.every((a) => a.status === 'done' && a.whatChanged)).toBe(true);
    expect(r.history.map((x) => x.to)).toEqual(['planned', 'visiting', 'findings', 'actions_agreed', 'follow_up', 'closed']);
    const researcher = await actor('researcher@trellis.demo');
    await expect(getReview(ctx(), researcher, seeded!.reviewId)).rejects.toThrow(/not found/);
    const reciprocity = await reciprocityOf(ctx(), r.network.id, {}, today);
    expect(reciprocity.schools.find((s) => s.schoolId === r.host.schoolId)!.flags).toEqual(['reviewed_never_reviews']);
    expect(reciprocity.edges).toHaveLength(2);
    const types = await sql<{ type_code: string; n: number }>`select type_code, count(*)::int as n from activity where evidence && array[${`/peer-reviews/${seeded!.reviewId}`}, ${`/jpd-projects/${seeded!.projectId}`}, ${`/communities/${seeded!.communityId}`}]::text[] group by type_code order by type_code`.execute(h.db);
    expect(types.rows).toEqual([
      { type_code: 'joint_practice_development', n: 2 },
      { type_code: 'peer_review', n: 2 },
      { type_code: 'subject_phase_network', n: 5 },
    ]);
  });

  it('runs a JPD pair whose practice spread to a third school and beyond the federation', async () => {
    const teacher = await actor('teacher@trellis.demo');
    const p = await getProject(ctx(), teacher, seeded!.projectId);
    expect(p).toMatchObject({ kind: 'pair', status: 'completed', evidenceStrength: 2, practice: { status: 'published' } });
    expect(p.cycles.every((c) => c.complete && c.coachingNotes.length === 1)).toBe(true);
    const lineage = await lineageOf(h.db, teacher, p.practice!.id, 'descendants');
    expect(lineage.nodes.length).toBeGreaterThanOrEqual(2);
    expect(lineage.schools).toBe(lineage.nodes.length);
    const practice = await practiceView(ctx(), teacher, p.practice!.id);
    expect(practice.alsoHelp.map((c) => c.name)).toContain('Maya Reid');
    const community = await getCommunity(ctx(), teacher, seeded!.communityId);
    expect(community).toMatchObject({ kind: 'year_group', rhythm: 'half_termly', schools: 3, rhythmCheck: { kept: true } });
  });

  it('is idempotent', async () => {
    expect(await seedDemoPractice(h.db, today)).toBeNull();
  });
});
