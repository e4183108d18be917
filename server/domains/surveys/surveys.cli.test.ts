import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main.ts';
import { makeMembership, makeNetwork, makeResponses, makeSchool, makeWave } from '../../../test/factories.ts';
import { testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';

/** `trellis surveys waves` and `trellis surveys results`: the operator's view, suppressed like the API's. */

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
  const n = await makeNetwork(h.db, { name: 'Teign Partnership' });
  const a = await makeSchool(h.db, { name: 'Ash Primary' });
  const b = await makeSchool(h.db, { name: 'Birch Primary' });
  for (const s of [a, b]) await makeMembership(h.db, s, n, { joined_on: '2018-09-01' });
  const wave = await makeWave(h.db, n, [a, b], { status: 'closed', title: 'Staff survey 2026', closedOn: '2026-01-31' });
  await makeResponses(h.db, wave, [
    { school: a, role: 'teacher', count: 5, answers: { 'JPD A1': true } },
    { school: b, role: 'teacher', count: 5 },
    { school: b, role: 'governor', count: 2, answers: { 'JPD A1': true } },
  ]);
  const inv = await h.db
    .insertInto('survey_invitation')
    .values({ wave_id: wave.id, kind: 'code', capacity: 20, returned: 12, created_on: '2026-01-05' })
    .returning('id')
    .executeTakeFirstOrThrow();
  Object.assign(id, { n: n.id, wave: wave.id, inv: Number(inv.id) });
});
afterAll(async () => h.close());

describe('trellis surveys', () => {
  it('lists the rounds with their returns', async () => {
    const r = await cli('surveys', 'waves', '--network', 'Teign');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`${id.wave}\tTeign Partnership\tStaff survey 2026\ttest-survey\tclosed\tcloses 2099-01-31\t12/20 returned (60%)\tk=5`]);
  });

  it('prints results with groups under k suppressed, and the group that would give them away', async () => {
    const r = await cli('surveys', 'results', String(id.wave));
    expect(r.code).toBe(0);
    expect(r.out[1]).toBe('Respondents: 12 from 2 of 2 schools');
    expect(r.out[2]).toBe('  by school: Ash Primary 5; Birch Primary 7');
    // Teachers are hidden too: all respondents minus teachers would give the two governors away.
    expect(r.out[3]).toBe('  by role group: HD — (suppressed); SLT 0; T — (protecting); S 0');
    expect(r.out.find((l) => l.startsWith('  JPD A1'))).toBe('  JPD A1: 7/12 58.3% | HD —, SLT —, T —, S —');
  });

  it('exports results as CSV, suppressed cells blank', async () => {
    const r = await cli('surveys', 'results', String(id.wave), '--format', 'csv');
    expect(r.code).toBe(0);
    const rows = parse(r.out.join('\n'), { columns: true }) as Record<string, string>[];
    const hd = rows.find((x) => x.code === 'JPD A1' && x.group?.startsWith('HD'))!;
    expect([hd.respondents, hd.count, hd.percent, hd.note]).toEqual(['', '', '', 'suppressed: fewer than 5 respondents']);
  });

  it('explains a round that is not a number or not found', async () => {
    expect((await cli('surveys', 'results', 'latest')).err[0]).toMatch(/not a survey round id/);
    const missing = await cli('surveys', 'results', '999999');
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/survey round 999999 was not found/);
  });
});
