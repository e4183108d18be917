import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMembership, makeNetwork, makePerson, makeSchool, signedIn } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { loadActor } from '../access/actor.ts';
import { ImportRejected } from '../imports/import-error.ts';
import { ImportNotAllowed, importActivities } from './activity-import.ts';

const fixture = (name: string) => new URL(`../../../test/fixtures/activities/${name}`, import.meta.url).pathname;
const today = '2026-11-23';
const ctx = () => ({ db: h.db, today: () => today });

let h: DatabaseHandle;
let app: FastifyInstance;
const id: Record<string, number> = {};
let teacherA: Record<string, string>;

beforeAll(async () => {
  h = await testDatabase();
  app = await buildApp({ database: h, webDist: null, today: () => today, rateLimits: false });
  const n = await makeNetwork(h.db, { name: 'Import Federation' });
  for (const [key, urn] of [
    ['a', 630001],
    ['b', 630002],
    ['c', 630003],
  ] as const) {
    const s = await makeSchool(h.db, { name: `School ${key.toUpperCase()}`, urn });
    await makeMembership(h.db, s, n, { joined_on: '2016-09-01' });
    id[key] = s.id;
  }
  const teacher = await makePerson(h.db, [{ role: 'teacher', school: { id: id.a! } }]);
  id.teacherA = teacher.id;
  teacherA = await signedIn(h.db, teacher);
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const activityCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from activity`.execute(h.db)).rows[0]!.n);

describe('CSV bulk entry of activities', () => {
  it('refuses a broken file whole, naming each problem by row, line and column with a fix; nothing is written', async () => {
    const before = await activityCount();
    const error = await importActivities(ctx(), 'operator', fixture('broken.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejected);
    const problems = (error as ImportRejected).problems.map((p) => ({ row: p.row, line: p.line, column: p.column, message: p.message }));
    expect(problems).toEqual([
      { row: 1, line: 2, column: 'schools', message: 'no school in Trellis has URN 999999' },
      { row: 2, line: 3, column: 'start_on', message: '"31-02-2026" is not a valid date' },
      { row: 3, line: 4, column: 'schools', message: '"630002:sideways" is not URN:direction' },
      { row: 4, line: 5, column: 'type', message: '"knitting" is not in the activity catalogue' },
      { row: 5, line: 6, column: 'evidence', message: 'give a web address starting http:// or https://' },
    ]);
    expect((error as ImportRejected).problems.every((p) => p.fix.length > 10 && p.file === 'broken.csv')).toBe(true);
    expect(await activityCount()).toBe(before);
  });

  it('refuses rows the importer may not record, and says so on the row', async () => {
    const file = `${fixture('activities.csv')}`;
    const actor = (await loadActor(h.db, id.teacherA!, today, null))!;
    const error = await importActivities(ctx(), actor, file).catch((e: unknown) => e);
    // Row 3 is between B and C: School A's teacher has no part in it.
    expect(error).toBeInstanceOf(ImportNotAllowed);
    expect((error as ImportNotAllowed).status).toBe(403);
    expect((error as ImportNotAllowed).message).toBe('activities.csv: you may not record the activities on row 3; nothing was imported');
    expect((error as ImportNotAllowed).errors?.map((e) => e.path)).toEqual(['row 3.schools']);
    expect(await activityCount()).toBe(0);
  });

  it('imports a good file: every activity, its schools, people and recurrence, and the ties they make', async () => {
    const result = await importActivities(ctx(), 'operator', fixture('activities.csv'));
    expect(result).toEqual({ file: 'activities.csv', rowsRead: 3, activitiesCreated: 3, tiesRecomputed: 3 });
    const rows = await sql<{ title: string; type_code: string; start_on: string; end_on: string; recurrence: string; occurrences: number; hours_each: number; outcome_notes: string | null; evidence: string[]; source: string }>`
      select title, type_code, start_on, end_on, recurrence, occurrences, hours_each, outcome_notes, evidence, source from activity order by id`.execute(h.db);
    expect(rows.rows).toEqual([
      { title: 'Year 5 writing observations', type_code: 'peer_observation', start_on: '2026-09-14', end_on: '2026-10-19', recurrence: 'weekly', occurrences: 6, hours_each: 1.5, outcome_notes: 'Teachers tried "talk for writing" and kept it', evidence: ['https://example.org/writing'], source: 'csv' },
      { title: "Termly heads' meeting", type_code: 'heads_group', start_on: '2026-09-07', end_on: '2026-09-07', recurrence: 'termly', occurrences: 1, hours_each: 2, outcome_notes: null, evidence: [], source: 'csv' },
      { title: 'Year 6 transition days', type_code: 'transition', start_on: '2026-07-08', end_on: '2026-07-09', recurrence: 'once', occurrences: 1, hours_each: 6, outcome_notes: null, evidence: ['https://example.org/a', 'https://example.org/b'], source: 'csv' },
    ]);
    const staff = await sql<{ urn: number; level: string; people: number }>`
      select s.urn, st.level, st.people from activity_staff st join school s on s.id = st.school_id join activity a on a.id = st.activity_id
      where a.title = 'Year 6 transition days' order by s.urn, st.level`.execute(h.db);
    expect(staff.rows).toEqual([
      { urn: 630002, level: 'pupils', people: 35 },
      { urn: 630003, level: 'pupils', people: 40 },
      { urn: 630003, level: 'support_staff', people: 2 },
    ]);
    const ties = await h.db.selectFrom('tie').select(['school_a', 'school_b', 'contacts']).orderBy('school_a').orderBy('school_b').execute();
    expect(ties.map((t) => [Number(t.school_a), Number(t.school_b), t.contacts])).toEqual([
      [id.a, id.b, 7],
      [id.a, id.c, 1],
      [id.b, id.c, 2],
    ]);
  });

  it('takes uploads over HTTP: 201 with a summary, or 422 naming row and column', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/activities/import?file=broken.csv', headers: { ...teacherA, 'content-type': 'text/csv' }, payload: readFileSync(fixture('broken.csv')) });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.slice(0, 2)).toEqual([
      { path: 'row 1.schools', message: expect.stringMatching(/^no school in Trellis has URN 999999\. Fix: /) },
      { path: 'row 2.start_on', message: expect.stringMatching(/^"31-02-2026" is not a valid date\. Fix: /) },
    ]);
    const good = 'type,title,schools,start_on\njoint_cpd,Maths INSET,630001:mutual;630002:mutual,2026-11-20\n';
    const ok = await app.inject({ method: 'POST', url: '/api/v1/activities/import', headers: { ...teacherA, 'content-type': 'text/csv' }, payload: good });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ file: 'activities.csv', rowsRead: 1, activitiesCreated: 1, tiesRecomputed: 1 });
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event where action = 'activity.import' and person_id = ${id.teacherA}`.execute(h.db);
    expect(audited.rows[0]!.n).toBe(1);
    const notCsv = await app.inject({ method: 'POST', url: '/api/v1/activities/import', headers: teacherA, payload: { type: 'joint_cpd' } });
    expect(notCsv.json().errors[0].path).toBe('body');
    const wrongHeader = await app.inject({ method: 'POST', url: '/api/v1/activities/import', headers: { ...teacherA, 'content-type': 'text/csv' }, payload: 'kind,title,schools,start\nx,y,z,w\n' });
    expect(wrongHeader.statusCode).toBe(422);
    expect(wrongHeader.json().detail).toMatch(/the header lacks "type", "start_on"; it has unknown columns "kind", "start"/);
  });
});
