import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractJanuary, writeFullExtract } from '../../../../test/fixtures/gias/full-extract.ts';
import { testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';
import { giasFullExtractImporter } from './gias-full-extract.importer.ts';
import { giasGroupsImporter } from './gias-groups.importer.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`../../../../test/fixtures/gias/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trellis-extract-'));
const january = join(dir, 'edubasealldata20250101.csv');
writeFullExtract(january, extractJanuary);

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, fixtures('establishments-small.csv'), { asOf: '2024-06-17' });
  // Trust 2046 is already known as a multi-academy trust; 2044 and the others are not.
  await runImport(h.db, giasGroupsImporter, fixtures('allgroupsdata20250101.csv'));
  await h.db.deleteFrom('network').where('source_key', 'in', ['gias-group:2044', 'gias-group:5001', 'gias-federation:1473']).execute();
});
afterAll(async () => h.close());

const school = (urn: number) => h.db.selectFrom('school').selectAll().where('urn', '=', urn).executeTakeFirstOrThrow();
const memberships = (urn: number) =>
  h.db
    .selectFrom('membership as m')
    .innerJoin('network as n', 'n.id', 'm.network_id')
    .innerJoin('school as s', 's.id', 'm.school_id')
    .select(['n.source_key', 'n.kind', 'm.joined_on', 'm.left_on'])
    .where('s.urn', '=', urn)
    .orderBy('m.id')
    .execute();

describe('gias-full-extract importer (the register’s establishment extract, Windows-1252)', () => {
  it('replaces what it says about each school and adds the schools it alone lists', async () => {
    const result = await runImport(h.db, giasFullExtractImporter, january);
    expect(result.encoding).toBe('windows-1252');
    expect(result.asOf).toBe('2025-01-01');
    expect(result.summary).toMatchObject({ inserted: 3, updated: 2, unchanged: 0, networksInserted: 3, membershipsJoined: 4 });
    expect(await school(100000)).toMatchObject({
      school_type: 'voluntary_aided',
      type_label: 'Voluntary aided school',
      la_code: 201,
      region: 'London',
      urban_rural: '(England/Wales) Urban major conurbation',
      easting: 533498,
      northing: 181201,
      latitude: null,
      longitude: null,
      religious_character: 'Church of England',
      pupil_roll: 270,
      fsm_pct: 15.6,
      context_year: '2023/24',
      inspection_grade: 'outstanding',
      inspection_date: '2023-04-18',
    });
    expect(await school(100004)).toMatchObject({ status: 'closed', closed_on: '1992-08-31', phase: 'nursery', school_type: 'other' });
    expect(await school(150000)).toMatchObject({ name: 'St John’s Academy', status: 'proposed_to_open', opened_on: '2025-09-01', school_type: 'academy' });
    expect(await school(120911)).toMatchObject({ street: 'Sir William’s Lane', school_type: 'foundation' });
  });

  it('joins schools to their trusts and federations, creating unknown groups with the kind the school’s flag gives', async () => {
    expect(await memberships(143599)).toEqual([{ source_key: 'gias-group:2044', kind: 'multi_academy_trust', joined_on: null, left_on: null }]);
    expect(await memberships(120911)).toEqual([
      { source_key: 'gias-group:5001', kind: 'foundation_trust', joined_on: null, left_on: null },
      { source_key: 'gias-federation:1473', kind: 'federation', joined_on: null, left_on: null },
    ]);
    const trust = await h.db.selectFrom('network').select(['name']).where('source_key', '=', 'gias-group:2044').executeTakeFirstOrThrow();
    expect(trust.name).toBe('Abbey Academies Trust');
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, giasFullExtractImporter, january);
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 5, contextUpdated: 0, inspectionsUpdated: 0, networksInserted: 0, membershipsJoined: 0, membershipsLeft: 0, membershipsKept: 4 });
  });

  it('dates changes from the next extract: a school that moves trust leaves one and joins the other that day', async () => {
    const june = join(dir, 'edubasealldata20250601.csv');
    writeFullExtract(
      june,
      extractJanuary.map((r) =>
        r.URN === '143599'
          ? { ...r, 'Trusts (code)': '2046', 'Trusts (name)': 'Abbey Multi Academy Trust' }
          : r.URN === '120911'
            ? { ...r, 'Federations (code)': '', 'Federations (name)': '', 'FederationFlag (name)': 'Not under a federation' }
            : r,
      ),
    );
    const result = await runImport(h.db, giasFullExtractImporter, june);
    expect(result.summary).toMatchObject({ membershipsJoined: 1, membershipsLeft: 2, membershipsKept: 2 });
    expect(await memberships(143599)).toEqual([
      { source_key: 'gias-group:2044', kind: 'multi_academy_trust', joined_on: null, left_on: '2025-06-01' },
      { source_key: 'gias-group:2046', kind: 'multi_academy_trust', joined_on: '2025-06-01', left_on: null },
    ]);
    expect((await memberships(120911)).find((m) => m.kind === 'federation')?.left_on).toBe('2025-06-01');
  });
});
