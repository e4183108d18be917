import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn, smallInstrument } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * The respondent's side over HTTP, with no account: a link or code opens the form (stage
 * labels hidden when the round says so; a choice of school for a shared code), the answers go
 * back once, a double submission stores one response, and the link is then spent.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
let coordinator: Record<string, string> = {};
const today = '2026-01-12';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const n = await makeNetwork(h.db, { name: 'Exe Valley Federation' });
  const a = await makeSchool(h.db, { name: 'Ash Primary' });
  const b = await makeSchool(h.db, { name: 'Birch Primary' });
  for (const s of [a, b]) await makeMembership(h.db, s, n, { joined_on: '2018-09-01' });
  coordinator = await signedIn(h.db, await makePerson(h.db, [{ role: 'network_coordinator', network: n }]));
  Object.assign(id, { n: n.id, a: a.id, b: b.id });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function manage(method: 'POST' | 'GET', url: string, payload?: object) {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: coordinator, ...(payload ? { payload } : {}) });
  return res.json();
}
async function openRound(over: Record<string, unknown> = {}) {
  const w = await manage('POST', `/networks/${id.n}/survey-waves`, { title: 'Staff survey', instrument: smallInstrument(), closesOn: '2026-01-31', ...over });
  await manage('POST', `/survey-waves/${w.id}/open`);
  return w.id as number;
}
const tokenOf = (issued: { link: string }) => decodeURIComponent(issued.link.split('/').pop()!);
const form = (token: string) => app.inject({ method: 'GET', url: `/api/v1/survey/${encodeURIComponent(token)}` });
const submit = (token: string, payload: object) => app.inject({ method: 'POST', url: `/api/v1/survey/${encodeURIComponent(token)}`, payload });
const responses = async (waveId: number) => Number((await h.db.selectFrom('survey_response').select((eb) => eb.fn.countAll<number>().as('n')).where('wave_id', '=', waveId).executeTakeFirstOrThrow()).n);

