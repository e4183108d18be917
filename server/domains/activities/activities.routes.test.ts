import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInActivityTypes } from '../../../common/activities.ts';
import { adminHeaders, makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/**
 * The activity record over HTTP. Network N: Ash (shares its activity records with N), Birch and
 * Damson (do not). Cherry is in network M only. Each school has a teacher; Ash has a head.
 */
let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
const as: Record<string, Record<string, string>> = {};
const v1 = '/api/v1';

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => '2026-11-23', rateLimits: false });
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Northshire Federation' });
  const m = await makeNetwork(db, { name: 'Other Cluster', kind: 'cluster' });
  const a = await makeSchool(db, { name: 'Ash Primary', urn: 610001 });
  const b = await makeSchool(db, { name: 'Birch Primary', urn: 610002 });
  const d = await makeSchool(db, { name: 'Damson Primary', urn: 610004 });
  const c = await makeSchool(db, { name: 'Cherry Primary', urn: 610003 });
  for (const s of [a, b, d]) await makeMembership(db, s, n, { joined_on: '2015-09-01' });
  await makeMembership(db, c, m, { joined_on: '2015-09-01' });
  const headA = await makePerson(db, [{ role: 'head_teacher', school: a }]);
  await db.insertInto('consent_decision').values({ school_id: a.id, network_id: n.id, data_class: 'activity_records', shared: true, decided_by: headA.id }).execute();
  as.admin = await adminHeaders(db);
  as.headA = await signedIn(db, headA);
  for (const [key, school] of Object.entries({ A: a, B: b, C: c, D: d })) as[`teacher${key}`] = await signedIn(db, await makePerson(db, [{ role: 'teacher', school }]));
  as.coordinatorN = await signedIn(db, await makePerson(db, [{ role: 'network_coordinator', network: n }]));
  Object.assign(id, { n: n.id, m: m.id, a: a.id, b: b.id, c: c.id, d: d.id });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const call = async (who: string | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url: `${v1}${url}`, headers: who ? as[who] : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
  return { status: res.statusCode, body: res.body ? res.json() : null };
};

const activity = (over: Record<string, unknown> = {}) => ({
  type: 'peer_observation',
  title: 'Year 4 maths lessons',
  networkId: id.n,
  schools: [
    { schoolId: id.a, direction: 'giving', staff: { teachers: 2 } },
    { schoolId: id.b, direction: 'receiving', staff: { teachers: 3, middle_leaders: 1 } },
  ],
  startOn: '2026-10-05',
  hoursPerOccurrence: 1.5,
  focus: 'Maths: reasoning',
  evidence: ['https://example.org/notes'],
  ...over,
});

type View = { id: number; title: string; schools: { school: { name: string } | null; direction: string; staff: Record<string, number> | null }[] };
const names = (v: View) => v.schools.map((s) => s.school?.name ?? 'a school that does not share');

describe('the activity catalogue', () => {
  it('lists every built-in type in its five groups, the same list the migration seeds', async () => {
    const r = await call('teacherC', 'GET', '/activity-types');
    expect(r.status).toBe(200);
    expect(r.body.categories.map((c: { code: string }) => c.code)).toEqual(['practice', 'leadership', 'curriculum', 'resources', 'community']);
    const listed = r.body.categories.flatMap((c: { types: { code: string; category: string; label: string; description: string }[] }) =>
      c.types.map((t) => ({ code: t.code, category: t.category, label: t.label, description: t.description })),
    );
    expect(listed).toEqual(builtInActivityTypes);
  });

  it('lets administrators add, relabel and retire types, and nobody else', async () => {
    const type = { code: 'forest_school', category: 'curriculum', label: 'Shared forest school', description: 'Outdoor learning sessions for pupils of several schools.' };
    expect((await call('headA', 'POST', '/activity-types', type)).status).toBe(403);
    const added = await call('admin', 'POST', '/activity-types', type);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'forest_school', builtIn: false, retiredOn: null });
    expect((await call('admin', 'POST', '/activity-types', type)).status).toBe(409);
    const bad = await call('admin', 'POST', '/activity-types', { ...type, code: 'Forest School' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body.code');
    const retired = await call('admin', 'PATCH', '/activity-types/forest_school', { retired: true });
    expect(retired.body.retiredOn).toBe('2026-11-23');
    const refused = await call('teacherA', 'POST', '/activities', activity({ type: 'forest_school' }));
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/^type: "forest_school" was retired on 2026-11-23/);
    expect((await call('admin', 'PATCH', '/activity-types/forest_school', { retired: false })).body.retiredOn).toBeNull();
  });
});

