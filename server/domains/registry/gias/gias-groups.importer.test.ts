import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';
import { giasGroupLinksImporter } from './gias-group-links.importer.ts';
import { giasGroupsImporter } from './gias-groups.importer.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/gias/${name}`, import.meta.url));

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, fixture('establishments-small.csv'), { asOf: '2024-06-17' });
});
afterAll(async () => h.close());

const network = (key: string) =>
  h.db
    .selectFrom('network')
    .select(['name', 'kind', 'legal_status', 'companies_house_no', 'group_code', 'opened_on', 'closed_on'])
    .where('source_key', '=', key)
    .executeTakeFirst();
const memberships = (urn: number) =>
  h.db
    .selectFrom('membership as m')
    .innerJoin('network as n', 'n.id', 'm.network_id')
    .innerJoin('school as s', 's.id', 'm.school_id')
    .select(['n.source_key', 'm.joined_on', 'm.left_on'])
    .where('s.urn', '=', urn)
    .orderBy('m.id')
    .execute();

describe('gias-groups importer (the register’s groups extract)', () => {
  it('maps each group type to a network kind and skips children’s-centre groups', async () => {
    const result = await runImport(h.db, giasGroupsImporter, fixture('allgroupsdata20250101.csv'));
    expect(result.skipped).toEqual({ "not a school network (Children's centres group)": 1 });
    expect(result.summary).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
    expect(await network('gias-group:2044')).toEqual({
      name: 'Abbey Academies Trust',
      kind: 'multi_academy_trust',
      legal_status: 'Multi-academy trust',
      companies_house_no: '07318714',
      group_code: 'TR00261',
      opened_on: '2010-07-27',
      closed_on: null,
    });
    expect(await network('gias-group:3001')).toMatchObject({ kind: 'single_academy_trust' });
    expect(await network('gias-group:2099')).toMatchObject({ closed_on: '2020-08-31' });
    expect(await network('gias-federation:1473')).toMatchObject({ kind: 'federation', opened_on: '2014-09-01' });
    expect(await network('gias-group:5001')).toMatchObject({ kind: 'foundation_trust', legal_status: 'Trust' });
    expect(await network('gias-sponsor:6001')).toMatchObject({ kind: 'other', legal_status: 'School sponsor' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, giasGroupsImporter, fixture('allgroupsdata20250101.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
  });
});

describe('gias-group-links importer (the register’s group links extract)', () => {
  it('records memberships from their joining dates, leaving out links to closed groups', async () => {
    const result = await runImport(h.db, giasGroupLinksImporter, fixture('links_groups20250101.csv'));
    expect(result.asOf).toBe('2025-01-01');
    expect(result.skipped).toEqual({ "not a school network (Children's centres group)": 1 });
    expect(result.summary).toMatchObject({ membershipsJoined: 3, unknownSchools: 1, linksToClosedGroups: 1, networksUpdated: 0 });
    expect(await memberships(100000)).toEqual([{ source_key: 'gias-group:2044', joined_on: '2016-09-01', left_on: null }]);
    expect(await memberships(100008)).toEqual([
      { source_key: 'gias-group:2044', joined_on: '2018-04-01', left_on: null },
      { source_key: 'gias-sponsor:6001', joined_on: null, left_on: null },
    ]);
    expect(await memberships(100004)).toEqual([]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, giasGroupLinksImporter, fixture('links_groups20250101.csv'));
    expect(again.summary).toMatchObject({ networksInserted: 0, networksUpdated: 0, membershipsJoined: 0, membershipsLeft: 0, membershipsKept: 3 });
  });

  it('ends a link the next extract no longer lists on that extract’s date', async () => {
    const result = await runImport(h.db, giasGroupLinksImporter, fixture('links_groups20250601.csv'));
    expect(result.summary).toMatchObject({ membershipsJoined: 1, membershipsLeft: 1, membershipsKept: 2 });
    expect(await memberships(100008)).toEqual([
      { source_key: 'gias-group:2044', joined_on: '2018-04-01', left_on: '2025-06-01' },
      { source_key: 'gias-sponsor:6001', joined_on: null, left_on: null },
      { source_key: 'gias-group:2046', joined_on: '2025-05-01', left_on: null },
    ]);
  });
});
