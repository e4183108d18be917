import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Network analysis over HTTP. Network N: Oak, Pine, Rowan (since 2018) and Elm (since 2024);
 * Oak and Pine share their activity records with N, Rowan and Elm do not. Yew is outside N.
 * Oak–Pine is strong (weekly coaching and heads' meetings this autumn), Pine→Rowan weak (one
 * visit in June), Rowan–Oak dormant (2020), Oak→Yew weak (July, outside the network).
 */
let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const as: Record<string, Record<string, string>> = {};
const v1 = '/api/v1';
const today = '2026-11-23';

const record = async (body: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: `${v1}/activities`, headers: as.admin, payload: { hoursPerOccurrence: 2, ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
};
const s = (name: string, direction: string, staff: Record<string, number> = { teachers: 1 }) => ({ schoolId: id[name], direction, staff });

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Riverside Partnership', kind: 'partnership' });
  const schools: Record<string, { id: number }> = {};
  for (const [name, urn, phase] of [
    ['Oak', 630001, 'Primary'],
    ['Pine', 630002, 'Primary'],
    ['Rowan', 630003, 'Secondary'],
    ['Elm', 630004, 'Primary'],
    ['Yew', 630005, 'Primary'],
  ] as const) {
    schools[name] = await makeSchool(db, { name: `${name} School`, urn, phase, la_name: 'Devon', latitude: 50.5 + urn / 1e7, longitude: -3.5 });
    id[name] = schools[name].id;
  }
  for (const name of ['Oak', 'Pine', 'Rowan']) await makeMembership(db, schools[name]!, n, { joined_on: '2018-09-01' });
  await makeMembership(db, schools.Elm!, n, { joined_on: '2024-09-01' });
  id.n = n.id;
  const head = await makePerson(db, [
    { role: 'head_teacher', school: schools.Oak! },
    { role: 'head_teacher', school: schools.Pine! },
  ]);
  for (const name of ['Oak', 'Pine']) {
    await db.insertInto('consent_decision').values({ school_id: id[name]!, network_id: n.id, data_class: 'activity_records', shared: true, decided_by: head.id }).execute();
  }
  as.admin = await adminHeaders(db);
  as.coordinator = await signedIn(db, await makePerson(db, [{ role: 'network_coordinator', network: n }]));
  as.yew = await signedIn(db, await makePerson(db, [{ role: 'teacher', school: schools.Yew! }]));

  await record({ networkId: n.id, type: 'coaching_mentoring', title: 'Early reading coaching', schools: [s('Oak', 'giving'), s('Pine', 'receiving')], startOn: '2026-09-07', recurrence: 'weekly', occurrences: 8 });
  await record({ networkId: n.id, type: 'heads_group', title: 'Heads meet', schools: [s('Oak', 'mutual', { heads: 1 }), s('Pine', 'mutual', { heads: 1 })], startOn: '2026-10-01' });
  await record({ networkId: n.id, type: 'peer_observation', title: 'Observation visit', schools: [s('Pine', 'giving'), s('Rowan', 'receiving')], startOn: '2026-06-10' });
  await record({ networkId: n.id, type: 'moderation', title: 'Writing moderation', schools: [s('Rowan', 'mutual'), s('Oak', 'mutual')], startOn: '2020-03-02' });
  await record({ type: 'transition', title: 'Transition visits', schools: [s('Oak', 'giving'), s('Yew', 'receiving', { pupils: 25 })], startOn: '2026-07-01' });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const get = async (who: string, url: string) => {
  const res = await app.inject({ method: 'GET', url: `${v1}${url}`, headers: as[who] });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { schools: { name: string; id: number; isolation: string | null; metrics: Record<string, number | null> }[]; ties: { a: number; b: number; class: string }[] } };
};
const names = (ids: number[]) => ids.map((x) => Object.keys(id).find((k) => id[k] === x)).sort();
const pairs = (ties: { a: number; b: number; class: string }[]) => ties.map((t) => `${names([t.a, t.b]).join('–')} ${t.class}`).sort();

