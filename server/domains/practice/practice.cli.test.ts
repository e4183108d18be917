import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main.ts';
import { makeMembership, makeNetwork, makeSchool } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/** `trellis practice search | lineage | reciprocity`: the operator's reads, the same queries as the API. */

let h: DatabaseHandle;
const id: Record<string, number> = {};

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'trellis', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), database: h, progress: false });
  return { code, out, err };
}

beforeAll(async () => {
  h = await testDatabase();
  const db = h.db;
  const n = await makeNetwork(db, { name: 'Plym Alliance', kind: 'partnership' });
  const [a, b, c] = [await makeSchool(db, { name: 'Ash Primary' }), await makeSchool(db, { name: 'Birch Primary' }), await makeSchool(db, { name: 'Cedar Primary' })];
  for (const s of [a, b, c]) await makeMembership(db, s, n, { joined_on: '2015-09-01' });
  const practice = async (school: { id: number }, title: string, summary: string, status = 'published') =>
    Number((await db.insertInto('practice').values({ school_id: school.id, title, summary, status, published_on: status === 'published' ? '2025-05-01' : null }).returning('id').executeTakeFirstOrThrow()).id);
  const p1 = await practice(a, 'Fluency sprints in maths', 'Daily fluency sprints: short timed practice of number facts.');
  const p2 = await practice(b, 'Number facts at home', 'Families practise fluency games with pupils.');
  const p3 = await practice(c, 'Fluency sprints for Year 2', 'The sprints with objects to count.');
  await practice(c, 'Fluency draft', 'Not yet shared with anyone.', 'draft');
  await db.insertInto('practice_lineage').values([
    { practice_id: p2, adapted_from: p1, what_changed: 'Moved the practice home.' },
    { practice_id: p3, adapted_from: p2, what_changed: 'Objects for younger pupils.' },
  ]).execute();
  const cycle = await db
    .insertInto('peer_review_cycle')
    .values({ network_id: n.id, host_school_id: a.id, title: 'Reading', focus: 'Is reading taught well in KS1?', stage: 'closed', visit_start_on: '2025-03-03', visit_end_on: '2025-03-04', closed_on: '2025-07-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviewer = await db.insertInto('person').values({ name: 'Rae Viewer', email: 'rae@test.invalid' }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('peer_review_reviewer').values({ cycle_id: cycle.id, person_id: reviewer.id, school_id: b.id }).execute();
  Object.assign(id, { n: n.id, p1, p2, p3 });
});
afterAll(async () => h.close());

describe('trellis practice', () => {
  it('searches the published library, best match first', async () => {
    const r = await cli('practice', 'search', 'fluency', 'sprints');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('2 practices match "fluency sprints"');
    expect(r.out.slice(1).map((l) => l.split('\t')[2])).toEqual(['Fluency sprints in maths', 'Fluency sprints for Year 2']);
    const csv = parse((await cli('practice', 'search', 'fluency', '--format', 'csv')).out.join('\n'), { columns: true }) as Record<string, string>[];
    expect(csv.map((x) => x.title)).toEqual(['Fluency sprints in maths', 'Fluency sprints for Year 2', 'Number facts at home']);
    expect((await cli('practice', 'search', 'x', '--limit', '0')).err).toEqual(['trellis: --limit is a whole number from 1 to 500']);
  });

  it('prints a lineage across schools, as text, CSV or JSON', async () => {
    const r = await cli('practice', 'lineage', String(id.p1));
    expect(r.out).toEqual([
      `practice ${id.p1}: 3 practices, 3 generations, 3 schools`,
      `${id.p1} Fluency sprints in maths — Ash Primary`,
      `  ${id.p2} Number facts at home — Birch Primary (from ${id.p1})`,
      `    ${id.p3} Fluency sprints for Year 2 — Cedar Primary (from ${id.p2})`,
    ]);
    const csv = parse((await cli('practice', 'lineage', String(id.p3), '--direction', 'ancestors', '--format', 'csv')).out.join('\n'), { columns: true }) as Record<string, string>[];
    expect(csv.map((e) => [e.from_school, e.to_school, e.what_changed])).toEqual([
      ['Ash Primary', 'Birch Primary', 'Moved the practice home.'],
      ['Birch Primary', 'Cedar Primary', 'Objects for younger pupils.'],
    ]);
    expect(JSON.parse((await cli('practice', 'lineage', String(id.p2), '--format', 'json')).out.join('\n')).nodes).toHaveLength(3);
    expect((await cli('practice', 'lineage', 'fluency')).err[0]).toMatch(/is not a practice id/);
    expect((await cli('practice', 'lineage', '99999')).err).toEqual(['trellis: practice 99999 was not found']);
  });

  it('prints reciprocity with its flags', async () => {
    const r = await cli('practice', 'reciprocity', '--network', 'Plym', '--from', '2024-09-01', '--to', '2025-08-31');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'Plym Alliance, 2024-09-01 to 2025-08-31: 1 reviews held; reciprocity 0%',
      'Ash Primary\thosted 1\tgave 0\treviewed_never_reviews',
      'Birch Primary\thosted 0\tgave 1\treviews_never_reviewed',
      'Cedar Primary\thosted 0\tgave 0\tnot_involved',
      '  Birch Primary → Ash Primary: 1',
    ]);
    const csv = parse((await cli('practice', 'reciprocity', '--network', String(id.n), '--to', '2025-08-31', '--format', 'csv')).out.join('\n'), { columns: true }) as Record<string, string>[];
    expect(csv[0]).toMatchObject({ school: 'Ash Primary', hosted: '1', gave: '0', flags: 'reviewed_never_reviews' });
    expect((await cli('practice', 'reciprocity', '--network', 'Plym', '--from', 'last year')).err).toEqual(['trellis: --from is a date, yyyy-mm-dd']);
  });
});
