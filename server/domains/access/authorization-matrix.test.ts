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

type Case = { label?: string; request: () => { url: string; payload?: unknown; contentType?: string }; allow: Persona[] | 'public' };
const v1 = '/api/v1';

/** Keyed "METHOD /route"; several cases where who may depends on which resource. */
const matrix: Record<string, Case[]> = {
  'GET /healthz': [{ request: () => ({ url: '/healthz' }), allow: 'public' }],
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
