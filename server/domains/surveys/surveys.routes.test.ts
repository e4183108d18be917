import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeResponses, makeSchool, makeWave, signedIn, smallInstrument } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Survey rounds over HTTP, on a real database: setting up a round, inviting by link, code and
 * paper, tracking and reminders, keying in paper forms, interview notes and their coding; and
 * for every route: it needs a session, names a bad field, and hides other networks' rounds.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};
/** A personal link issued in one test and used in a later one. */
let surveyLink = '';
const today = '2026-01-12';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Exe Valley Federation', kind: 'federation' });
  const m = await makeNetwork(db, { name: 'Moor Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary' });
  const b = await makeSchool(db, { name: 'Birch Primary' });
  const c = await makeSchool(db, { name: 'Cedar Junior' });
  const d = await makeSchool(db, { name: 'Damson Infant' });
  for (const s of [a, b, c]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  await makeMembership(db, d, m, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, d: d.id });
  Object.assign(people, {
    admin: await makePerson(db, [{ role: 'platform_admin' }]),
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }], { name: 'Cora Coordinator' }),
    coordinatorM: await makePerson(db, [{ role: 'network_coordinator', network: m }]),
    broker: await makePerson(db, [{ role: 'honest_broker', network: n }]),
    headA: await makePerson(db, [{ role: 'head_teacher', school: a }]),
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }]),
    headD: await makePerson(db, [{ role: 'head_teacher', school: d }]),
  });
  // A round of M, to hide from N's people.
  const other = await makeWave(db, m, [d], { status: 'closed', title: 'Moor staff survey' });
  await makeResponses(db, other, [{ school: d, role: 'teacher', count: 6, answers: { 'JPD A1': true } }]);
  id.otherWave = other.id;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Who = keyof typeof people | null;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function api(who: Who, method: Method, url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body };
}

const newWave = (over: Record<string, unknown> = {}) => ({ title: 'Staff survey, January 2026', instrument: smallInstrument(), closesOn: '2026-01-31', ...over });

/** Every signed-in survey route, with a payload that passes validation (so the answer is about access). */
const everyRoute = (r: { network: number; wave: number; interview: number; coding: number }): [Method, string, unknown?][] => [
  ['GET', '/survey-instruments'],
  ['GET', '/survey-instruments/partnership-survey'],
  ['GET', `/networks/${r.network}/survey-waves`],
  ['POST', `/networks/${r.network}/survey-waves`, newWave()],
  ['GET', `/survey-waves/${r.wave}`],
  ['PATCH', `/survey-waves/${r.wave}`, { title: 'Renamed round' }],
  ['POST', `/survey-waves/${r.wave}/open`],
  ['POST', `/survey-waves/${r.wave}/close`],
  ['POST', `/survey-waves/${r.wave}/invitations`, { kind: 'code', capacity: 5 }],
  ['GET', `/survey-waves/${r.wave}/invitations`],
  ['GET', `/survey-waves/${r.wave}/tracking`],
  ['GET', `/survey-waves/${r.wave}/reminders`],
  ['POST', `/survey-waves/${r.wave}/reminders`, {}],
  ['POST', `/survey-waves/${r.wave}/paper-responses`, { schoolId: id.a, role: 'teacher', answers: {} }],
  ['GET', `/survey-waves/${r.wave}/results`],
  ['GET', `/survey-waves/${r.wave}/results.csv`],
  ['GET', `/survey-waves/${r.wave}/report.pdf`],
  ['GET', `/survey-waves/${r.wave}/instrument`],
  ['POST', `/survey-waves/${r.wave}/interviews`, { title: 'Ash, middle leader', body: 'We plan together now.' }],
  ['GET', `/survey-waves/${r.wave}/interviews`],
  ['GET', `/survey-interviews/${r.interview}`],
  ['POST', `/survey-interviews/${r.interview}/codings`, { strand: 'JPD', start: 0, end: 5 }],
  ['DELETE', `/survey-codings/${r.coding}`],
  ['GET', `/survey-waves/${r.wave}/codings`],
];

