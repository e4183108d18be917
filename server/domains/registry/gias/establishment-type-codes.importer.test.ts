import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentTypeCodesImporter } from './establishment-type-codes.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
});
afterAll(async () => h.close());

describe('establishment-type-codes importer on the types found in the extract of 22 April 2025', () => {
  it('stores 10 type groups and 39 types, each under its group with its further-education types', async () => {
    const result = await runImport(h.db, establishmentTypeCodesImporter, sharedData('gias/edubasealldata20250422-establishment-types.csv'));
    expect(result.summary).toEqual({ inserted: 49, updated: 0, unchanged: 0 });
    const fe = await h.db.selectFrom('register_code').selectAll().where('list', '=', 'gias-establishment-type').where('code', '=', '18').executeTakeFirstOrThrow();
    expect(fe).toMatchObject({ label: 'Further education', parent_code: '1' });
    expect((fe.extra as { furtherEducationTypes: string[] }).furtherEducationTypes).toContain('Sixth Form College (General)');
    const groups = await h.db.selectFrom('register_code').select('label').where('list', '=', 'gias-establishment-type-group').orderBy('code').execute();
    expect(groups.map((g) => g.label)).toContain('Welsh schools');
    expect(groups).toHaveLength(10);
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, establishmentTypeCodesImporter, sharedData('gias/edubasealldata20250422-establishment-types.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 49 });
  });
});
