import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentTypesImporter } from './establishment-types.importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const school = (urn: number) => h.db.selectFrom('school').select(['type_label', 'school_type', 'phase']).where('urn', '=', urn).executeTakeFirstOrThrow();

describe('establishment-types importer on the openregister 2016 type list', () => {
  it('fills type and phase, and leaves establishments outside England out on purpose', async () => {
    const result = await runImport(h.db, establishmentTypesImporter, sharedData('gias/openregister_establishment-group-type_2016.csv'));
    expect(result.rowsRead).toBe(44798);
    expect(result.asOf).toBe('2016-11-14');
    expect(result.skipped).toEqual({
      'not in England (Welsh Establishment)': 2387,
      'not in England (Offshore Schools)': 155,
      'not in England (British Schools Overseas)': 140,
      'not in England (Service Childrens Education)': 84,
    });
    expect(result.summary).toEqual({ inserted: 0, updated: 41995, unchanged: 0, unknownSchools: 37 });
    expect(await school(100000)).toEqual({ type_label: 'Voluntary Aided School', school_type: 'voluntary_aided', phase: 'primary' });
    // The register's phase is "Not applicable" for special schools and pupil referral units; the type supplies it.
    expect(await school(100091)).toMatchObject({ school_type: 'special', phase: 'special' });
    expect(await school(100006)).toEqual({ type_label: 'Pupil Referral Unit', school_type: 'other', phase: 'alternative_provision' });
    expect(await school(400000)).toEqual({ type_label: null, school_type: null, phase: null });
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, establishmentTypesImporter, sharedData('gias/openregister_establishment-group-type_2016.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 41995, unknownSchools: 37 });
  });
});
