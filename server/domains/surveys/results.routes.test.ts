import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proportionDifference, roundHalfAwayFromZero } from '../../../analytics/surveys/index.ts';
import { makeMembership, makeNetwork, makePerson, makeResponses, makeSchool, makeWave, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { builtInInstrument } from './instruments/index.ts';
import type { WaveResults } from './results.schema.ts';

/**
 * Results of closed rounds over HTTP, through the scoring kernel: counts beside percentages
 * overall, by school and by role group; stage profiles and the maturity index; change since the
 * previous round with its interval and denominator warning; CSV with suppressed cells blank;
 * and who sees which schools' answers (consent), with "not found" for everyone else.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-03-01', rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Exe Valley Federation' });
  const m = await makeNetwork(db, { name: 'Moor Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary' });
  const b = await makeSchool(db, { name: 'Birch Primary' });
  const c = await makeSchool(db, { name: 'Cedar Junior' });
  const d = await makeSchool(db, { name: 'Damson Infant' });
  for (const s of [a, b, c]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  await makeMembership(db, d, m, { joined_on: '2018-09-01' });
  Object.assign(people, {
    admin: await makePerson(db, [{ role: 'platform_admin' }]),
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }]),
    coordinatorM: await makePerson(db, [{ role: 'network_coordinator', network: m }]),
    researcher: await makePerson(db, [{ role: 'researcher', network: n }]),
    headA: await makePerson(db, [{ role: 'head_teacher', school: a }]),
    teacherA: await makePerson(db, [{ role: 'teacher', school: a }]),
    headC: await makePerson(db, [{ role: 'head_teacher', school: c }]),
    headD: await makePerson(db, [{ role: 'head_teacher', school: d }]),
    noPost: await makePerson(db, []),
  });
  // Ash and Birch share their survey results with the federation; Cedar does not.
  for (const [school, head] of [
    [a, people.headA!],
    [b, await makePerson(db, [{ role: 'head_teacher', school: b }])],
  ] as const) {
    await db.insertInto('consent_decision').values({ school_id: school.id, network_id: n.id, data_class: 'survey_results', shared: true, decided_by: head.id }).execute();
  }
  const w2025 = await makeWave(db, n, [a, b, c], { status: 'closed', title: 'Staff survey 2025', closedOn: '2025-01-31' });
  await makeResponses(db, w2025, [
    { school: a, role: 'teacher', count: 1, answers: { 'JPD A1': true } },
    { school: a, role: 'teacher', count: 4 },
    { school: b, role: 'teacher', count: 1, answers: { 'JPD A1': true } },
    { school: b, role: 'teacher', count: 4 },
    { school: c, role: 'teacher', count: 5, answers: { 'JPD A1': true } },
  ]);
  const w2026 = await makeWave(db, n, [a, b, c], { status: 'closed', title: 'Staff survey 2026', closedOn: '2026-01-31' });
  await makeResponses(db, w2026, [
    { school: a, role: 'teacher', count: 3, answers: { 'JPD A1': true, 'JPD B1': true } },
    { school: a, role: 'teacher', count: 3, answers: { 'JPD A1': true } },
    { school: a, role: 'head_or_deputy', count: 2 },
    { school: b, role: 'teacher', count: 5, answers: { 'JPD A1': true } },
    { school: b, role: 'senior_leader', count: 3 },
    { school: c, role: 'support_staff', count: 4, answers: { 'HSC A1': true } },
    { school: c, role: 'teacher', count: 6, answers: { 'HSC A1': true } },
  ]);
  const open = await makeWave(db, n, [a, b, c], { status: 'open', title: 'Staff survey 2027' });
  const moor = await makeWave(db, m, [d], { status: 'closed', title: 'Moor survey' });
  await makeResponses(db, moor, [{ school: d, role: 'teacher', count: 8 }]);
  Object.assign(id, { n: n.id, a: a.id, b: b.id, c: c.id, w2025: w2025.id, w2026: w2026.id, open: open.id, moor: moor.id });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function get(who: keyof typeof people | null, url: string) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body, type: res.headers['content-type'] };
}
const results = async (who: keyof typeof people, wave = id.w2026!, query = '') => (await get(who, `/survey-waves/${wave}/results${query}`)).body as WaveResults;
const item = (r: WaveResults, code: string) => r.items.find((i) => i.code === code)!;

describe('survey results', () => {
  it('need a session', async () => {
    expect((await get(null, `/survey-waves/${id.w2026}/results`)).status).toBe(401);
    expect((await get(null, `/survey-waves/${id.w2026}/results.csv`)).status).toBe(401);
  });

  it('count and give percentages per item, overall and by school, over the schools that share with the coordinator', async () => {
    const r = await results('coordinator');
    expect(r.pool).toMatchObject({ schoolsInRound: 3, leftOut: 1 });
    expect(r.pool.schools.map((s) => s.name)).toEqual(['Ash Primary', 'Birch Primary']);
    expect(r.breakdowns.overall).toEqual({ n: 16, status: 'shown' });
    expect(r.breakdowns.schools.map((s) => [s.school.name, s.n])).toEqual([
      ['Ash Primary', 8],
      ['Birch Primary', 8],
    ]);
    const a1 = item(r, 'JPD A1');
    expect(a1.overall).toEqual({ count: 11, pct: 68.8, options: null });
    expect(a1.bySchool.map((c) => [c.count, c.pct])).toEqual([
      [6, 75],
      [5, 62.5],
    ]);
    expect(item(r, 'JPD B1').overall).toMatchObject({ count: 3, pct: 18.8 });
    expect(r.notes.join(' ')).toMatch(/1 of the round's 3 schools do not share/);
  });

  it('suppress role groups under k, and the group that would give them away', async () => {
    const r = await results('coordinator');
    // HD 2 and SLT 3 are under k = 5; T 11 is shown; nobody is support staff.
    expect(r.breakdowns.roleGroups.map((g) => [g.code, g.n, g.status])).toEqual([
      ['HD', null, 'suppressed'],
      ['SLT', null, 'suppressed'],
      ['T', 11, 'shown'],
      ['S', 0, 'empty'],
    ]);
    const a1 = item(r, 'JPD A1');
    expect(a1.byRoleGroup.slice(0, 2)).toEqual([
      { count: null, pct: null, options: null },
      { count: null, pct: null, options: null },
    ]);
    expect(a1.byRoleGroup[2]).toMatchObject({ count: 11, pct: 100 });
  });

  it('place each strand on a stage with its maturity index', async () => {
    const r = await results('coordinator');
    const jpd = r.strands.find((s) => s.code === 'JPD')!;
    expect(jpd.stages).toEqual([
      { code: 'A', label: 'Beginning', items: 2, itemCodes: ['JPD A1', 'JPD A2'], deficitOnly: false },
      { code: 'B', label: 'Developing', items: 1, itemCodes: ['JPD B1'], deficitOnly: false },
    ]);
    // Stage A: JPD A1 11/16 and the deficit JPD A2 ticked by nobody (read as 16/16) → 84.4%; stage B: 3/16.
    expect(jpd.overall).toEqual({ reached: { code: 'A', label: 'Beginning' }, status: 'reached', index: 1.03, stageRates: [84.4, 18.8] });
    expect(jpd.maxIndex).toBe(2);
    const hsc = r.strands.find((s) => s.code === 'HSC')!;
    expect(hsc.overall).toMatchObject({ reached: null, status: 'none', index: 0 });
    expect(jpd.byRoleGroup[0]).toMatchObject({ status: 'no-data', index: null });
  });

  it('measure change since the previous round, with its interval and the denominator warning', async () => {
    const r = await results('coordinator');
    expect(r.change?.compareTo).toEqual({ id: id.w2025, title: 'Staff survey 2025', closedOn: '2025-01-31' });
    expect(r.change?.respondents).toEqual({ before: 10, after: 16 });
    const c = r.change!.items.find((i) => i.code === 'JPD A1')!.overall!;
    const exact = proportionDifference(11, 16, 2, 10);
    expect(c).toEqual({
      before: { count: 2, n: 10, pct: 20 },
      after: { count: 11, n: 16, pct: 68.8 },
      change: 48.8,
      lower: roundHalfAwayFromZero(100 * exact.lower, 1),
      upper: roundHalfAwayFromZero(100 * exact.upper, 1),
      countChange: 9,
      warnings: ['unequal-denominators'],
    });
    expect(c.lower).toBeGreaterThan(0);
    // Groups hidden in either round get no change.
    expect(r.change!.items.find((i) => i.code === 'JPD A1')!.byRoleGroup[0]).toBeNull();
    const explicit = await get('coordinator', `/survey-waves/${id.w2026}/results?compareTo=${id.open}`);
    expect(explicit.status).toBe(400);
    expect(explicit.body.errors[0].path).toBe('compareTo');
  });

  it('follow consent: a school’s leader sees their own school and the partners that share; nobody sees an unshared school', async () => {
    const cedar = await results('headC');
    expect(cedar.pool.schools.map((s) => s.name)).toEqual(['Ash Primary', 'Birch Primary', 'Cedar Junior']);
    expect(cedar.breakdowns.overall.n).toBe(26);
    for (const who of ['coordinator', 'headA', 'teacherA'] as const) {
      const r = await results(who);
      expect(r.pool.schools.map((s) => s.name), who).not.toContain('Cedar Junior');
      expect(r.breakdowns.overall.n, who).toBe(16);
    }
    const admin = await results('admin');
    expect(admin.pool.schools).toHaveLength(3);
  });

  it('hide other tenants’ rounds: other networks, researchers and people without posts get "not found"', async () => {
    for (const who of ['coordinatorM', 'headD', 'researcher', 'noPost'] as const) {
      expect((await get(who, `/survey-waves/${id.w2026}/results`)).status, who).toBe(404);
      expect((await get(who, `/survey-waves/${id.w2026}/results.csv`)).status, who).toBe(404);
      expect((await get(who, `/survey-waves/${id.w2026}`)).status, who).toBe(404);
    }
    expect((await get('coordinator', `/survey-waves/${id.moor}/results`)).status).toBe(404);
    const list = await get('headD', `/networks/${id.n}/survey-waves`);
    expect(list.body.items).toEqual([]);
    const mine = await get('teacherA', `/networks/${id.n}/survey-waves`);
    expect(mine.body.items.map((w: { title: string; viewer: { canReadResults: boolean } }) => [w.title, w.viewer.canReadResults])).toEqual([
      ['Staff survey 2027', false],
      ['Staff survey 2026', true],
      ['Staff survey 2025', true],
    ]);
  });

  it('are not shown while the round is open', async () => {
    const r = await get('coordinator', `/survey-waves/${id.open}/results`);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/once it closes/);
  });

  it('names the bad field', async () => {
    const r = await get('coordinator', `/survey-waves/${id.w2026}/results?compareTo=abc`);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('querystring.compareTo');
  });

  it('export as CSV with suppressed cells blank and a note saying why', async () => {
    const res = await get('coordinator', `/survey-waves/${id.w2026}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/text\/csv/);
    const rows = parse(res.body as string, { columns: true }) as Record<string, string>[];
    const a1 = rows.filter((x) => x.section === 'item' && x.code === 'JPD A1');
    expect(a1.map((x) => [x.group, x.respondents, x.count, x.percent, x.note])).toEqual([
      ['All respondents', '16', '11', '68.8', ''],
      ['Ash Primary', '8', '6', '75', ''],
      ['Birch Primary', '8', '5', '62.5', ''],
      ['HD: Heads, deputies and governors', '', '', '', 'suppressed: fewer than 5 respondents'],
      ['SLT: Senior leaders', '', '', '', 'suppressed: fewer than 5 respondents'],
      ['T: Middle leaders and teachers', '11', '11', '100', ''],
      ['S: Support staff', '0', '0', '', ''],
    ]);
    const deficit = rows.find((x) => x.code === 'JPD A2' && x.group === 'All respondents')!;
    expect(deficit.note).toMatch(/deficit/);
    const maturity = rows.find((x) => x.section === 'maturity' && x.code === 'JPD' && x.group === 'All respondents')!;
    expect(maturity).toMatchObject({ stage: 'Beginning', maturity_index: '1.03' });
    expect(rows.some((x) => x.section === 'note' && /fewer than 5 respondents are suppressed/.test(x.statement!))).toBe(true);
  });

  it('count agreement and every option of scale items, and never show free text', async () => {
    const ins = builtInInstrument('rag-self-evaluation')!;
    const n = await makeNetwork(h.db);
    const s = await makeSchool(h.db);
    await makeMembership(h.db, s, n, { joined_on: '2018-09-01' });
    const wave = await makeWave(h.db, n, [s], { status: 'closed', instrument: ins });
    await makeResponses(h.db, wave, [
      { school: s, role: 'head_or_deputy', count: 2, answers: { LM: 4, EVID: 'Our writing moderation' } },
      { school: s, role: 'teacher', count: 3, answers: { LM: 2 } },
      { school: s, role: 'teacher', count: 1 },
    ]);
    const r = (await get('admin', `/survey-waves/${wave.id}/results`)).body as WaveResults;
    const lm = item(r, 'LM').overall;
    // Upper half of four options: good and outstanding.
    expect(lm).toMatchObject({ count: 2, pct: 33.3 });
    expect(lm.options?.map((o) => [o.label, o.count])).toEqual([
      ['Inadequate', 0],
      ['Requires improvement', 3],
      ['Good', 0],
      ['Outstanding', 2],
    ]);
    expect(item(r, 'EVID').overall).toEqual({ count: null, pct: null, options: null });
    expect(JSON.stringify(r)).not.toContain('Our writing moderation');
  });

  it('audit reads of other schools’ survey results', async () => {
    const count = async () => Number((await h.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_type', '=', 'survey-results').executeTakeFirstOrThrow()).n);
    const before = await count();
    await results('headA');
    expect(await count()).toBe(before + 1);
  });
});
