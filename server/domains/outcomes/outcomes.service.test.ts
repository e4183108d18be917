import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

let h: DatabaseHandle;
let app: FastifyInstance;
const schools: { id: number; urn: number }[] = [];
let networkId = 0;
let researcher: Record<string, string>;
let head: { id: number };

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const n = await makeNetwork(h.db, { name: 'Data Federation' });
  networkId = n.id;
  const rwm = [60, 70, 80, 20];
  for (const [i, pct] of rwm.entries()) {
    const s = await makeSchool(h.db, { name: `School ${i}`, urn: 700100 + i });
    await makeMembership(h.db, s, n, { joined_on: '2019-09-01' });
    await h.db.insertInto('ks2_result').values({ urn: 700100 + i, academic_year: '2018/19', rwm_expected_pct: pct, source: 'test' }).execute();
    schools.push({ id: s.id, urn: 700100 + i });
  }
  head = await makePerson(h.db, schools.slice(0, 3).map((s) => ({ role: 'head_teacher' as const, school: s })));
  // The first three share outcomes with the network; the fourth does not.
  for (const s of schools.slice(0, 3)) {
    await h.db.insertInto('consent_decision').values({ school_id: s.id, network_id: n.id, data_class: 'outcomes', shared: true, decided_by: head.id }).execute();
  }
  researcher = await signedIn(h.db, await makePerson(h.db, [{ role: 'researcher', network: n }]));
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const summary = async () => (await app.inject({ method: 'GET', url: `/api/v1/networks/${networkId}/outcomes/summary`, headers: researcher })).json();

describe("a network's results in aggregate", () => {
  it('averages only the schools that share, and a researcher sees no school’s own figures', async () => {
    expect(await summary()).toMatchObject({ members: 4, sharingOutcomes: 3, ks2RwmExpectedPct: { academicYear: '2018/19', schools: 3, mean: 70, withheld: false }, ks4Attainment8: null });
    const rows = (await app.inject({ method: 'GET', url: `/api/v1/networks/${networkId}/outcomes`, headers: researcher })).json().items as { shared: boolean; ks2: unknown }[];
    expect(rows.every((r) => !r.shared && r.ks2 === null)).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/v1/schools/${schools[0]!.id}/outcomes`, headers: researcher })).statusCode).toBe(404);
  });

  it("shows each sharing member's latest year that has a headline figure", async () => {
    // A later year without the reading-writing-maths figure (as the 2018/19 file publishes).
    await h.db.insertInto('ks2_result').values({ urn: schools[0]!.urn, academic_year: '2019/20', rwm_expected_pct: null, source: 'test' }).execute();
    const headers = await signedIn(h.db, head);
    const rows = (await app.inject({ method: 'GET', url: `/api/v1/networks/${networkId}/outcomes`, headers })).json().items as { name: string; ks2: unknown }[];
    expect(rows.find((r) => r.name === 'School 0')!.ks2).toEqual({ academicYear: '2018/19', rwmExpectedPct: 60 });
  });

  it('withholds the mean when fewer than three schools share', async () => {
    const headers = await signedIn(h.db, head);
    await app.inject({ method: 'POST', url: `/api/v1/schools/${schools[2]!.id}/sharing`, headers, payload: { networkId, dataClass: 'outcomes', shared: false } });
    expect((await summary()).ks2RwmExpectedPct).toEqual({ academicYear: '2018/19', schools: 2, mean: null, withheld: true });
  });
});