describe('a network snapshot', () => {
  it('needs a session', async () => {
    const res = await app.inject({ method: 'GET', url: `${v1}/analysis/network?network=${id.n}` });
    expect(res.statusCode).toBe(401);
  });

  it('holds the members on the date and the living ties among them (dormant ones are not edges)', async () => {
    const { status, body } = await get('coordinator', `/analysis/network?network=${id.n}`);
    expect(status).toBe(200);
    expect(body.schools.map((x) => x.name).sort()).toEqual(['Elm School', 'Oak School', 'Pine School', 'Rowan School']);
    expect(pairs(body.ties)).toEqual(['Oak–Pine strong', 'Pine–Rowan weak']);
    const byName = Object.fromEntries(body.schools.map((x) => [x.name, x]));
    expect(byName['Oak School']!.isolation).toBeNull();
    // Rowan and Elm do not share their records: no per-school values are shown for them.
    expect(byName['Rowan School']!.isolation).toBeNull();
    expect(Object.values(byName['Elm School']!.metrics).every((v) => v === null)).toBe(true);
  });

  it('computes each school’s and the network’s metrics', async () => {
    const { body } = await get('coordinator', `/analysis/network?network=${id.n}`);
    const byName = Object.fromEntries(body.schools.map((x) => [x.name, x.metrics]));
    expect(byName['Oak School']!.degree).toBe(1);
    expect(byName['Pine School']!.degree).toBe(2);
    // Pine sits between Oak and Rowan: its partners do not work with each other.
    expect(byName['Pine School']!.clustering).toBe(0);
    expect(byName['Pine School']!.effectiveSize).toBeCloseTo(2, 9);
    // Pine is on the only path between Oak and Rowan: one pair of three, normalised 2/((n−1)(n−2)).
    expect(byName['Pine School']!.betweenness).toBeCloseTo(1 / 3, 6);
    expect(byName['Oak School']!.betweenness).toBe(0);
    // Oak coached Pine eight times and met it once, both ways: it gives more than it receives.
    expect(byName['Oak School']!.gave).toBe(9);
    expect(byName['Oak School']!.received).toBe(1);
    expect(byName['Oak School']!.balance).toBeCloseTo(0.8, 9);
    const summary = body.summary as Record<string, number | null>;
    expect(summary.schools).toBe(4);
    expect(summary.ties).toBe(2);
    expect(summary.density).toBeCloseTo(2 / 6, 6);
    expect(summary.isolated).toBe(1);
    expect(summary.components).toBe(2);
    expect(summary.degreeCentralisation).toBeCloseTo(((2 - 1) + (2 - 1) + (2 - 0)) / (3 * 2), 6);
    // Three ties ever (dormant Oak–Rowan included): one strong, one weak, one dormant.
    expect(summary.strongShare).toBeCloseTo(1 / 3, 6);
    expect(summary.dormantShare).toBeCloseTo(1 / 3, 6);
    const metrics = body.metrics as { key: string; formula: string; meaning: string }[];
    expect(metrics.every((m) => m.formula.length > 0 && m.meaning.length > 0)).toBe(true);
  });

  it('goes back in time: in 2023 Elm was not a member and only the 2020 moderation had happened', async () => {
    const { body } = await get('coordinator', `/analysis/network?network=${id.n}&at=2020-06-01`);
    expect(body.schools.map((x) => x.name).sort()).toEqual(['Oak School', 'Pine School', 'Rowan School']);
    expect(pairs(body.ties)).toEqual(['Oak–Rowan weak']);
    const byName = Object.fromEntries(body.schools.map((x) => [x.name, x]));
    expect(byName['Pine School']!.isolation).toBe('isolated');
    expect(byName['Oak School']!.isolation).toBe('weak-only');
  });

  it('filters by activity type', async () => {
    const { body } = await get('coordinator', `/analysis/network?network=${id.n}&types=peer_observation`);
    expect(pairs(body.ties)).toEqual(['Pine–Rowan weak']);
    const bad = await get('coordinator', `/analysis/network?network=${id.n}&types=no_such_type`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/types.*no_such_type/);
  });

  it('names the bad field', async () => {
    const future = await get('coordinator', `/analysis/network?network=${id.n}&at=2030-01-01`);
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toMatch(/at/);
    const missing = await get('coordinator', '/analysis/network?network=999999');
    expect(missing.status).toBe(404);
  });

  it('hides ties between schools that share nothing with the caller', async () => {
    // Yew's teacher sees Yew's own records only: of the network's ties, none touches Yew.
    const { body } = await get('yew', `/analysis/network?network=${id.n}`);
    expect(body.ties).toEqual([]);
    const all = await get('yew', '/analysis/network');
    expect(pairs(all.body.ties)).toEqual(['Oak–Yew weak']);
  });

  it('links schools by shared networks on the membership basis', async () => {
    const { body } = await get('yew', `/analysis/network?network=${id.n}&basis=membership`);
    expect(body.ties.length).toBe(6);
    expect(new Set(body.ties.map((t) => t.class))).toEqual(new Set(['membership']));
  });
});

