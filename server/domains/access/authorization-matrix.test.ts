import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, type PostSpec, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Every API route × every kind of person. A route added without a row here fails the first
 * test; each row says who is allowed, and everyone else must be refused (401 signed out,
 * 403 or 404 signed in). "Allowed" means not refused: a 409 or 400 after the access check is
 * still an allow, so payloads are chosen to pass validation.
 */

const personas = [
  'admin',
  'coordinatorN',
  'brokerN',
  'researcherN',
  'trustOfficerN',
  'laOfficerA',
  'headA',
  'teacherA',
  'governorA',
  'headB',
  'teacherB',
  'teacherC',
  'teacherAPostEnded',
  'noPost',
] as const;
type Persona = (typeof personas)[number];
const everyone: Persona[] = [...personas];
/** Who reads network N's aggregates: its coordinators, brokers, researchers and trust, and its member schools' staff. */
const networkReaders: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'researcherN', 'trustOfficerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'];

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people = {} as Record<Persona, { id: number }>;
let importJob = '';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const db = h.db;
  // Network N: schools A (shares outcomes with N) and B (does not). School C is in network M only.
  const n = await makeNetwork(db, { name: 'Northshire Federation', kind: 'federation' });
  const m = await makeNetwork(db, { name: 'Other Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary', la_name: 'Northshire' });
  const b = await makeSchool(db, { name: 'Birch Primary', la_name: 'Southshire' });
  const c = await makeSchool(db, { name: 'Cherry Primary', la_name: 'Westshire' });
  await makeMembership(db, a, n, { joined_on: '2018-09-01' });
  const mb = await makeMembership(db, b, n, { joined_on: '2018-09-01' });
  await makeMembership(db, c, m, { joined_on: '2018-09-01' });
  const specs: Record<Persona, PostSpec[]> = {
    admin: [{ role: 'platform_admin' }],
    coordinatorN: [{ role: 'network_coordinator', network: n }],
    brokerN: [{ role: 'honest_broker', network: n }],
    researcherN: [{ role: 'researcher', network: n }],
    trustOfficerN: [{ role: 'trust_officer', network: n }],
    laOfficerA: [{ role: 'la_officer', laName: 'Northshire' }],
    headA: [{ role: 'head_teacher', school: a }],
    teacherA: [{ role: 'teacher', school: a }],
    governorA: [{ role: 'governor', school: a }],
    headB: [{ role: 'head_teacher', school: b }],
    teacherB: [{ role: 'teacher', school: b }],
    teacherC: [{ role: 'teacher', school: c }],
    teacherAPostEnded: [{ role: 'teacher', school: a, fromOn: '2019-09-01', toOn: '2025-08-31' }],
    noPost: [],
  };
  for (const p of personas) people[p] = await makePerson(db, specs[p]);
  await db.insertInto('consent_decision').values({ school_id: a.id, network_id: n.id, data_class: 'outcomes', shared: true, decided_by: people.headA.id }).execute();
  const spare = await makePerson(db, [{ role: 'teacher', school: c }]);
  const sparePost = await db.selectFrom('post').select('id').where('person_id', '=', spare.id).executeTakeFirstOrThrow();
  const job = await app.inject({ method: 'POST', url: '/api/v1/imports?file=x.csv', headers: { ...(await signedIn(db, people.admin)), 'content-type': 'text/csv' }, payload: 'a,b\n1,2\n' });
  importJob = job.json().jobId;
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, membershipB: mb.id, spare: spare.id, sparePost: sparePost.id });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

// Network N's partnership plan (server/domains/partnerships): active, two goals, an agreement
// A and B have agreed to, a meeting and a review.
beforeAll(async () => {
  const coordinator = await signedIn(h.db, people.coordinatorN);
  const call = async (who: Record<string, string>, method: 'POST' | 'PUT', url: string, payload: object) =>
    (await app.inject({ method, url: `/api/v1${url}`, headers: who, payload })).json() as { id: number };
  const plan = await call(coordinator, 'POST', `/networks/${id.n}/partnerships`, { purpose: 'Raise standards in writing together', formedOn: '2025-09-01' });
  const goal = { statement: 'Raise writing progress', measure: 'Mean KS2 writing progress', baseline: { value: -3, on: '2019-08-31' }, target: { value: 0, on: '2028-07-31' } };
  const g = await call(coordinator, 'POST', `/partnerships/${plan.id}/goals`, goal);
  const g2 = await call(coordinator, 'POST', `/partnerships/${plan.id}/goals`, { ...goal, statement: 'A goal to retire' });
  const terms = { principles: ['Give and receive'], meetings: { frequency: 'termly', minAttendancePct: 75 }, conflictResolution: 'The heads meet and agree', funding: { model: 'equal', totalPence: 300_000 } };
  await call(coordinator, 'PUT', `/partnerships/${plan.id}/agreement`, terms);
  for (const head of [people.headA, people.headB]) {
    const school = head === people.headA ? id.a : id.b;
    await call(await signedIn(h.db, head), 'POST', `/partnerships/${plan.id}/agreement/sign`, { schoolId: school });
  }
  await call(coordinator, 'POST', `/partnerships/${plan.id}/transition`, { to: 'active' });
  await call(coordinator, 'POST', `/partnerships/${plan.id}/meetings`, { heldOn: '2026-10-01', title: 'Heads meeting', attendance: [{ schoolId: id.a, attendees: [{ name: 'Head of Ash' }] }] });
  const review = await call(coordinator, 'POST', `/partnerships/${plan.id}/reviews`, { heldOn: '2026-11-01' });
  Object.assign(id, { partnership: plan.id, goal: g.id, goalToRetire: g2.id, review: review.id });
});

// Activities (server/domains/activities): Ash shares its activity records with N, Birch does
// not; two activities between them in N's name, one to change and one to withdraw.
beforeAll(async () => {
  await h.db.insertInto('consent_decision').values({ school_id: id.a!, network_id: id.n!, data_class: 'activity_records', shared: true, decided_by: people.headA.id }).execute();
  const admin = await signedIn(h.db, people.admin);
  const record = async (title: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/activities',
      headers: admin,
      payload: { type: 'peer_observation', title, networkId: id.n, startOn: '2026-10-05', schools: [{ schoolId: id.a, direction: 'giving' }, { schoolId: id.b, direction: 'receiving' }] },
    });
    return res.json().id as number;
  };
  const urns = await h.db.selectFrom('school').select(['id', 'urn']).where('id', 'in', [id.a!, id.b!]).execute();
  Object.assign(id, {
    activity: await record('Year 4 maths observations'),
    activityToWithdraw: await record('Recorded twice by mistake'),
    urnA: urns.find((u) => u.id === id.a)!.urn!,
    urnB: urns.find((u) => u.id === id.b)!.urn!,
  });
});

// Staff surveys (server/domains/surveys): N runs three rounds over A and B — a draft, an open one
// and a closed one with responses — and an interview note with one coding. Birch shares its
// survey results with N; Ash does not.
beforeAll(async () => {
  await h.db.insertInto('consent_decision').values({ school_id: id.b!, network_id: id.n!, data_class: 'survey_results', shared: true, decided_by: people.headB.id }).execute();
  const coordinator = await signedIn(h.db, people.coordinatorN);
  const call = async (method: 'POST' | 'GET', url: string, payload?: object) =>
    (await app.inject({ method, url: `/api/v1${url}`, headers: coordinator, ...(payload ? { payload } : {}) })).json();
  const instrument = (await call('GET', '/survey-instruments/partnership-survey')) as object;
  const wave = async (title: string) => (await call('POST', `/networks/${id.n}/survey-waves`, { title, instrument, closesOn: '2026-12-31', schoolIds: [id.a, id.b] })).id as number;
  const draft = await wave('Matrix draft round');
  const open = await wave('Matrix open round');
  const closed = await wave('Matrix closed round');
  for (const w of [open, closed]) await call('POST', `/survey-waves/${w}/open`);
  const [link] = (await call('POST', `/survey-waves/${closed}/invitations`, { kind: 'links', schoolId: id.b, role: 'teacher', labels: ['Teacher'] })).items;
  const token = link.link.split('/').pop();
  const form = (await app.inject({ method: 'GET', url: `/api/v1/survey/${token}` })).json();
  await app.inject({ method: 'POST', url: `/api/v1/survey/${token}`, payload: { submissionKey: form.submissionKey, answers: { 'JPD A1': true } } });
  await call('POST', `/survey-waves/${closed}/close`);
  const note = await call('POST', `/survey-waves/${open}/interviews`, { title: 'Matrix interview', body: 'We plan lessons together now.' });
  const coding = await call('POST', `/survey-interviews/${note.id}/codings`, { strand: 'JPD', start: 0, end: 7 });
  Object.assign(id, { surveyDraft: draft, surveyOpen: open, surveyClosed: closed, surveyNote: note.id, surveyCoding: coding.id });
});

