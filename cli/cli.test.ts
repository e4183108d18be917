import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../server/db/open.ts';
import { loadActor } from '../server/domains/access/actor.ts';
import { addGoal, formPartnership } from '../server/domains/partnerships/partnerships.service.ts';
import { isoToday } from '../server/domains/registry/registry.service.ts';
import { makeMembership, makeNetwork, makePerson, makeSchool } from '../test/factories.ts';
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

  it("prints a network's current partnership plan", async () => {
    const none = await cli('partnership', 'Dart Valley');
    expect(none.out).toEqual(['Dart Valley Federation has no current partnership']);
    // A coordinator, not an administrator: a later test needs the database to have none.
    const network = (await h.db.selectFrom('network').select('id').where('name', '=', 'Dart Valley Federation').executeTakeFirstOrThrow()).id;
    const coordinator = await makePerson(h.db, [{ role: 'network_coordinator', network: { id: network } }]);
    const actor = (await loadActor(h.db, coordinator.id, isoToday(), null))!;
    const ctx = { db: h.db, today: isoToday };
    const plan = await formPartnership(ctx, actor, network, { purpose: 'Raise standards in writing together', formedOn: '2025-09-01' });
    await addGoal(ctx, actor, plan.id, {
      statement: 'Close the gap in writing progress',
      measure: 'Mean KS2 writing progress',
      unit: 'points',
      baseline: { value: -4.8, on: '2019-08-31' },
      target: { value: 0, on: '2028-07-31' },
      contributions: [],
    });
    const r = await cli('partnership', 'Dart Valley');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Dart Valley Federation: partnership \d+, Forming since \d{4}-\d{2}-\d{2} \(formed 2025-09-01\)$/);
    expect(r.out).toContain('  - Close the gap in writing progress: -4.8 points (2019-08-31) → 0 points by 2028-07-31; not started');
    expect(r.out).toContain('Agreement: none written yet');
    expect(r.out.at(-1)).toBe('Next: Ending (possible now)');
  });

  it("imports activities (refusing a broken file by row and column), recomputes ties and lists a school's ties", async () => {
    const bad = join(dir, 'activities-bad.csv');
    writeFileSync(bad, 'type,title,schools,start_on\npeer_observation,Visit,700001:giving;700002:receiving,2026-02-30\n');
    const refused = await cli('activities', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/activities-bad\.csv, row 1, line 2, column "start_on": "2026-02-30" is not a valid date/);
    const good = join(dir, 'activities.csv');
    writeFileSync(good, 'type,title,schools,start_on,recurrence,occurrences\npeer_observation,Reading visits,700001:giving;700002:receiving,2025-01-13,weekly,3\nheads_group,Heads meet,700001:mutual;700002:mutual,2025-02-03,,\n');
    const imported = await cli('activities', 'import', good);
    expect(imported.out).toEqual(['activities.csv: 2 rows read, 2 activities recorded; ties of 1 pairs recomputed']);
    const all = await cli('ties', 'recompute');
    expect(all.code).toBe(0);
    expect(all.out[0]).toMatch(/^2 activities → 1 ties \(strong 0, weak [01], dormant [01]\) in \d+\.\d\d s$/);
    const of = await cli('ties', 'of', '700002');
    expect(of.out[0]).toBe('Birch Infant (URN 700002): 1 ties');
    expect(of.out[1]).toMatch(/^700001\tAsh Primary\t(weak|dormant)\t4 contacts\t2 types\tgave 1 \/ received 4\tlast 2025-02-03$/);
  });

  it('analyses the collaboration graph as CSV or JSON, and names a bad option', async () => {
    const csv = await cli('analyse', 'network', '--at', '2025-03-01', '--format', 'csv');
    expect(csv.code, csv.err.join('\n')).toBe(0);
    const lines = csv.out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^school_id,urn,name,phase,type,local_authority,community,isolation/);
    const ash = lines.find((l) => l.includes('Ash Primary'))!;
    const birch = lines.find((l) => l.includes('Birch Infant'))!;
    // Both had activity in the year up to then: neither is isolated.
    expect(ash.split(',')[7]).toBe('weak-only');
    expect(birch.split(',')[7]).toBe('weak-only');
    const json = await cli('analyse', 'network', '--network', 'Dart Valley', '--at', '2025-03-01');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out.join('\n')) as { schools: { name: string; isolation: string | null }[]; snapshot: { network: { name: string } } };
    expect(parsed.snapshot.network.name).toBe('Dart Valley Federation');
    // Birch left the federation in 2020: on its own, Ash has no tie inside it.
    expect(parsed.schools.map((x) => [x.name, x.isolation])).toEqual([['Ash Primary', 'isolated']]);
    const bad = await cli('analyse', 'network', '--at', '2025-13-01');
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/--at/);
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
