import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusArea } from '../../../common/brokering.ts';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * Brokered support over HTTP on a real database: derived strengths from published results, the
 * ranking over real rows (explanations that sum to the score, every hard constraint), the
 * honest-broker check, the casework with its invalid moves, both sides' acceptance forming a
 * support partnership with goals, who may do what, and an allocation over a small area.
 */

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const people: Record<string, { id: number }> = {};
const today = '2026-11-23';
const years = ['2022/23', '2023/24', '2024/25'];

/** A point `km` north of (lat, lon). */
const north = (lat: number, km: number) => lat + km / 111.2;
const R = { lat: 50.7, lon: -3.5 };

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Exe Federation', kind: 'federation' });
  const m = await makeNetwork(db, { name: 'Moor Cluster', kind: 'cluster' });
  const school = (name: string, km: number, over: Record<string, unknown> = {}) =>
    makeSchool(db, { name, latitude: north(R.lat, km), longitude: R.lon, fsm_pct: 20, sen_pct: 12, eal_pct: 5, pupil_roll: 200, la_name: 'Devon', ...over });
  const r = await school('Rowan Primary', 0);
  const partner = await school('Pine Primary', 3, { fsm_pct: 22 });
  const s1 = await school('Sycamore Primary', 25, { fsm_pct: 24 });
  const s2 = await school('Spruce Primary', 1, { fsm_pct: 18 });
  const s3 = await school('Closed Primary', 30, { status: 'closed' });
  const s4 = await school('Conflict Primary', 28);
  const s5 = await school('Busy Primary', 26);
  const s6 = await school('Unknown Primary', 27);
  const o7 = await school('Offer Primary', 29);
  const q = await school('Quince Primary', 4, { la_name: 'Cornwall' });
  const senior = await school('Senior High', 20, { phase: 'secondary' });
  const fillers = [];
  for (let i = 0; i < 24; i++) fillers.push(await school(`Filler ${i} Primary`, 40 + i * 2, { fsm_pct: 5 + i * 1.5, sen_pct: 8 + (i % 5), eal_pct: 2 + (i % 7), pupil_roll: 120 + i * 10 }));
  for (const s of [r, partner, q]) await makeMembership(db, s, n, { joined_on: '2018-09-01' });
  await makeMembership(db, s1, m, { joined_on: '2018-09-01' });
  Object.assign(id, { n: n.id, m: m.id, r: r.id, partner: partner.id, s1: s1.id, s2: s2.id, s3: s3.id, s4: s4.id, s5: s5.id, s6: s6.id, o7: o7.id, q: q.id, senior: senior.id });

  // Published KS2 results: maths progress (and reading for reciprocity) over three years.
  const maths = new Map<number, number>([
    [r.id, -4],
    [s1.id, 5],
    [s2.id, 5],
    [s4.id, 4.5],
    [s5.id, 4],
    [partner.id, 0.5],
    [q.id, -3],
    [senior.id, 6],
  ]);
  const readingFor = new Map<number, number>([
    [r.id, 3],
    [s1.id, -3],
  ]);
  for (const [i, f] of fillers.entries()) maths.set(f.id, (((i * 37) % 11) - 5) * 0.2);
  const urnOf = new Map((await db.selectFrom('school').select(['id', 'urn']).execute()).map((s) => [Number(s.id), s.urn!]));
  for (const [schoolId, v] of maths) {
    for (const [k, year] of years.entries()) {
      const read = readingFor.get(schoolId) ?? (((schoolId * 13 + k) % 7) - 3) * 0.2;
      await db.insertInto('ks2_result').values({ urn: urnOf.get(schoolId)!, academic_year: year, maths_progress: v + (k - 1) * 0.1, read_progress: read, source: 'test' }).execute();
    }
  }

  Object.assign(people, {
    admin: await makePerson(db, [{ role: 'platform_admin' }]),
    headR: await makePerson(db, [{ role: 'head_teacher', school: r }], { name: 'Rhea Head' }),
    teacherR: await makePerson(db, [{ role: 'teacher', school: r }]),
    headQ: await makePerson(db, [{ role: 'head_teacher', school: q }]),
    headS1: await makePerson(db, [{ role: 'head_teacher', school: s1 }], { name: 'Sam Sycamore' }),
    teacherS1: await makePerson(db, [{ role: 'teacher', school: s1 }]),
    headS5: await makePerson(db, [{ role: 'head_teacher', school: s5 }]),
    headO7: await makePerson(db, [{ role: 'head_teacher', school: o7 }], { name: 'Olga Head' }),
    teacherO7: await makePerson(db, [{ role: 'teacher', school: o7 }], { name: 'Oscar Teacher' }),
    broker: await makePerson(db, [{ role: 'honest_broker', network: n }], { name: 'Bea Broker' }),
    brokerTied: await makePerson(db, [{ role: 'honest_broker', network: n }], { name: 'Tia Tied' }),
    coordinator: await makePerson(db, [{ role: 'network_coordinator', network: n }], { name: 'Cora Coordinator' }),
    brokerM: await makePerson(db, [{ role: 'honest_broker', network: m }]),
    officer: await makePerson(db, [{ role: 'la_officer', laName: 'Devon' }]),
    researcher: await makePerson(db, [{ role: 'researcher', network: n }]),
  });
  // Rowan shares its results with the federation, so its brokers see the reciprocity factor's raw value.
  await db.insertInto('consent_decision').values({ school_id: r.id, network_id: n.id, data_class: 'outcomes', shared: true, decided_by: people.headR!.id }).execute();
  // An existing tie: Rowan and Pine have worked together.
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/activities',
    headers: await signedIn(db, people.headR!),
    payload: { type: 'joint_cpd', title: 'Shared INSET day', startOn: '2026-10-01', schools: [{ schoolId: r.id, direction: 'mutual' }, { schoolId: partner.id, direction: 'mutual' }] },
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Who = keyof typeof people | null;
async function api(who: Who, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
  const headers = who ? await signedIn(h.db, people[who]!) : {};
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

type Factor = { factor: string; raw: number | null; normalised: number; weight: number; contribution: number };
type Cand = { rank: number; school: { schoolId: number; name: string }; offer: { offerId: number } | null; score: number; factors: Factor[]; brokerAffiliated: boolean };

const request = (over: Record<string, unknown> = {}) => ({
  schoolId: id.r,
  focusArea: 'maths',
  kind: 'mentoring_coaching',
  daysNeeded: 3,
  terms: 2,
  description: 'Reasoning in upper key stage 2 lags behind; we want coaching for our Year 5 and 6 teachers.',
  conflicts: [{ schoolId: id.s4, reason: 'We recruit from the same estate' }],
  ...over,
});

describe('brokering', () => {
  it('keeps the focus areas of the database and of common/brokering.ts equal', async () => {
    const rows = await h.db.selectFrom('focus_area').select('code').execute();
    expect(rows.map((r) => r.code).sort()).toEqual([...FocusArea.codes].sort());
  });

  it('need a session, and name the bad field', async () => {
    expect((await api(null, 'GET', '/support-requests')).status).toBe(401);
    expect((await api(null, 'GET', '/brokering/vocabulary')).status).toBe(401);
    const bad = await api('headR', 'POST', '/support-requests', request({ daysNeeded: 0, focusArea: 'knitting' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.focusArea', 'body.daysNeeded']));
  });

  it('derive strengths and needs from published results relative to similar schools, shown only to who may read them', async () => {
    const own = await api('headR', 'GET', `/schools/${id.r}/brokering-profile`);
    expect(own.status).toBe(200);
    const maths = own.body.areas.find((a: { focusArea: string }) => a.focusArea === 'maths');
    expect(maths.derived.reading).toBe('need');
    expect(maths.derived.sources[0]).toMatchObject({ measure: 'ks2_maths_progress', years });
    const reading = own.body.areas.find((a: { focusArea: string }) => a.focusArea === 'reading');
    expect(reading.derived.reading).toBe('strength');
    expect(own.body.priorities).toEqual([]);
    const strong = await api('headS1', 'GET', `/schools/${id.s1}/brokering-profile`);
    expect(strong.body.areas.find((a: { focusArea: string }) => a.focusArea === 'maths').derived.reading).toBe('strength');
    // Another school's staff see neither its derived values (they rest on its results) nor its needs.
    const other = await api('headQ', 'GET', `/schools/${id.s1}/brokering-profile`);
    const hidden = other.body.areas.find((a: { focusArea: string }) => a.focusArea === 'maths');
    expect(hidden).toMatchObject({ derived: null, withheld: true, priority: null });
    expect(other.body.priorities).toBeNull();
  });

  it('lets a school leader declare priorities, and staff offer expertise that a leader approves', async () => {
    expect((await api('teacherR', 'POST', `/schools/${id.r}/priorities`, { focusArea: 'maths' })).status).toBe(404);
    const p = await api('headR', 'POST', `/schools/${id.r}/priorities`, { focusArea: 'maths', note: 'Reasoning in Year 6' });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ focusArea: 'maths', current: true, declaredBy: 'Rhea Head' });
    expect((await api('headR', 'POST', `/schools/${id.r}/priorities`, { focusArea: 'maths' })).status).toBe(409);
    expect((await api('headQ', 'GET', `/schools/${id.r}/priorities`)).status).toBe(404);
    expect((await api('broker', 'GET', `/schools/${id.r}/priorities`)).body.items).toHaveLength(1);

    // Oscar offers his own maths expertise; it waits for his head's approval.
    const offer = await api('teacherO7', 'POST', '/expertise-offers', { schoolId: id.o7, focusArea: 'maths', kinds: ['mentoring_coaching'], capacityDays: 6, note: 'Maths lead' });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ status: 'proposed', person: { name: 'Oscar Teacher' }, capacityLeft: 6 });
    id.offer7 = offer.body.id;
    expect((await api('headQ', 'GET', '/expertise-offers?status=proposed')).body.items).toEqual([]);
    expect((await api('teacherO7', 'PATCH', `/expertise-offers/${id.offer7}`, { status: 'active' })).status).toBe(404);
    expect((await api('teacherS1', 'POST', '/expertise-offers', { schoolId: id.o7, focusArea: 'maths', kinds: ['training'], capacityDays: 2 })).status).toBe(404);
    const approved = await api('headO7', 'PATCH', `/expertise-offers/${id.offer7}`, { status: 'active' });
    expect(approved.body).toMatchObject({ status: 'active', approvedOn: today });
    // Busy Primary's head offers two days a term: fewer than a three-day request needs.
    const busy = await api('headS5', 'POST', '/expertise-offers', { schoolId: id.s5, personId: null, focusArea: 'maths', kinds: ['mentoring_coaching'], capacityDays: 2 });
    expect(busy.body).toMatchObject({ status: 'active', person: null });
    id.offer5 = busy.body.id;
  });

  it('raise a request (a leader of the school only; one live request per area)', async () => {
    expect((await api('teacherR', 'POST', '/support-requests', request())).status).toBe(404);
    expect((await api('headQ', 'POST', '/support-requests', request())).status).toBe(404);
    const r = await api('headR', 'POST', '/support-requests', request());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'open', broker: null, focusArea: 'maths', brokerCheck: { flag: 'none' }, shortlist: null });
    id.req = r.body.id;
    expect((await api('headR', 'POST', '/support-requests', request())).status).toBe(409);
  });

  it('rank candidates over real rows: explanations sum to the score, and the hard constraints hold', async () => {
    const r = await api('broker', 'GET', `/support-requests/${id.req}/candidates?limit=200`);
    expect(r.status).toBe(200);
    const list = r.body.candidates as Cand[];
    const ids = list.map((c) => c.school.schoolId);
    for (const c of list) {
      let sum = 0;
      for (const f of c.factors) {
        expect(f.contribution).toBe(f.weight * f.normalised);
        sum += f.contribution;
      }
      expect(sum).toBe(c.score);
      expect(c.factors.map((f) => f.factor)).toEqual(['strength', 'similarity', 'nonCompetition', 'travel', 'capacity', 'reciprocity', 'ties', 'diversity']);
    }
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.score).toBeGreaterThanOrEqual(list[i]!.score);
    // Never itself, never closed, never a declared conflict, never over capacity, never without evidence.
    // A secondary school's results say nothing about primary maths: without an offer it is no candidate.
    for (const excluded of [id.r, id.s3, id.s4, id.s5, id.s6, id.senior]) expect(ids).not.toContain(excluded);
    expect(r.body.excludedCounts).toMatchObject({ self: 1, closed: 1, 'conflict of interest': 1, 'over capacity': 1 });
    expect(r.body.excludedCounts['no strength data']).toBeGreaterThanOrEqual(1);
    // The offer is a candidate though its school has no data: its declared expertise is the evidence.
    const offer = list.find((c) => c.offer?.offerId === id.offer7)!;
    expect(offer.factors[0]!.normalised).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
    // The strong school next door competes for the same pupils; the one 25 km away does not.
    const near = list.find((c) => c.school.schoolId === id.s2)!;
    const far = list.find((c) => c.school.schoolId === id.s1)!;
    expect(near.factors.find((f) => f.factor === 'nonCompetition')!.normalised).toBeLessThan(0.5);
    expect(far.factors.find((f) => f.factor === 'nonCompetition')!.normalised).toBe(1);
    expect(near.factors.find((f) => f.factor === 'travel')!.normalised).toBeGreaterThan(far.factors.find((f) => f.factor === 'travel')!.normalised);
    // Sycamore needs reading, where Rowan is strong: something to offer back.
    expect(far.factors.find((f) => f.factor === 'reciprocity')!.normalised).toBeGreaterThan(0.9);
    // Raw values resting on published results: Rowan's (shared with the federation) shown, Sycamore's (not shared) withheld.
    expect(far.factors.find((f) => f.factor === 'reciprocity')!.raw).toBeGreaterThan(1);
    expect(far.factors.find((f) => f.factor === 'strength')!.raw).toBeNull();
    expect(far.factors.find((f) => f.factor === 'travel')!.raw).toBeCloseTo(25, 0);
    // Pine, an existing partner with a tie, brings nothing new.
    const pine = list.find((c) => c.school.schoolId === id.partner)!;
    expect(pine.factors.find((f) => f.factor === 'ties')!.normalised).toBeGreaterThan(0);
    expect(pine.factors.find((f) => f.factor === 'diversity')!.normalised).toBe(0);
    // A weight set to zero takes the factor out of the score.
    const w = await api('broker', 'GET', `/support-requests/${id.req}/candidates?weights=travel:0,nonCompetition:0`);
    for (const c of w.body.candidates as Cand[]) expect(c.factors.find((f) => f.factor === 'travel')!.contribution).toBe(0);
    expect((await api('broker', 'GET', `/support-requests/${id.req}/candidates?weights=luck:1`)).status).toBe(400);
  });

  it('hide the ranking from anyone who does not broker the school', async () => {
    for (const who of ['headR', 'teacherR', 'researcher', 'brokerM', 'headS1'] as const) {
      expect((await api(who, 'GET', `/support-requests/${id.req}/candidates`)).status, who).toBe(404);
    }
    expect((await api('officer', 'GET', `/support-requests/${id.req}/candidates`)).status).toBe(200);
    expect((await api('brokerM', 'GET', `/support-requests/${id.req}`)).status).toBe(404);
    expect((await api('brokerM', 'GET', '/support-requests')).body.items).toEqual([]);
    expect((await api('broker', 'GET', '/support-requests')).body.items.map((r: { id: number }) => r.id)).toEqual([id.req]);
    expect((await api('headS1', 'GET', '/support-requests')).body.items).toEqual([]);
  });

  it('flag a broker tied to one party, and refuse brokering until affiliations are declared', async () => {
    const undeclared = await api('broker', 'POST', `/support-requests/${id.req}/shortlist`, { candidates: [{ schoolId: id.s1 }] });
    expect(undeclared.status).toBe(409);
    expect(undeclared.body.detail).toMatch(/declare your affiliations/);
    expect((await api('broker', 'GET', '/brokers/me/affiliations')).body).toEqual({ declaredOn: null, affiliations: [] });
    expect((await api('headR', 'GET', '/brokers/me/affiliations')).status).toBe(403);
    // The coordinator is employed by the federation: tied to the requester only.
    expect((await api('coordinator', 'PUT', '/brokers/me/affiliations', { affiliations: [{ networkId: id.n, kind: 'employed' }] })).status).toBe(200);
    const c = await api('coordinator', 'GET', `/support-requests/${id.req}/candidates`);
    expect(c.body.brokerCheck).toMatchObject({ flag: 'requester', declared: true });
    expect(c.body.brokerCheck.message).toMatch(/not an honest broker/);
    // Tia was deputy head at Sycamore: her ranking marks Sycamore.
    await api('brokerTied', 'PUT', '/brokers/me/affiliations', { affiliations: [{ schoolId: id.s1, kind: 'former', note: 'Deputy head until 2022' }] });
    const t = await api('brokerTied', 'GET', `/support-requests/${id.req}/candidates?limit=200`);
    expect((t.body.candidates as Cand[]).find((x) => x.school.schoolId === id.s1)!.brokerAffiliated).toBe(true);
    expect(t.body.brokerCheck.flag).toBe('none');
    const declared = await api('broker', 'PUT', '/brokers/me/affiliations', { affiliations: [] });
    expect(declared.body).toEqual({ declaredOn: today, affiliations: [] });
    expect((await api('broker', 'PUT', '/brokers/me/affiliations', { affiliations: [{ kind: 'other' }] })).status).toBe(400);
  });

  it('shortlist scored candidates (refusing excluded ones), introduce one, and let each side answer', async () => {
    const closed = await api('broker', 'POST', `/support-requests/${id.req}/shortlist`, { candidates: [{ schoolId: id.s3 }] });
    expect(closed.status).toBe(400);
    expect(closed.body.detail).toMatch(/candidates\[0\].*closed/);
    const s = await api('broker', 'POST', `/support-requests/${id.req}/shortlist`, { candidates: [{ schoolId: id.o7, offerId: id.offer7 }, { schoolId: id.s1 }] });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'shortlisted', broker: { name: 'Bea Broker' } });
    expect(s.body.shortlist).toHaveLength(2);
    for (const e of s.body.shortlist) expect(e.factors.reduce((t: number, f: Factor) => t + f.contribution, 0)).toBe(e.score);
    expect(s.body.shortlist[0].score).toBeGreaterThanOrEqual(s.body.shortlist[1].score);
    // Only its broker moves it on; others who may broker are told who does.
    expect((await api('coordinator', 'POST', `/support-requests/${id.req}/shortlist`, { candidates: [{ schoolId: id.s1 }] })).status).toBe(409);
    // The requester does not see the shortlist (it carries other schools' scores).
    expect((await api('headR', 'GET', `/support-requests/${id.req}`)).body.shortlist).toBeNull();
    // The snapshot keeps no published result the broker may not read: raw strength and
    // reciprocity are withheld exactly as in the live ranking.
    const live = (await api('broker', 'GET', `/support-requests/${id.req}/candidates?limit=50`)).body.candidates as { school: { schoolId: number }; factors: Factor[] }[];
    for (const e of s.body.shortlist as { school: { schoolId: number }; factors: Factor[] }[]) {
      const inRanking = live.find((c) => c.school.schoolId === e.school.schoolId);
      for (const f of e.factors.filter((x) => x.factor === 'strength' || x.factor === 'reciprocity')) {
        expect(f.raw, `${f.factor} of school ${e.school.schoolId}`).toBe(inRanking?.factors.find((x) => x.factor === f.factor)?.raw ?? null);
      }
    }
    // "mine=false" is not "mine".
    const all = (await api('broker', 'GET', '/support-requests?mine=false')).body.items.length;
    expect(all).toBeGreaterThanOrEqual((await api('broker', 'GET', '/support-requests?mine=true')).body.items.length);

    const sycamore = s.body.shortlist.find((e: { school: { schoolId: number } }) => e.school.schoolId === id.s1);
    const intro = await api('broker', 'POST', `/support-requests/${id.req}/introductions`, { shortlistEntryId: sycamore.id, note: 'Sycamore has coached two schools in reasoning' });
    expect(intro.status).toBe(200);
    expect(intro.body.status).toBe('introduced');
    const introductionId = intro.body.introductions[0].id;
    expect((await api('broker', 'POST', `/support-requests/${id.req}/shortlist`, { candidates: [{ schoolId: id.s1 }] })).status).toBe(409);
    expect((await api('broker', 'POST', `/support-requests/${id.req}/introductions`, { shortlistEntryId: sycamore.id })).status).toBe(409);
    // Sycamore's head sees the request once introduced, and it waits for their answer.
    expect((await api('headS1', 'GET', '/introductions/mine')).body.items.map((i: { id: number }) => i.id)).toEqual([introductionId]);
    expect((await api('headS1', 'GET', `/support-requests/${id.req}`)).body.introductions[0].viewerAnswers).toBe('supporter');
    // A teacher of the supporting school does not answer for it; nor does an administrator.
    expect((await api('teacherS1', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted' })).status).toBe(404);
    expect((await api('admin', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted' })).status).toBe(404);
    const accepted = await api('headR', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted' });
    expect(accepted.body.introductions[0]).toMatchObject({ status: 'pending', requester: { answer: 'accepted', by: 'Rhea Head' } });
    expect((await api('headR', 'POST', `/introductions/${introductionId}/answer`, { answer: 'declined' })).status).toBe(409);
    const declined = await api('headS1', 'POST', `/introductions/${introductionId}/answer`, { answer: 'declined', note: 'No capacity this year' });
    expect(declined.body.status).toBe('shortlisted');
    expect(declined.body.introductions[0]).toMatchObject({ status: 'declined', supporterAnswer: { answer: 'declined', note: 'No capacity this year' } });
    // A declined candidate is not introduced again.
    expect((await api('broker', 'POST', `/support-requests/${id.req}/introductions`, { shortlistEntryId: sycamore.id })).status).toBe(409);
  });

  it('make a support partnership with goals when both sides accept, and record the collaboration', async () => {
    const { body: before } = await api('broker', 'GET', `/support-requests/${id.req}`);
    const offerEntry = before.shortlist.find((e: { offer: { offerId: number } | null }) => e.offer?.offerId === id.offer7);
    const intro = await api('broker', 'POST', `/support-requests/${id.req}/introductions`, { shortlistEntryId: offerEntry.id });
    const introductionId = intro.body.introductions[0].id;
    // The offer holds its days while the introduction waits.
    expect((await api('headO7', 'GET', `/expertise-offers?schoolId=${id.o7}`)).body.items[0]).toMatchObject({ committedDays: 3, capacityLeft: 3 });
    // Oscar's own offer: he answers for the supporting side, not his head.
    expect((await api('headO7', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted' })).status).toBe(409);
    await api('teacherO7', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted' });
    const matched = await api('headR', 'POST', `/introductions/${introductionId}/answer`, { answer: 'accepted', note: 'Yes please' });
    expect(matched.status).toBe(200);
    expect(matched.body).toMatchObject({ status: 'matched', supporter: { schoolId: id.o7 }, offer: { offerId: id.offer7, person: { name: 'Oscar Teacher' } } });
    const { partnershipId, supportNetworkId, activityId } = matched.body;
    expect(partnershipId).toEqual(expect.any(Number));
    Object.assign(id, { partnership: partnershipId, supportNetwork: supportNetworkId });

    const plan = await api('headR', 'GET', `/partnerships/${partnershipId}`);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ stage: 'forming', networkId: supportNetworkId });
    expect(plan.body.members.map((m: { schoolId: number }) => m.schoolId).sort()).toEqual([id.r, id.o7].sort());
    const goals = plan.body.goals as { statement: string; measure: string; missingContributions: unknown[]; baseline: { source: string } }[];
    expect(goals.length).toBeGreaterThanOrEqual(2);
    expect(goals[0]!.statement).toMatch(/Deliver 6 days of mentoring or coaching in mathematics/);
    expect(goals.some((g) => g.measure === 'KS2 maths progress' && g.baseline.source === '2024/25 published results')).toBe(true);
    for (const g of goals) expect(g.missingContributions).toEqual([]);
    expect(plan.body.agreement).toMatchObject({ version: 1, agreed: false });
    // The broker coordinates it; the two schools' memberships say who supports whom.
    const members = await h.db.selectFrom('membership').select(['school_id', 'role']).where('network_id', '=', supportNetworkId).orderBy('role').execute();
    expect(members.map((x) => [Number(x.school_id), x.role])).toEqual([
      [id.r, 'supported'],
      [id.o7, 'supporting'],
    ]);
    const network = await h.db.selectFrom('network').select(['kind', 'name']).where('id', '=', supportNetworkId).executeTakeFirstOrThrow();
    expect(network.kind).toBe('partnership');
    // An activity between the two schools, so the tie counts.
    const activity = await api('teacherO7', 'GET', `/activities/${activityId}`);
    expect(activity.body).toMatchObject({ type: { code: 'coaching_mentoring' } });
    const tie = await sql<{ n: number }>`select count(*)::int as n from tie where (school_a, school_b) = (${Math.min(id.r!, id.o7!)}, ${Math.max(id.r!, id.o7!)})`.execute(h.db);
    expect(tie.rows[0]!.n).toBe(1);
    // The offer's days are now committed to the live support.
    expect((await api('headO7', 'GET', `/expertise-offers?schoolId=${id.o7}`)).body.items[0]).toMatchObject({ committedDays: 3 });
  });

  it('refuse moves out of order with 409, and run the support to its close', async () => {
    const p = `/support-requests/${id.req}`;
    expect((await api('broker', 'POST', `${p}/review`, { note: 'Going well so far' })).status).toBe(409);
    expect((await api('broker', 'POST', `${p}/close`, { outcome: 'achieved' })).status).toBe(409);
    expect((await api('headR', 'POST', `${p}/withdraw`, { reason: 'Changed our mind' })).status).toBe(409);
    // The partnership becomes active only once both schools have signed its agreement.
    const early = await api('broker', 'POST', `${p}/start`, {});
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/cannot become active yet/);
    expect((await api('headR', 'POST', `/partnerships/${id.partnership}/agreement/sign`, { schoolId: id.r })).status).toBe(200);
    expect((await api('headO7', 'POST', `/partnerships/${id.partnership}/agreement/sign`, { schoolId: id.o7 })).status).toBe(200);
    expect((await api('headR', 'POST', `${p}/start`, {})).status).toBe(404);
    const started = await api('broker', 'POST', `${p}/start`, {});
    expect(started.body).toMatchObject({ status: 'in_support', startedOn: today });
    expect((await api('broker', 'GET', `/partnerships/${id.partnership}`)).body.stage).toBe('active');
    const reviewed = await api('broker', 'POST', `${p}/review`, { note: 'Two coaching cycles done; Year 6 reasoning books show it' });
    expect(reviewed.body).toMatchObject({ status: 'reviewed', review: { by: 'Bea Broker' } });
    expect((await api('broker', 'POST', `${p}/continue`, {})).body.status).toBe('in_support');
    await api('broker', 'POST', `${p}/review`, { note: 'The work is done; the school leads its own reasoning now' });
    const closed = await api('broker', 'POST', `${p}/close`, { outcome: 'achieved', note: 'Reasoning is now a strength' });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: { outcome: 'achieved', closedOn: today } });
    expect((await api('broker', 'POST', `${p}/start`, {})).status).toBe(409);
    // A closed request frees the offer's days.
    expect((await api('headO7', 'GET', `/expertise-offers?schoolId=${id.o7}`)).body.items[0]).toMatchObject({ committedDays: 0 });
    const audit = await sql<{ action: string }>`select distinct action from audit_event where action like 'brokering.%' order by action`.execute(h.db);
    expect(audit.rows.map((a) => a.action)).toEqual(expect.arrayContaining(['brokering.answer', 'brokering.introduce', 'brokering.rank', 'brokering.request', 'brokering.stage']));
  });

  it('withdraw a request before a match (the school or its broker)', async () => {
    const r = await api('headR', 'POST', '/support-requests', request({ focusArea: 'writing', conflicts: [] }));
    expect((await api('headQ', 'POST', `/support-requests/${r.body.id}/withdraw`, { reason: 'Not ours' })).status).toBe(404);
    const w = await api('headR', 'POST', `/support-requests/${r.body.id}/withdraw`, { reason: 'We found help within the federation' });
    expect(w.body).toMatchObject({ status: 'withdrawn', withdrawnReason: 'We found help within the federation' });
  });

  it('allocate supporters to every open request of an area, one offer each before any gets a second', async () => {
    const a = await api('headR', 'POST', '/support-requests', request({ focusArea: 'maths', conflicts: [] }));
    const b = await api('headQ', 'POST', '/support-requests', request({ schoolId: id.q, conflicts: [] }));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await api('headR', 'GET', `/brokering/allocation?networkId=${id.n}`)).status).toBe(404);
    expect((await api('officer', 'GET', `/brokering/allocation?networkId=${id.n}`)).status).toBe(404);
    const r = await api('broker', 'GET', `/brokering/allocation?networkId=${id.n}&maxPerRequest=2&candidates=10`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ requests: 2, fairness: 'one-before-second' });
    expect(r.body.method).toMatch(/shortest path/i);
    const perRequest = new Map<number, number>();
    for (const pair of r.body.pairs) perRequest.set(pair.request.id, (perRequest.get(pair.request.id) ?? 0) + 1);
    expect([...perRequest.values()].every((k) => k >= 1 && k <= 2)).toBe(true);
    expect(perRequest.size).toBe(2);
    // A school approached without an offer is offered to one request at a time.
    const schoolsWithoutOffer = r.body.pairs.filter((p: { candidate: Cand }) => p.candidate.offer === null).map((p: { candidate: Cand }) => p.candidate.school.schoolId);
    expect(new Set(schoolsWithoutOffer).size).toBe(schoolsWithoutOffer.length);
    expect(r.body.total).toBeCloseTo(r.body.pairs.reduce((t: number, p: { candidate: Cand }) => t + p.candidate.score, 0), 12);
    const la = await api('officer', 'GET', '/brokering/allocation?laName=Devon');
    expect(la.body.requests).toBe(1);
    expect((await api('broker', 'GET', '/brokering/allocation')).status).toBe(400);
  });
});
