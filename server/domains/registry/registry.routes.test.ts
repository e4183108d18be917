import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, makeMembership, makeNetwork, makeSchool } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

let h: DatabaseHandle;
let app: FastifyInstance;
const ids: Record<string, number> = {};
let headers: Record<string, string>;

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23' });
  const db = h.db;
  headers = await adminHeaders(db);
  const fed = await makeNetwork(db, { name: 'Exe Valley Federation', kind: 'federation' });
  const other = await makeNetwork(db, { name: 'Moorland Schools Trust', kind: 'multi_academy_trust' });
  const a = await makeSchool(db, { name: 'Alder Primary School', urn: 800001, phase: 'primary', la_name: 'Devon', latitude: 50.72, longitude: -3.53, religious_character: 'Church of England', pupil_roll: 95 });
  const b = await makeSchool(db, { name: 'Beech Primary School', urn: 800002, phase: 'primary', la_name: 'Devon', latitude: 50.73, longitude: -3.52, religious_character: 'Church of England', pupil_roll: 120 });
  const c = await makeSchool(db, { name: 'Cedar Community College', urn: 800003, phase: 'secondary', la_name: 'Devon', latitude: 50.74, longitude: -3.5 });
  const closed = await makeSchool(db, { name: 'Old Alder Infant School', urn: 800004, phase: 'infant', status: 'closed', la_name: 'Devon' });
  for (let i = 0; i < 7; i++) await makeSchool(db, { name: `Zeta Primary ${i}`, la_name: 'Somerset' });
  await makeMembership(db, a, fed, { joined_on: '2012-09-01', role: 'lead' });
  await makeMembership(db, b, fed, { joined_on: '2014-09-01', left_on: '2019-08-31' });
  await makeMembership(db, c, fed, { joined_on: '2018-01-01' });
  await makeMembership(db, b, other, { joined_on: '2019-09-01' });
  await db.insertInto('school_link').values({ urn: 800004, link_urn: 800001, link_type: 'Successor - merged', established_on: '2012-08-31' }).execute();
  Object.assign(ids, { fed: fed.id, other: other.id, a: a.id, b: b.id, c: c.id, closed: closed.id });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const get = async (url: string) => {
  const res = await app.inject({ headers, method: 'GET', url });
  return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] };
};

describe('schools API', () => {
  it('finds schools by part of the name and by URN', async () => {
    const byName = await get('/api/v1/schools?q=alder');
    expect(byName.body.items.map((s: { name: string }) => s.name)).toEqual(['Alder Primary School', 'Old Alder Infant School']);
    const byUrn = await get('/api/v1/schools?q=800003');
    expect(byUrn.body.items).toHaveLength(1);
    expect(byUrn.body.items[0]).toMatchObject({ name: 'Cedar Community College', phase: 'secondary', urn: 800003 });
  });

  it('filters by phase, local authority and the kind of network a school is in today', async () => {
    expect((await get('/api/v1/schools?phase=secondary')).body.items.map((s: { urn: number }) => s.urn)).toEqual([800003]);
    expect((await get('/api/v1/schools?la=somerset&limit=200')).body.items).toHaveLength(7);
    // Beech left the federation in 2019 and is in the trust now.
    expect((await get('/api/v1/schools?networkKind=federation')).body.items.map((s: { name: string }) => s.name)).toEqual(['Alder Primary School', 'Cedar Community College']);
    expect((await get('/api/v1/schools?networkKind=multi_academy_trust')).body.items.map((s: { name: string }) => s.name)).toEqual(['Beech Primary School']);
  });

  it('pages through every school with a cursor, each exactly once, in name order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await get(`/api/v1/schools?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((s) => s.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect([...seen].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()))).toEqual(seen);
  });

  it('shows a school with its predecessor link and a closed school with its open successor', async () => {
    const closed = await get(`/api/v1/schools/${ids.closed}`);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.successor).toMatchObject({ urn: 800001, name: 'Alder Primary School' });
    expect(closed.body.successorChain).toEqual([800001]);
    expect(closed.body.links[0]).toMatchObject({ urn: 800001, linkType: 'Successor - merged', schoolId: ids.a });
    expect((await get('/api/v1/schools/by-urn/800002')).body.name).toBe('Beech Primary School');
  });

  it("answers which networks a school has belonged to, with dates", async () => {
    const history = await get(`/api/v1/schools/${ids.b}/memberships`);
    expect(history.body.items.map((m: { network: { name: string }; joinedOn: string; leftOn: string | null }) => [m.network.name, m.joinedOn, m.leftOn])).toEqual([
      ['Exe Valley Federation', '2014-09-01', '2019-08-31'],
      ['Moorland Schools Trust', '2019-09-01', null],
    ]);
  });

  it('names the bad field in a problem+json error', async () => {
    const bad = await get('/api/v1/schools?phase=kindergarten');
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/application\/problem\+json/);
    expect(bad.body).toMatchObject({ status: 400, code: 'TRELLIS_INVALID' });
    expect(bad.body.errors[0].path).toBe('querystring.phase');
    const missing = await get('/api/v1/schools/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('TRELLIS_NOT_FOUND');
  });
});

