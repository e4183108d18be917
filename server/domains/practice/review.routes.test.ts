import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Peer review over HTTP on a real database: the lifecycle with its refusals, the team rules,
 * pupils described and never named, the activity records a visit creates, and who may read a
 * report — the host and the team always; partners only while the host shares its reports with
 * the network; never the local authority, the trust without consent, a researcher or another
 * network — with every read of another school's report audited.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};
const today = '2026-11-23';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Exe Valley Federation', kind: 'federation' });
  const m = await makeNetwork(db, { name: 'Moor Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary', la_name: 'Devon' });
  const b = await makeSchool(db, { name: 'Birch Primary' });
  const c = await makeSchool(db, { name: 'Cedar Primary' });
  const d = await makeSchool(db, { name: 'Damson Primary' });
  const e = await makeSchool(db, { name: 'Elm Primary' });
  for (const s of [a, b, c, d]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  for (const s of [a, e]) await makeMembership(db, s, m, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, d: d.id, e: e.id });
  Object.assign(people, {
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }], { name: 'Cora Coordinator' }),
    headA: await makePerson(db, [{ role: 'head_teacher', school: a }], { name: 'Hana Head' }),
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }]),
    governorA: await makePerson(db, [{ role: 'governor', school: a }]),
    seniorB: await makePerson(db, [{ role: 'senior_leader', school: b }], { name: 'Ben Senior' }),
    teacherB: await makePerson(db, [{ role: 'teacher', school: b }], { name: 'Bea Teacher' }),
    teacherC: await makePerson(db, [{ role: 'teacher', school: c }], { name: 'Cal Teacher' }),
    headC: await makePerson(db, [{ role: 'head_teacher', school: c }]),
    teacherD: await makePerson(db, [{ role: 'teacher', school: d }], { name: 'Dot Teacher' }),
    teacherE: await makePerson(db, [{ role: 'teacher', school: e }]),
    laOfficer: await makePerson(db, [{ role: 'la_officer', laName: 'Devon' }]),
    trustOfficer: await makePerson(db, [{ role: 'trust_officer', network: n }]),
    researcher: await makePerson(db, [{ role: 'researcher', network: n }]),
    broker: await makePerson(db, [{ role: 'honest_broker', network: n }]),
  });
  // Ash shares its peer-review reports with the Moor Cluster (not with the federation, yet).
  await db.insertInto('consent_decision').values({ school_id: a.id, network_id: m.id, data_class: 'peer_review_reports', shared: true, decided_by: people.headA!.id }).execute();
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function api(who: keyof typeof people | null, method: Method, url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? (res.headers['content-type']?.toString().includes('json') ? res.json() : res.body) : null, headers: res.headers };
}
const reportReads = async () =>
  Number((await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'read.sensitive' and detail->>'dataClass' = 'peer_review_reports'`.execute(h.db)).rows[0]!.n);

const plan = (over: Record<string, unknown> = {}) => ({
  hostSchoolId: id.a,
  title: 'Is learning behaviour outstanding?',
  focus: 'We judge learning behaviour outstanding: test it, especially with the pupils we overlook.',
  focusArea: 'personal_development_behaviour_welfare',
  priority: 'Development plan priority 2: independence in learning',
  claimedJudgement: 'outstanding',
  visitStartOn: '2026-10-05',
  visitEndOn: '2026-10-06',
  followUpOn: '2026-11-16',
  ...over,
});

describe('peer review routes', () => {
  it('need a session, every one of them', async () => {
    // Valid payloads, so the answer is about the session (validation runs first). Every route: authorization-matrix.test.ts.
    const urls: [Method, string, unknown?][] = [
      ['GET', `/networks/${id.n}/peer-reviews`],
      ['POST', `/networks/${id.n}/peer-reviews`, plan()],
      ['GET', '/peer-reviews/1'],
      ['GET', '/peer-reviews/1/report.html'],
      ['GET', '/peer-reviews/1/report.pdf'],
      ['POST', '/peer-reviews/1/evidence', { kind: 'learning_walk', observedOn: '2026-10-05', notes: 'Notes' }],
      ['DELETE', '/peer-review-evidence/1'],
      ['GET', `/networks/${id.n}/peer-review-reciprocity`],
    ];
    for (const [method, url, payload] of urls) expect((await api(null, method, url, payload)).status, `${method} ${url}`).toBe(401);
  });

  it('names the bad field', async () => {
    const cases: [string, unknown, string][] = [
      [`/networks/${id.n}/peer-reviews`, plan({ focus: 'Too short' }), 'body.focus'],
      [`/networks/${id.n}/peer-reviews`, plan({ claimedJudgement: 'excellent' }), 'body.claimedJudgement'],
      [`/networks/${id.n}/peer-reviews`, plan({ visitEndOn: '2026-10-01' }), 'body.visitEndOn'],
      [`/networks/${id.n}/peer-reviews`, plan({ followUpOn: '2026-10-06' }), 'body.followUpOn'],
      [`/networks/${id.n}/peer-reviews`, plan({ hostSchoolId: id.e }), 'hostSchoolId'],
      [`/networks/${id.n}/peer-reviews`, plan({ partnershipGoalId: 999 }), 'partnershipGoalId'],
    ];
    for (const [url, payload, path] of cases) {
      const r = await api('coordinator', 'POST', url, payload);
      expect(r.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('lets the host’s leaders and the coordinators set up a review, not a partner or the host’s teachers', async () => {
    expect((await api('teacherA', 'POST', `/networks/${id.n}/peer-reviews`, plan())).status).toBe(404);
    expect((await api('seniorB', 'POST', `/networks/${id.n}/peer-reviews`, plan())).status).toBe(404);
    const r = await api('headA', 'POST', `/networks/${id.n}/peer-reviews`, plan());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ stage: 'planned', host: { name: 'Ash Primary' }, claimedJudgement: 'outstanding', report: { evidence: [], findings: [], actions: [] } });
    expect(r.body.teamGaps.map((s: { name: string }) => s.name)).toEqual(['Birch Primary', 'Cedar Primary', 'Damson Primary']);
    expect(r.body.history).toEqual([expect.objectContaining({ from: null, to: 'planned', by: 'Hana Head' })]);
    expect(r.body.nextSteps.find((s: { to: string }) => s.to === 'visiting')).toMatchObject({ allowed: false, missing: ['at least one reviewer from a partner school (add the team first)'] });
    id.review = r.body.id;
    // The focus may serve a goal of the network's partnership plan instead of a priority in words.
    const partnership = await api('coordinator', 'POST', `/networks/${id.n}/partnerships`, { purpose: 'Raise standards in reasoning together', formedOn: '2025-09-01' });
    const goal = await api('coordinator', 'POST', `/partnerships/${partnership.body.id}/goals`, {
      statement: 'Every pupil explains their reasoning',
      measure: 'Share of pupils explaining fully on the unit check',
      baseline: { value: 38, on: '2025-07-31' },
      target: { value: 70, on: '2027-07-31' },
    });
    const linked = await api('headA', 'PATCH', `/peer-reviews/${id.review}`, { partnershipGoalId: goal.body.id });
    expect(linked.body.partnershipGoal).toEqual({ id: goal.body.id, statement: 'Every pupil explains their reasoning' });
    const byCoordinator = await api('coordinator', 'POST', `/networks/${id.n}/peer-reviews`, plan({ hostSchoolId: id.c, title: 'Reading across the school' }));
    expect(byCoordinator.status).toBe(201);
    // The coordinator runs the programme but sees no report without the host's consent.
    expect(byCoordinator.body.report).toBeNull();
    id.reviewC = byCoordinator.body.id;
  });

  it('refuses moves the lifecycle does not allow, saying what is allowed or missing', async () => {
    const skip = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'findings' });
    expect(skip.status).toBe(409);
    expect(skip.body.detail).toBe('a review cannot move from Planned to Findings; from Planned it can move to: Visit under way, Cancelled');
    const noTeam = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'visiting' });
    expect(noTeam.status).toBe(409);
    expect(noTeam.body.detail).toBe('to move from Planned to Visit under way the review needs at least one reviewer from a partner school (add the team first)');
    const cancelNoReason = await api('headA', 'POST', `/peer-reviews/${id.reviewC}/transition`, { to: 'cancelled' });
    expect(cancelNoReason.status).toBe(404); // Cedar's review: Ash's head neither runs nor reads it
    expect((await api('coordinator', 'POST', `/peer-reviews/${id.reviewC}/transition`, { to: 'cancelled' })).body.detail).toMatch(/a note saying why/);
  });

  it('builds a team of one reviewer per partner school, from its teachers and leaders', async () => {
    const add = (who: keyof typeof people, body: Record<string, unknown>) => api(who, 'POST', `/peer-reviews/${id.review}/reviewers`, body);
    expect((await add('headA', { personId: people.teacherB!.id, schoolId: id.b, trained: true, lead: true })).status).toBe(200);
    const second = await add('headA', { personId: people.seniorB!.id, schoolId: id.b });
    expect(second.status).toBe(409);
    expect(second.body.detail).toBe('Birch Primary already has a reviewer on this team; the protocol asks for one reviewer from each partner school (remove the other first)');
    expect((await add('headA', { personId: people.teacherA!.id, schoolId: id.a })).body.errors[0].path).toBe('schoolId');
    expect((await add('headA', { personId: people.teacherE!.id, schoolId: id.e })).body.errors[0].path).toBe('schoolId');
    expect((await add('headA', { personId: people.teacherD!.id, schoolId: id.c })).body.detail).toMatch(/does not teach or lead at Cedar Primary/);
    const r = await add('headA', { personId: people.teacherC!.id, schoolId: id.c });
    expect(r.body.team.map((t: { name: string; lead: boolean; trained: boolean }) => [t.name, t.lead, t.trained])).toEqual([
      ['Bea Teacher', true, true],
      ['Cal Teacher', false, false],
    ]);
    expect(r.body.teamGaps.map((s: { name: string }) => s.name)).toEqual(['Damson Primary']);
    expect(r.body.warnings).toEqual([expect.stringMatching(/^1 partner school has no reviewer on the team \(Damson Primary\)/)]);
    const candidates = await api('headA', 'GET', `/peer-reviews/${id.review}/reviewer-candidates`);
    expect(candidates.body.items.map((c: { name: string; onTeam: boolean }) => [c.name, c.onTeam])).toEqual(
      expect.arrayContaining([
        ['Bea Teacher', true],
        ['Dot Teacher', false],
      ]),
    );
    expect(candidates.body.items.some((c: { schoolId: number }) => c.schoolId === id.a)).toBe(false);
  });

  it('runs the visit: the team records evidence, pupils described and never named', async () => {
    expect((await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'visiting' })).body.stage).toBe('visiting');
    const named = await api('teacherB', 'POST', `/peer-reviews/${id.review}/evidence`, {
      kind: 'pupil_conversation',
      observedOn: '2026-10-05',
      pupils: [{ descriptor: 'Jack, Y4' }],
      notes: 'Talked about fractions.',
    });
    expect(named.status).toBe(400);
    expect(named.body.errors[0]).toEqual({ path: 'pupils[0].descriptor', message: expect.stringMatching(/^"Jack" looks like a name; pupils are described, never named/) });
    const noPupils = await api('teacherB', 'POST', `/peer-reviews/${id.review}/evidence`, { kind: 'pupil_conversation', observedOn: '2026-10-05', notes: 'Talked.' });
    expect(noPupils.body.errors[0].path).toBe('body.pupils');
    const talk = await api('teacherB', 'POST', `/peer-reviews/${id.review}/evidence`, {
      kind: 'pupil_conversation',
      observedOn: '2026-10-05',
      yearGroup: 'Y4',
      pupils: [{ descriptor: 'pupil the teacher knows least, Y4' }, { descriptor: 'quiet boy new this term, Y4', chosen: 'teacher_knows_least' }],
      notes: 'Both wait for the teacher when stuck. Later Sam said the number lines are for the top table.',
    });
    expect(talk.status).toBe(201);
    expect(talk.body).toMatchObject({ school: { name: 'Birch Primary' }, recordedBy: 'Bea Teacher', pupils: [{ descriptor: 'pupil the teacher knows least, Y4', chosen: 'teacher_knows_least' }, expect.anything()] });
    expect(talk.body.warnings).toEqual(['"Sam" may be a name: if it is a pupil\'s, describe the pupil instead']);
    const lesson = await api('teacherC', 'POST', `/peer-reviews/${id.review}/evidence`, { kind: 'lesson_visit', observedOn: '2026-10-06', subject: 'Maths', notes: 'Orderly; pupils waited for help.' });
    expect(lesson.status).toBe(201);
    Object.assign(id, { talk: talk.body.id, lesson: lesson.body.id });
    expect((await api('headA', 'POST', `/peer-reviews/${id.review}/evidence`, { kind: 'learning_walk', observedOn: '2026-10-06', notes: 'Host notes' })).status).toBe(403);
    expect((await api('teacherB', 'POST', `/peer-reviews/${id.review}/evidence`, { kind: 'learning_walk', observedOn: '2026-12-01', notes: 'Later' })).body.errors[0].path).toBe('observedOn');
    const gone = await api('teacherC', 'POST', `/peer-reviews/${id.review}/evidence`, { kind: 'learning_walk', observedOn: '2026-10-06', notes: 'Keyed twice' });
    expect((await api('teacherC', 'DELETE', `/peer-review-evidence/${gone.body.id}`)).status).toBe(204);
  });

  it('records the visit as a peer-review activity: the team’s schools give, the host receives, and ties appear', async () => {
    const r = await api('teacherB', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'findings' });
    expect(r.status).toBe(200);
    expect(r.body.activityIds.visit).toEqual(expect.any(Number));
    const activity = await h.db.selectFrom('activity').selectAll().where('id', '=', r.body.activityIds.visit).executeTakeFirstOrThrow();
    expect(activity).toMatchObject({ type_code: 'peer_review', start_on: '2026-10-05', end_on: '2026-10-06', network_id: id.n, evidence: [`/peer-reviews/${id.review}`] });
    const schools = await h.db.selectFrom('activity_school').select(['school_id', 'direction']).where('activity_id', '=', r.body.activityIds.visit).orderBy('school_id').execute();
    expect(schools.map((s) => [Number(s.school_id), s.direction])).toEqual([
      [id.a, 'receiving'],
      [id.b, 'giving'],
      [id.c, 'giving'],
    ]);
    const ties = await h.db.selectFrom('tie').select(['school_a', 'school_b', 'b_to_a', 'a_to_b']).where('school_a', '=', id.a!).orderBy('school_b').execute();
    expect(ties.map((t) => [Number(t.school_b), t.b_to_a])).toEqual([
      [id.b, 1],
      [id.c, 1],
    ]);
  });

  it('takes findings and the team’s judgement, then only the host’s leaders agree actions — one for every area to develop', async () => {
    const strength = await api('teacherB', 'POST', `/peer-reviews/${id.review}/findings`, { kind: 'strength', statement: 'Year 6 pupils run their own reading groups.', judgement: 'outstanding' });
    expect(strength.status).toBe(201);
    const area = await api('teacherC', 'POST', `/peer-reviews/${id.review}/findings`, {
      kind: 'area_to_develop',
      statement: 'Younger pupils wait for an adult when stuck.',
      judgement: 'requires_improvement',
      evidenceIds: [id.talk, id.lesson],
    });
    expect(area.body).toMatchObject({ area: 'focus', evidenceIds: [id.talk, id.lesson] });
    expect((await api('teacherB', 'POST', `/peer-reviews/${id.review}/findings`, { kind: 'strength', statement: 'Rests on nothing here.', evidenceIds: [99999] })).body.errors[0].path).toBe('evidenceIds[0]');
    expect((await api('teacherB', 'DELETE', `/peer-review-evidence/${id.talk}`)).status).toBe(409);
    const other = await api('teacherB', 'POST', `/peer-reviews/${id.review}/findings`, { kind: 'area_to_develop', statement: 'Books show little extended writing.' });
    const early = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'actions_agreed' });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/the team's judgement of the focus on the RAG wheel .*; and at least one action, with an owner and a due date$/);
    expect((await api('teacherC', 'PUT', `/peer-reviews/${id.review}/judgement`, { judgement: 'good', note: 'Good, not yet outstanding: see the younger classes.' })).status).toBe(200);
    const action = await api('teacherB', 'POST', `/peer-reviews/${id.review}/actions`, { findingId: area.body.id, description: 'Teach a routine for being stuck in every class.', ownerName: 'Deputy head', dueOn: '2027-01-31' });
    expect(action.body).toMatchObject({ status: 'proposed', overdue: false });
    id.action = action.body.id;
    const oneMissing = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'actions_agreed' });
    expect(oneMissing.body.detail).toBe('to move from Findings to Actions agreed the review needs an action for every area to develop (1 without one)');
    await api('teacherB', 'POST', `/peer-reviews/${id.review}/actions`, { findingId: other.body.id, description: 'Plan a fortnightly piece of extended writing.', ownerName: 'English lead', dueOn: '2026-11-20' });
    const byCoordinator = await api('coordinator', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'actions_agreed' });
    expect(byCoordinator.status).toBe(403);
    expect(byCoordinator.body.detail).toBe("only the host school's head teacher or senior leaders can move a review from Findings to Actions agreed");
    expect((await api('teacherB', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'actions_agreed' })).status).toBe(403);
    const agreed = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'actions_agreed' });
    expect(agreed.status).toBe(200);
    expect(agreed.body.report.actions.map((a: { status: string; agreedOn: string; overdue: boolean }) => [a.status, a.agreedOn, a.overdue])).toEqual([
      ['agreed', today, true],
      ['agreed', today, false],
    ]);
    expect((await api('teacherB', 'POST', `/peer-reviews/${id.review}/findings`, { kind: 'strength', statement: 'Too late for this.' })).status).toBe(409);
  });

  it('follows up: what changed closes each action, and the review closes when all are closed', async () => {
    const follow = await api('teacherC', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'follow_up' });
    expect(follow.status).toBe(200);
    expect(follow.body.activityIds.followUp).toEqual(expect.any(Number));
    const early = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'closed' });
    expect(early.body.detail).toBe(
      'to move from Follow-up to Closed the review needs every action marked done (with what changed) or dropped (with why); 2 still open; and a record of what changed since the review (PUT /peer-reviews/{id}/follow-up)',
    );
    expect((await api('teacherB', 'PATCH', `/peer-review-actions/${id.action}`, { status: 'done' })).body.errors[0].path).toBe('whatChanged');
    const done = await api('teacherB', 'PATCH', `/peer-review-actions/${id.action}`, { status: 'done', whatChanged: 'Every class uses the routine; pupils explained it unprompted.' });
    expect(done.body).toMatchObject({ status: 'done', closedOn: today });
    expect((await api('teacherB', 'PATCH', `/peer-review-actions/${id.action}`, { ownerName: 'Someone else' })).status).toBe(403);
    const review = await api('headA', 'GET', `/peer-reviews/${id.review}`);
    const other = review.body.report.actions.find((a: { id: number }) => a.id !== id.action);
    await api('headA', 'PATCH', `/peer-review-actions/${other.id}`, { status: 'dropped', whatChanged: 'Replaced by the federation’s writing moderation.' });
    expect((await api('headA', 'PUT', `/peer-reviews/${id.review}/follow-up`, { summary: 'The stuck routine is everywhere; extended writing is now moderated with partners.' })).status).toBe(200);
    const closed = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'closed' });
    expect(closed.body).toMatchObject({ stage: 'closed', closedOn: today, report: { followUp: { on: '2026-11-16' } } });
    expect(closed.body.history.map((x: { to: string }) => x.to)).toEqual(['planned', 'visiting', 'findings', 'actions_agreed', 'follow_up', 'closed']);
    expect(closed.body.report.wheel).toEqual([
      { area: 'leadership_management', label: 'Leadership and management', claimed: null, team: null },
      { area: 'teaching_learning_assessment', label: 'Teaching, learning and assessment', claimed: null, team: null },
      { area: 'personal_development_behaviour_welfare', label: 'Personal development, behaviour and welfare', claimed: 'outstanding', team: 'good' },
      { area: 'outcomes', label: 'Outcomes for pupils', claimed: null, team: null },
    ]);
    const after = await api('headA', 'POST', `/peer-reviews/${id.review}/transition`, { to: 'cancelled', note: 'Changed our minds' });
    expect(after.body.detail).toBe('a review cannot move from Closed to Cancelled; Closed is final');
  });

  it('shows the report to the host and the team; to partners only while the host shares it with the network; never by position alone', async () => {
    const reads = await reportReads();
    const sees = async (who: keyof typeof people) => {
      const r = await api(who, 'GET', `/peer-reviews/${id.review}`);
      return r.status === 200 ? (r.body.report ? 'report' : 'plan') : r.status;
    };
    expect(await sees('headA')).toBe('report');
    expect(await sees('governorA')).toBe('report');
    expect(await reportReads()).toBe(reads); // the host's own people: not another school's report
    expect(await sees('teacherB')).toBe('report');
    expect(await reportReads()).toBe(reads + 1);
    expect(await sees('coordinator')).toBe('plan');
    for (const who of ['teacherD', 'seniorB', 'laOfficer', 'trustOfficer', 'researcher', 'broker', 'teacherE'] as const) expect(await sees(who), who).toBe(404);

    // Ash's head shares its reports with the federation: its partners there read them, audited.
    expect((await api('headA', 'POST', `/schools/${id.a}/sharing`, { networkId: id.n, dataClass: 'peer_review_reports', shared: true })).status).toBeLessThan(300);
    const before = await reportReads();
    for (const who of ['teacherD', 'seniorB', 'coordinator', 'trustOfficer', 'broker'] as const) expect(await sees(who), who).toBe('report');
    expect(await reportReads()).toBe(before + 5);
    const audited = await sql<{ person_id: number; school_id: number; network_id: number; detail: { as: string } }>`
      select person_id::int, school_id::int, network_id::int, detail from audit_event where action = 'read.sensitive' and detail->>'dataClass' = 'peer_review_reports' order by id desc limit 1`.execute(h.db);
    expect(audited.rows[0]).toMatchObject({ person_id: people.broker!.id, school_id: id.a, network_id: id.n, detail: { as: 'partner' } });
    // Still nothing for the local authority, a researcher, or a school that is a partner only in another network.
    for (const who of ['laOfficer', 'researcher', 'teacherE'] as const) expect(await sees(who), who).toBe(404);
    const list = await api('teacherD', 'GET', `/networks/${id.n}/peer-reviews`);
    expect(list.body.items.map((x: { id: number; reportVisible: boolean }) => [x.id, x.reportVisible])).toEqual([[id.review, true]]);

    const html = await api('teacherD', 'GET', `/peer-reviews/${id.review}/report.html`);
    expect(html.status).toBe(200);
    expect(String(html.headers['content-type'])).toMatch(/^text\/html/);
    expect(html.body).toContain('Peer review: Ash Primary');
    expect(html.body).toContain('pupil the teacher knows least, Y4');
    expect(html.body).not.toContain('<script');

    await api('headA', 'POST', `/schools/${id.a}/sharing`, { networkId: id.n, dataClass: 'peer_review_reports', shared: false });
    expect(await sees('teacherD')).toBe(404);
    expect((await api('teacherD', 'GET', `/peer-reviews/${id.review}/report.html`)).status).toBe(404);
    expect((await api('coordinator', 'GET', `/peer-reviews/${id.review}/report.html`)).status).toBe(404);
  });
});

describe('the printable report', () => {
  it('escapes what people wrote, and prints to PDF with the server’s Chromium (501 without one)', async () => {
    const r = await api('headA', 'POST', `/networks/${id.n}/peer-reviews`, plan({ title: 'Maths <script>alert(1)</script>', focus: 'Is "reasoning" <b>really</b> secure in Years 3 & 4?' }));
    const html = await api('headA', 'GET', `/peer-reviews/${r.body.id}/report.html`);
    expect(html.body).toContain('Maths &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).toContain('Is &quot;reasoning&quot; &lt;b&gt;really&lt;/b&gt; secure in Years 3 &amp; 4?');
    expect(html.body).not.toContain('<script>');
    const res = await app.inject({ method: 'GET', url: `/api/v1/peer-reviews/${id.review}/report.pdf`, headers: await signedIn(h.db, people.headA!) });
    if (res.statusCode === 501) {
      expect(res.json().code).toBe('TRELLIS_NO_CHROMIUM');
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api('teacherD', 'GET', `/peer-reviews/${id.review}/report.pdf`)).status).toBe(404);
  });
});

describe('peer-review reciprocity', () => {
  it('counts hosting and reviewing per member school over a window, flags one-way schools and lists who reviewed whom', async () => {
    const db = h.db;
    const r = await makeNetwork(db, { name: 'Reciprocity Alliance', kind: 'partnership' });
    const [p, q, s, t, u] = [await makeSchool(db, { name: 'P School' }), await makeSchool(db, { name: 'Q School' }), await makeSchool(db, { name: 'S School' }), await makeSchool(db, { name: 'T School' }), await makeSchool(db, { name: 'U School' })];
    for (const x of [p, q, s, t, u]) await makeMembership(db, x, r, { joined_on: '2015-09-01' });
    const staff = await makePerson(db, [{ role: 'teacher', school: q }]);
    const cycle = async (host: { id: number }, reviewers: { id: number }[], stage: string, on: string) => {
      const row = await db
        .insertInto('peer_review_cycle')
        .values({
          network_id: r.id,
          host_school_id: host.id,
          title: 'A review',
          focus: 'A focus of at least ten characters',
          stage,
          visit_start_on: on,
          visit_end_on: on,
          cancelled_reason: stage === 'cancelled' ? 'Snow' : null,
          closed_on: stage === 'closed' ? on : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [i, x] of reviewers.entries()) {
        const person = i === 0 && x.id === q.id ? staff : await makePerson(db, [{ role: 'teacher', school: x }]);
        await db.insertInto('peer_review_reviewer').values({ cycle_id: row.id, person_id: person.id, school_id: x.id }).execute();
      }
    };
    await cycle(p, [q, s], 'closed', '2025-03-10');
    await cycle(q, [p], 'follow_up', '2025-06-10');
    await cycle(u, [q], 'findings', '2026-02-10');
    await cycle(t, [p], 'planned', '2026-03-10'); // not held: not counted
    await cycle(t, [s], 'cancelled', '2025-05-10'); // cancelled: not counted
    await cycle(s, [p], 'closed', '2019-05-10'); // outside the window
    const researcher = await makePerson(db, [{ role: 'researcher', network: r }]);
    people.allianceResearcher = researcher;
    const res = await api('allianceResearcher', 'GET', `/networks/${r.id}/peer-review-reciprocity?from=2024-09-01&to=2026-08-31`);
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.schools.map((x: { name: string; hosted: number; gave: number; flags: string[] }) => [x.name, [x.hosted, x.gave, x.flags]]));
    expect(by).toEqual({
      'P School': [1, 1, []],
      'Q School': [1, 2, []],
      'S School': [0, 1, ['reviews_never_reviewed']],
      'T School': [0, 0, ['not_involved']],
      'U School': [1, 0, ['reviewed_never_reviews']],
    });
    const name = (x: number) => res.body.schools.find((y: { schoolId: number }) => y.schoolId === x).name;
    expect(res.body.edges.map((e: { fromSchoolId: number; toSchoolId: number; reciprocated: boolean }) => `${name(e.fromSchoolId)}>${name(e.toSchoolId)}${e.reciprocated ? '*' : ''}`).sort()).toEqual([
      'P School>Q School*',
      'Q School>P School*',
      'Q School>U School',
      'S School>P School',
    ]);
    expect(res.body).toMatchObject({ reviews: 3, reciprocity: 0.5 });
    expect((await api('laOfficer', 'GET', `/networks/${r.id}/peer-review-reciprocity`)).status).toBe(404);
    expect((await api('allianceResearcher', 'GET', `/networks/${r.id}/peer-review-reciprocity?from=2026-01-01&to=2025-01-01`)).body.errors[0].path).toBe('from');
  });
});
