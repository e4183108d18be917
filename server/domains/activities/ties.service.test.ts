import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { recomputeAllTies } from './ties.service.ts';

/**
 * Ties over HTTP and in the table. Network N (since 2018): Oak, Pine and Rowan; Oak and Pine
 * share their activity records with N, Rowan does not. Elm joined N in 2024. Yew is outside.
 */
let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const as: Record<string, Record<string, string>> = {};
const v1 = '/api/v1';
const today = '2026-11-23';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Riverside Partnership', kind: 'partnership' });
  const schools: Record<string, { id: number }> = {};
  for (const [name, urn] of [
    ['Oak', 620001],
    ['Pine', 620002],
    ['Rowan', 620003],
    ['Elm', 620004],
    ['Yew', 620005],
  ] as const) {
    schools[name] = await makeSchool(db, { name: `${name} Primary`, urn });
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
  as.rowan = await signedIn(db, await makePerson(db, [{ role: 'teacher', school: schools.Rowan! }]));
  as.yew = await signedIn(db, await makePerson(db, [{ role: 'teacher', school: schools.Yew! }]));
  as.coordinator = await signedIn(db, await makePerson(db, [{ role: 'network_coordinator', network: n }]));

  const record = async (body: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: `${v1}/activities`, headers: as.admin, payload: { networkId: n.id, hoursPerOccurrence: 2, ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const s = (name: string, direction: string, staff: Record<string, number> = { teachers: 1 }) => ({ schoolId: id[name], direction, staff });
  // Oak coaches Pine weekly this autumn, and their heads meet (both ways): a strong tie.
  await record({ type: 'coaching_mentoring', title: 'Early reading coaching', schools: [s('Oak', 'giving'), s('Pine', 'receiving')], startOn: '2026-09-07', recurrence: 'weekly', occurrences: 8 });
  await record({ type: 'heads_group', title: 'Heads meet', schools: [s('Oak', 'mutual', { heads: 1 }), s('Pine', 'mutual', { heads: 1 })], startOn: '2026-10-01' });
  // Oak and Pine first worked together in 2019: a long-standing tie.
  await record({ type: 'joint_cpd', title: 'First joint INSET day', schools: [s('Oak', 'mutual'), s('Pine', 'mutual')], startOn: '2019-01-04' });
  // Pine helps Rowan once (weak, one-way); Rowan and Oak met in 2020 and not since (dormant).
  await record({ type: 'peer_observation', title: 'Observation visit', schools: [s('Pine', 'giving'), s('Rowan', 'receiving')], startOn: '2026-06-10' });
  await record({ type: 'moderation', title: 'Writing moderation', schools: [s('Rowan', 'mutual'), s('Oak', 'mutual')], startOn: '2020-03-02' });
  // Oak with Yew, outside the network, in no network's name.
  await record({ type: 'transition', title: 'Transition visits', networkId: null, schools: [s('Oak', 'giving'), s('Yew', 'receiving', { pupils: 25 })], startOn: '2026-07-01' });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const get = async (who: string, url: string) => {
  const res = await app.inject({ method: 'GET', url: `${v1}${url}`, headers: as[who] });
  return { status: res.statusCode, body: res.json() };
};
type Tie = { partner: { name: string } | null; class: string; [k: string]: unknown };
const byPartner = (ties: Tie[]) => Object.fromEntries(ties.map((t) => [t.partner?.name ?? 'hidden', t]));

describe('a school’s collaboration profile', () => {
  it('gives each tie its measures from the school’s side and the strong/weak/dormant rule', async () => {
    const r = await get('admin', `/schools/${id.Oak}/ties`);
    expect(r.status).toBe(200);
    const ties = byPartner(r.body.ties);
    expect(ties['Pine Primary']).toMatchObject({
      class: 'strong',
      longStanding: true,
      firstContact: '2019-01-04',
      lastContact: '2026-10-26',
      daysSinceLastContact: 28,
      contacts: 10,
      activities: 3,
      hours: 20,
      types: 3,
      levels: ['heads', 'teachers'],
      gave: 10, // eight coaching sessions, the heads' meeting and the INSET day, all mutual or given
      received: 2,
      recent: { contacts: 9, types: 2, gave: 9, received: 1 },
      sharedNetworks: [{ id: id.n, name: 'Riverside Partnership' }],
    });
    expect(ties['Pine Primary']!.balance).toBeCloseTo(8 / 12);
    expect(ties['Rowan Primary']).toMatchObject({ class: 'dormant', longStanding: false, contacts: 1, recent: { contacts: 0 } });
    expect(ties['Yew Primary']).toMatchObject({ class: 'weak', gave: 1, received: 0, reciprocity: 0, sharedNetworks: [] });
    expect(r.body.summary).toMatchObject({ partners: 3, strong: 1, weak: 1, dormant: 1, longStanding: 1, gave: 12, received: 3, outsideNetworks: 1 });
    expect(r.body.ties[0].partner.name).toBe('Pine Primary'); // strongest first
  });

  it('redacts partners the reader may not see, and answers 404 for a school whose records it may not see', async () => {
    const pineSeenByRowan = await get('rowan', `/schools/${id.Pine}/ties`);
    expect(pineSeenByRowan.status).toBe(200);
    expect(Object.keys(byPartner(pineSeenByRowan.body.ties)).sort()).toEqual(['Oak Primary', 'Rowan Primary']);
    const oakSeenByRowan = byPartner((await get('rowan', `/schools/${id.Oak}/ties`)).body.ties);
    // Yew shares nothing with Rowan: the tie is shown, the school is not, nor its networks.
    expect(oakSeenByRowan.hidden).toMatchObject({ partner: null, sharedNetworks: null, class: 'weak' });
    expect((await get('yew', `/schools/${id.Pine}/ties`)).status).toBe(404);
    expect((await get('coordinator', `/schools/${id.Rowan}/ties`)).status).toBe(404);
  });

  it('reconstructs the ties as they stood on an earlier date, from the activities', async () => {
    const r = await get('admin', `/schools/${id.Oak}/ties?on=2020-06-30`);
    const ties = byPartner(r.body.ties);
    expect(Object.keys(ties).sort()).toEqual(['Pine Primary', 'Rowan Primary']);
    expect(ties['Pine Primary']).toMatchObject({ contacts: 1, class: 'dormant', longStanding: false, lastContact: '2019-01-04', recent: { contacts: 0 } });
    expect(ties['Rowan Primary']).toMatchObject({ class: 'weak', daysSinceLastContact: 120 });
    expect((await get('admin', `/schools/${id.Oak}/ties?on=2018-12-31`)).body.ties).toEqual([]);
    expect((await get('admin', `/schools/${id.Oak}/ties?on=2027-01-01`)).body.errors[0].path).toBe('on');
  });
});

describe('a network’s ties', () => {
  it('shows the ties among members on the date, with density and isolated members', async () => {
    const r = await get('coordinator', `/networks/${id.n}/ties`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ members: 4, possiblePairs: 6, density: 0.5, isolated: 1 });
    const pairs = r.body.ties.map((t: { a: { name: string } | null; b: { name: string } | null; class: string }) => `${t.a?.name ?? 'hidden'}–${t.b?.name ?? 'hidden'} ${t.class}`);
    // Rowan does not share with N: its ties show, with Rowan redacted; Yew is not a member.
    expect(pairs).toEqual(['Oak Primary–Pine Primary strong', 'Pine Primary–hidden weak', 'Oak Primary–hidden dormant']);
  });

  it('on an earlier date: the members then, and the ties then', async () => {
    const r = await get('coordinator', `/networks/${id.n}/ties?on=2020-06-30`);
    expect(r.body).toMatchObject({ members: 3, possiblePairs: 3, isolated: 0 }); // Elm joined in 2024
    expect(r.body.ties).toHaveLength(2);
  });

  it('shows an outsider only the ties it may see an end of', async () => {
    const r = await get('yew', `/networks/${id.n}/ties`);
    expect(r.status).toBe(200);
    expect(r.body.ties).toEqual([]);
    expect(r.body.density).toBe(0);
  });
});

describe('the tie table', () => {
  const snapshot = async () =>
    (await h.db.selectFrom('tie').selectAll().orderBy('school_a').orderBy('school_b').execute()).map((r) => ({ ...r, hours: Number(r.hours), recent_hours: Number(r.recent_hours), strength: Number(r.strength) }));

  it('holds, after incremental recomputes, exactly what a full recompute gives', async () => {
    const incremental = await snapshot();
    expect(incremental.length).toBe(4);
    const result = await recomputeAllTies(h.db, today);
    expect(result).toMatchObject({ ties: 4, strong: 1, weak: 2, dormant: 1 });
    expect(await snapshot()).toEqual(incremental);
  });

  it("recomputes a school's stored ties measured on an earlier day before showing them (the window moves)", async () => {
    await h.db.updateTable('tie').set({ computed_on: '2025-01-01', recent_contacts: 999, class: 'strong' }).execute();
    const ties = byPartner((await get('admin', `/schools/${id.Oak}/ties`)).body.ties);
    expect(ties['Rowan Primary']).toMatchObject({ class: 'dormant', recent: { contacts: 0 } });
    const stored = await h.db.selectFrom('tie').select(['computed_on']).where((eb) => eb.or([eb('school_a', '=', id.Oak!), eb('school_b', '=', id.Oak!)])).execute();
    expect(new Set(stored.map((r) => r.computed_on))).toEqual(new Set([today]));
  });
});
