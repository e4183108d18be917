import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../server/db/open.ts';
import { makeMembership, makeNetwork, makeSchool } from '../test/factories.ts';
import { testDatabase } from '../test/harness.ts';
import { runCli } from './main.ts';

let h: DatabaseHandle;
const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'trellis', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), database: h, progress: false });
  return { code, out, err };
}

beforeAll(async () => {
  h = await testDatabase();
  const fed = await makeNetwork(h.db, { name: 'Dart Valley Federation' });
  const a = await makeSchool(h.db, { name: 'Ash Primary', urn: 700001 });
  const b = await makeSchool(h.db, { name: 'Birch Infant', urn: 700002, phase: 'infant' });
  await makeMembership(h.db, a, fed, { joined_on: '2010-09-01' });
  await makeMembership(h.db, b, fed, { joined_on: '2015-09-01', left_on: '2020-08-31' });
});
afterAll(async () => h.close());

describe('trellis CLI', () => {
  it('lists the members of a network on a date', async () => {
    const r2012 = await cli('members', 'Dart Valley', '--on', '2012-01-01');
    expect(r2012.code).toBe(0);
    expect(r2012.out[0]).toBe('Dart Valley Federation (federation) on 2012-01-01: 1 members');
    const r2016 = await cli('members', 'Dart Valley', '--on', '2016-01-01');
    expect(r2016.out.slice(1).map((l) => l.split('\t')[1]).sort()).toEqual(['Ash Primary', 'Birch Infant']);
  });

  it("shows a school's networks over time", async () => {
    const r = await cli('networks-of', '700002');
    expect(r.out).toEqual(['Birch Infant (URN 700002): 1 memberships', 'Dart Valley Federation\tfederation\tmember\t2015-09-01\t2020-08-31']);
  });

  it('refuses a broken file, names row and column, and exits non-zero', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'urn,name,local_authority_name,phase_of_education,gender,status\n100000,A School,Camden,Primary,Mixed,Open\n12345X,B School,Camden,Primary,Mixed,Open\n');
    const before = await h.db.selectFrom('school').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await cli('import', 'establishments', file);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/bad\.csv, row 2, line 3, column "urn": "12345X" is not a URN/);
    const after = await h.db.selectFrom('school').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('imports a good file, detecting its kind, and exports the registry', async () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, 'urn,name,local_authority_name,phase_of_education,gender,status\n100000,The Aldgate School,City of London,Primary,Mixed,Open\n');
    const r = await cli('import', 'auto', file, '--as-of', '2024-06-17');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('good.csv: 1 rows read, 1 loaded (utf-8, as of 2024-06-17)');
    const out = join(dir, 'export.csv');
    const e = await cli('export', '--out', out);
    expect(e.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/\n100000,The Aldgate School,primary,/);
  });

  it('says clearly when a kind is unknown', async () => {
    const r = await cli('import', 'nonsense', join(dir, 'good.csv'));
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/unknown kind "nonsense"; kinds: establishments/);
  });

  it('creates the first administrator with a setup link, then issues one-time password links', async () => {
    const first = await cli('password-link', 'Head.Admin@trellis.test', '--base', 'https://trellis.example');
    expect(first.code).toBe(0);
    expect(first.out[0]).toMatch(/^administrator head\.admin@trellis\.test: https:\/\/trellis\.example\/invite\/[\w-]{43} /);
    const again = await cli('password-link', 'head.admin@trellis.test');
    expect(again.out[0]).toMatch(/^head\.admin@trellis\.test: http:\/\/localhost:\d+\/invite\/[\w-]{43} \(one use, until \d{4}-\d{2}-\d{2}\)$/);
    const nobody = await cli('password-link', 'nobody@trellis.test');
    expect(nobody.code).not.toBe(0);
    expect(nobody.err.join(' ')).toMatch(/nobody has the email nobody@trellis\.test/);
  });
});