// Network analysis (server/domains/network): the administrator's exact-betweenness job.
let jobId = '';
beforeAll(async () => {
  const admin = await signedIn(h.db, people.admin);
  const res = await app.inject({ method: 'POST', url: '/api/v1/analysis/betweenness-jobs', headers: admin, payload: { network: id.n } });
  jobId = res.json().id as string;
});

// Evidence and evaluation (server/domains/evaluation): published KS2 results for A, B and four
// comparison schools over four years (N's members joined in 2018/19), a saved evaluation of N and a pupil upload by A's head.
beforeAll(async () => {
  const db = h.db;
  const comparators = [];
  for (const [i, name] of ['Damson', 'Elder', 'Fig', 'Gorse'].entries()) comparators.push(await makeSchool(db, { name: `${name} Primary`, la_name: 'Northshire', fsm_pct: 10 + i * 5 }));
  await db.updateTable('school').set({ fsm_pct: 12 }).where('id', 'in', [id.a!, id.b!]).execute();
  const schools = await db.selectFrom('school').select(['id', 'urn']).where('id', 'in', [id.a!, id.b!, ...comparators.map((c) => c.id)]).execute();
  for (const [k, s] of schools.entries()) {
    for (const [j, year] of ['2017/18', '2018/19', '2019/20', '2020/21'].entries()) {
      await db.insertInto('ks2_result').values({ urn: s.urn!, academic_year: year, rwm_expected_pct: 50 + ((k * 7 + j * 3) % 20), source: 'test' }).execute();
    }
  }
  const admin = await signedIn(db, people.admin);
  const run = await app.inject({ method: 'POST', url: '/api/v1/evaluations', headers: admin, payload: { networkIds: [id.n], formedIn: '2018/19', outcomes: ['ks2_rwm_expected'], covariates: ['fsm_pct'], caliper: null } });
  if (run.statusCode !== 201) throw new Error(`evaluation setup: ${run.body}`);
  const urnA = schools.find((s) => s.id === id.a)!.urn;
  const upload = await app.inject({
    method: 'POST',
    url: '/api/v1/pupil-results?file=matrix.csv',
    headers: { ...(await signedIn(db, people.headA)), 'content-type': 'text/csv' },
    payload: `pupil_ref,urn,academic_year,subject,score\nP1,${urnA},2017/18,reading,104\n`,
  });
  Object.assign(id, { evaluation: run.json().id, pupilUpload: upload.json().uploadId, urnAForPupils: urnA });
});