describe('the respondent’s form', () => {
  it('opens from a personal link with school and role fixed, stage labels hidden, deficit items unmarked', async () => {
    const w = await openRound();
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'middle_leader', labels: ['M. Leader'] })).items;
    const res = await form(tokenOf(link));
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f).toMatchObject({ title: 'Staff survey', networkName: 'Exe Valley Federation', closesOn: '2026-01-31', stageLabelsHidden: true });
    expect(f.school).toEqual({ fixed: { schoolId: id.a, name: 'Ash Primary', urn: expect.any(Number) }, choices: [{ schoolId: id.a, name: 'Ash Primary', urn: expect.any(Number) }] });
    expect(f.role).toEqual({ fixed: 'middle_leader', choices: [{ code: 'middle_leader', label: 'Middle leader' }] });
    const items = f.dimensions.flatMap((d: { strands: { items: unknown[] }[] }) => d.strands.flatMap((s) => s.items));
    expect(items.map((i: { stage: string; stageLabel: string | null }) => `${i.stage}${i.stageLabel ?? ''}`)).toEqual(['A', 'A', 'B', 'A']);
    expect(JSON.stringify(f)).not.toMatch(/Beginning|Developing|deficit|label\s*"M\. Leader"/);
    expect(f.submissionKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(f.privacy).toMatch(/at least 5 people/);
  });

  it('shows stage names when the round chooses to', async () => {
    const w = await openRound({ hideStageLabels: false });
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T'] })).items;
    const item = (await form(tokenOf(link))).json().dimensions[0].strands[0].items[2];
    expect(item).toMatchObject({ stage: 'B', stageLabel: 'Developing' });
  });

  it('offers the round’s schools and every role for a shared code, typed in any case', async () => {
    const w = await openRound();
    const [code] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'code', capacity: 3 })).items;
    const f = (await form(code.code.toLowerCase().replace(/-/g, ' '))).json();
    expect(f.school.fixed).toBeNull();
    expect(f.school.choices.map((s: { name: string }) => s.name)).toEqual(['Ash Primary', 'Birch Primary']);
    expect(f.role.choices.map((r: { code: string }) => r.code)).toEqual(['governor', 'head_or_deputy', 'senior_leader', 'middle_leader', 'teacher', 'support_staff']);
  });

  it('gives one answer for an unknown token, and does not open a draft round', async () => {
    expect((await form('x'.repeat(43))).statusCode).toBe(404);
    const draft = await manage('POST', `/networks/${id.n}/survey-waves`, { title: 'Not yet', instrument: smallInstrument(), closesOn: '2026-01-31' });
    const [link] = (await manage('POST', `/survey-waves/${draft.id}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T'] })).items;
    expect((await form(tokenOf(link))).statusCode).toBe(404);
  });
});

describe('returning the form', () => {
  it('stores one response, answers "received" to the same submission again, and then spends the link', async () => {
    const w = await openRound();
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T. One'] })).items;
    const token = tokenOf(link);
    const { submissionKey } = (await form(token)).json();
    const body = { submissionKey, answers: { 'JPD A1': true, 'JPD A2': false, 'HSC A1': true } };
    const first = await submit(token, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ received: true, duplicate: false });
    const again = await submit(token, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ received: true, duplicate: true });
    expect(await responses(w)).toBe(1);
    const stored = await h.db.selectFrom('survey_response').selectAll().where('wave_id', '=', w).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ role: 'teacher', channel: 'online', answers: { 'JPD A1': true, 'HSC A1': true } });
    expect(Number(stored.school_id)).toBe(id.a);
    // A new submission with the spent link is refused, and so is opening the form.
    const other = await submit(token, { submissionKey: 'another-key-of-sixteen', answers: {} });
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toMatch(/already been returned/);
    expect((await form(token)).statusCode).toBe(409);
    expect(await responses(w)).toBe(1);
  });

  it('stores one response when the same submission arrives twice at once', async () => {
    const w = await openRound();
    const [code] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'code', schoolId: id.b, role: 'teacher', capacity: 5 })).items;
    const body = { submissionKey: 'double-click-key-123456', answers: { 'JPD B1': true } };
    const both = await Promise.all([submit(code.code, body), submit(code.code, body)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(await responses(w)).toBe(1);
  });

  it('takes as many returns through a shared code as people it was given to', async () => {
    const w = await openRound();
    const [code] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'code', capacity: 2 })).items;
    const send = (key: string, extra: object) => submit(code.code, { submissionKey: `${key}-key-0123456789`, answers: {}, ...extra });
    expect((await send('a', { schoolId: id.a, role: 'governor' })).statusCode).toBe(201);
    expect((await send('b', { schoolId: id.b, role: 'support_staff' })).statusCode).toBe(201);
    const third = await send('c', { schoolId: id.b, role: 'teacher' });
    expect(third.statusCode).toBe(409);
    expect(third.json().detail).toMatch(/as many times as it was given out/);
    const rows = await h.db.selectFrom('survey_response').select(['school_id', 'role']).where('wave_id', '=', w).execute();
    expect(rows.map((r) => `${Number(r.school_id) === id.a ? 'Ash' : 'Birch'} ${r.role}`).sort()).toEqual(['Ash governor', 'Birch support_staff']);
  });

  it('names the bad field', async () => {
    const w = await openRound();
    const [code] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'code', capacity: 5 })).items;
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T'] })).items;
    const path = async (token: string, payload: object) => {
      const r = await submit(token, { submissionKey: 'a-key-of-sixteen-chars', answers: {}, ...payload });
      expect(r.statusCode, r.body).toBe(400);
      return r.json().errors[0].path;
    };
    expect(await path(code.code, { role: 'teacher' })).toBe('schoolId');
    expect(await path(code.code, { schoolId: id.a })).toBe('role');
    expect(await path(code.code, { schoolId: 999999, role: 'teacher' })).toBe('schoolId');
    expect(await path(code.code, { schoolId: id.a, role: 'headteacher' })).toBe('body.role');
    expect(await path(code.code, { schoolId: id.a, role: 'teacher', answers: { 'JPD A1': 'yes' } })).toBe('answers.JPD A1');
    expect(await path(tokenOf(link), { schoolId: id.b })).toBe('schoolId');
    expect(await path(tokenOf(link), { role: 'governor' })).toBe('role');
    expect(await path(tokenOf(link), { submissionKey: 'short' })).toBe('body.submissionKey');
    expect(await responses(w)).toBe(0);
  });

  it('needs a valid link or code, not a session, and refuses once the round has closed', async () => {
    const w = await openRound();
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T'] })).items;
    expect((await submit('y'.repeat(43), { submissionKey: 'a-key-of-sixteen-chars', answers: {} })).statusCode).toBe(404);
    await manage('POST', `/survey-waves/${w}/close`);
    expect((await form(tokenOf(link))).statusCode).toBe(409);
    const late = await submit(tokenOf(link), { submissionKey: 'a-key-of-sixteen-chars', answers: {} });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(/closed/);
  });

  it('refuses a cross-site submission', async () => {
    const w = await openRound();
    const [link] = (await manage('POST', `/survey-waves/${w}/invitations`, { kind: 'links', schoolId: id.a, role: 'teacher', labels: ['T'] })).items;
    const res = await app.inject({ method: 'POST', url: `/api/v1/survey/${tokenOf(link)}`, headers: { origin: 'https://evil.example' }, payload: { submissionKey: 'a-key-of-sixteen-chars', answers: {} } });
    expect(res.statusCode).toBe(403);
  });
});
