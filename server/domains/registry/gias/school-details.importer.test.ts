import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';
import { schoolDetailsImporter } from './school-details.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const school = (urn: number) => h.db.selectFrom('school').selectAll().where('urn', '=', urn).executeTakeFirstOrThrow();

describe('school-details importer on the Windows-1252 school_details_2018.csv', () => {
  it('detects the encoding, fills the register’s gaps and adds the one school the register lacks', async () => {
    const result = await runImport(h.db, schoolDetailsImporter, sharedData('gias/school_details_2018.csv'));
    expect(result.encoding).toBe('windows-1252');
    expect(result.rowsRead).toBe(26078);
    expect(result.summary).toEqual({ inserted: 1, updated: 26077, unchanged: 0 });
    expect(await school(100000)).toMatchObject({
      name: 'The Aldgate School', // the 2024 register's name is kept; this file still says Sir John Cass's
      street: "St James's Passage",
      town: 'London',
      postcode: 'EC3A 5DE',
      la_code: 201,
      type_label: 'Maintained School',
      school_type: null,
      religious_character: 'Church of England',
      age_low: 3,
      age_high: 11,
      inspection_grade: 'outstanding',
      inspection_date: '2013-04-18',
      status: 'open',
    });
    // Status 3 (open, but proposed to close) does not overwrite the register's later "Closed".
    expect((await school(100037)).status).toBe('closed');
    expect(await school(130731)).toMatchObject({ name: 'Hilderstone College', status: 'open', school_type: 'other', phase: 'post_16', age_low: 16, age_high: null });
    expect((await school(147416)).name).toBe("St Aelred's Catholic Primary School - a Catholic Voluntary Academy");
    expect((await school(126416)).name).toBe('St Thomas à Becket Church of England Aided Primary School');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await school(100000);
    const again = await runImport(h.db, schoolDetailsImporter, sharedData('gias/school_details_2018.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 26078 });
    expect((await school(100000)).updated_at).toEqual(before.updated_at);
  });
});