// Evaluation and challenge, JPD, the library and communities (server/domains/practice), hosted at
// A in N with teacherB (B) as the reviewer; A does not share its peer-review reports: review R0
// (planned, no team), R1 (planned), R2 (visiting: evidence, a finding) and R3 (findings: an
// action); a JPD pair A–B with a cycle at "plan"; practices at A (published, draft, to withdraw,
// a draft adapted from a practice at B) and B; a community in N with teacherB as member. The
// deleted evidence and findings come from queues, so that every caller deletes a row of its own.
const practiceQueues: Record<'evidence' | 'findings', number[]> = { evidence: [], findings: [] };
beforeAll(async () => {
  const db = h.db;
  const cycle = async (stage: string, reviewer: boolean) => {
    const row = await db
      .insertInto('peer_review_cycle')
      .values({ network_id: id.n!, host_school_id: id.a!, title: `Matrix review (${stage})`, focus: 'Is reasoning secure in Years 3 and 4?', stage, visit_start_on: '2026-10-05', visit_end_on: '2026-10-06', follow_up_on: '2026-11-16' })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (reviewer) await db.insertInto('peer_review_reviewer').values({ cycle_id: row.id, person_id: people.teacherB.id, school_id: id.b!, trained: true, lead: true }).execute();
    return Number(row.id);
  };
  const [r0, r1, r2, r3] = [await cycle('planned', false), await cycle('planned', false), await cycle('visiting', true), await cycle('findings', true)];
  const evidence = async () =>
    Number((await db.insertInto('peer_review_evidence').values({ cycle_id: r2, kind: 'lesson_visit', observed_on: '2026-10-05', pupils: '[]', notes: 'Orderly lesson.', school_id: id.b!, recorded_by: people.teacherB.id }).returning('id').executeTakeFirstOrThrow()).id);
  const finding = async () =>
    Number((await db.insertInto('peer_review_finding').values({ cycle_id: r2, kind: 'strength', statement: 'Pupils explain their reasoning.', recorded_by: people.teacherB.id }).returning('id').executeTakeFirstOrThrow()).id);
  const e1 = await evidence();
  const f1 = await finding();
  for (let i = 0; i <= personas.length; i++) {
    practiceQueues.evidence.push(await evidence());
    practiceQueues.findings.push(await finding());
  }
  const x1 = await db.insertInto('peer_review_action').values({ cycle_id: r3, description: 'Teach a routine for being stuck.', owner_name: 'Deputy head', due_on: '2027-01-31', created_by: people.headA.id }).returning('id').executeTakeFirstOrThrow();
  const j1 = await db
    .insertInto('jpd_project')
    .values({ network_id: id.n!, title: 'Matrix JPD pair', problem: 'Pupils cannot explain their reasoning.', started_on: '2026-09-01', developed_practice: 'Talk partners with sentence stems.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('jpd_project_school').values([{ project_id: j1.id, school_id: id.a! }, { project_id: j1.id, school_id: id.b! }]).execute();
  const c1 = await db.insertInto('jpd_cycle').values({ project_id: j1.id, number: 1, focus: 'Sentence stems', started_on: '2026-09-07' }).returning('id').executeTakeFirstOrThrow();
  const practice = async (schoolId: number, title: string, status: 'draft' | 'published') =>
    Number(
      (await db.insertInto('practice').values({ school_id: schoolId, title, summary: `${title}, in a sentence or two.`, status, published_on: status === 'published' ? '2026-10-01' : null }).returning('id').executeTakeFirstOrThrow()).id,
    );
  const p1 = await practice(id.a!, 'Matrix talk partners', 'published');
  const p2 = await practice(id.a!, 'Matrix draft to publish', 'draft');
  const p3 = await practice(id.a!, 'Matrix practice to withdraw', 'published');
  const p4 = await practice(id.a!, 'Matrix adaptation', 'draft');
  const p5 = await practice(id.b!, 'Matrix original at Birch', 'published');
  const p6 = await practice(id.b!, 'Matrix second source at Birch', 'published');
  await db.insertInto('practice_lineage').values({ practice_id: p4, adapted_from: p5, what_changed: 'Shorter stems for Year 3.' }).execute();
  const k1 = await db.insertInto('community').values({ network_id: id.n!, name: 'Matrix Year 4 teachers', kind: 'year_group', domain: 'Reasoning in Year 4', rhythm: 'termly', started_on: '2026-09-01' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('community_member').values({ community_id: k1.id, person_id: people.teacherB.id, school_id: id.b!, participation: 'core', joined_on: '2026-09-01' }).execute();
  Object.assign(id, { r0, r1, r2, r3, e1, f1, x1: Number(x1.id), j1: Number(j1.id), c1: Number(c1.id), p1, p2, p3, p4, p5, p6, k1: Number(k1.id) });
});

// Brokered support (server/domains/brokering): A has declared a maths priority; teacherA has
// proposed a reading offer; A has an open writing request (no broker), an open reading request
// to withdraw, and a maths request the administrator brokers, introduced to B (a school-level
// candidate) and waiting for both answers.
beforeAll(async () => {
  const db = h.db;
  const priority = await db.insertInto('school_priority').values({ school_id: id.a!, focus_area: 'maths', from_on: '2026-09-01', declared_by: people.headA.id }).returning('id').executeTakeFirstOrThrow();
  const offer = await db
    .insertInto('expertise_offer')
    .values({ school_id: id.a!, person_id: people.teacherA.id, focus_area: 'reading', kinds: ['mentoring_coaching'], capacity_days: 4, created_by: people.teacherA.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const raise = async (focusArea: string, over: { broker_id?: number; status?: string } = {}) =>
    Number(
      (
        await db
          .insertInto('support_request')
          .values({ school_id: id.a!, focus_area: focusArea, kind: 'mentoring_coaching', days_needed: 2, description: 'Matrix request for support', goals: '[]', conflicts: '[]', created_by: people.headA.id, created_on: '2026-11-01', ...over })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const open = await raise('writing');
  const toWithdraw = await raise('reading');
  const introduced = await raise('maths', { broker_id: people.admin.id, status: 'introduced' });
  const factors = JSON.stringify([{ factor: 'strength', label: 'Strength', raw: null, normalised: 0.5, weight: 1, contribution: 0.5 }]);
  const entry = await db.insertInto('shortlist_entry').values({ request_id: introduced, rank: 1, school_id: id.b!, score: 0.5, factors, created_by: people.admin.id }).returning('id').executeTakeFirstOrThrow();
  const intro = await db.insertInto('introduction').values({ request_id: introduced, shortlist_entry_id: entry.id, school_id: id.b!, created_by: people.admin.id, created_on: '2026-11-02' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('broker_declaration').values({ person_id: people.admin.id, declared_on: '2026-11-01' }).execute();
  Object.assign(id, { priority: Number(priority.id), offer: Number(offer.id), request: open, requestToWithdraw: toWithdraw, entry: Number(entry.id), introduction: Number(intro.id) });
});

type Case = { label?: string; request: () => { url: string; payload?: unknown; contentType?: string }; allow: Persona[] | 'public' };
const v1 = '/api/v1';

/** Keyed "METHOD /route"; several cases where who may depends on which resource. */
const matrix: Record<string, Case[]> = {
  'GET /healthz': [{ request: () => ({ url: '/healthz' }), allow: 'public' }],
  'GET /api/v1/outcome-measures': [{ request: () => ({ url: `${v1}/outcome-measures` }), allow: everyone }],
  'POST /api/v1/evaluations': [
    {
      request: () => ({ url: `${v1}/evaluations`, payload: { networkIds: [id.n], formedIn: '2018/19', outcomes: ['ks2_rwm_expected'], covariates: ['fsm_pct'], caliper: null, save: false } }),
      allow: networkReaders,
    },
    { label: 'every federation of an authority', request: () => ({ url: `${v1}/evaluations`, payload: { kind: 'federation', laNames: ['Northshire'], formedIn: '2018/19', outcomes: ['ks2_rwm_expected'], covariates: ['fsm_pct'], caliper: null, save: false } }), allow: ['admin', 'laOfficerA'] },
  ],
  'GET /api/v1/evaluations': [{ request: () => ({ url: `${v1}/evaluations` }), allow: everyone }],
  'GET /api/v1/evaluations/:id': [{ request: () => ({ url: `${v1}/evaluations/${id.evaluation}` }), allow: networkReaders }],
  'GET /api/v1/evaluations/:id/report.csv': [{ request: () => ({ url: `${v1}/evaluations/${id.evaluation}/report.csv` }), allow: networkReaders }],
  'GET /api/v1/evaluations/:id/report.pdf': [{ request: () => ({ url: `${v1}/evaluations/${id.evaluation}/report.pdf` }), allow: networkReaders }],
  'POST /api/v1/pupil-results': [
    {
      request: () => ({ url: `${v1}/pupil-results?file=p.csv`, contentType: 'text/csv', payload: `pupil_ref,urn,academic_year,subject,score\nP2,${id.urnAForPupils},2017/18,maths,101\n` }),
      allow: ['admin', 'headA'],
    },
  ],
  'GET /api/v1/pupil-uploads': [{ request: () => ({ url: `${v1}/pupil-uploads` }), allow: everyone }],
  'DELETE /api/v1/pupil-uploads/:id': [{ request: () => ({ url: `${v1}/pupil-uploads/${id.pupilUpload}` }), allow: ['admin', 'headA'] }],
  'GET /api/v1/benchmarking/schools/:id/similar': [{ request: () => ({ url: `${v1}/benchmarking/schools/${id.a}/similar?k=5&measure=ks2_rwm_expected&year=2017/18` }), allow: everyone }],
  'GET /api/v1/benchmarking/networks/:id': [{ request: () => ({ url: `${v1}/benchmarking/networks/${id.n}?measure=ks2_rwm_expected&year=2017/18` }), allow: networkReaders }],
  'GET /api/v1/benchmarking/against-the-odds': [
    { request: () => ({ url: `${v1}/benchmarking/against-the-odds?networkId=${id.n}&measure=ks2_rwm_expected&year=2017/18` }), allow: networkReaders },
    { label: 'an authority', request: () => ({ url: `${v1}/benchmarking/against-the-odds?laName=Northshire&measure=ks2_rwm_expected&year=2017/18` }), allow: ['admin', 'laOfficerA'] },
  ],
  'GET /api/v1/schools': [{ request: () => ({ url: `${v1}/schools?q=primary` }), allow: everyone }],
  'GET /api/v1/schools/by-urn/:urn': [{ request: () => ({ url: `${v1}/schools` }), allow: everyone }],
  'GET /api/v1/schools/:id': [{ request: () => ({ url: `${v1}/schools/${id.a}` }), allow: everyone }],
  'GET /api/v1/schools/:id/memberships': [{ request: () => ({ url: `${v1}/schools/${id.a}/memberships` }), allow: everyone }],
  'GET /api/v1/networks': [{ request: () => ({ url: `${v1}/networks` }), allow: everyone }],
  'POST /api/v1/networks': [
    {
      request: () => ({ url: `${v1}/networks`, payload: { name: 'New Partnership', kind: 'partnership' } }),
      allow: ['admin', 'coordinatorN', 'trustOfficerN', 'laOfficerA', 'headA', 'headB'],
    },
  ],
  'GET /api/v1/networks/:id': [{ request: () => ({ url: `${v1}/networks/${id.n}` }), allow: everyone }],
  'PATCH /api/v1/networks/:id': [{ request: () => ({ url: `${v1}/networks/${id.n}`, payload: { purpose: 'Raise attainment in writing' } }), allow: ['admin', 'coordinatorN'] }],
  'GET /api/v1/networks/:id/members': [{ request: () => ({ url: `${v1}/networks/${id.n}/members` }), allow: everyone }],
  'GET /api/v1/networks/:id/map': [{ request: () => ({ url: `${v1}/networks/${id.n}/map` }), allow: everyone }],
  'GET /api/v1/networks/:id/typology': [{ request: () => ({ url: `${v1}/networks/${id.n}/typology` }), allow: everyone }],
  'PUT /api/v1/networks/:id/typology': [{ request: () => ({ url: `${v1}/networks/${id.n}/typology`, payload: { engagement: 'collaboration' } }), allow: ['admin', 'coordinatorN'] }],
  'GET /api/v1/networks/:id/outcomes': [{ request: () => ({ url: `${v1}/networks/${id.n}/outcomes` }), allow: everyone }],
  'GET /api/v1/networks/:id/outcomes/summary': [
    {
      request: () => ({ url: `${v1}/networks/${id.n}/outcomes/summary` }),
      allow: ['admin', 'coordinatorN', 'brokerN', 'researcherN', 'trustOfficerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'],
    },
  ],
  ...partnershipRows(),
  ...activityRows(),
  ...surveyRows(),
  ...analysisRows(),
  ...practiceRows(),
  ...brokeringRows(),
  'GET /api/v1/memberships': [{ request: () => ({ url: `${v1}/memberships?networkId=${id.n}` }), allow: everyone }],
  'POST /api/v1/memberships': [
    { request: () => ({ url: `${v1}/memberships`, payload: { schoolId: id.c, networkId: id.n, joinedOn: '2027-09-01' } }), allow: ['admin', 'coordinatorN'] },
    { label: 'to another network', request: () => ({ url: `${v1}/memberships`, payload: { schoolId: id.a, networkId: id.m, joinedOn: '2027-09-01' } }), allow: ['admin'] },
  ],
  'POST /api/v1/memberships/:id/end': [{ request: () => ({ url: `${v1}/memberships/${id.membershipB}/end`, payload: { leftOn: '2030-08-31' } }), allow: ['admin', 'coordinatorN'] }],
  'GET /api/v1/meta': [{ request: () => ({ url: `${v1}/meta` }), allow: everyone }],
  'GET /api/v1/export/schools.csv': [{ request: () => ({ url: `${v1}/export/schools.csv` }), allow: everyone }],
  'GET /api/v1/export/memberships.csv': [{ request: () => ({ url: `${v1}/export/memberships.csv` }), allow: everyone }],
  'GET /api/v1/imports/kinds': [{ request: () => ({ url: `${v1}/imports/kinds` }), allow: everyone }],
  'POST /api/v1/imports': [{ request: () => ({ url: `${v1}/imports?file=y.csv`, payload: 'a,b\n1,2\n', contentType: 'text/csv' }), allow: ['admin'] }],
  'GET /api/v1/imports/:jobId': [{ request: () => ({ url: `${v1}/imports/${importJob}` }), allow: ['admin'] }],
  'GET /api/v1/schools/:id/outcomes': [
    {
      label: 'a school that shares outcomes with its network',
      request: () => ({ url: `${v1}/schools/${id.a}/outcomes` }),
      allow: ['admin', 'coordinatorN', 'brokerN', 'trustOfficerN', 'laOfficerA', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'],
    },
    {
      label: 'a school in the same network that does not share',
      request: () => ({ url: `${v1}/schools/${id.b}/outcomes` }),
      allow: ['admin', 'trustOfficerN', 'headB', 'teacherB'],
    },
    { label: 'a school in another network', request: () => ({ url: `${v1}/schools/${id.c}/outcomes` }), allow: ['admin', 'teacherC'] },
  ],
  'GET /api/v1/schools/:id/sharing': [{ request: () => ({ url: `${v1}/schools/${id.a}/sharing` }), allow: ['admin', 'headA', 'teacherA', 'governorA'] }],
  'POST /api/v1/schools/:id/sharing': [
    { request: () => ({ url: `${v1}/schools/${id.a}/sharing`, payload: { networkId: id.n, dataClass: 'outcomes', shared: true } }), allow: ['headA'] },
  ],
  'GET /api/v1/audit': [{ request: () => ({ url: `${v1}/audit` }), allow: ['admin', 'headA', 'headB'] }],
  'GET /api/v1/people': [{ request: () => ({ url: `${v1}/people` }), allow: ['admin'] }],
  'POST /api/v1/people/:id/posts': [{ request: () => ({ url: `${v1}/people/${id.spare}/posts`, payload: { role: 'governor', schoolId: id.c } }), allow: ['admin'] }],
  'POST /api/v1/posts/:id/end': [{ request: () => ({ url: `${v1}/posts/${id.sparePost}/end`, payload: { toOn: '2027-01-01' } }), allow: ['admin'] }],
  'POST /api/v1/people/:id/reset-link': [{ request: () => ({ url: `${v1}/people/${id.spare}/reset-link` }), allow: ['admin'] }],
  'POST /api/v1/people/:id/disable': [{ request: () => ({ url: `${v1}/people/${id.spare}/disable` }), allow: ['admin'] }],
  'POST /api/v1/invitations': [
    { label: 'a teacher at a member school', request: () => ({ url: `${v1}/invitations`, payload: { email: 'new.teacher@test.invalid', role: 'teacher', schoolId: id.a } }), allow: ['admin', 'coordinatorN', 'headA'] },
    { label: 'a researcher on the network', request: () => ({ url: `${v1}/invitations`, payload: { email: 'new.researcher@test.invalid', role: 'researcher', networkId: id.n } }), allow: ['admin', 'coordinatorN'] },
    { label: 'a local-authority officer', request: () => ({ url: `${v1}/invitations`, payload: { email: 'new.officer@test.invalid', role: 'la_officer', laName: 'Northshire' } }), allow: ['admin'] },
  ],
  'GET /api/v1/invitations/:token': [{ request: () => ({ url: `${v1}/invitations/${'x'.repeat(43)}` }), allow: 'public' }],
  'POST /api/v1/invitations/:token/accept': [{ request: () => ({ url: `${v1}/invitations/${'x'.repeat(43)}/accept`, payload: { password: 'not-a-real-link' } }), allow: 'public' }],
  'POST /api/v1/auth/sign-in': [{ request: () => ({ url: `${v1}/auth/sign-in`, payload: { email: 'nobody@test.invalid', password: 'wrong-password' } }), allow: 'public' }],
  'GET /api/v1/auth/me': [{ request: () => ({ url: `${v1}/auth/me` }), allow: everyone }],
  'POST /api/v1/auth/sign-out': [{ request: () => ({ url: `${v1}/auth/sign-out` }), allow: everyone }],
  'POST /api/v1/auth/sign-out-everywhere': [{ request: () => ({ url: `${v1}/auth/sign-out-everywhere` }), allow: everyone }],
};

/** The partnership plan's routes: its network's people read it, its coordinators change it, a school's leaders agree for the school. */
function partnershipRows(): Record<string, Case[]> {
  const read: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'researcherN', 'trustOfficerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'];
  const edit: Persona[] = ['admin', 'coordinatorN'];
  const p = () => `${v1}/partnerships/${id.partnership}`;
  const goal = { statement: 'Another goal for the plan', measure: 'Pupils at the expected standard', baseline: { value: 60, on: '2019-08-31' }, target: { value: 70, on: '2028-07-31' } };
  return {
    'GET /api/v1/networks/:id/partnership': [{ request: () => ({ url: `${v1}/networks/${id.n}/partnership` }), allow: read }],
    'GET /api/v1/networks/:id/partnerships': [{ request: () => ({ url: `${v1}/networks/${id.n}/partnerships` }), allow: read }],
    'POST /api/v1/networks/:id/partnerships': [{ request: () => ({ url: `${v1}/networks/${id.n}/partnerships`, payload: { purpose: 'A second plan for the federation' } }), allow: edit }],
    'GET /api/v1/partnerships/:id': [{ request: () => ({ url: p() }), allow: read }],
    'PATCH /api/v1/partnerships/:id': [{ request: () => ({ url: p(), payload: { sharedVision: 'Every pupil a confident writer' } }), allow: edit }],
    'POST /api/v1/partnerships/:id/goals': [{ request: () => ({ url: `${p()}/goals`, payload: goal }), allow: edit }],
    'PATCH /api/v1/goals/:id': [{ request: () => ({ url: `${v1}/goals/${id.goal}`, payload: { status: 'on_track' } }), allow: edit }],
    'POST /api/v1/goals/:id/retire': [{ request: () => ({ url: `${v1}/goals/${id.goalToRetire}/retire`, payload: { reason: 'Merged with the writing goal' } }), allow: edit }],
    'GET /api/v1/partnerships/:id/agreements': [{ request: () => ({ url: `${p()}/agreements` }), allow: read }],
    'PUT /api/v1/partnerships/:id/agreement': [
      {
        request: () => ({ url: `${p()}/agreement`, payload: { principles: ['Give and receive'], meetings: { frequency: 'termly' }, conflictResolution: 'The heads meet and agree', funding: { model: 'ad_hoc', amounts: [] } } }),
        allow: edit,
      },
    ],
    'POST /api/v1/partnerships/:id/agreement/sign': [{ label: "for Ash (its leaders only)", request: () => ({ url: `${p()}/agreement/sign`, payload: { schoolId: id.a } }), allow: ['headA'] }],
    'GET /api/v1/partnerships/:id/data-sharing': [{ request: () => ({ url: `${p()}/data-sharing` }), allow: read }],
    'GET /api/v1/partnerships/:id/funding': [{ request: () => ({ url: `${p()}/funding` }), allow: read }],
    'GET /api/v1/partnerships/:id/meetings': [{ request: () => ({ url: `${p()}/meetings` }), allow: read }],
    'POST /api/v1/partnerships/:id/meetings': [
      { request: () => ({ url: `${p()}/meetings`, payload: { heldOn: '2026-11-02', title: 'Writing group', attendance: [{ schoolId: id.a, attendees: [{ name: 'Writing lead' }] }] } }), allow: edit },
    ],
    'POST /api/v1/partnerships/:id/reviews': [{ request: () => ({ url: `${p()}/reviews`, payload: { heldOn: '2026-11-20' } }), allow: edit }],
    'PATCH /api/v1/reviews/:id': [{ request: () => ({ url: `${v1}/reviews/${id.review}`, payload: { summary: 'Writing is improving' } }), allow: edit }],
    'POST /api/v1/partnerships/:id/transition': [{ request: () => ({ url: `${p()}/transition`, payload: { to: 'ended' } }), allow: edit }],
    'PUT /api/v1/partnerships/:id/ending': [
      { request: () => ({ url: `${p()}/ending`, payload: { agreedOn: '2026-11-20', endsOn: '2027-07-31', reason: 'The work is done', agreedBy: 'The heads' } }), allow: edit },
    ],
  };
}

/** Staff surveys: managers are N's coordinators; results follow consent (Birch shares, Ash does not), never the LA or the trust. */
function surveyRows(): Record<string, Case[]> {
  const manage: Persona[] = ['admin', 'coordinatorN'];
  const readers: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'];
  const w = (key: string, tail = '') => () => `${v1}/survey-waves/${id[key]}${tail}`;
  const newRound = { title: 'Another round', instrumentId: 'partnership-survey', closesOn: '2026-12-31' };
  return {
    'GET /api/v1/survey-instruments': [{ request: () => ({ url: `${v1}/survey-instruments` }), allow: everyone }],
    'GET /api/v1/survey-instruments/:id': [{ request: () => ({ url: `${v1}/survey-instruments/partnership-survey` }), allow: everyone }],
    'GET /api/v1/networks/:id/survey-waves': [{ label: 'an empty list for those who may see none', request: () => ({ url: `${v1}/networks/${id.n}/survey-waves` }), allow: everyone }],
    'POST /api/v1/networks/:id/survey-waves': [{ request: () => ({ url: `${v1}/networks/${id.n}/survey-waves`, payload: newRound }), allow: manage }],
    'GET /api/v1/survey-waves/:id': [{ request: () => ({ url: w('surveyClosed')() }), allow: readers }],
    'GET /api/v1/survey-waves/:id/instrument': [{ request: () => ({ url: w('surveyOpen', '/instrument')() }), allow: manage }],
    'PATCH /api/v1/survey-waves/:id': [{ request: () => ({ url: w('surveyDraft')(), payload: { title: 'Renamed draft round' } }), allow: manage }],
    'POST /api/v1/survey-waves/:id/open': [{ request: () => ({ url: w('surveyDraft', '/open')() }), allow: manage }],
    'POST /api/v1/survey-waves/:id/close': [{ request: () => ({ url: w('surveyClosed', '/close')() }), allow: manage }],
    'POST /api/v1/survey-waves/:id/invitations': [{ request: () => ({ url: w('surveyOpen', '/invitations')(), payload: { kind: 'code', capacity: 5 } }), allow: manage }],
    'GET /api/v1/survey-waves/:id/invitations': [{ request: () => ({ url: w('surveyOpen', '/invitations')() }), allow: manage }],
    'GET /api/v1/survey-waves/:id/tracking': [{ request: () => ({ url: w('surveyOpen', '/tracking')() }), allow: manage }],
    'GET /api/v1/survey-waves/:id/reminders': [{ request: () => ({ url: w('surveyOpen', '/reminders')() }), allow: manage }],
    'POST /api/v1/survey-waves/:id/reminders': [{ request: () => ({ url: w('surveyOpen', '/reminders')(), payload: {} }), allow: manage }],
    'POST /api/v1/survey-waves/:id/paper-responses': [{ request: () => ({ url: w('surveyOpen', '/paper-responses')(), payload: { schoolId: id.a, role: 'teacher', answers: {} } }), allow: manage }],
    'GET /api/v1/survey-waves/:id/results': [{ request: () => ({ url: w('surveyClosed', '/results')() }), allow: readers }],
    'GET /api/v1/survey-waves/:id/results.csv': [{ request: () => ({ url: w('surveyClosed', '/results.csv')() }), allow: readers }],
    // Allowed callers get 501 here (no browser under inject()): past the access check.
    'GET /api/v1/survey-waves/:id/report.pdf': [{ request: () => ({ url: w('surveyClosed', '/report.pdf')() }), allow: readers }],
    'POST /api/v1/survey-waves/:id/interviews': [{ request: () => ({ url: w('surveyOpen', '/interviews')(), payload: { title: 'Another note', body: 'Notes.' } }), allow: manage }],
    'GET /api/v1/survey-waves/:id/interviews': [{ request: () => ({ url: w('surveyOpen', '/interviews')() }), allow: manage }],
    'GET /api/v1/survey-waves/:id/codings': [{ request: () => ({ url: w('surveyOpen', '/codings')() }), allow: manage }],
    'GET /api/v1/survey-interviews/:id': [{ request: () => ({ url: `${v1}/survey-interviews/${id.surveyNote}` }), allow: manage }],
    'POST /api/v1/survey-interviews/:id/codings': [{ request: () => ({ url: `${v1}/survey-interviews/${id.surveyNote}/codings`, payload: { strand: 'HSC', start: 0, end: 7 } }), allow: manage }],
    'DELETE /api/v1/survey-codings/:id': [{ request: () => ({ url: `${v1}/survey-codings/${id.surveyCoding}` }), allow: manage }],
    'GET /api/v1/survey/:token': [{ request: () => ({ url: `${v1}/survey/${'x'.repeat(43)}` }), allow: 'public' }],
    'POST /api/v1/survey/:token': [{ request: () => ({ url: `${v1}/survey/${'x'.repeat(43)}`, payload: { submissionKey: 'a-key-of-sixteen-chars', answers: {} } }), allow: 'public' }],
  };
}

/**
 * Evaluation and challenge, JPD, the library and communities: a review is set up by the host's
 * leaders or N's coordinators; its report is read by the host's people and the team (A does not
 * share it, so not by N's coordinators, partners, the trust or the LA); the team records; the
 * team or the host's leaders propose actions. Joint practice work: teachers and leaders of the
 * schools, or N's coordinators. Published practices: anyone signed in.
 */
function practiceRows(): Record<string, Case[]> {
  const managers: Persona[] = ['admin', 'coordinatorN', 'headA'];
  const reportReaders: Persona[] = ['admin', 'headA', 'teacherA', 'governorA', 'teacherB'];
  const team: Persona[] = ['admin', 'teacherB'];
  const proposers: Persona[] = ['admin', 'headA', 'teacherB'];
  const pair: Persona[] = ['admin', 'coordinatorN', 'headA', 'teacherA', 'headB', 'teacherB'];
  const atA: Persona[] = ['admin', 'headA', 'teacherA'];
  const atB: Persona[] = ['admin', 'headB', 'teacherB'];
  const community: Persona[] = ['admin', 'coordinatorN', 'teacherB'];
  const r = (key: string, tail = '') => () => `${v1}/peer-reviews/${id[key]}${tail}`;
  const plan = { hostSchoolId: id.a, title: 'Another review', focus: 'Is writing stamina secure in Year 4?' };
  return {
    'GET /api/v1/networks/:id/peer-reviews': [{ label: 'an empty list for those who may see none', request: () => ({ url: `${v1}/networks/${id.n}/peer-reviews` }), allow: everyone }],
    'POST /api/v1/networks/:id/peer-reviews': [{ label: "of A (its leaders or N's coordinators)", request: () => ({ url: `${v1}/networks/${id.n}/peer-reviews`, payload: { ...plan, hostSchoolId: id.a } }), allow: managers }],
    'GET /api/v1/peer-reviews/:id': [{ label: 'the plan for managers, the report for the host and the team', request: () => ({ url: r('r2')() }), allow: ['admin', 'coordinatorN', 'headA', 'teacherA', 'governorA', 'teacherB'] }],
    'PATCH /api/v1/peer-reviews/:id': [{ request: () => ({ url: r('r1')(), payload: { priority: 'Development plan priority 1' } }), allow: managers }],
    'GET /api/v1/peer-reviews/:id/reviewer-candidates': [{ request: () => ({ url: r('r1', '/reviewer-candidates')() }), allow: managers }],
    'POST /api/v1/peer-reviews/:id/reviewers': [{ request: () => ({ url: r('r1', '/reviewers')(), payload: { personId: people.teacherB.id, schoolId: id.b } }), allow: managers }],
    'DELETE /api/v1/peer-reviews/:id/reviewers/:personId': [{ request: () => ({ url: r('r1', `/reviewers/${people.teacherB.id}`)() }), allow: managers }],
    // Planned to visiting with no team: refused (409) for those who may make the move; 403 for the host's other people.
    'POST /api/v1/peer-reviews/:id/transition': [{ request: () => ({ url: r('r0', '/transition')(), payload: { to: 'visiting' } }), allow: managers }],
    'POST /api/v1/peer-reviews/:id/evidence': [{ request: () => ({ url: r('r2', '/evidence')(), payload: { kind: 'learning_walk', observedOn: '2026-10-06', notes: 'Calm corridors.' } }), allow: team }],
    'PATCH /api/v1/peer-review-evidence/:id': [{ request: () => ({ url: `${v1}/peer-review-evidence/${id.e1}`, payload: { notes: 'Orderly, purposeful lesson.' } }), allow: team }],
    'DELETE /api/v1/peer-review-evidence/:id': [{ label: 'a row for each caller', request: () => ({ url: `${v1}/peer-review-evidence/${practiceQueues.evidence.shift()}` }), allow: team }],
    'POST /api/v1/peer-reviews/:id/findings': [{ request: () => ({ url: r('r2', '/findings')(), payload: { kind: 'area_to_develop', statement: 'Writing stamina is low in Year 3.' } }), allow: team }],
    'PATCH /api/v1/peer-review-findings/:id': [{ request: () => ({ url: `${v1}/peer-review-findings/${id.f1}`, payload: { judgement: 'good' } }), allow: team }],
    'DELETE /api/v1/peer-review-findings/:id': [{ label: 'a row for each caller', request: () => ({ url: `${v1}/peer-review-findings/${practiceQueues.findings.shift()}` }), allow: team }],
    'PUT /api/v1/peer-reviews/:id/judgement': [{ request: () => ({ url: r('r2', '/judgement')(), payload: { judgement: 'good' } }), allow: team }],
    'POST /api/v1/peer-reviews/:id/actions': [{ request: () => ({ url: r('r3', '/actions')(), payload: { description: 'Plan extended writing.', ownerName: 'English lead', dueOn: '2027-03-31' } }), allow: proposers }],
    'PATCH /api/v1/peer-review-actions/:id': [{ request: () => ({ url: `${v1}/peer-review-actions/${id.x1}`, payload: { dueOn: '2027-02-28' } }), allow: proposers }],
    'PUT /api/v1/peer-reviews/:id/follow-up': [{ label: 'too early (409) for those who may', request: () => ({ url: r('r3', '/follow-up')(), payload: { summary: 'Much has changed since.' } }), allow: proposers }],
    'GET /api/v1/peer-reviews/:id/report.html': [{ request: () => ({ url: r('r2', '/report.html')() }), allow: reportReaders }],
    'GET /api/v1/peer-reviews/:id/report.pdf': [{ request: () => ({ url: r('r2', '/report.pdf')() }), allow: reportReaders }],
    'GET /api/v1/networks/:id/peer-review-reciprocity': [{ request: () => ({ url: `${v1}/networks/${id.n}/peer-review-reciprocity` }), allow: networkReaders }],
    'GET /api/v1/schools/:id/practice-evidence': [{ label: 'what each may see, the rest counted', request: () => ({ url: `${v1}/schools/${id.a}/practice-evidence` }), allow: everyone }],
    'GET /api/v1/jpd-projects': [{ label: 'an empty list for those who may see none', request: () => ({ url: `${v1}/jpd-projects` }), allow: everyone }],
    'POST /api/v1/jpd-projects': [{ request: () => ({ url: `${v1}/jpd-projects`, payload: { title: 'Another pair', problem: 'Pupils rarely revise their writing.', networkId: id.n, schoolIds: [id.a, id.b] } }), allow: pair }],
    'GET /api/v1/jpd-projects/:id': [{ request: () => ({ url: `${v1}/jpd-projects/${id.j1}` }), allow: pair }],
    'PATCH /api/v1/jpd-projects/:id': [{ request: () => ({ url: `${v1}/jpd-projects/${id.j1}`, payload: { pupilInvolvement: 'consulted' } }), allow: pair }],
    'PUT /api/v1/jpd-projects/:id/participants': [{ request: () => ({ url: `${v1}/jpd-projects/${id.j1}/participants`, payload: { participants: [] } }), allow: pair }],
    'POST /api/v1/jpd-projects/:id/cycles': [{ label: 'refused (409) while cycle 1 is open', request: () => ({ url: `${v1}/jpd-projects/${id.j1}/cycles`, payload: { focus: 'The next cycle' } }), allow: pair }],
    'PATCH /api/v1/jpd-cycles/:id': [{ request: () => ({ url: `${v1}/jpd-cycles/${id.c1}`, payload: { planNotes: 'Stems from the reasoning questions.' } }), allow: pair }],
    'POST /api/v1/jpd-cycles/:id/advance': [{ request: () => ({ url: `${v1}/jpd-cycles/${id.c1}/advance`, payload: { to: 'teach_observe' } }), allow: pair }],
    'POST /api/v1/jpd-cycles/:id/coaching-notes': [{ request: () => ({ url: `${v1}/jpd-cycles/${id.c1}/coaching-notes`, payload: { note: 'Model disagreement first.' } }), allow: pair }],
    'POST /api/v1/jpd-projects/:id/impact': [{ request: () => ({ url: `${v1}/jpd-projects/${id.j1}/impact`, payload: { description: 'More pupils explained fully.', strength: 2 } }), allow: pair }],
    'POST /api/v1/jpd-projects/:id/publish': [{ request: () => ({ url: `${v1}/jpd-projects/${id.j1}/publish`, payload: { schoolId: id.a, summary: 'Talk partners with sentence stems.' } }), allow: pair }],
    'GET /api/v1/practices': [{ request: () => ({ url: `${v1}/practices?q=talk+partners` }), allow: everyone }],
    'POST /api/v1/practices': [{ label: "a practice of A (A's teachers and leaders)", request: () => ({ url: `${v1}/practices`, payload: { schoolId: id.a, title: 'Another practice', summary: 'Something A does well.' } }), allow: atA }],
    'GET /api/v1/practices/:id': [{ label: 'a published practice', request: () => ({ url: `${v1}/practices/${id.p1}` }), allow: everyone }],
    'PATCH /api/v1/practices/:id': [{ request: () => ({ url: `${v1}/practices/${id.p1}`, payload: { subject: 'maths' } }), allow: atA }],
    'POST /api/v1/practices/:id/publish': [{ request: () => ({ url: `${v1}/practices/${id.p2}/publish` }), allow: atA }],
    'POST /api/v1/practices/:id/withdraw': [{ request: () => ({ url: `${v1}/practices/${id.p3}/withdraw`, payload: { reason: 'Superseded' } }), allow: atA }],
    'POST /api/v1/practices/:id/adapt': [{ label: 'for B', request: () => ({ url: `${v1}/practices/${id.p1}/adapt`, payload: { schoolId: id.b, whatChanged: 'Shorter sessions for Year 2.' } }), allow: atB }],
    'POST /api/v1/practices/:id/lineage': [{ request: () => ({ url: `${v1}/practices/${id.p4}/lineage`, payload: { adaptedFrom: id.p6, whatChanged: 'Borrowed its word bank.' } }), allow: atA }],
    'PATCH /api/v1/practices/:id/lineage/:parentId': [{ request: () => ({ url: `${v1}/practices/${id.p4}/lineage/${id.p5}`, payload: { result: 'Pupils used the stems sooner.' } }), allow: atA }],
    'GET /api/v1/practices/:id/lineage': [{ request: () => ({ url: `${v1}/practices/${id.p1}/lineage` }), allow: everyone }],
    'GET /api/v1/networks/:id/communities': [{ request: () => ({ url: `${v1}/networks/${id.n}/communities` }), allow: networkReaders }],
    'GET /api/v1/networks/:id/practitioners': [{ request: () => ({ url: `${v1}/networks/${id.n}/practitioners` }), allow: networkReaders }],
    'POST /api/v1/networks/:id/communities': [
      { request: () => ({ url: `${v1}/networks/${id.n}/communities`, payload: { name: 'Another community', kind: 'subject_leads', domain: 'Maths leadership', rhythm: 'termly' } }), allow: pair },
    ],
    'GET /api/v1/communities/:id': [{ request: () => ({ url: `${v1}/communities/${id.k1}` }), allow: networkReaders }],
    'PATCH /api/v1/communities/:id': [{ label: "its members and N's coordinators", request: () => ({ url: `${v1}/communities/${id.k1}`, payload: { rhythm: 'half_termly' } }), allow: community }],
    'PUT /api/v1/communities/:id/members/:personId': [
      { label: 'A’s teacher joins (themselves, or added by a member or coordinator)', request: () => ({ url: `${v1}/communities/${id.k1}/members/${people.teacherA.id}`, payload: { schoolId: id.a, participation: 'peripheral' } }), allow: [...community, 'teacherA'] },
    ],
    'DELETE /api/v1/communities/:id/members/:personId': [
      { label: 'A’s teacher leaves (themselves, or by a member or coordinator)', request: () => ({ url: `${v1}/communities/${id.k1}/members/${people.teacherA.id}` }), allow: [...community, 'teacherA'] },
    ],
    'POST /api/v1/communities/:id/meetings': [{ request: () => ({ url: `${v1}/communities/${id.k1}/meetings`, payload: { heldOn: '2026-11-20', title: 'Reasoning in Year 4', attendees: [people.teacherB.id] } }), allow: community }],
    'POST /api/v1/communities/:id/outputs': [{ request: () => ({ url: `${v1}/communities/${id.k1}/outputs`, payload: { title: 'Stem cards for Year 4' } }), allow: community }],
  };
}

/** Network analysis: anyone signed in (what they see is filtered by consent); a job only by who started it. */
function analysisRows(): Record<string, Case[]> {
  return {
    'GET /api/v1/analysis/network': [{ request: () => ({ url: `${v1}/analysis/network?network=${id.n}` }), allow: everyone }],
    'GET /api/v1/analysis/network.csv': [{ request: () => ({ url: `${v1}/analysis/network.csv?network=${id.n}` }), allow: everyone }],
    'GET /api/v1/analysis/change': [{ request: () => ({ url: `${v1}/analysis/change?network=${id.n}&from=2025-11-23&to=2026-11-23` }), allow: everyone }],
    'POST /api/v1/analysis/betweenness-jobs': [{ request: () => ({ url: `${v1}/analysis/betweenness-jobs`, payload: { network: id.n } }), allow: everyone }],
    'GET /api/v1/analysis/betweenness-jobs/:id': [{ label: 'only who started it', request: () => ({ url: `${v1}/analysis/betweenness-jobs/${jobId}` }), allow: ['admin'] }],
    'GET /api/v1/analysis/betweenness-jobs/:id/events': [{ label: 'only who started it', request: () => ({ url: `${v1}/analysis/betweenness-jobs/${jobId}/events` }), allow: ['admin'] }],
  };
}

/**
 * The activity record's routes: anyone holding a post in one of the schools, or running the
 * network it was done in, records it; who reads an activity or a school's ties follows the
 * schools' sharing of activity records (Ash shares with N, Birch does not).
 */
function activityRows(): Record<string, Case[]> {
  const record: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'];
  const seeAsh: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'trustOfficerN', 'laOfficerA', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'];
  const seeBirch: Persona[] = ['admin', 'trustOfficerN', 'headB', 'teacherB'];
  const newActivity = () => ({ type: 'joint_cpd', title: 'Joint INSET day', networkId: id.n, startOn: '2026-11-20', schools: [{ schoolId: id.a, direction: 'mutual' }, { schoolId: id.b, direction: 'mutual' }] });
  return {
    'GET /api/v1/activity-types': [{ request: () => ({ url: `${v1}/activity-types` }), allow: everyone }],
    'POST /api/v1/activity-types': [
      { request: () => ({ url: `${v1}/activity-types`, payload: { code: 'forest_school', category: 'curriculum', label: 'Shared forest school' } }), allow: ['admin'] },
    ],
    'PATCH /api/v1/activity-types/:code': [{ request: () => ({ url: `${v1}/activity-types/joint_bid`, payload: { description: 'Schools apply for funding together.' } }), allow: ['admin'] }],
    'GET /api/v1/activities': [{ request: () => ({ url: `${v1}/activities?networkId=${id.n}` }), allow: everyone }],
    'POST /api/v1/activities': [
      { label: "between two of N's schools, in N's name", request: () => ({ url: `${v1}/activities`, payload: newActivity() }), allow: record },
      { label: 'with a school outside N', request: () => ({ url: `${v1}/activities`, payload: { ...newActivity(), networkId: null, schools: [{ schoolId: id.a, direction: 'giving' }, { schoolId: id.c, direction: 'receiving' }] } }), allow: ['admin', 'headA', 'teacherA', 'governorA', 'teacherC'] },
    ],
    'POST /api/v1/activities/import': [
      { request: () => ({ url: `${v1}/activities/import`, payload: `type,title,schools,start_on,network\njoint_cpd,Matrix INSET,${id.urnA}:mutual;${id.urnB}:mutual,2026-11-20,${id.n}\n`, contentType: 'text/csv' }), allow: record },
    ],
    'GET /api/v1/activities/:id': [{ request: () => ({ url: `${v1}/activities/${id.activity}` }), allow: seeAsh }],
    'PATCH /api/v1/activities/:id': [{ request: () => ({ url: `${v1}/activities/${id.activity}`, payload: { focus: 'Maths: reasoning' } }), allow: record }],
    'DELETE /api/v1/activities/:id': [{ request: () => ({ url: `${v1}/activities/${id.activityToWithdraw}` }), allow: record }],
    'GET /api/v1/schools/:id/ties': [
      { label: 'a school that shares its activity records with N', request: () => ({ url: `${v1}/schools/${id.a}/ties` }), allow: seeAsh },
      { label: 'a school that does not', request: () => ({ url: `${v1}/schools/${id.b}/ties` }), allow: seeBirch },
    ],
    'GET /api/v1/networks/:id/ties': [{ request: () => ({ url: `${v1}/networks/${id.n}/ties` }), allow: everyone }],
    'GET /api/v1/schools/:id/participation': [
      { label: 'a school that shares its activity records with N', request: () => ({ url: `${v1}/schools/${id.a}/participation` }), allow: seeAsh },
      { label: 'a school that does not', request: () => ({ url: `${v1}/schools/${id.b}/participation` }), allow: seeBirch },
    ],
    'GET /api/v1/networks/:id/participation': [
      { request: () => ({ url: `${v1}/networks/${id.n}/participation` }), allow: ['admin', 'coordinatorN', 'brokerN', 'researcherN', 'trustOfficerN', 'headA', 'teacherA', 'governorA', 'headB', 'teacherB'] },
    ],
  };
}

/**
 * Brokered support: a school's leaders raise and withdraw its requests and declare its
 * priorities; staff offer their own expertise; brokers of its networks (N's coordinators and
 * honest brokers) and its authority's officers rank and move its requests; each side of an
 * introduction answers for itself. Undeclared brokers are refused with 409 after the access
 * check, which still counts as allowed here.
 */
function brokeringRows(): Record<string, Case[]> {
  const brokersOfA: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'laOfficerA'];
  const seesA: Persona[] = [...brokersOfA, 'headA', 'teacherA', 'governorA'];
  const leadersOfA: Persona[] = ['admin', 'headA'];
  const r = (tail = '') => () => `${v1}/support-requests/${id.request}${tail}`;
  const request = () => ({ schoolId: id.a, focusArea: 'early_years', kind: 'training', daysNeeded: 2, description: 'Matrix: help with early years provision' });
  // Anyone holding a post that brokers declares; by now headA, headB and trustOfficerN coordinate
  // the networks they created above (POST /api/v1/networks makes its author coordinator).
  const declarers: Persona[] = ['admin', 'coordinatorN', 'brokerN', 'trustOfficerN', 'laOfficerA', 'headA', 'headB'];
  return {
    'GET /api/v1/brokering/vocabulary': [{ request: () => ({ url: `${v1}/brokering/vocabulary` }), allow: everyone }],
    'GET /api/v1/schools/:id/brokering-profile': [{ label: 'what each may see, the rest withheld', request: () => ({ url: `${v1}/schools/${id.a}/brokering-profile` }), allow: everyone }],
    'GET /api/v1/schools/:id/priorities': [{ request: () => ({ url: `${v1}/schools/${id.a}/priorities` }), allow: seesA }],
    'POST /api/v1/schools/:id/priorities': [{ request: () => ({ url: `${v1}/schools/${id.a}/priorities`, payload: { focusArea: 'send' } }), allow: leadersOfA }],
    'PATCH /api/v1/priorities/:id': [{ request: () => ({ url: `${v1}/priorities/${id.priority}`, payload: { note: 'Reasoning in Year 6' } }), allow: leadersOfA }],
    'GET /api/v1/expertise-offers': [{ request: () => ({ url: `${v1}/expertise-offers` }), allow: everyone }],
    'POST /api/v1/expertise-offers': [
      { label: 'at A, by oneself', request: () => ({ url: `${v1}/expertise-offers`, payload: { schoolId: id.a, focusArea: 'governance', kinds: ['mentoring_coaching'], capacityDays: 2 } }), allow: ['admin', 'headA', 'teacherA', 'governorA'] },
    ],
    'PATCH /api/v1/expertise-offers/:id': [{ label: "teacherA's proposed offer", request: () => ({ url: `${v1}/expertise-offers/${id.offer}`, payload: { note: 'Phonics lead' } }), allow: ['admin', 'headA', 'teacherA'] }],
    'GET /api/v1/brokers/me/affiliations': [{ request: () => ({ url: `${v1}/brokers/me/affiliations` }), allow: declarers }],
    'PUT /api/v1/brokers/me/affiliations': [{ request: () => ({ url: `${v1}/brokers/me/affiliations`, payload: { affiliations: [] } }), allow: declarers }],
    'GET /api/v1/support-requests': [{ label: 'an empty list for those who may see none', request: () => ({ url: `${v1}/support-requests` }), allow: everyone }],
    'POST /api/v1/support-requests': [{ request: () => ({ url: `${v1}/support-requests`, payload: request() }), allow: leadersOfA }],
    'GET /api/v1/support-requests/:id': [{ request: () => ({ url: r()() }), allow: seesA }],
    'POST /api/v1/support-requests/:id/broker': [{ request: () => ({ url: r('/broker')() }), allow: brokersOfA }],
    'GET /api/v1/support-requests/:id/candidates': [{ request: () => ({ url: r('/candidates')() }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/shortlist': [{ request: () => ({ url: r('/shortlist')(), payload: { candidates: [{ schoolId: id.b }] } }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/introductions': [{ request: () => ({ url: r('/introductions')(), payload: { shortlistEntryId: id.entry } }), allow: brokersOfA }],
    'GET /api/v1/introductions/mine': [{ request: () => ({ url: `${v1}/introductions/mine` }), allow: everyone }],
    'POST /api/v1/introductions/:id/answer': [{ label: "A's side and B's side", request: () => ({ url: `${v1}/introductions/${id.introduction}/answer`, payload: { answer: 'accepted' } }), allow: ['headA', 'headB'] }],
    'POST /api/v1/support-requests/:id/start': [{ request: () => ({ url: r('/start')(), payload: {} }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/review': [{ request: () => ({ url: r('/review')(), payload: { note: 'A review of the support' } }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/continue': [{ request: () => ({ url: r('/continue')(), payload: {} }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/close': [{ request: () => ({ url: r('/close')(), payload: { outcome: 'achieved' } }), allow: brokersOfA }],
    'POST /api/v1/support-requests/:id/withdraw': [{ request: () => ({ url: `${v1}/support-requests/${id.requestToWithdraw}/withdraw`, payload: { reason: 'Found help elsewhere' } }), allow: [...brokersOfA, 'headA'] }],
    'GET /api/v1/brokering/allocation': [
      { label: "N's requests", request: () => ({ url: `${v1}/brokering/allocation?networkId=${id.n}` }), allow: ['admin', 'coordinatorN', 'brokerN'] },
      { label: "an authority's requests", request: () => ({ url: `${v1}/brokering/allocation?laName=Northshire` }), allow: ['admin', 'laOfficerA'] },
    ],
  };
}

async function send(method: string, c: Case, who: Persona | null) {
  const r = c.request();
  const headers: Record<string, string> = who ? await signedIn(h.db, people[who]) : {};
  if (r.contentType) headers['content-type'] = r.contentType;
  const res = await app.inject({ method: method as 'GET', url: r.url, headers, ...(r.payload !== undefined ? { payload: r.payload as string } : {}) });
  return res.statusCode;
}

describe('authorization matrix', () => {
  it('has a row for every API route (a new route needs one)', () => {
    const routes = [...new Set(app.routeAccess.map((r) => `${r.method} ${r.url}`))].sort();
    expect(routes.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((k) => !routes.includes(k))).toEqual([]);
  });

  it('refuses every signed-out request except the public routes', async () => {
    for (const [route, cases] of Object.entries(matrix)) {
      const method = route.split(' ')[0]!;
      for (const c of cases) {
        const status = await send(method, c, null);
        if (c.allow === 'public') expect([401, 403].includes(status) && route !== 'POST /api/v1/auth/sign-in', `${route}: public, got ${status}`).toBe(false);
        else expect(status, `${route} ${c.label ?? ''} signed out`).toBe(401);
      }
    }
  });

  it('allows exactly the listed people on every route, and refuses everyone else', async () => {
    const unexpected: string[] = [];
    for (const [route, cases] of Object.entries(matrix)) {
      const method = route.split(' ')[0]!;
      for (const c of cases) {
        if (c.allow === 'public') continue;
        for (const who of personas) {
          const status = await send(method, c, who);
          const refused = status === 401 || status === 403 || status === 404;
          const allowed = c.allow.includes(who);
          if (allowed === refused) unexpected.push(`${route}${c.label ? ` (${c.label})` : ''} as ${who}: ${status}, expected ${allowed ? 'allow' : 'refuse'}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });

  it("filters a network's results in the query: a partner sees only the schools that share with the network", async () => {
    const view = async (who: Persona) => {
      const res = await app.inject({ method: 'GET', url: `${v1}/networks/${id.n}/outcomes`, headers: await signedIn(h.db, people[who]) });
      return Object.fromEntries((res.json().items as { name: string; shared: boolean }[]).map((i) => [i.name, i.shared]));
    };
    expect(await view('teacherB')).toEqual({ 'Ash Primary': true, 'Birch Primary': true });
    expect(await view('teacherA')).toEqual({ 'Ash Primary': true, 'Birch Primary': false });
    expect(await view('researcherN')).toEqual({ 'Ash Primary': false, 'Birch Primary': false });
    expect(await view('teacherAPostEnded')).toEqual({ 'Ash Primary': false, 'Birch Primary': false });
  });
});
