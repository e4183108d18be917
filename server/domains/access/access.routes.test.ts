import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { sessionCookie } from '../../http/session.ts';
import { signInLimit } from './access.service.ts';

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const password = 'correct horse battery';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const n = await makeNetwork(h.db, { name: 'Exe Federation', kind: 'federation' });
  const a = await makeSchool(h.db, { name: 'Ash Primary' });
  const b = await makeSchool(h.db, { name: 'Birch Primary' });
  await makeMembership(h.db, a, n, { joined_on: '2019-09-01' });
  await makeMembership(h.db, b, n, { joined_on: '2019-09-01' });
  const head = await makePerson(h.db, [{ role: 'head_teacher', school: a }], { email: 'head@ash.test', password });
  const teacher = await makePerson(h.db, [{ role: 'teacher', school: b }], { email: 'teacher@birch.test', password });
  const coordinator = await makePerson(h.db, [{ role: 'network_coordinator', network: n }], { email: 'coord@exe.test', password });
  const admin = await makePerson(h.db, [{ role: 'platform_admin' }], { email: 'admin@trellis.test', password });
  Object.assign(id, { n: n.id, a: a.id, b: b.id, head: head.id, teacher: teacher.id, coordinator: coordinator.id, admin: admin.id });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const cookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === sessionCookie)!;
async function signIn(target: FastifyInstance, email: string, pass = password) {
  const res = await target.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: pass } });
  const c = res.statusCode === 200 ? cookieOf(res) : undefined;
  return { res, headers: c ? { cookie: `${sessionCookie}=${c.value}`, 'x-csrf-token': res.json().csrfToken as string } : {} };
}
const events = async (action: string) =>
  Number((await sql<{ n: number }>`select count(*)::int as n from audit_event where action = ${action}`.execute(h.db)).rows[0]!.n);

