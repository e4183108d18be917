import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, makeWave, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { registerErrorHandling } from '../../http/errors.ts';
import { registerSessions } from '../../http/session.ts';
import { reportPdfRoutes } from './report-pdf.ts';

/**
 * The PDF report route's refusals, before any browser starts: it needs a session, answers
 * "not found" to those who may not read the round's results and "conflict" while the round is
 * open, and 501 with a clear message where Chromium is missing (or the server is not listening,
 * as under inject()). The PDF itself is rendered in the browser test (test/e2e/surveys.e2e.ts).
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const today = '2026-03-01';
const id: Record<string, number> = {};
let coordinator: Record<string, string> = {};
let outsider: Record<string, string> = {};

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const n = await makeNetwork(h.db, { name: 'Exe Valley Federation' });
  const other = await makeNetwork(h.db, { name: 'Moor Cluster', kind: 'cluster' });
  const a = await makeSchool(h.db, { name: 'Ash Primary' });
  const b = await makeSchool(h.db, { name: 'Birch Primary' });
  for (const s of [a, b]) await makeMembership(h.db, s, n, { joined_on: '2018-09-01' });
  const head = await makePerson(h.db, [{ role: 'head_teacher', school: a }]);
  await h.db.insertInto('consent_decision').values({ school_id: a.id, network_id: n.id, data_class: 'survey_results', shared: true, decided_by: head.id }).execute();
  coordinator = await signedIn(h.db, await makePerson(h.db, [{ role: 'network_coordinator', network: n }]));
  outsider = await signedIn(h.db, await makePerson(h.db, [{ role: 'network_coordinator', network: other }]));
  id.closed = (await makeWave(h.db, n, [a, b], { status: 'closed', closedOn: '2026-02-01' })).id;
  id.open = (await makeWave(h.db, n, [a, b], { status: 'open' })).id;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const pdf = (server: FastifyInstance, wave: number, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url: `/api/v1/survey-waves/${wave}/report.pdf`, headers });

describe('GET /survey-waves/:id/report.pdf', () => {
  it('needs a session', async () => {
    expect((await pdf(app, id.closed!)).statusCode).toBe(401);
  });

  it('hides other tenants’ rounds: someone who may not read the results gets "not found", as for a missing round', async () => {
    const refused = await pdf(app, id.closed!, outsider);
    const missing = await pdf(app, 999_999, outsider);
    expect([refused.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(refused.json().code).toBe('TRELLIS_NOT_FOUND');
  });

  it('names the bad field: an id that is not a number is refused', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/survey-waves/abc/report.pdf', headers: coordinator });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TRELLIS_INVALID');
  });

  it('has no report while the round is open', async () => {
    const res = await pdf(app, id.open!, coordinator);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/is open; its report exists once it closes/);
  });

  it('answers 501 under inject(), where there is no port for Chromium to open (or no Chromium at all)', async () => {
    const res = await pdf(app, id.closed!, coordinator);
    expect(res.statusCode).toBe(501);
    expect(['TRELLIS_NOT_LISTENING', 'TRELLIS_NO_CHROMIUM']).toContain(res.json().code);
  });

  it('answers 501 with a clear message where Chromium is not installed', async () => {
    const ctx = { db: h.db, today: () => today };
    const bare = Fastify().withTypeProvider();
    bare.setValidatorCompiler(validatorCompiler);
    bare.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(bare);
    await bare.register(fastifyCookie);
    registerSessions(bare, ctx);
    await bare.register(reportPdfRoutes(ctx, { chromiumPath: '/nonexistent/chromium' }), { prefix: '/api/v1' });
    try {
      const res = await pdf(bare, id.closed!, coordinator);
      expect(res.statusCode).toBe(501);
      expect(res.json()).toMatchObject({ code: 'TRELLIS_NO_CHROMIUM', title: 'Not available on this server' });
      expect(res.json().detail).toBe('PDF reports need Chromium at /nonexistent/chromium (Debian: apt install chromium); print the report page from your browser instead.');
    } finally {
      await bare.close();
    }
  });
});
