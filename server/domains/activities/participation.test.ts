import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { participationSeries, periodsBetween } from './participation.ts';

describe('participation series (pure)', () => {
  it('cuts months and school terms (autumn Sep–Dec, spring Jan–Mar, summer Apr–Aug)', () => {
    expect(periodsBetween('2025-11-15', '2026-02-01', 'month').map((p) => [p.period, p.label, p.startOn, p.endOn])).toEqual([
      ['2025-11', 'Nov 2025', '2025-11-01', '2025-11-30'],
      ['2025-12', 'Dec 2025', '2025-12-01', '2025-12-31'],
      ['2026-01', 'Jan 2026', '2026-01-01', '2026-01-31'],
      ['2026-02', 'Feb 2026', '2026-02-01', '2026-02-28'],
    ]);
    expect(periodsBetween('2025-08-31', '2026-04-01', 'term').map((p) => p.period)).toEqual(['2024/25-summer', '2025/26-autumn', '2025/26-spring', '2025/26-summer']);
  });

  it('counts an activity’s people once in each period it has an occurrence in, not once per occurrence', () => {
    const weekly = { startOn: '2025-09-08', endOn: '2025-11-10', count: 10, everyDays: 7, everyMonths: 0, staff: { teachers: 6 } };
    const secondment = { startOn: '2025-10-01', endOn: '2026-01-31', count: 1, everyDays: 0, everyMonths: 0, staff: { senior_leaders: 1 } };
    const series = participationSeries([weekly, secondment], '2025-09-01', '2026-02-28', 'month');
    expect(series.map((p) => [p.period, p.activities, p.people.teachers, p.people.senior_leaders, p.total, p.levels])).toEqual([
      ['2025-09', 1, 6, 0, 6, 1],
      ['2025-10', 2, 6, 1, 7, 2],
      ['2025-11', 2, 6, 1, 7, 2],
      ['2025-12', 1, 0, 1, 1, 1],
      ['2026-01', 1, 0, 1, 1, 1],
      ['2026-02', 0, 0, 0, 0, 0],
    ]);
    const terms = participationSeries([weekly, secondment], '2025-09-01', '2026-02-28', 'term');
    expect(terms.map((p) => [p.period, p.activities, p.total])).toEqual([
      ['2025/26-autumn', 2, 7],
      ['2025/26-spring', 1, 1],
    ]);
  });
});

describe('participation over HTTP', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  const id: Record<string, number> = {};
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    h = await testDatabase();
    app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
    const n = await makeNetwork(h.db, { name: 'Moor Schools' });
    id.n = n.id;
    const schools: { id: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await makeSchool(h.db, { name: `Moor ${i}` });
      await makeMembership(h.db, s, n, { joined_on: '2020-09-01' });
      schools.push(s);
      id[`s${i}`] = s.id;
    }
    const head = await makePerson(h.db, schools.map((s) => ({ role: 'head_teacher' as const, school: s })));
    as.admin = await adminHeaders(h.db);
    as.researcher = await signedIn(h.db, await makePerson(h.db, [{ role: 'researcher', network: n }]));
    as.teacher0 = await signedIn(h.db, await makePerson(h.db, [{ role: 'teacher', school: schools[0]! }]));
    const share = (i: number) => h.db.insertInto('consent_decision').values({ school_id: schools[i]!.id, network_id: n.id, data_class: 'activity_records', shared: true, decided_by: head.id }).execute();
    await share(0);
    await share(1);
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/activities', headers: as.admin, payload: { networkId: n.id, ...payload } });
    await post({ type: 'joint_cpd', title: 'Autumn INSET', startOn: '2026-10-02', schools: [0, 1, 2].map((i) => ({ schoolId: schools[i]!.id, direction: 'mutual', staff: { teachers: 10 + i, support_staff: 2 } })) });
    await post({ type: 'pupil_voice', title: 'Pupil parliament', startOn: '2026-03-10', recurrence: 'monthly', occurrences: 3, schools: [0, 3].map((i) => ({ schoolId: schools[i]!.id, direction: 'mutual', staff: { pupils: 8 } })) });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });
  const get = async (who: string, url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as[who] });
    return { status: res.statusCode, body: res.json() };
  };

  it("gives a school's own people by level over time", async () => {
    const r = await get('teacher0', `/schools/${id.s0}/participation?by=term&from=2025-09-01`);
    expect(r.status).toBe(200);
    expect(r.body.periods.map((p: { period: string; people: Record<string, number>; total: number }) => [p.period, p.people.teachers, p.people.pupils, p.total])).toEqual([
      ['2025/26-autumn', 0, 0, 0],
      ['2025/26-spring', 0, 8, 8],
      ['2025/26-summer', 0, 8, 8], // the third monthly sitting, in May
      ['2026/27-autumn', 10, 0, 12],
    ]);
    expect((await get('researcher', `/schools/${id.s0}/participation`)).status).toBe(404);
    expect((await get('teacher0', `/schools/${id.s0}/participation?by=week`)).body.errors[0].path).toBe('querystring.by');
    expect((await get('teacher0', `/schools/${id.s0}/participation?from=2026-09-01&to=2026-01-01`)).body.errors[0].path).toBe('from');
  });

  it("withholds a network's series until three members share, then counts only theirs", async () => {
    const withheld = await get('researcher', `/networks/${id.n}/participation`);
    expect(withheld.body).toMatchObject({ sharingSchools: 2, minSchools: 3, withheld: true, periods: [] });
    const head = await h.db.selectFrom('post').select('person_id').where('school_id', '=', id.s3!).executeTakeFirstOrThrow();
    await h.db.insertInto('consent_decision').values({ school_id: id.s3!, network_id: id.n!, data_class: 'activity_records', shared: true, decided_by: head.person_id }).execute();
    const r = await get('researcher', `/networks/${id.n}/participation?by=term&from=2026-01-01`);
    expect(r.body).toMatchObject({ sharingSchools: 3, withheld: false });
    // School 2 took part in the INSET but does not share: its twelve teachers are not counted.
    expect(r.body.periods.map((p: { period: string; people: Record<string, number> }) => [p.period, p.people.teachers, p.people.support_staff, p.people.pupils])).toEqual([
      ['2025/26-spring', 0, 0, 16],
      ['2025/26-summer', 0, 0, 16],
      ['2026/27-autumn', 21, 4, 0],
    ]);
  });
});
