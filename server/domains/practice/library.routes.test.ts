import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * The practice library over HTTP: drafts seen by their school only, publishing, adapting across
 * schools, lineage queries (every descendant across schools, with a branch; ancestors; a loop
 * refused) on a hand-built case, and full-text ranking (a title hit above a summary hit above a
 * body hit).
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Tamar Trust', kind: 'multi_academy_trust' });
  const a = await makeSchool(db, { name: 'Ash Primary' });
  const b = await makeSchool(db, { name: 'Birch Primary' });
  const c = await makeSchool(db, { name: 'Cedar Primary' });
  for (const s of [a, b, c]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, a: a.id, b: b.id, c: c.id });
  Object.assign(people, {
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }], { name: 'Ada Teacher' }),
    governorA: await makePerson(db, [{ role: 'governor', school: a }]),
    teacherB: await makePerson(db, [{ role: 'teacher', school: b }], { name: 'Bo Teacher' }),
    teacherC: await makePerson(db, [{ role: 'teacher', school: c }], { name: 'Cy Teacher' }),
    outsider: await makePerson(db, [{ role: 'la_officer', laName: 'Elsewhere' }]),
  });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Method = 'GET' | 'POST' | 'PATCH';
async function api(who: keyof typeof people | null, method: Method, url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}
const draft = (schoolId: number, title: string, over: Record<string, unknown> = {}) => ({
  schoolId,
  title,
  summary: `${title}: a summary of at least ten characters.`,
  subject: 'maths',
  phase: 'primary',
  ...over,
});
async function published(who: keyof typeof people, schoolId: number, title: string, over: Record<string, unknown> = {}) {
  const r = await api(who, 'POST', '/practices', draft(schoolId, title, over));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect((await api(who, 'POST', `/practices/${r.body.id}/publish`)).status).toBe(200);
  return r.body.id as number;
}