describe('signing in', () => {
  it('stores passwords as Argon2id and signs in with a secure session cookie', async () => {
    const stored = await h.db.selectFrom('person').select('password_hash').where('id', '=', id.head!).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const before = await events('auth.sign_in');
    const { res, headers } = await signIn(app, 'HEAD@ash.test');
    expect(res.statusCode).toBe(200);
    const cookie = cookieOf(res);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(res.json()).toMatchObject({ email: 'head@ash.test', isAdmin: false, posts: [expect.objectContaining({ role: 'head_teacher', placeName: 'Ash Primary', current: true })] });
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    expect(await events('auth.sign_in')).toBe(before + 1);
    // Only the token's hash is stored.
    expect(await h.db.selectFrom('session').select('id').where('id', '=', cookie.value).executeTakeFirst()).toBeUndefined();
  });

  it('marks the cookie Secure behind a TLS proxy', async () => {
    const proxied = await buildApp({ database: h, webDist: null, trustProxy: true, rateLimits: false });
    const res = await proxied.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'x-forwarded-proto': 'https' }, payload: { email: 'head@ash.test', password } });
    expect(cookieOf(res)).toMatchObject({ secure: true, httpOnly: true });
    await proxied.close();
  });

  it('gives one answer for a wrong password and an unknown email, and records both', async () => {
    const before = await events('auth.sign_in_failed');
    const wrong = await signIn(app, 'coord@exe.test', 'not the password');
    const unknown = await signIn(app, 'nobody@exe.test', 'whatever');
    expect([wrong.res.statusCode, unknown.res.statusCode]).toEqual([401, 401]);
    expect(wrong.res.json().detail).toBe(unknown.res.json().detail);
    expect(await events('auth.sign_in_failed')).toBe(before + 2);
  });

  it(`throttles an account after ${signInLimit.failures} failed sign-ins, even with the right password`, async () => {
    await makePerson(h.db, [], { email: 'target@exe.test', password });
    for (let i = 0; i < signInLimit.failures; i++) expect((await signIn(app, 'target@exe.test', `guess ${i}`)).res.statusCode).toBe(401);
    const blocked = await signIn(app, 'target@exe.test');
    expect(blocked.res.statusCode).toBe(429);
    expect(blocked.res.json().code).toBe('TRELLIS_TOO_MANY_ATTEMPTS');
    expect(Number(blocked.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await events('auth.sign_in_throttled')).toBeGreaterThan(0);
    // Another account is not affected.
    expect((await signIn(app, 'teacher@birch.test')).res.statusCode).toBe(200);
  });

  it('slows sign-in attempts from one address', async () => {
    const limited = await buildApp({ database: h, webDist: null });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await limited.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: `x${i}@nowhere.test`, password: 'x' } })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    await limited.close();
  });

  it('requires the CSRF token and a same-site origin for changes', async () => {
    const { headers } = await signIn(app, 'admin@trellis.test');
    const body = { name: 'CSRF Partnership', kind: 'partnership' };
    const noToken = await app.inject({ method: 'POST', url: '/api/v1/networks', headers: { cookie: headers.cookie! }, payload: body });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('TRELLIS_CSRF');
    const crossSite = await app.inject({ method: 'POST', url: '/api/v1/networks', headers: { ...headers, origin: 'https://evil.example' }, payload: body });
    expect(crossSite.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/networks', headers: { ...headers, origin: 'http://localhost:80' }, payload: body });
    expect(ok.statusCode).toBe(201);
  });

  it('ends the session on sign-out, and every session on sign-out everywhere', async () => {
    const one = await signIn(app, 'teacher@birch.test');
    const two = await signIn(app, 'teacher@birch.test');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: one.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: one.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: two.headers })).statusCode).toBe(200);
    const three = await signIn(app, 'teacher@birch.test');
    const all = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out-everywhere', headers: three.headers });
    expect(all.json().sessionsEnded).toBeGreaterThanOrEqual(2);
    for (const s of [two, three]) expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(401);
  });

  it('keeps sessions in the database: they survive a restart and work on a second server', async () => {
    const { headers } = await signIn(app, 'coord@exe.test');
    const second = await buildApp({ database: h, webDist: null });
    expect((await second.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).json().email).toBe('coord@exe.test');
    await second.close();
  });

  it('expires a session after its idle time', async () => {
    const { headers } = await signIn(app, 'coord@exe.test');
    await h.db.updateTable('session').set({ idle_expires_at: new Date(Date.now() - 1000) }).where('person_id', '=', id.coordinator!).execute();
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });

  it('sends security headers and never a stack trace', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('invitations', () => {
  it('lets a coordinator invite a member school’s teacher once, by link, and the post follows', async () => {
    const coordinator = await signedIn(h.db, { id: id.coordinator! });
    const created = await app.inject({ method: 'POST', url: '/api/v1/invitations', headers: coordinator, payload: { email: 'new@birch.test', name: 'Nia Jones', role: 'teacher', schoolId: id.b } });
    expect(created.statusCode).toBe(201);
    const token = (created.json().link as string).split('/invite/')[1]!;
    expect((await app.inject({ method: 'GET', url: `/api/v1/invitations/${token}` })).json()).toMatchObject({ email: 'new@birch.test', role: 'teacher', placeName: 'Birch Primary', hasAccount: false });
    const short = await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('password');
    const accepted = await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { password: 'a long enough password' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ name: 'Nia Jones', posts: [expect.objectContaining({ role: 'teacher', schoolId: id.b, current: true })] });
    expect((await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { password: 'a long enough password' } })).statusCode).toBe(404);
    expect(await events('invitation.accept')).toBe(1);
  });

  it('lets an administrator issue a password reset link that works once', async () => {
    const admin = await signedIn(h.db, { id: id.admin! });
    const person = await makePerson(h.db, [], { email: 'forgetful@ash.test', password: 'the old password' });
    const issued = await app.inject({ method: 'POST', url: `/api/v1/people/${person.id}/reset-link`, headers: admin });
    expect(issued.statusCode).toBe(201);
    const token = (issued.json().link as string).split('/invite/')[1]!;
    expect((await app.inject({ method: 'GET', url: `/api/v1/invitations/${token}` })).json()).toMatchObject({ purpose: 'reset', email: 'forgetful@ash.test' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/invitations/${token}/accept`, payload: { password: 'the new password' } })).statusCode).toBe(200);
    expect((await signIn(app, 'forgetful@ash.test', 'the old password')).res.statusCode).toBe(401);
    expect((await signIn(app, 'forgetful@ash.test', 'the new password')).res.statusCode).toBe(200);
  });

  it('refuses an expired link', async () => {
    const admin = await signedIn(h.db, { id: id.admin! });
    const created = await app.inject({ method: 'POST', url: '/api/v1/invitations', headers: admin, payload: { email: 'late@ash.test', name: 'Late', role: 'governor', schoolId: id.a } });
    const token = (created.json().link as string).split('/invite/')[1]!;
    await h.db.updateTable('invitation').set({ expires_at: new Date(Date.now() - 1000) }).where('email', '=', 'late@ash.test').execute();
    expect((await app.inject({ method: 'GET', url: `/api/v1/invitations/${token}` })).statusCode).toBe(404);
  });

  it('names the field when an invitation lacks its place', async () => {
    const admin = await signedIn(h.db, { id: id.admin! });
    const res = await app.inject({ method: 'POST', url: '/api/v1/invitations', headers: admin, payload: { email: 'x@y.test', role: 'teacher' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('schoolId');
  });
});

describe('posts over time', () => {
  it('grants nothing once a post has ended', async () => {
    const admin = await signedIn(h.db, { id: id.admin! });
    const person = await makePerson(h.db, [{ role: 'head_teacher', school: { id: id.a! } }]);
    const headers = await signedIn(h.db, person);
    expect((await app.inject({ method: 'GET', url: `/api/v1/schools/${id.a}/sharing`, headers })).statusCode).toBe(200);
    const post = await h.db.selectFrom('post').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow();
    const ended = await app.inject({ method: 'POST', url: `/api/v1/posts/${post.id}/end`, headers: admin, payload: { toOn: '2026-11-23' } });
    expect(ended.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/schools/${id.a}/sharing`, headers })).statusCode).toBe(404);
    expect(await events('post.end')).toBeGreaterThan(0);
  });

  it('withdraws a post ended on the day it begins, so it never grants anything', async () => {
    const admin = await signedIn(h.db, { id: id.admin! });
    const person = await makePerson(h.db, [{ role: 'senior_leader', school: { id: id.a! }, fromOn: '2026-11-23' }]);
    const headers = await signedIn(h.db, person);
    expect((await app.inject({ method: 'GET', url: `/api/v1/schools/${id.a}/sharing`, headers })).statusCode).toBe(200);
    const post = await h.db.selectFrom('post').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect((await app.inject({ method: 'POST', url: `/api/v1/posts/${post.id}/end`, headers: admin, payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/v1/schools/${id.a}/sharing`, headers })).statusCode).toBe(404);
    const logged = await sql<{ detail: { withdrawn?: boolean } }>`select detail from audit_event where action = 'post.end' order by id desc limit 1`.execute(h.db);
    expect(logged.rows[0]!.detail.withdrawn).toBe(true);
  });
});

describe('data-sharing consent', () => {
  it('takes effect on the next request when a school stops sharing, and records every decision', async () => {
    const head = await signedIn(h.db, { id: id.head! });
    const partner = await signedIn(h.db, { id: id.teacher! });
    const outcomesOfA = async () => (await app.inject({ method: 'GET', url: `/api/v1/schools/${id.a}/outcomes`, headers: partner })).statusCode;
    expect(await outcomesOfA()).toBe(404); // not shared by default
    const share = await app.inject({ method: 'POST', url: `/api/v1/schools/${id.a}/sharing`, headers: head, payload: { networkId: id.n, dataClass: 'outcomes', shared: true } });
    expect(share.statusCode).toBe(200);
    expect(share.json().networks[0].classes.find((c: { dataClass: string }) => c.dataClass === 'outcomes')).toMatchObject({ shared: true });
    expect(await outcomesOfA()).toBe(200);
    const revoke = await app.inject({ method: 'POST', url: `/api/v1/schools/${id.a}/sharing`, headers: head, payload: { networkId: id.n, dataClass: 'outcomes', shared: false, note: 'Until our governors have discussed it' } });
    expect(revoke.statusCode).toBe(200);
    expect(await outcomesOfA()).toBe(404);
    expect(revoke.json().history.map((d: { shared: boolean }) => d.shared)).toEqual([false, true]);
    expect(await events('consent.change')).toBe(2);
    expect(await events('read.sensitive')).toBe(1);
  });

  it('refuses a decision about a network the school is not in, naming the field', async () => {
    const head = await signedIn(h.db, { id: id.head! });
    const other = await makeNetwork(h.db, { name: 'Elsewhere Cluster', kind: 'cluster' });
    const res = await app.inject({ method: 'POST', url: `/api/v1/schools/${id.a}/sharing`, headers: head, payload: { networkId: other.id, dataClass: 'outcomes', shared: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('networkId');
  });
});

describe('the audit log', () => {
  it('is append-only', async () => {
    await expect(sql`update audit_event set action = 'x'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it("shows a school's leaders their school's events, and administrators everything", async () => {
    const head = await signedIn(h.db, { id: id.head! });
    const mine = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: head });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { schoolId: number | null; action: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.schoolId === id.a)).toBe(true);
    const admin = await signedIn(h.db, { id: id.admin! });
    const all = (await app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: admin })).json().items as { action: string }[];
    for (const action of ['auth.sign_in', 'auth.sign_in_failed', 'auth.sign_out', 'post.end', 'consent.change', 'invitation.create', 'read.sensitive']) {
      expect(all.map((e) => e.action), action).toContain(action);
    }
    await app.inject({ method: 'GET', url: '/api/v1/export/schools.csv', headers: admin });
    expect(await events('export.schools')).toBe(1);
  });
});