describe('networks and memberships API', () => {
  const membersOn = async (date: string) =>
    (await get(`/api/v1/networks/${ids.fed}/members?on=${date}`)).body.items.map((m: { school: { name: string } }) => m.school.name).sort();

  it('answers which schools were members of a network on a date', async () => {
    expect(await membersOn('2013-01-01')).toEqual(['Alder Primary School']);
    expect(await membersOn('2018-06-01')).toEqual(['Alder Primary School', 'Beech Primary School', 'Cedar Community College']);
    expect(await membersOn('2019-08-31')).toEqual(['Alder Primary School', 'Cedar Community College']); // left that day
    expect(await membersOn('2011-01-01')).toEqual([]);
  });

  it('lists networks with today’s member counts and finds them by name and kind', async () => {
    const list = await get('/api/v1/networks?q=exe');
    expect(list.body.items).toEqual([expect.objectContaining({ name: 'Exe Valley Federation', kind: 'federation', memberCount: 2 })]);
    expect((await get('/api/v1/networks?kind=multi_academy_trust')).body.items.map((n: { name: string }) => n.name)).toEqual(['Moorland Schools Trust']);
    expect((await get('/api/v1/networks?la=Devon')).body.items).toHaveLength(2);
  });

  it('records a membership, refuses an overlapping one, and ends it', async () => {
    const add = await app.inject({ headers, method: 'POST', url: '/api/v1/memberships', payload: { schoolId: ids.c, networkId: ids.other, joinedOn: '2020-09-01' } });
    expect(add.statusCode).toBe(201);
    const overlap = await app.inject({ headers, method: 'POST', url: '/api/v1/memberships', payload: { schoolId: ids.c, networkId: ids.other, joinedOn: '2021-01-01' } });
    expect(overlap.statusCode).toBe(409);
    const backwards = await app.inject({ headers, method: 'POST', url: '/api/v1/memberships', payload: { schoolId: ids.a, networkId: ids.other, joinedOn: '2021-01-01', leftOn: '2020-01-01' } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toMatch(/leftOn/);
    const end = await app.inject({ headers, method: 'POST', url: `/api/v1/memberships/${add.json().id}/end`, payload: { leftOn: '2022-07-31' } });
    expect(end.json()).toMatchObject({ joinedOn: '2020-09-01', leftOn: '2022-07-31' });
  });

  it('creates a network and validates it at the boundary', async () => {
    const ok = await app.inject({ headers, method: 'POST', url: '/api/v1/networks', payload: { name: 'Teign Cluster', kind: 'cluster', formation: 'voluntary', governanceMode: 'shared' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: 'Teign Cluster', kind: 'cluster', memberCount: 0 });
    const bad = await app.inject({ headers, method: 'POST', url: '/api/v1/networks', payload: { name: 'X', kind: 'club' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.kind', 'body.name']);
  });

  it('shows the declared typology beside the computed one and flags disagreement', async () => {
    const put = await app.inject({
      headers,
      method: 'PUT',
      url: `/api/v1/networks/${ids.fed}/typology`,
      payload: { muijs: { phaseSpan: 'single_phase', voluntarism: 'voluntary' }, engagement: 'collaboration', federationTypes: ['faith'] },
    });
    expect(put.statusCode).toBe(200);
    const t = await get(`/api/v1/networks/${ids.fed}/typology?on=2016-01-01`);
    expect(t.body.declared.muijs.voluntarism).toBe('voluntary');
    expect(t.body.computed.schoolCount.value).toBe(2);
    expect(t.body.computed.phaseSpan.value).toBe('single_phase');
    expect(t.body.computed.federationTypes.value).toEqual(['size', 'faith']);
    expect(t.body.disagreements.map((d: { dimension: string }) => d.dimension)).toEqual(['federationTypes']);
    const now = await get(`/api/v1/networks/${ids.fed}/typology`);
    expect(now.body.computed.phaseSpan.value).toBe('cross_phase');
    expect(now.body.disagreements.map((d: { dimension: string }) => d.dimension)).toEqual(['phaseSpan', 'federationTypes']);
    const bad = await app.inject({ headers, method: 'PUT', url: `/api/v1/networks/${ids.fed}/typology`, payload: { muijs: { voluntarism: 'forced' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.muijs.voluntarism');
  });

  it("maps members' locations on a date", async () => {
    const map = await get(`/api/v1/networks/${ids.fed}/map?on=2018-06-01`);
    expect(map.body.points).toHaveLength(3);
    expect(map.body.withoutLocation).toBe(0);
  });
});

describe('service endpoints', () => {
  it('reports health and serves the OpenAPI document', async () => {
    expect((await get('/healthz')).body).toMatchObject({ status: 'ok' });
    const doc = await get('/api/docs/json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/schools', '/api/v1/networks/{id}/members', '/api/v1/networks/{id}/typology']));
  });

  it('exports the registry as CSV', async () => {
    const res = await app.inject({ headers, method: 'GET', url: '/api/v1/export/schools.csv' });
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toMatch(/^urn,name,phase/);
    expect(lines).toHaveLength(12);
    expect(lines.some((l) => l.startsWith('800001,Alder Primary School,primary'))).toBe(true);
  });
});

// Runs last: it adds schools and a network the counts above do not expect.
describe('closed schools', () => {
  it('counts a school that closed as having left its networks on its closing date', async () => {
    const cluster = await makeNetwork(h.db, { name: 'Haldon Infant Cluster', kind: 'cluster' });
    const shut = await makeSchool(h.db, { name: 'Haldon Infant School', urn: 800010, phase: 'infant', status: 'closed', closed_on: '2015-08-31', la_name: 'Devon' });
    const open = await makeSchool(h.db, { name: 'Haldon Junior School', urn: 800011, phase: 'junior', la_name: 'Devon' });
    await makeMembership(h.db, shut, cluster, { joined_on: '2010-09-01' }); // the file never said it left
    await makeMembership(h.db, open, cluster, { joined_on: '2010-09-01' });
    const members = async (on: string) => (await get(`/api/v1/networks/${cluster.id}/members?on=${on}`)).body.items.map((m: { school: { urn: number } }) => m.school.urn);
    expect(await members('2015-08-30')).toEqual([800010, 800011]);
    expect(await members('2015-08-31')).toEqual([800011]);
    const history = await get(`/api/v1/schools/${shut.id}/memberships`);
    expect(history.body.items.map((m: { joinedOn: string; leftOn: string | null }) => [m.joinedOn, m.leftOn])).toEqual([['2010-09-01', '2015-08-31']]);
    const listed = await get('/api/v1/networks?q=haldon');
    expect(listed.body.items[0]).toMatchObject({ memberCount: 1 });
  });
});
