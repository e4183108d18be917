import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * The partnership plan over HTTP, on a real database: forming, the five-goal limit, the
 * versioned agreement and who may agree to it, attendance against the agreed expectation,
 * data-sharing terms against consent, the lifecycle with its history, and who may see what.
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
  const a = await makeSchool(db, { name: 'Ash Primary', pupil_roll: 171 });
  const b = await makeSchool(db, { name: 'Birch Primary', pupil_roll: 98 });
  const c = await makeSchool(db, { name: 'Cedar Primary', pupil_roll: null });
  const d = await makeSchool(db, { name: 'Damson Primary', pupil_roll: 200 });
  for (const s of [a, b, c]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  await makeMembership(db, d, m, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, d: d.id });
  Object.assign(people, {
    admin: await makePerson(db, [{ role: 'platform_admin' }], { name: 'Alex Admin' }),
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }], { name: 'Cora Coordinator' }),
    coordinatorM: await makePerson(db, [{ role: 'network_coordinator', network: m }]),
    headA: await makePerson(db, [{ role: 'head_teacher', school: a }], { name: 'Hana Head' }),
    headB: await makePerson(db, [{ role: 'senior_leader', school: b }], { name: 'Ben Leader' }),
    headC: await makePerson(db, [{ role: 'head_teacher', school: c }], { name: 'Cleo Head' }),
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }]),
    headD: await makePerson(db, [{ role: 'head_teacher', school: d }]),
  });
  // Ash shares outcomes with the federation; Birch shares activity records and survey results.
  const decide = (school: number, person: number, dataClass: string) =>
    db.insertInto('consent_decision').values({ school_id: school, network_id: n.id, data_class: dataClass, shared: true, decided_by: person }).execute();
  await decide(a.id, people.headA!.id, 'outcomes');
  await decide(b.id, people.headB!.id, 'activity_records');
  await decide(b.id, people.headB!.id, 'survey_results');
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Who = keyof typeof people | null;
async function api(who: Who, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

const goal = (n: number, over: Record<string, unknown> = {}) => ({
  statement: `Goal number ${n}: raise writing standards together`,
  measure: 'Mean KS2 writing progress score across the federation',
  unit: 'points',
  baseline: { value: -4.8, on: '2019-08-31', source: 'KS2 2018/19 published results' },
  target: { value: 0, on: '2028-07-31' },
  contributions: [{ schoolId: id.a, contribution: 'Leads the writing moderation group' }],
  ...over,
});
const agreement = (over: Record<string, unknown> = {}) => ({
  principles: ['Every school gives and receives', 'We share mistakes as readily as successes'],
  roles: [
    { who: 'Executive head', responsibility: 'Chairs the heads’ meetings' },
    { who: 'Writing lead', schoolId: id.a, responsibility: 'Runs the moderation group' },
  ],
  meetings: { frequency: 'half_termly', minAttendancePct: 75, consequence: 'A school below 75% has no call on the shared fund until it catches up' },
  dataSharing: [
    { dataClass: 'outcomes', intended: true, purpose: 'To set and track the writing goal' },
    { dataClass: 'activity_records', intended: true, purpose: 'To see who gives and who receives' },
  ],
  conflictResolution: 'Raise it with the executive head; if unresolved, the federation’s independent chair decides after hearing both schools.',
  funding: { model: 'equal', totalPence: 900_000, rounding: 'pound', period: 'per_year' },
  ...over,
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
/** Every partnership route, with a payload that passes validation (so the answer is about access). */
const everyRoute = (r: { network: number; partnership: number; goal: number; review: number }): [Method, string, unknown?][] => [
  ['GET', `/networks/${r.network}/partnership`],
  ['GET', `/networks/${r.network}/partnerships`],
  ['POST', `/networks/${r.network}/partnerships`, { purpose: 'Raise writing standards across the valley' }],
  ['GET', `/partnerships/${r.partnership}`],
  ['PATCH', `/partnerships/${r.partnership}`, { purpose: 'Raise writing standards across the valley' }],
  ['POST', `/partnerships/${r.partnership}/goals`, goal(1)],
  ['PATCH', `/goals/${r.goal}`, { status: 'on_track' }],
  ['POST', `/goals/${r.goal}/retire`, { reason: 'Achieved early' }],
  ['GET', `/partnerships/${r.partnership}/agreements`],
  ['PUT', `/partnerships/${r.partnership}/agreement`, agreement()],
  ['POST', `/partnerships/${r.partnership}/agreement/sign`, { schoolId: id.a }],
  ['GET', `/partnerships/${r.partnership}/data-sharing`],
  ['GET', `/partnerships/${r.partnership}/funding`],
  ['GET', `/partnerships/${r.partnership}/meetings`],
  ['POST', `/partnerships/${r.partnership}/meetings`, { heldOn: '2026-01-10', title: 'Heads’ meeting', attendance: [] }],
  ['POST', `/partnerships/${r.partnership}/reviews`, { heldOn: '2026-01-10' }],
  ['PATCH', `/reviews/${r.review}`, { summary: 'Good progress' }],
  ['POST', `/partnerships/${r.partnership}/transition`, { to: 'active' }],
  ['PUT', `/partnerships/${r.partnership}/ending`, { agreedOn: '2026-01-10', endsOn: '2026-07-31', reason: 'Work is done', agreedBy: 'All heads' }],
];

describe('partnership routes', () => {
  it('need a session, every one of them', async () => {
    const routes = everyRoute({ network: id.n!, partnership: 1, goal: 1, review: 1 });
    const routeCount = app.routeAccess.filter((r) => /^\/api\/v1\/(partnerships|goals|reviews)\/|\/partnerships?$/.test(r.url)).length;
    expect(routes).toHaveLength(routeCount);
    for (const [method, url, payload] of routes) {
      const r = await api(null, method, url, payload);
      expect(r.status, `${method} ${url}`).toBe(401);
    }
  });

  it('are described in the OpenAPI document, with their fields explained', async () => {
    const doc = await app.inject({ method: 'GET', url: '/api/docs/json', headers: await signedIn(h.db, people.teacherA!) });
    expect(doc.statusCode).toBe(200);
    const paths = doc.json().paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, { description?: string }> } }> } }>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/networks/{id}/partnership', '/api/v1/partnerships/{id}/agreement/sign', '/api/v1/goals/{id}/retire']));
    const goalBody = paths['/api/v1/partnerships/{id}/goals']!.post!.requestBody!.content['application/json']!.schema;
    expect(goalBody.properties.measure!.description).toBe('How progress is measured (the indicator)');
  });

  it('form a partnership once: a second one waits until the first has ended', async () => {
    const r = await api('coordinator', 'POST', `/networks/${id.n}/partnerships`, {
      purpose: 'Raise standards in writing across the valley’s small schools',
      sharedVision: 'Every pupil writes at the expected standard by 11',
      theoryOfAction: 'Teachers moderate together each half term, so judgements and practice move between schools',
      formedOn: '2025-09-01',
      formation: 'voluntary',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ networkName: 'Exe Valley Federation', stage: 'forming', formedOn: '2025-09-01', formation: 'voluntary', goals: [], agreement: null });
    expect(r.body.members.map((s: { name: string }) => s.name)).toEqual(['Ash Primary', 'Birch Primary', 'Cedar Primary']);
    expect(r.body.history).toEqual([expect.objectContaining({ from: null, to: 'forming', by: 'Cora Coordinator', on: today })]);
    expect(r.body.viewer).toEqual({ canEdit: true, canSignFor: [] });
    id.p = r.body.id;
    const again = await api('coordinator', 'POST', `/networks/${id.n}/partnerships`, { purpose: 'A second plan for the same schools' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(
      `Exe Valley Federation already has a partnership that has not ended (partnership ${id.p}, Forming); change that one, or bring it to an agreed end before forming another`,
    );
  });

  it('names the bad field', async () => {
    const cases: [Method, string, unknown, string][] = [
      ['POST', `/networks/${id.n}/partnerships`, { purpose: 'Too short' }, 'body.purpose'],
      ['POST', `/networks/${id.n}/partnerships`, { purpose: 'Raise writing standards', formedOn: '2026-13-01' }, 'body.formedOn'],
      ['PATCH', `/partnerships/${id.p}`, { formation: 'compulsory' }, 'body.formation'],
      ['POST', `/partnerships/${id.p}/goals`, goal(1, { target: { value: 1, on: '2019-01-01' } }), 'body.target.on'],
      ['POST', `/partnerships/${id.p}/goals`, goal(1, { measure: '' }), 'body.measure'],
      ['POST', `/partnerships/${id.p}/goals`, goal(1, { contributions: [{ schoolId: id.d, contribution: 'Hosts visits' }] }), 'contributions[0].schoolId'],
      ['PUT', `/partnerships/${id.p}/agreement`, agreement({ principles: [] }), 'body.principles'],
      ['PUT', `/partnerships/${id.p}/agreement`, agreement({ funding: { model: 'equal', totalPence: -5 } }), 'body.funding.totalPence'],
      ['PUT', `/partnerships/${id.p}/agreement`, agreement({ funding: { model: 'by_size', totalPence: 600_000 } }), 'funding'],
      ['PUT', `/partnerships/${id.p}/agreement`, agreement({ roles: [{ who: 'Host', schoolId: id.d, responsibility: 'Hosts' }] }), 'roles[0].schoolId'],
      ['POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: 'Ash' }, 'body.schoolId'],
      ['POST', `/partnerships/${id.p}/meetings`, { heldOn: '2027-01-10', title: 'Heads’ meeting', attendance: [] }, 'heldOn'],
      ['POST', `/partnerships/${id.p}/meetings`, { heldOn: '2026-01-10', title: 'Heads’ meeting', attendance: [{ schoolId: id.d, attendees: [{ name: 'Dee' }] }] }, 'attendance[0].schoolId'],
      ['POST', `/partnerships/${id.p}/meetings`, { heldOn: '2026-01-10', title: 'Heads’ meeting', attendance: [{ schoolId: id.a, attendees: [] }] }, 'body.attendance.0.attendees'],
      ['POST', `/partnerships/${id.p}/reviews`, { heldOn: '2026-01-10', decision: 'abandon' }, 'body.decision'],
      ['POST', `/partnerships/${id.p}/transition`, { to: 'paused' }, 'body.to'],
      ['PUT', `/partnerships/${id.p}/ending`, { agreedOn: '2026-07-01', endsOn: '2026-06-30', reason: 'Work is done', agreedBy: 'All heads' }, 'body.endsOn'],
      ['PATCH', '/goals/1', { status: 'done' }, 'body.status'],
      ['POST', '/goals/1/retire', { reason: '' }, 'body.reason'],
      ['PATCH', '/reviews/1', { progress: [{ goalId: 1, status: 'fine' }] }, 'body.progress.0.status'],
      ['GET', '/partnerships/first', undefined, 'params.id'],
      ['GET', `/partnerships/${id.p}/meetings?from=last-year`, undefined, 'querystring.from'],
    ];
    for (const [method, url, payload, path] of cases) {
      const r = await api('coordinator', method, url, payload);
      expect(r.status, `${method} ${url} ${String(JSON.stringify(payload) ?? '').slice(0, 80)}`).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path), `${method} ${url}`).toContain(path);
    }
    const cedar = await api('coordinator', 'PUT', `/partnerships/${id.p}/agreement`, agreement({ funding: { model: 'by_size', totalPence: 600_000 } }));
    expect(cedar.body.detail).toMatch(/^funding: Cedar Primary has no pupil roll in the register/);
  });

  it('allows five goals in force and refuses a sixth until one is retired', async () => {
    const goalIds: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const r = await api('coordinator', 'POST', `/partnerships/${id.p}/goals`, goal(n));
      expect(r.status).toBe(201);
      goalIds.push(r.body.id);
    }
    const first = await api('coordinator', 'GET', `/partnerships/${id.p}`);
    expect(first.body.goals[0]).toMatchObject({
      baseline: { value: -4.8, on: '2019-08-31', source: 'KS2 2018/19 published results' },
      target: { value: 0, on: '2028-07-31' },
      status: 'not_started',
      contributions: [{ schoolId: id.a, name: 'Ash Primary', contribution: 'Leads the writing moderation group' }],
      missingContributions: [expect.objectContaining({ name: 'Birch Primary' }), expect.objectContaining({ name: 'Cedar Primary' })],
    });
    const sixth = await api('coordinator', 'POST', `/partnerships/${id.p}/goals`, goal(6));
    expect(sixth.status).toBe(400);
    expect(sixth.body.errors).toEqual([
      { path: 'goals', message: 'this partnership already has 5 goals in force and may have at most 5; retire a goal, or merge two into one, before adding another' },
    ]);
    const merged = await api('coordinator', 'POST', `/goals/${goalIds[4]}/retire`, { reason: 'Merged into goal 4: both were about moderation', mergedIntoGoalId: goalIds[3] });
    expect(merged.status).toBe(200);
    expect(merged.body.retired).toEqual({ on: today, reason: 'Merged into goal 4: both were about moderation', mergedIntoGoalId: goalIds[3] });
    expect((await api('coordinator', 'POST', `/goals/${goalIds[4]}/retire`, { reason: 'Again' })).status).toBe(409);
    const sixthNow = await api('coordinator', 'POST', `/partnerships/${id.p}/goals`, goal(6, { contributions: [{ schoolId: id.b, contribution: 'Hosts the lesson study' }] }));
    expect(sixthNow.status).toBe(201);
    const plan = await api('coordinator', 'GET', `/partnerships/${id.p}`);
    expect(plan.body.goalLimit).toEqual({ max: 5, inForce: 5 });
    expect(plan.body.goals).toHaveLength(6);
    expect(plan.body.goals.at(-1).id).toBe(goalIds[4]); // retired goals come last
    const edited = await api('coordinator', 'PATCH', `/goals/${goalIds[0]}`, {
      target: { value: 1, on: '2029-07-31' },
      contributions: [
        { schoolId: id.a, contribution: 'Leads moderation' },
        { schoolId: id.b, contribution: 'Hosts a writing lesson study' },
        { schoolId: id.c, contribution: 'Trials the shared marking policy' },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ target: { value: 1, on: '2029-07-31' }, missingContributions: [] });
    expect((await api('coordinator', 'PATCH', `/goals/${goalIds[0]}`, { baseline: { value: 1, on: '2030-01-01' } })).body.errors[0].path).toBe('baseline.on');
    id.goal1 = goalIds[0]!;
    id.goal2 = goalIds[1]!;
  });

  it('keeps every version of the agreement, and only a member school’s own leaders agree to it', async () => {
    expect((await api('coordinator', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a })).status).toBe(403);
    await h.db.updateTable('school').set({ pupil_roll: 393 }).where('id', '=', id.c!).execute();
    const v1 = await api('coordinator', 'PUT', `/partnerships/${id.p}/agreement`, agreement({ funding: { model: 'by_size', totalPence: 600_000 } }));
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, current: true, agreed: false, signatures: [] });
    const v2 = await api('coordinator', 'PUT', `/partnerships/${id.p}/agreement`, agreement({ changeNote: 'Equal shares: the small schools asked for simplicity' }));
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, changeNote: 'Equal shares: the small schools asked for simplicity', createdBy: 'Cora Coordinator' });
    expect(v2.body.roles[1]).toEqual({ who: 'Writing lead', schoolId: id.a, schoolName: 'Ash Primary', responsibility: 'Runs the moderation group' });
    const all = await api('teacherA', 'GET', `/partnerships/${id.p}/agreements`);
    expect(all.body.items.map((a: { version: number; current: boolean }) => [a.version, a.current])).toEqual([
      [2, true],
      [1, false],
    ]);

    const stale = await api('headA', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toBe('version 1 has been replaced by version 2; read the new version before agreeing to it');
    const signed = await api('headA', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a, version: 2, note: 'Agreed by governors on 10 November' });
    expect(signed.status).toBe(200);
    expect(signed.body.signatures).toEqual([{ schoolId: id.a, name: 'Ash Primary', signedOn: today, signedBy: 'Hana Head', role: 'Head teacher / school leader', note: 'Agreed by governors on 10 November' }]);
    expect(signed.body.awaiting.map((s: { name: string }) => s.name)).toEqual(['Birch Primary', 'Cedar Primary']);
    expect((await api('headA', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a })).body.detail).toBe(`Ash Primary already agreed to version 2 on ${today}`);
    const forOther = await api('headA', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.b });
    expect(forOther.status).toBe(403);
    expect(forOther.body.detail).toBe("only a head teacher or senior leader of Birch Primary can agree to the partnership's agreement on its behalf");
    expect((await api('teacherA', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a })).status).toBe(403);
    expect((await api('admin', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.a })).status).toBe(403);
    expect((await api('headD', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.d })).status).toBe(404);
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'partnership.sign' and school_id = ${id.a}`.execute(h.db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('works out each school’s share of the agreed funding, summing exactly', async () => {
    const r = await api('teacherA', 'GET', `/partnerships/${id.p}/funding`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 2, totalPence: 900_000, problems: [] });
    expect(r.body.shares.map((s: { name: string; amountPence: number }) => [s.name, s.amountPence])).toEqual([
      ['Ash Primary', 300_000],
      ['Birch Primary', 300_000],
      ['Cedar Primary', 300_000],
    ]);
  });

  it('shows the data-sharing terms beside what each school shares now, and follows consent at once', async () => {
    const view = async () => (await api('coordinator', 'GET', `/partnerships/${id.p}/data-sharing`)).body;
    const status = (v: { schools: { name: string; classes: { dataClass: string; status: string }[] }[] }) =>
      Object.fromEntries(v.schools.map((s) => [s.name, Object.fromEntries(s.classes.map((c) => [c.dataClass, c.status]))]));
    const before = await view();
    expect(before.version).toBe(2);
    expect(status(before)).toEqual({
      'Ash Primary': { outcomes: 'as_agreed', survey_results: 'not_in_terms', peer_review_reports: 'not_in_terms', activity_records: 'awaiting_school' },
      'Birch Primary': { outcomes: 'awaiting_school', survey_results: 'beyond_terms', peer_review_reports: 'not_in_terms', activity_records: 'as_agreed' },
      'Cedar Primary': { outcomes: 'awaiting_school', survey_results: 'not_in_terms', peer_review_reports: 'not_in_terms', activity_records: 'awaiting_school' },
    });
    expect(before.gaps).toBe(4);
    // Ash's head shares activity records through the ordinary sharing route; the view follows.
    const share = await api('headA', 'POST', `/schools/${id.a}/sharing`, { networkId: id.n, dataClass: 'activity_records', shared: true });
    expect(share.status).toBe(200);
    const after = await view();
    expect(status(after)['Ash Primary']!.activity_records).toBe('as_agreed');
    expect(after.gaps).toBe(3);
  });

  it('counts attendance per school against the agreed expectation and flags schools below it', async () => {
    const came = (...schools: number[]) => schools.map((s) => ({ schoolId: s, attendees: [{ name: `Head of ${s}`, role: 'Head teacher' }] }));
    const meetings = [
      { heldOn: '2026-01-14', attendance: came(id.a!, id.b!, id.c!) },
      { heldOn: '2026-03-04', attendance: came(id.a!, id.c!) },
      { heldOn: '2026-05-13', attendance: came(id.a!, id.b!, id.c!) },
      { heldOn: '2026-09-23', attendance: came(id.a!) },
      { heldOn: '2025-06-01', attendance: came(id.a!) }, // before the partnership formed
    ];
    for (const m of meetings.slice(0, 4)) {
      const r = await api('coordinator', 'POST', `/partnerships/${id.p}/meetings`, { ...m, title: 'Heads’ meeting', otherAttendees: [{ name: 'Cora Coordinator', role: 'Coordinator' }] });
      expect(r.status).toBe(201);
    }
    const early = await api('coordinator', 'POST', `/partnerships/${id.p}/meetings`, { ...meetings[4], title: 'Early meeting' });
    expect(early.body.errors[0]).toEqual({ path: 'heldOn', message: '2025-06-01 is before the partnership formed (2025-09-01)' });
    // A school that joins later is expected only at meetings held after it joined.
    const elm = await makeSchool(h.db, { name: 'Elm Primary', pupil_roll: 60 });
    await makeMembership(h.db, elm, { id: id.n! }, { joined_on: '2026-09-01' });
    id.e = elm.id;
    const r = await api('teacherA', 'GET', `/partnerships/${id.p}/meetings`);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(4);
    expect(r.body.items[0]).toMatchObject({ heldOn: '2026-09-23', otherAttendees: [{ name: 'Cora Coordinator', role: 'Coordinator' }] });
    expect(r.body.items[0].absent.map((s: { name: string }) => s.name)).toEqual(['Birch Primary', 'Cedar Primary', 'Elm Primary']);
    const a = r.body.attendance;
    expect(a).toMatchObject({ from: '2025-11-23', to: today, meetingsHeld: 4, frequency: 'half_termly', meetingsExpected: 6, minAttendancePct: 75 });
    expect(a.schools.map((s: { name: string; expected: number; attended: number; ratePct: number | null; belowExpectation: boolean }) => [s.name, s.expected, s.attended, s.ratePct, s.belowExpectation])).toEqual([
      ['Ash Primary', 4, 4, 100, false],
      ['Birch Primary', 4, 2, 50, true],
      ['Cedar Primary', 4, 3, 75, false],
      ['Elm Primary', 1, 0, 0, true],
    ]);
    const sinceMay = await api('teacherA', 'GET', `/partnerships/${id.p}/meetings?from=2026-05-01`);
    expect(sinceMay.body.attendance.schools.find((s: { name: string }) => s.name === 'Birch Primary')).toMatchObject({ expected: 2, attended: 1, ratePct: 50 });
    // Elm has joined, so the agreement now awaits its agreement too.
    const plan = await api('coordinator', 'GET', `/partnerships/${id.p}`);
    expect(plan.body.agreement.awaiting.map((s: { name: string }) => s.name)).toEqual(['Birch Primary', 'Cedar Primary', 'Elm Primary']);
    expect(plan.body.attendance.consequence).toMatch(/no call on the shared fund/);
  });

  it('moves through the lifecycle only when each precondition holds, recording every step', async () => {
    const move = (to: string, note?: string) => api('coordinator', 'POST', `/partnerships/${id.p}/transition`, { to, ...(note ? { note } : {}) });
    const tooSoon = await move('active');
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.detail).toBe(
      "Cannot move from Forming to Active yet: it needs every member school's agreement to version 2 of the agreement (still awaiting: Birch Primary, Cedar Primary, Elm Primary).",
    );
    for (const [who, school] of [['headB', id.b], ['headC', id.c]] as const) {
      expect((await api(who, 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: school })).status).toBe(200);
    }
    const elmHead = await makePerson(h.db, [{ role: 'head_teacher', school: { id: id.e! } }]);
    people.headE = elmHead;
    expect((await api('headE', 'POST', `/partnerships/${id.p}/agreement/sign`, { schoolId: id.e })).status).toBe(200);
    const planBefore = await api('coordinator', 'GET', `/partnerships/${id.p}`);
    expect(planBefore.body.nextSteps).toEqual([
      { to: 'active', meaning: expect.any(String), allowed: true, needsNote: false, missing: [] },
      { to: 'ending', meaning: expect.any(String), allowed: true, needsNote: true, missing: [] },
    ]);
    expect((await move('active', 'All five schools have agreed')).body.stage).toBe('active');
    expect((await move('ended')).body.detail).toBe('A partnership cannot move from Active to Ended: from Active it can move only to Under review.');
    expect((await move('under_review')).body.detail).toMatch(/needs a review started since the partnership last became active/);

    const review = await api('coordinator', 'POST', `/partnerships/${id.p}/reviews`, {
      heldOn: '2026-11-10',
      summary: 'Writing progress is improving in three schools',
      progress: [
        { goalId: id.goal1, valueNow: -2.1, status: 'on_track', commentary: 'Moderation is paying off' },
        { goalId: id.goal2, valueNow: null, status: 'at_risk' },
      ],
    });
    expect(review.status).toBe(201);
    id.review = review.body.id;
    expect(review.body).toMatchObject({ decision: null, progress: [expect.objectContaining({ goalId: id.goal1, valueNow: -2.1, status: 'on_track' }), expect.objectContaining({ goalId: id.goal2, status: 'at_risk' })] });
    expect((await move('under_review', 'Autumn review')).body.stage).toBe('under_review');
    expect((await move('renewed')).body.detail).toMatch(/record the review's decision/);
    const decided = await api('coordinator', 'PATCH', `/reviews/${review.body.id}`, { decision: 'renegotiate', decisionNote: 'Drop the reading goal; focus on writing' });
    expect(decided.body.decision).toBe('renegotiate');
    expect((await move('renewed')).body.detail).toMatch(/a change to the goals since the review, which decided to renegotiate the focus/);
    expect((await api('coordinator', 'POST', `/goals/${id.goal2}/retire`, { reason: 'Dropped at the autumn review' })).status).toBe(200);
    expect((await move('renewed', 'Refocused on writing')).body.stage).toBe('renewed');
    expect((await api('coordinator', 'PATCH', `/reviews/${review.body.id}`, { summary: 'Rewritten later' })).status).toBe(409);
    const active = await move('active', 'Renewed plan in force');
    expect(active.body.stage).toBe('active');
    expect(active.body.goals.find((g: { id: number }) => g.id === id.goal1)).toMatchObject({ status: 'on_track', latestProgress: { valueNow: -2.1, status: 'on_track', heldOn: '2026-11-10' } });

    // The summer review decides to end; the ending is recorded and takes effect on its date.
    const last = await api('coordinator', 'POST', `/partnerships/${id.p}/reviews`, { heldOn: '2026-11-20', decision: 'end', decisionNote: 'The writing work is embedded' });
    expect(last.status).toBe(201);
    expect((await api('coordinator', 'PUT', `/partnerships/${id.p}/ending`, { agreedOn: '2026-11-20', endsOn: '2026-11-23', reason: 'Work is done', agreedBy: 'All heads' })).status).toBe(409);
    expect((await move('under_review')).body.stage).toBe('under_review');
    expect((await move('renewed')).body.detail).toMatch(/the review decided to end the partnership: move it to Ending instead/);
    expect((await move('ending', 'Agreed at the review')).body.stage).toBe('ending');
    expect((await move('ended')).body.detail).toMatch(/needs an ending record/);
    const ending = await api('coordinator', 'PUT', `/partnerships/${id.p}/ending`, {
      agreedOn: '2026-11-20',
      endsOn: '2027-07-31',
      reason: 'The writing goals are met and moderation is part of each school’s routine',
      agreedBy: 'The five heads, at the review of 20 November',
      kept: [
        { kind: 'practice', what: 'Termly cross-school writing moderation', keptBy: 'Ash Primary (lead)' },
        { kind: 'relationship', what: 'Heads’ support group', keptBy: 'All five heads' },
        { kind: 'resource', what: 'Shared bank of moderated writing samples' },
      ],
    });
    expect(ending.status).toBe(200);
    expect(ending.body).toMatchObject({ endsOn: '2027-07-31', recordedBy: 'Cora Coordinator', kept: [expect.objectContaining({ kind: 'practice' }), expect.anything(), { kind: 'resource', what: 'Shared bank of moderated writing samples', keptBy: null }] });
    expect((await move('ended')).body.detail).toBe('Cannot move from Ending to Ended yet: it needs the agreed end date (2027-07-31) to have arrived.');
    await api('coordinator', 'PUT', `/partnerships/${id.p}/ending`, { ...ending.body, kept: ending.body.kept, endsOn: today, recordedBy: undefined, recordedAt: undefined });
    const ended = await move('ended', 'Thank you all');
    expect(ended.body).toMatchObject({ stage: 'ended', endedOn: today, nextSteps: [], viewer: { canEdit: false, canSignFor: [] } });
    expect(ended.body.history.map((c: { from: string | null; to: string }) => `${c.from ?? '·'}→${c.to}`)).toEqual([
      '·→forming',
      'forming→active',
      'active→under_review',
      'under_review→renewed',
      'renewed→active',
      'active→under_review',
      'under_review→ending',
      'ending→ended',
    ]);
    expect(ended.body.history[1]).toMatchObject({ by: 'Cora Coordinator', note: 'All five schools have agreed', on: today });
    const stageEvents = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'partnership.stage' and network_id = ${id.n}`.execute(h.db);
    expect(stageEvents.rows[0]!.n).toBe(7);
  });

  it('keeps an ended partnership as a record, and lets the network form its next one', async () => {
    const frozen = await api('coordinator', 'POST', `/partnerships/${id.p}/goals`, goal(9));
    expect(frozen.status).toBe(409);
    expect(frozen.body.detail).toMatch(/ended on 2026-11-23 and is kept as a record; form a new partnership for Exe Valley Federation/);
    expect((await api('coordinator', 'GET', `/networks/${id.n}/partnership`)).status).toBe(404);
    const next = await api('coordinator', 'POST', `/networks/${id.n}/partnerships`, { purpose: 'Improve transition from Year 6 to Year 7 with the local college' });
    expect(next.status).toBe(201);
    const list = await api('teacherA', 'GET', `/networks/${id.n}/partnerships`);
    expect(list.body.items.map((p: { id: number; stage: string }) => [p.id, p.stage])).toEqual([
      [next.body.id, 'forming'],
      [id.p, 'ended'],
    ]);
    expect((await api('teacherA', 'GET', `/networks/${id.n}/partnership`)).body.id).toBe(next.body.id);
    expect((await api('teacherA', 'GET', `/partnerships/${id.p}`)).body.stage).toBe('ended');
    id.next = next.body.id;
  });

  it("hides a network's plans from other networks' people, and lets member staff read but not edit", async () => {
    const missing = await api('headD', 'GET', '/partnerships/999999');
    const routes = everyRoute({ network: id.n!, partnership: id.p!, goal: id.goal1!, review: id.review! });
    for (const [method, url, payload] of routes) {
      for (const who of ['headD', 'coordinatorM'] as const) {
        const r = await api(who, method, url, payload);
        expect(r.status, `${who} ${method} ${url}`).toBe(404);
        expect(r.body.code).toBe(missing.body.code);
      }
      // A teacher at a member school reads everything and changes nothing.
      const teacher = await api('teacherA', method, url, payload);
      const expected = method === 'GET' ? 200 : url.endsWith('/sign') ? 403 : 404;
      expect(teacher.status, `teacherA ${method} ${url}`).toBe(expected);
    }
    // And a network's coordinator has no hold on another network's plans.
    expect((await api('coordinator', 'GET', `/networks/${id.m}/partnerships`)).status).toBe(404);
    expect((await api('coordinator', 'POST', `/networks/${id.m}/partnerships`, { purpose: 'A plan for a network I do not run' })).status).toBe(404);
    const read = await api('teacherA', 'GET', `/partnerships/${id.next}`);
    expect(read.status).toBe(200);
    expect(read.body.viewer).toEqual({ canEdit: false, canSignFor: [] });
    expect((await api('headA', 'GET', `/partnerships/${id.next}`)).body.viewer).toEqual({ canEdit: false, canSignFor: [id.a] });
    const teacherPlan = await api('teacherA', 'GET', `/networks/${id.n}/partnership`);
    expect(teacherPlan.body.purpose).toBe('Improve transition from Year 6 to Year 7 with the local college');
  });

  it('abandons a partnership that never started, with a reason', async () => {
    const move = (body: unknown) => api('coordinator', 'POST', `/partnerships/${id.next}/transition`, body);
    expect((await move({ to: 'ending' })).body.detail).toMatch(/needs a note saying why the partnership will not go ahead/);
    expect((await move({ to: 'ending', note: 'The college withdrew its offer' })).body.stage).toBe('ending');
    expect((await api('coordinator', 'POST', `/partnerships/${id.next}/reviews`, { heldOn: '2026-11-20' })).body.detail).toBe(
      'reviews are recorded while a partnership is Active or Under review; this one is Ending',
    );
  });
});