describe('recording activities', () => {
  it('needs a session and the CSRF token', async () => {
    expect((await call(null, 'POST', '/activities', activity())).status).toBe(401);
    expect((await call(null, 'GET', '/activities')).status).toBe(401);
    const noCsrf = await app.inject({ method: 'POST', url: `${v1}/activities`, headers: { cookie: as.teacherA!.cookie! }, payload: activity() });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('records an activity for a school the person works in, with every field', async () => {
    const r = await call('teacherA', 'POST', '/activities', activity({ recurrence: 'weekly', occurrences: 6, outcomeNotes: 'Shared a reasoning routine.' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      type: { code: 'peer_observation', label: 'Peer observation', category: 'practice' },
      network: { id: id.n, name: 'Northshire Federation' },
      startOn: '2026-10-05',
      endOn: '2026-11-09', // the sixth weekly occurrence
      recurrence: 'weekly',
      occurrences: 6,
      hoursPerOccurrence: 1.5,
      focus: 'Maths: reasoning',
      evidence: ['https://example.org/notes'],
      outcomeNotes: 'Shared a reasoning routine.',
    });
    // Birch does not share its activity records: its own entry is redacted even for the recorder.
    expect(r.body.schools).toEqual([
      { school: { id: id.a, urn: 610001, name: 'Ash Primary' }, direction: 'giving', staff: { teachers: 2 } },
      { school: null, direction: 'receiving', staff: null },
    ]);
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'activity.record' and resource_id = ${String(r.body.id)}`.execute(h.db);
    expect(audited.rows[0]!.n).toBe(2); // one per school, so each school's leaders see it
    id.act1 = r.body.id;
  });

  it('refuses people who act for none of the schools, with the answer a missing resource gets', async () => {
    expect((await call('teacherC', 'POST', '/activities', activity())).status).toBe(404);
    // A coordinator may record among the network's current members, not with an outside school.
    expect((await call('coordinatorN', 'POST', '/activities', activity({ schools: [{ schoolId: id.b, direction: 'mutual' }, { schoolId: id.d, direction: 'mutual' }] }))).status).toBe(201);
    expect((await call('coordinatorN', 'POST', '/activities', activity({ schools: [{ schoolId: id.b, direction: 'mutual' }, { schoolId: id.c, direction: 'mutual' }] }))).status).toBe(404);
  });

  it('names the bad field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ evidence: ['javascript:alert(1)'] }, 'body.evidence.0', /http/],
      [{ schools: [{ schoolId: id.a, direction: 'giving' }] }, 'body.schools', /at least two/],
      [{ schools: [{ schoolId: id.a, direction: 'sideways' }, { schoolId: id.b, direction: 'mutual' }] }, 'body.schools.0.direction', /giving|receiving|mutual/],
      [{ schools: [{ schoolId: id.a, direction: 'giving', staff: { teachers: 0 } }, { schoolId: id.b, direction: 'mutual' }] }, 'body.schools.0.staff.teachers', /1/],
      [{ schools: [{ schoolId: id.a, direction: 'giving', staff: { dinner_ladies: 2 } }, { schoolId: id.b, direction: 'mutual' }] }, 'body.schools.0.staff', /dinner_ladies/],
      [{ startOn: '2026-13-01' }, 'body.startOn', /date/],
      [{ startOn: '2026-12-01' }, 'startOn', /after today/],
      [{ type: 'knitting' }, 'type', /not in the activity catalogue/],
      [{ schools: [{ schoolId: id.a, direction: 'giving' }, { schoolId: id.a, direction: 'mutual' }] }, 'schools[1].schoolId', /listed already/],
      [{ occurrences: 3 }, 'occurrences', /once has 1 occurrence/],
      [{ recurrence: 'termly', occurrences: 3, endOn: '2027-06-01' }, 'endOn', /series ends on its last occurrence/],
      [{ endOn: '2026-10-01' }, 'endOn', /before startOn/],
    ];
    for (const [over, path, message] of cases) {
      const r = await call('teacherA', 'POST', '/activities', activity(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.errors[0].path, JSON.stringify(over)).toBe(path);
      expect(r.body.errors[0].message, JSON.stringify(over)).toMatch(message);
    }
  });
});

describe('who sees which activities', () => {
  beforeAll(async () => {
    // Birch and Damson (neither shares) work together; Ash works with Cherry, outside the network.
    id.act2 = (await call('teacherB', 'POST', '/activities', activity({ title: 'Phonics moderation', type: 'moderation', schools: [{ schoolId: id.b, direction: 'mutual', staff: { teachers: 1 } }, { schoolId: id.d, direction: 'mutual', staff: { teachers: 1 } }] }))).body.id;
    id.act3 = (await call('teacherA', 'POST', '/activities', activity({ title: 'Transition day', type: 'transition', networkId: null, schools: [{ schoolId: id.a, direction: 'giving' }, { schoolId: id.c, direction: 'receiving', staff: { pupils: 30 } }] }))).body.id;
  });

  const titlesFor = async (who: string) => (await call(who, 'GET', '/activities?limit=200')).body.items.map((v: View) => v.title).sort();

  it("shows a school its own activities, and partners' only where a school shares them", async () => {
    // Birch's own three (one recorded by the coordinator), and Ash's day with Cherry: Ash shares with N.
    expect(await titlesFor('teacherB')).toEqual(['Phonics moderation', 'Transition day', 'Year 4 maths lessons', 'Year 4 maths lessons']);
    expect(await titlesFor('teacherD')).toEqual(['Phonics moderation', 'Transition day', 'Year 4 maths lessons', 'Year 4 maths lessons']);
    // Cherry, outside the network, sees its own transition day and nothing else.
    expect(await titlesFor('teacherC')).toEqual(['Transition day']);
    // Ash sees its own two; Birch's and Damson's work together stays theirs.
    expect(await titlesFor('teacherA')).toEqual(['Transition day', 'Year 4 maths lessons']);
  });

  it('a school without consent sees no partner activity details: schools that do not share are redacted', async () => {
    const seenByB = await call('teacherB', 'GET', `/activities/${id.act2}`);
    expect(names(seenByB.body)).toEqual(['Birch Primary', 'a school that does not share']);
    expect(seenByB.body.schools[1]).toEqual({ school: null, direction: 'mutual', staff: null });
    const seenByD = await call('teacherD', 'GET', `/activities/${id.act1}`);
    expect(names(seenByD.body)).toEqual(['Ash Primary', 'a school that does not share']);
    // Cherry sees its day with Ash, but Ash shares only with N, not with Cherry.
    const seenByC = await call('teacherC', 'GET', `/activities/${id.act3}`);
    expect(names(seenByC.body)).toEqual(['Cherry Primary', 'a school that does not share']);
    expect((await call('teacherC', 'GET', `/activities/${id.act1}`)).status).toBe(404);
    expect((await call('teacherA', 'GET', `/activities/${id.act2}`)).status).toBe(404);
  });

  it('revoking consent takes effect on the next request', async () => {
    const headA = await h.db.selectFrom('post').select('person_id').where('school_id', '=', id.a!).where('role', '=', 'head_teacher').executeTakeFirstOrThrow();
    const revoke = await call('headA', 'POST', `/schools/${id.a}/sharing`, { networkId: id.n, dataClass: 'activity_records', shared: false });
    expect(revoke.status).toBeLessThan(300);
    expect((await call('teacherD', 'GET', `/activities/${id.act1}`)).status).toBe(404);
    expect(names((await call('teacherB', 'GET', `/activities/${id.act1}`)).body)).toEqual(['Birch Primary', 'a school that does not share']);
    await h.db.insertInto('consent_decision').values({ school_id: id.a!, network_id: id.n!, data_class: 'activity_records', shared: true, decided_by: headA.person_id }).execute();
    expect((await call('teacherD', 'GET', `/activities/${id.act1}`)).status).toBe(200);
  });

  it('audits reads of other schools’ activity records, not of one’s own', async () => {
    const count = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'read.sensitive' and detail->>'dataClass' = 'activity_records'`.execute(h.db)).rows[0]!.n);
    const before = await count();
    await call('teacherC', 'GET', `/activities/${id.act3}`); // its own school only (Ash is redacted)
    expect(await count()).toBe(before);
    await call('teacherD', 'GET', `/activities/${id.act1}`); // Ash's shared record
    expect(await count()).toBe(before + 1);
  });
});

describe('listing activities', () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await call('headA', 'POST', '/activities', activity({ title: `Heads' meeting ${i}`, type: 'heads_group', startOn: `2026-0${i + 1}-15`, focus: i % 2 ? 'Attendance' : 'Curriculum', schools: [{ schoolId: id.a, direction: 'mutual', staff: { heads: 1 } }, { schoolId: id.b, direction: 'mutual', staff: { heads: 1 } }] }));
    }
  });
  const titles = async (query: string, who = 'headA') => {
    const r = await call(who, 'GET', `/activities?${query}`);
    expect(r.status, query).toBe(200);
    return r.body.items.map((v: View) => v.title);
  };

  it('filters by network, school, type, category, dates and focus', async () => {
    expect(await titles(`networkId=${id.m}`)).toEqual([]);
    expect(await titles(`networkId=${id.n}&type=heads_group&from=2026-03-01&to=2026-05-31`)).toEqual(["Heads' meeting 4", "Heads' meeting 3", "Heads' meeting 2"]);
    expect((await titles('focus=attend')).length).toBe(3);
    expect(await titles(`schoolId=${id.c}`, 'admin')).toEqual(['Transition day']);
    // Ash's head sees Ash's day with Cherry, but filtering on Cherry, which does not share with
    // Ash, finds nothing: the filter would otherwise reveal where a hidden school took part.
    expect(await titles('category=curriculum', 'headA')).toEqual(['Transition day']);
    expect(await titles(`schoolId=${id.c}`, 'headA')).toEqual([]);
    const bad = await call('headA', 'GET', '/activities?from=2026-05-01&to=2026-01-01');
    expect(bad.body.errors[0].path).toBe('from');
  });

  it('pages newest first with a cursor, each activity exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await call('admin', 'GET', `/activities?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((v: View) => v.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const all = (await sql<{ id: number }>`select id from activity where withdrawn_at is null order by start_on desc, id desc`.execute(h.db)).rows.map((r) => Number(r.id));
    expect(seen).toEqual(all);
    expect((await call('admin', 'GET', '/activities?cursor=nonsense')).body.errors[0].path).toBe('cursor');
  });
});