describe('the practice library', () => {
  it('keeps a draft to its school, then publishes it to everyone signed in', async () => {
    const r = await api('teacherA', 'POST', '/practices', draft(id.a!, 'Number talks every morning', { contacts: [{ personId: people.teacherA!.id, helpsWith: 'Getting started' }] }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', school: { name: 'Ash Primary' }, contacts: [{ name: 'Ada Teacher', school: 'Ash Primary', helpsWith: 'Getting started' }], viewer: { canEdit: true } });
    expect((await api('teacherB', 'GET', `/practices/${r.body.id}`)).status).toBe(404);
    expect((await api('governorA', 'GET', `/practices/${r.body.id}`)).status).toBe(200);
    expect((await api('governorA', 'PATCH', `/practices/${r.body.id}`, { summary: 'Governors do not write practice.' })).status).toBe(404);
    expect((await api('teacherB', 'POST', '/practices', draft(id.a!, 'Not my school'))).status).toBe(404);
    expect((await api('teacherA', 'POST', '/practices', draft(id.a!, 'Bad strength', { evidenceStrength: 6 }))).body.errors[0].path).toBe('body.evidenceStrength');
    const pub = await api('teacherA', 'POST', `/practices/${r.body.id}/publish`);
    expect(pub.body).toMatchObject({ status: 'published', publishedOn: '2026-11-23' });
    expect((await api('teacherA', 'POST', `/practices/${r.body.id}/publish`)).status).toBe(409);
    expect((await api('outsider', 'GET', `/practices/${r.body.id}`)).body.viewer).toEqual({ canEdit: false });
    expect((await api(null, 'GET', `/practices/${r.body.id}`)).status).toBe(401);
    id.numberTalks = r.body.id;
  });

  it('traces every descendant of a practice across three schools, through a branch, and refuses a loop', async () => {
    // P1 at Ash → P2 at Birch → P3 at Cedar; and P1 → P4 at Cedar, still a draft.
    const p1 = await published('teacherA', id.a!, 'Talk partners for reasoning');
    const p2r = await api('teacherB', 'POST', `/practices/${p1}/adapt`, { schoolId: id.b, whatChanged: 'Pairs across the two year groups of a mixed-age class.' });
    expect(p2r.status).toBe(201);
    expect(p2r.body).toMatchObject({ status: 'draft', school: { name: 'Birch Primary' }, title: 'Talk partners for reasoning', evidence: null, evidenceStrength: null });
    expect(p2r.body.adaptedFrom).toEqual([{ practiceId: p1, title: 'Talk partners for reasoning', school: { schoolId: id.a, name: 'Ash Primary' }, whatChanged: 'Pairs across the two year groups of a mixed-age class.', result: null, visible: true }]);
    const p2 = p2r.body.id as number;
    await api('teacherB', 'POST', `/practices/${p2}/publish`);
    const p3 = (await api('teacherC', 'POST', `/practices/${p2}/adapt`, { schoolId: id.c, title: 'Reasoning stems with pictures', whatChanged: 'Pictures for pupils new to English.' })).body.id as number;
    await api('teacherC', 'POST', `/practices/${p3}/publish`);
    const p4 = (await api('teacherC', 'POST', `/practices/${p1}/adapt`, { schoolId: id.c, whatChanged: 'Trying it in Year 6 revision.' })).body.id as number;
    expect((await api('teacherA', 'POST', `/practices/${p4}/adapt`, { schoolId: id.a, whatChanged: 'Cannot adapt a draft I cannot see.' })).status).toBe(404);
    Object.assign(id, { p1, p2, p3, p4 });

    const asAsh = await api('teacherA', 'GET', `/practices/${p1}/lineage?direction=descendants`);
    expect(asAsh.status).toBe(200);
    expect(asAsh.body.nodes.map((n: { practiceId: number; depth: number; visible: boolean; school: { name: string } | null }) => [n.practiceId, n.depth, n.visible, n.school?.name ?? null])).toEqual([
      [p1, 0, true, 'Ash Primary'],
      [p2, 1, true, 'Birch Primary'],
      [p4, 1, false, null],
      [p3, 2, true, 'Cedar Primary'],
    ]);
    expect(asAsh.body.edges.map((e: { from: number; to: number; crossesSchools: boolean; whatChanged: string | null }) => [e.from, e.to, e.crossesSchools, e.whatChanged])).toEqual([
      [p1, p2, true, 'Pairs across the two year groups of a mixed-age class.'],
      [p1, p4, true, null],
      [p2, p3, true, 'Pictures for pupils new to English.'],
    ]);
    expect(asAsh.body).toMatchObject({ schools: 3, generations: 3 });
    const asCedar = await api('teacherC', 'GET', `/practices/${p1}/lineage?direction=descendants`);
    expect(asCedar.body.nodes.find((n: { practiceId: number }) => n.practiceId === p4)).toMatchObject({ visible: true, school: { name: 'Cedar Primary' } });

    const up = await api('teacherB', 'GET', `/practices/${p3}/lineage?direction=ancestors`);
    expect(up.body.nodes.map((n: { practiceId: number; depth: number }) => [n.practiceId, n.depth])).toEqual([
      [p1, -2],
      [p2, -1],
      [p3, 0],
    ]);
    const both = await api('teacherB', 'GET', `/practices/${p2}/lineage`);
    expect(both.body.nodes.map((n: { practiceId: number }) => n.practiceId)).toEqual([p1, p2, p3]);

    const loop = await api('teacherA', 'POST', `/practices/${p1}/lineage`, { adaptedFrom: p3, whatChanged: 'Took the pictures back.' });
    expect(loop.status).toBe(409);
    expect(loop.body.detail).toBe(`practice ${p3} was itself adapted (directly or through others) from practice ${p1}; recording ${p1} as adapted from it would make the lineage a loop`);
    expect((await api('teacherA', 'POST', `/practices/${p1}/lineage`, { adaptedFrom: p1, whatChanged: 'Itself, somehow.' })).body.errors[0].path).toBe('adaptedFrom');
    expect((await api('teacherB', 'POST', `/practices/${p2}/lineage`, { adaptedFrom: p1, whatChanged: 'Again, the same.' })).status).toBe(409);
    // A second source is fine: Cedar's picture version also drew on Ash's original directly.
    const second = await api('teacherC', 'POST', `/practices/${p3}/lineage`, { adaptedFrom: p1, whatChanged: 'Kept the original stem wording.' });
    expect(second.body.adaptedFrom.map((l: { practiceId: number }) => l.practiceId)).toEqual([p2, p1]);
    const result = await api('teacherB', 'PATCH', `/practices/${p2}/lineage/${p1}`, { result: 'Younger pupils used the stems sooner.' });
    expect(result.body.adaptedFrom[0].result).toBe('Younger pupils used the stems sooner.');
  });

  it('shows who can help: the practice’s contacts, and those at schools that adapted it', async () => {
    const r = await api('teacherC', 'GET', `/practices/${id.p1}`);
    expect(r.body.contacts.map((c: { name: string }) => c.name)).toEqual(['Ada Teacher']);
    // Birch's adaptation and Cedar's published one (which also drew on P1 directly); Cedar's draft P4 is not counted.
    expect(r.body.alsoHelp.map((c: { name: string; school: string }) => [c.name, c.school])).toEqual([
      ['Bo Teacher', 'Birch Primary'],
      ['Cy Teacher', 'Cedar Primary'],
    ]);
    expect(r.body.adaptations).toBe(2);
  });

  it('withdraws a practice: out of the search, still in its lineage', async () => {
    const w = await api('teacherB', 'POST', `/practices/${id.p2}/withdraw`, { reason: 'Superseded by the Cedar version' });
    expect(w.body).toMatchObject({ status: 'withdrawn', withdrawn: { on: '2026-11-23', reason: 'Superseded by the Cedar version' }, viewer: { canEdit: false } });
    expect((await api('teacherB', 'PATCH', `/practices/${id.p2}`, { title: 'Renamed' })).status).toBe(409);
    const lineage = await api('teacherA', 'GET', `/practices/${id.p1}/lineage?direction=descendants`);
    expect(lineage.body.nodes.find((n: { practiceId: number }) => n.practiceId === id.p2).status).toBe('withdrawn');
    const search = await api('teacherA', 'GET', '/practices?q=talk+partners');
    expect(search.body.items.map((p: { id: number }) => p.id)).not.toContain(id.p2);
  });

  it('ranks a title hit above a summary hit above a body hit, and filters', async () => {
    const body = await published('teacherA', id.a!, 'Spelling journals', { summary: 'Pupils keep their own list of tricky words.', body: 'We borrowed the idea of orthography mapping from a research summary.' });
    const title = await published('teacherB', id.b!, 'Orthography mapping for Year 2', { summary: 'Linking sounds to letters so words stick.', subject: 'phonics_reading' });
    const summary = await published('teacherC', id.c!, 'Reading fluency at home', { summary: 'Parents practise orthography mapping games with their children.' });
    await api('teacherA', 'POST', '/practices', draft(id.a!, 'Orthography draft, not yet shared'));
    const r = await api('outsider', 'GET', '/practices?q=orthography');
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: { id: number }) => p.id)).toEqual([title, summary, body]);
    expect(r.body.total).toBe(3);
    const ranks = r.body.items.map((p: { rank: number }) => p.rank);
    expect(ranks[0]).toBeGreaterThan(ranks[1]);
    expect(ranks[1]).toBeGreaterThan(ranks[2]);
    expect(r.body.items[2].headline).toContain('«orthography»');
    expect((await api('outsider', 'GET', '/practices?q=orthography&subject=phonics_reading')).body.items.map((p: { id: number }) => p.id)).toEqual([title]);
    expect((await api('outsider', 'GET', `/practices?q=orthography&schoolId=${id.c}`)).body.items.map((p: { id: number }) => p.id)).toEqual([summary]);
    expect((await api('outsider', 'GET', '/practices?q=the+and')).body).toEqual({ items: [], total: 0 });
    const mine = await api('teacherA', 'GET', '/practices?status=mine&q=orthography');
    expect(mine.body.items.map((p: { title: string; status: string }) => [p.title, p.status])).toEqual([
      ['Orthography draft, not yet shared', 'draft'],
      ['Spelling journals', 'published'],
    ]);
    expect((await api('outsider', 'GET', '/practices?minStrength=9')).body.errors[0].path).toBe('querystring.minStrength');
  });
});