describe('survey routes', () => {
  it('need a session, every one of them except the respondent’s', async () => {
    const routes = everyRoute({ network: id.n!, wave: id.otherWave!, interview: 1, coding: 1 });
    const registered = app.routeAccess.filter((r) => /^\/api\/v1\/(survey-|networks\/:id\/survey-waves)/.test(r.url));
    expect(routes).toHaveLength(registered.length);
    for (const [method, url, payload] of routes) expect((await api(null, method, url, payload)).status, `${method} ${url}`).toBe(401);
    expect(app.routeAccess.filter((r) => r.url.startsWith('/api/v1/survey/')).map((r) => `${r.method} ${r.access}`)).toEqual(['GET public', 'POST public']);
  });

  it('are described in the OpenAPI document', async () => {
    const doc = await app.inject({ method: 'GET', url: '/api/docs/json', headers: await signedIn(h.db, people.teacherA!) });
    const paths = Object.keys(doc.json().paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/networks/{id}/survey-waves', '/api/v1/survey-waves/{id}/results', '/api/v1/survey/{token}', '/api/v1/survey-interviews/{id}/codings']));
  });

  it('list the built-in instruments for anyone signed in', async () => {
    const r = await api('teacherA', 'GET', '/survey-instruments');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { id: string }) => i.id)).toContain('partnership-survey');
    expect(r.body.items.find((i: { id: string }) => i.id === 'partnership-survey').items).toBe(60);
    expect((await api('teacherA', 'GET', '/survey-instruments/no-such-thing')).status).toBe(404);
  });

  it('set up a round of a network’s member schools, with a copy of the instrument', async () => {
    const r = await api('coordinator', 'POST', `/networks/${id.n}/survey-waves`, {
      title: 'Partnership survey, January 2026',
      instrumentId: 'partnership-survey',
      closesOn: '2026-01-31',
      schoolIds: [id.a, id.b],
      minCell: 5,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', hideStageLabels: true, minCell: 5, schoolCount: 2, instrument: { id: 'partnership-survey', version: 1 }, viewer: { canManage: true, canReadResults: false } });
    expect(r.body.schools.map((s: { name: string }) => s.name)).toEqual(['Ash Primary', 'Birch Primary']);
    expect(r.body.returns).toEqual({ invited: 0, returned: 0, ratePct: null });
    id.bigWave = r.body.id;
    const stored = await h.db.selectFrom('survey_wave').select('instrument').where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(stored.instrument.dimensions.flatMap((d) => d.strands).map((s) => s.code)).toEqual(['JPD', 'HSC', 'CMP', 'E&C', 'AA']);
  });

  it('name the bad field', async () => {
    const bad = async (payload: unknown, path: string, url = `/networks/${id.n}/survey-waves`, method: Method = 'POST') => {
      const r = await api('coordinator', method, url, payload);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad(newWave({ minCell: 2 }), 'body.minCell');
    await bad(newWave({ instrument: undefined }), 'body.instrumentId');
    await bad(newWave({ instrument: undefined, instrumentId: 'no-such-survey' }), 'instrumentId');
    await bad(newWave({ schoolIds: [id.d] }), 'schoolIds[0]');
    await bad(newWave({ closesOn: '2025-12-31' }), 'closesOn');
    await bad(newWave({ closesOn: '31/01/2026' }), 'body.closesOn');
    await bad({ kind: 'links', schoolId: id.a, role: 'head', labels: ['x'] }, 'body.role', `/survey-waves/${id.bigWave}/invitations`);
    await bad({ kind: 'links', schoolId: id.c, role: 'teacher', labels: ['x'] }, 'schoolId', `/survey-waves/${id.bigWave}/invitations`);
    await bad({ kind: 'code', capacity: 0 }, 'body.capacity', `/survey-waves/${id.bigWave}/invitations`);
    await bad({ invitationIds: [] }, 'body.invitationIds', `/survey-waves/${id.bigWave}/reminders`);
    await bad({ title: 'Ash', body: '' }, 'body.body', `/survey-waves/${id.bigWave}/interviews`);
    await bad({ strand: 'JPD', start: 5, end: 2 }, 'body.end', '/survey-interviews/1/codings');
  });

  it('hide other networks’ rounds: their coordinators and staff get "not found" or an empty list', async () => {
    expect((await api('coordinatorM', 'GET', `/networks/${id.n}/survey-waves`)).body.items).toEqual([]);
    expect((await api('headD', 'GET', `/networks/${id.n}/survey-waves`)).body.items).toEqual([]);
    for (const [method, url, payload] of everyRoute({ network: id.n!, wave: id.bigWave!, interview: 1, coding: 1 }).filter(([, u]) => u.startsWith('/survey-waves'))) {
      const r = await api('coordinatorM', method, url, payload);
      expect(r.status, `${method} ${url}`).toBe(404);
    }
    expect((await api('coordinatorM', 'POST', `/networks/${id.n}/survey-waves`, newWave())).status).toBe(404);
    // And N's coordinator sees nothing of M's round.
    expect((await api('coordinator', 'GET', `/networks/${id.m}/survey-waves`)).body.items).toEqual([]);
    expect((await api('coordinator', 'GET', `/survey-waves/${id.otherWave}`)).status).toBe(404);
    expect((await api('coordinator', 'GET', `/survey-waves/${id.otherWave}/results`)).status).toBe(404);
  });

  it('lets only the network’s coordinators and administrators run a round', async () => {
    for (const who of ['broker', 'headA', 'teacherA'] as const) {
      expect((await api(who, 'POST', `/networks/${id.n}/survey-waves`, newWave())).status, who).toBe(404);
      expect((await api(who, 'GET', `/survey-waves/${id.bigWave}/tracking`)).status, who).toBe(404);
    }
    expect((await api('admin', 'GET', `/survey-waves/${id.bigWave}/tracking`)).status).toBe(200);
  });

  it('change settings only while a draft, and open and close in order', async () => {
    const w = id.bigWave!;
    expect((await api('coordinator', 'PATCH', `/survey-waves/${w}`, { minCell: 6, hideStageLabels: false })).body).toMatchObject({ minCell: 6, hideStageLabels: false });
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/close`)).status).toBe(409);
    const opened = await api('coordinator', 'POST', `/survey-waves/${w}/open`);
    expect(opened.body).toMatchObject({ status: 'open', openedOn: today });
    const late = await api('coordinator', 'PATCH', `/survey-waves/${w}`, { minCell: 7 });
    expect(late.status).toBe(400);
    expect(late.body.errors[0].path).toBe('minCell');
    expect((await api('coordinator', 'PATCH', `/survey-waves/${w}`, { title: 'Partnership survey, spring 2026', hideStageLabels: true })).status).toBe(400);
    expect((await api('coordinator', 'PATCH', `/survey-waves/${w}`, { title: 'Partnership survey, spring 2026' })).body.title).toBe('Partnership survey, spring 2026');
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/open`)).status).toBe(409);
  });

  it('issue personal links and shared codes once, and record paper batches', async () => {
    const w = id.bigWave!;
    const links = await api('coordinator', 'POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['Teacher 1', 'Teacher 2', 'Teacher 3'] });
    expect(links.status).toBe(201);
    expect(links.body.items).toHaveLength(3);
    expect(links.body.items[0]).toMatchObject({ kind: 'link', label: 'Teacher 1', role: 'teacher', school: { name: 'Ash Primary' }, code: null });
    expect(links.body.items[0].link).toMatch(/^http:\/\/localhost(:\d+)?\/survey\/[A-Za-z0-9_-]{43}$/);
    const code = await api('coordinator', 'POST', `/survey-waves/${w}/invitations`, { kind: 'code', capacity: 10 });
    expect(code.body.items[0]).toMatchObject({ kind: 'code', school: null, role: null });
    expect(code.body.items[0].code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const paper = await api('coordinator', 'POST', `/survey-waves/${w}/invitations`, { kind: 'paper', schoolId: id.b, role: 'governor', capacity: 2 });
    expect(paper.body.items[0]).toMatchObject({ kind: 'paper', link: null, code: null });
    // Only hashes are kept: no token or code appears in the table.
    const tokens = await h.db.selectFrom('survey_token').select('token_hash').execute();
    const raw = [...links.body.items.map((i: { link: string }) => i.link.split('/').pop()), code.body.items[0].code];
    for (const t of tokens) for (const r of raw) expect(t.token_hash).not.toContain(r);
    const list = await api('coordinator', 'GET', `/survey-waves/${w}/invitations`);
    expect(list.body.items.map((i: { kind: string; capacity: number }) => `${i.kind} ${i.capacity}`)).toEqual(['link 1', 'link 1', 'link 1', 'code 10', 'paper 2']);
    expect(JSON.stringify(list.body)).not.toMatch(/survey\//);
    id.codeInvitation = code.body.items[0].invitationId;
    surveyLink = links.body.items[0].link;
  });

  it('key in paper forms against a batch, and refuse one with no batch left', async () => {
    const w = id.bigWave!;
    const form = { schoolId: id.b, role: 'governor', answers: { 'JPD A1': true, 'HSC B1': true } };
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/paper-responses`, form)).status).toBe(201);
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/paper-responses`, form)).status).toBe(201);
    const third = await api('coordinator', 'POST', `/survey-waves/${w}/paper-responses`, form);
    expect(third.status).toBe(400);
    expect(third.body.errors[0].path).toBe('schoolId');
    const badItem = await api('coordinator', 'POST', `/survey-waves/${w}/paper-responses`, { ...form, answers: { 'XYZ 1': true } });
    expect(badItem.body.errors[0].path).toBe('answers.XYZ 1');
  });

  it('track invited, returned and the rate per school and role, from the invitations', async () => {
    const token = surveyLink.split('/').pop()!;
    const form = await app.inject({ method: 'GET', url: `/api/v1/survey/${token}` });
    const submitted = await app.inject({ method: 'POST', url: `/api/v1/survey/${token}`, payload: { submissionKey: form.json().submissionKey, answers: { 'JPD A1': true } } });
    expect(submitted.statusCode).toBe(201);
    const t = await api('coordinator', 'GET', `/survey-waves/${id.bigWave}/tracking`);
    expect(t.status).toBe(200);
    expect(t.body.total).toEqual({ invited: 15, returned: 3, ratePct: 20 });
    expect({ online: t.body.online, paper: t.body.paper }).toEqual({ online: 1, paper: 2 });
    expect(t.body.bySchool.map((s: { school: { name: string } | null; invited: number; returned: number; ratePct: number }) => [s.school?.name ?? 'any school', s.invited, s.returned, s.ratePct])).toEqual([
      ['Ash Primary', 3, 1, 33.3],
      ['Birch Primary', 2, 2, 100],
      ['any school', 10, 0, 0],
    ]);
    expect(t.body.byRole.map((r: { role: string | null; invited: number }) => [r.role, r.invited])).toEqual([
      ['governor', 2],
      ['teacher', 3],
      [null, 10],
    ]);
    const wave = await api('coordinator', 'GET', `/survey-waves/${id.bigWave}`);
    expect(wave.body.returns).toEqual({ invited: 15, returned: 3, ratePct: 20 });
  });

  it('list who has not returned, and issue fresh links to resend while the old ones keep working', async () => {
    const w = id.bigWave!;
    const before = await api('coordinator', 'GET', `/survey-waves/${w}/reminders`);
    expect(before.body.outstanding.map((i: { label: string | null; kind: string }) => i.label ?? i.kind)).toEqual(['Teacher 2', 'Teacher 3', 'code']);
    const round = await api('coordinator', 'POST', `/survey-waves/${w}/reminders`, { note: 'One week to the deadline' });
    expect(round.status).toBe(201);
    expect(round.body.remindedOn).toBe(today);
    expect(round.body.items.map((i: { label: string | null }) => i.label)).toEqual(['Teacher 2', 'Teacher 3', null]);
    expect(round.body.items[0].link).toMatch(/\/survey\/[A-Za-z0-9_-]{43}$/);
    expect(round.body.items[2].code).toMatch(/^[0-9A-Z]{4}-/);
    const after = await api('coordinator', 'GET', `/survey-waves/${w}/reminders`);
    expect(after.body.outstanding[0]).toMatchObject({ reminders: 1, lastRemindedOn: today });
    expect(after.body.history).toEqual([{ id: expect.any(Number), remindedOn: today, invitations: 3, note: 'One week to the deadline', by: 'Cora Coordinator' }]);
    // The fresh link works…
    const fresh = round.body.items[0].link.split('/').pop();
    expect((await app.inject({ method: 'GET', url: `/api/v1/survey/${fresh}` })).statusCode).toBe(200);
    // …and so does the code issued first.
    const one = await api('coordinator', 'POST', `/survey-waves/${w}/reminders`, { invitationIds: [id.codeInvitation] });
    expect(one.body.items).toHaveLength(1);
    const returned = (await api('coordinator', 'GET', `/survey-waves/${w}/invitations`)).body.items.find((i: { returned: number }) => i.returned > 0).id;
    const refused = await api('coordinator', 'POST', `/survey-waves/${w}/reminders`, { invitationIds: [id.codeInvitation, returned] });
    expect(refused.body.errors[0].path).toBe('invitationIds[1]');
  });

  it('keep interview notes for the round’s managers, code passages to strands and count them', async () => {
    const w = id.bigWave!;
    const body = 'We plan lessons with Birch now. The heads trust each other more than last year.';
    const note = await api('coordinator', 'POST', `/survey-waves/${w}/interviews`, { title: 'Ash, middle leader', schoolId: id.a, heldOn: '2026-01-10', body });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ title: 'Ash, middle leader', characters: body.length, codings: 0, school: { name: 'Ash Primary' } });
    const nid = note.body.id;
    const first = await api('coordinator', 'POST', `/survey-interviews/${nid}/codings`, { strand: 'JPD', start: 0, end: 31 });
    expect(first.body).toMatchObject({ strand: 'JPD', passage: 'We plan lessons with Birch now.' });
    await api('coordinator', 'POST', `/survey-interviews/${nid}/codings`, { strand: 'HSC', start: 32, end: body.length });
    const twice = await api('coordinator', 'POST', `/survey-interviews/${nid}/codings`, { strand: 'E&C', start: 32, end: body.length, comment: 'Trust as a condition of challenge' });
    expect(twice.status).toBe(201);
    const unknown = await api('coordinator', 'POST', `/survey-interviews/${nid}/codings`, { strand: 'XX', start: 0, end: 3 });
    expect(unknown.body.errors[0].path).toBe('strand');
    const beyond = await api('coordinator', 'POST', `/survey-interviews/${nid}/codings`, { strand: 'JPD', start: 0, end: body.length + 1 });
    expect(beyond.body.errors[0].path).toBe('end');
    const read = await api('coordinator', 'GET', `/survey-interviews/${nid}`);
    expect(read.body.body).toBe(body);
    expect(read.body.passages.map((p: { strand: string }) => p.strand)).toEqual(['JPD', 'HSC', 'E&C']);
    const counts = await api('coordinator', 'GET', `/survey-waves/${w}/codings`);
    expect(counts.body).toMatchObject({ interviews: 1, codings: 3 });
    expect(counts.body.strands.map((s: { code: string; codings: number }) => `${s.code} ${s.codings}`)).toEqual(['JPD 1', 'HSC 1', 'CMP 0', 'E&C 1', 'AA 0']);
    expect(counts.body.strands[0].bySchool).toEqual([{ school: { schoolId: id.a, name: 'Ash Primary', urn: expect.any(Number) }, codings: 1 }]);
    // Reading a note is audited.
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'read.sensitive' and resource_type = 'survey-interview'`.execute(h.db);
    expect(audited.rows[0]!.n).toBe(1);
    // Nobody else reads notes: not the school's own head, nor the broker, nor another coordinator.
    for (const who of ['headA', 'broker', 'coordinatorM'] as const) {
      expect((await api(who, 'GET', `/survey-interviews/${nid}`)).status, who).toBe(404);
      expect((await api(who, 'GET', `/survey-waves/${w}/interviews`)).status, who).toBe(404);
      expect((await api(who, 'GET', `/survey-waves/${w}/codings`)).status, who).toBe(404);
    }
    expect((await api('coordinatorM', 'DELETE', `/survey-codings/${first.body.id}`)).status).toBe(404);
    expect((await api('coordinator', 'DELETE', `/survey-codings/${first.body.id}`)).status).toBe(204);
    expect((await api('coordinator', 'DELETE', `/survey-codings/${first.body.id}`)).status).toBe(204);
    expect((await api('coordinator', 'GET', `/survey-waves/${w}/interviews`)).body.items[0].codings).toBe(2);
  });

  it('close a round: no more invitations, reminders or paper forms', async () => {
    const w = id.bigWave!;
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/close`)).body).toMatchObject({ status: 'closed', closedOn: today });
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/invitations`, { kind: 'code', capacity: 3 })).status).toBe(409);
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/reminders`, {})).status).toBe(409);
    expect((await api('coordinator', 'POST', `/survey-waves/${w}/paper-responses`, { schoolId: id.b, role: 'governor', answers: {} })).status).toBe(409);
    expect((await api('coordinator', 'PATCH', `/survey-waves/${w}`, { title: 'Too late' })).status).toBe(409);
  });
});
