import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';
import { federationsImporter } from './federations.importer.ts';
import { laMaintainedImporter } from './la-maintained.importer.ts';
import { schoolTypesImporter } from './school-types.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

/** Open memberships from the la-maintained file, by network kind: schools and networks. */
async function members(kind: string) {
  const r = await sql<{ schools: number; networks: number }>`
    select count(distinct m.school_id)::int as schools, count(distinct m.network_id)::int as networks
    from membership m join network n on n.id = m.network_id
    where m.source = 'openregister-la-maintained' and m.left_on is null and n.kind = ${kind}`.execute(h.db);
  return r.rows[0];
}
const networkOf = (urn: number, kind: string) =>
  h.db
    .selectFrom('membership as m')
    .innerJoin('network as n', 'n.id', 'm.network_id')
    .innerJoin('school as s', 's.id', 'm.school_id')
    .select(['n.name', 'n.source_key', 'm.joined_on', 'm.left_on'])
    .where('s.urn', '=', urn)
    .where('n.kind', '=', kind)
    .orderBy('m.id')
    .execute();

describe('openregister school types, federations and LA-maintained schools (2016)', () => {
  it('loads the school-type code list', async () => {
    const result = await runImport(h.db, schoolTypesImporter, sharedData('gias/openregister_school-types.csv'));
    expect(result.summary).toEqual({ inserted: 41, updated: 0, unchanged: 0 });
    const vc = await h.db.selectFrom('register_code').select('label').where('list', '=', 'openregister-school-type').where('code', '=', '3').executeTakeFirstOrThrow();
    expect(vc.label).toBe('Voluntary Controlled School');
  });

  it('loads the federations, accepting the short last rows and letting a repeated id replace the earlier entry', async () => {
    const result = await runImport(h.db, federationsImporter, sharedData('gias/openregister_school-federations_2016.csv'));
    expect(result.rowsRead).toBe(469);
    expect(result.summary).toEqual({ inserted: 468, updated: 0, unchanged: 0, superseded: 1 });
    const byKey = async (id: number) =>
      (await h.db.selectFrom('network').select(['name', 'kind']).where('source_key', '=', `openregister-federation:${id}`).executeTakeFirstOrThrow()).name;
    expect(await byKey(500)).toBe('Aylsham Learning Federation');
    expect(await byKey(502)).toBe('Special School Soft Federation');
  });

  it('records 993 schools in 452 federations and 626 in 269 foundation trusts, open-ended on a first import', async () => {
    const result = await runImport(h.db, laMaintainedImporter, sharedData('gias/openregister_la-maintained-schools_2016.csv'));
    expect(result.asOf).toBe('2016-11-17');
    expect(result.rowsRead).toBe(30079);
    expect(result.summary).toMatchObject({ unknownSchools: 0, membershipsJoined: 993 + 626, membershipsLeft: 0 });
    expect(await members('federation')).toEqual({ schools: 993, networks: 452 });
    expect(await members('foundation_trust')).toEqual({ schools: 626, networks: 269 });

    // Matched by name to the register's federation 3; a name the register lacks becomes a federation of its own.
    expect(await networkOf(103906, 'federation')).toEqual([
      { name: 'Albert Pritchard Infant School and Wood Green Junior School Federation', source_key: 'openregister-federation:3', joined_on: null, left_on: null },
    ]);
    expect((await networkOf(100165, 'federation'))[0]).toMatchObject({ name: 'Koinonia Federation', source_key: 'openregister-federation:name:koinonia federation' });
    // The file writes "Teresa\u0092s" (mis-decoded Windows-1252 punctuation); repaired, it matches the register's federation.
    expect((await networkOf(106769, 'federation'))[0]).toMatchObject({
      name: "Catholic Federation of Our Lady of Perpetual Help and Saint Joseph and Saint Teresa's Catholic Primary Schools",
      source_key: expect.stringMatching(/^openregister-federation:\d+$/),
    });
    expect(await networkOf(100188, 'foundation_trust')).toMatchObject([{ name: 'Eltham Green School Trust', joined_on: null }]);
    const vA = await h.db.selectFrom('school').select(['type_label', 'school_type']).where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(vA).toEqual({ type_label: 'Voluntary Aided School', school_type: 'voluntary_aided' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, laMaintainedImporter, sharedData('gias/openregister_la-maintained-schools_2016.csv'));
    expect(again.summary).toMatchObject({ updated: 0, networksInserted: 0, networksUpdated: 0, membershipsJoined: 0, membershipsLeft: 0, membershipsKept: 1619 });
  });

  it('keeps the history when a later snapshot moves a school: the old membership ends, the new one starts that day', async () => {
    const later = fileURLToPath(new URL('../../../../test/fixtures/gias/openregister_la-maintained-schools_2017-later.csv', import.meta.url));
    const result = await runImport(h.db, laMaintainedImporter, later, { asOf: '2017-11-17' });
    // The later list is complete: everyone it no longer lists leaves; 103913 moves federation.
    expect(result.summary).toMatchObject({ membershipsKept: 3, membershipsJoined: 1, membershipsLeft: 1619 - 3 });
    expect(await networkOf(103913, 'federation')).toEqual([
      { name: 'Albert Pritchard Infant School and Wood Green Junior School Federation', source_key: 'openregister-federation:3', joined_on: null, left_on: '2017-11-17' },
      { name: 'Koinonia Federation', source_key: 'openregister-federation:name:koinonia federation', joined_on: '2017-11-17', left_on: null },
    ]);
    expect((await networkOf(103906, 'federation'))[0]!.left_on).toBeNull();
  });
});