describe('changing and withdrawing activities', () => {
  it('changes fields and schools, recomputing the ties of every pair it touched', async () => {
    const created = await call('teacherA', 'POST', '/activities', activity({ title: 'Draft', startOn: '2026-11-02' }));
    const tie = async (x: number, y: number) => h.db.selectFrom('tie').selectAll().where('school_a', '=', Math.min(x, y)).where('school_b', '=', Math.max(x, y)).executeTakeFirst();
    const before = (await tie(id.a!, id.b!))!.activities;
    const changed = await call('teacherA', 'PATCH', `/activities/${created.body.id}`, { title: 'Writing moderation', type: 'moderation', schools: [{ schoolId: id.a, direction: 'mutual' }, { schoolId: id.c, direction: 'mutual' }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: 'Writing moderation', type: { code: 'moderation' }, startOn: '2026-11-02', hoursPerOccurrence: 1.5 });
    expect((await tie(id.a!, id.b!))!.activities).toBe(before - 1);
    expect((await tie(id.a!, id.c!))!.activities).toBe(2);
    // Birch's teacher may not change a record that is no longer about Birch.
    expect((await call('teacherB', 'PATCH', `/activities/${created.body.id}`, { title: 'Mine now' })).status).toBe(404);
    // Nor may Ash's teacher move a record to schools Ash has no part in.
    expect((await call('teacherA', 'PATCH', `/activities/${created.body.id}`, { schools: [{ schoolId: id.b, direction: 'mutual' }, { schoolId: id.c, direction: 'mutual' }] })).status).toBe(404);
    expect((await call('teacherA', 'PATCH', `/activities/${created.body.id}`, {})).body.errors[0].path).toBe('body');
    id.draft = created.body.id;
  });

  it('withdraws an activity: audited, gone from every view and tie, kept in the table', async () => {
    const withdrawn = await call('teacherA', 'DELETE', `/activities/${id.draft}`);
    expect(withdrawn.status).toBe(204);
    expect((await call('teacherA', 'GET', `/activities/${id.draft}`)).status).toBe(404);
    expect((await call('teacherA', 'DELETE', `/activities/${id.draft}`)).status).toBe(409);
    expect((await call('teacherA', 'PATCH', `/activities/${id.draft}`, { title: 'Back' })).status).toBe(409);
    const row = await h.db.selectFrom('activity').select(['withdrawn_at', 'withdrawn_by']).where('id', '=', id.draft!).executeTakeFirstOrThrow();
    expect(row.withdrawn_at).not.toBeNull();
    const tie = await h.db.selectFrom('tie').selectAll().where('school_a', '=', Math.min(id.a!, id.c!)).where('school_b', '=', Math.max(id.a!, id.c!)).executeTakeFirstOrThrow();
    expect(tie.activities).toBe(1);
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'activity.withdraw' and resource_id = ${String(id.draft)}`.execute(h.db);
    expect(audited.rows[0]!.n).toBe(2);
  });
});