describe('the snapshot cache', () => {
  it('serves a repeated snapshot from the cache and recomputes once a tie changes', async () => {
    const url = `/analysis/network?network=${id.n}`;
    await get('coordinator', url);
    const again = await get('coordinator', url);
    expect((again.body.snapshot as { cached: boolean }).cached).toBe(true);
    await record({ networkId: id.n, type: 'joint_cpd', title: 'Joint CPD with Elm', schools: [s('Pine', 'mutual'), s('Elm', 'mutual')], startOn: '2026-11-02' });
    const after = await get('coordinator', url);
    expect((after.body.snapshot as { cached: boolean }).cached).toBe(false);
    expect(pairs(after.body.ties)).toContain('Elm–Pine weak');
  });
});

describe('what changed', () => {
  it('lists new, ended and changed ties between two dates', async () => {
    const { status, body } = await get('coordinator', `/analysis/change?network=${id.n}&from=2020-06-01&to=${today}`);
    expect(status).toBe(200);
    const ties = (body.ties as unknown as { aName: string; bName: string; change: string }[]).map((t) => `${[t.aName, t.bName].sort().join('–')} ${t.change}`).sort();
    expect(ties).toEqual(['Elm School–Pine School new', 'Oak School–Pine School new', 'Oak School–Rowan School ended', 'Pine School–Rowan School new']);
    const elm = (body.schools as unknown as { name: string; joined: boolean }[]).find((x) => x.name === 'Elm School');
    expect(elm?.joined).toBe(true);
  });

  it('needs from before to', async () => {
    const { status } = await get('coordinator', `/analysis/change?network=${id.n}&from=${today}&to=2020-06-01`);
    expect(status).toBe(400);
  });
});

describe('the metrics table as CSV', () => {
  it('has a row per school and a column per school metric', async () => {
    const res = await app.inject({ method: 'GET', url: `${v1}/analysis/network.csv?network=${id.n}`, headers: as.coordinator });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toMatch(/^school_id,urn,name,phase,type,local_authority,community,isolation/);
    expect(lines).toHaveLength(5);
  });
});

describe('the typology the collaboration graph decides', () => {
  it('shows power relations and tie density to those who may read the network’s aggregates, and not to others', async () => {
    const mine = await get('coordinator', `/networks/${id.n}/typology`);
    expect(mine.status).toBe(200);
    const computed = mine.body.computed as Record<string, { value: unknown; basis: string }>;
    expect(computed.powerRelations?.value).toBe('domination');
    expect(computed.powerRelations?.basis).toMatch(/centralisation/);
    expect(computed.tieDensity?.value).toBeGreaterThan(0);
    expect(computed.diffuseness?.value).toBe('exclusive');
    const outsider = await get('yew', `/networks/${id.n}/typology`);
    const theirs = outsider.body.computed as Record<string, unknown>;
    expect(theirs.powerRelations).toBeUndefined();
    expect(theirs.diffuseness).toBeDefined();
  });
});

describe('exact betweenness in the background', () => {
  it('runs as a job whose progress streams as server-sent events, readable only by who started it', async () => {
    const started = await app.inject({ method: 'POST', url: `${v1}/analysis/betweenness-jobs`, headers: as.coordinator, payload: { network: id.n } });
    expect(started.statusCode, started.body).toBe(202);
    const job = started.json() as { id: string; state: string };
    const events = await app.inject({ method: 'GET', url: `${v1}/analysis/betweenness-jobs/${job.id}/events`, headers: as.coordinator });
    expect(events.headers['content-type']).toMatch(/text\/event-stream/);
    const frames = events.body
      .split('\n\n')
      .filter((f) => f.startsWith('data: '))
      .map((f) => JSON.parse(f.slice(6)) as { state: string; progress: number; result: { name: string; betweenness: number; weighted: number }[] | null });
    const last = frames.at(-1)!;
    expect(last.state).toBe('done');
    expect(last.progress).toBe(1);
    // Since the joint CPD with Elm (above), Pine is on every path between Oak, Rowan and Elm.
    const pine = last.result!.find((r) => r.name === 'Pine School')!;
    expect(pine.betweenness).toBeCloseTo(1, 9);
    expect(pine.weighted).toBeCloseTo(1, 9);
    // Rowan and Elm do not share their records: they are not in the result.
    expect(last.result!.map((r) => r.name).sort()).toEqual(['Oak School', 'Pine School']);
    const polled = await get('coordinator', `/analysis/betweenness-jobs/${job.id}`);
    expect(polled.status).toBe(200);
    const other = await get('yew', `/analysis/betweenness-jobs/${job.id}`);
    expect(other.status).toBe(404);
  });
});
