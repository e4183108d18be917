import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main.ts';
import { makePerson, makeSchool } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/** `trellis broker rank` and `trellis broker allocate`, on a small authority with published maths results. */

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
  const head = await makePerson(db);
  const schools = [];
  for (let i = 0; i < 14; i++) {
    schools.push(await makeSchool(db, { name: `Cli School ${String(i).padStart(2, '0')}`, la_name: 'Cliffshire', latitude: 50 + i * 0.05, longitude: -4, fsm_pct: 10 + i * 2, sen_pct: 10 + (i % 4), eal_pct: 1 + (i % 5), pupil_roll: 150 + i * 20 }));
  }
  for (const [i, s] of schools.entries()) {
    for (const year of ['2023/24', '2024/25']) await db.insertInto('ks2_result').values({ urn: s.urn!, academic_year: year, maths_progress: i === 0 ? -4 : i % 3 === 0 ? 3 : (i % 5) * 0.2 - 0.4, source: 'test' }).execute();
  }
  for (const [k, s] of [schools[0]!, schools[1]!].entries()) {
    const row = await db
      .insertInto('support_request')
      .values({ school_id: s.id, focus_area: 'maths', kind: 'mentoring_coaching', days_needed: 2, description: 'Reasoning in Year 6 needs help', goals: '[]', conflicts: '[]', created_by: head.id, created_on: '2026-11-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    id[`r${k}`] = Number(row.id);
  }
});
afterAll(async () => h.close());

describe('trellis broker', () => {
  it('ranks a request, each factor’s contribution beside the score', async () => {
    const r = await cli('broker', 'rank', String(id.r0), '--limit', '3');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^request \d+ \(maths\): 3 of 14 candidates shown in [\d.]+ ms; excluded: 1 self/);
    expect(r.out).toHaveLength(4);
    const [rank, score, , , factors] = r.out[1]!.split('\t');
    expect(rank).toBe('1');
    expect(factors).toMatch(/^strength [\d.]+ \+ similarity [\d.]+ \+ nonCompetition/);
    expect(Number(score)).toBeGreaterThan(0);
    const json = JSON.parse((await cli('broker', 'rank', String(id.r0), '--format', 'json')).out.join('\n'));
    for (const c of json.candidates) expect(c.factors.reduce((t: number, f: { contribution: number }) => t + f.contribution, 0)).toBe(c.score);
    expect((await cli('broker', 'rank', 'first')).code).toBe(1);
  });

  it('allocates supporters across an authority', async () => {
    const r = await cli('broker', 'allocate', '--la', 'Cliffshire');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Cliffshire: 2 open requests, \d+ candidate supporters, 2 offers/);
    expect(r.out.slice(2)).toHaveLength(2);
    const none = await cli('broker', 'allocate');
    expect(none.code).toBe(1);
    expect(none.err[0]).toMatch(/name an area/);
  });
});
