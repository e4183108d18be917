import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/open.ts';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import { runImport } from '../../imports/importer.ts';
import { establishmentsImporter } from './establishments.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
});
afterAll(async () => h.close());

describe('establishments importer on the real 2024 register list', () => {
  it('loads every establishment with its phase, gender and status mapped', async () => {
    const result = await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
    expect(result.rowsRead).toBe(51012);
    expect(result.summary).toMatchObject({ inserted: 51012, updated: 0 });
    expect(result.asOf).toBe('2024-06-17');
    const aldgate = await h.db.selectFrom('school').selectAll().where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(aldgate).toMatchObject({ name: 'The Aldgate School', la_name: 'City of London', phase: 'primary', gender_intake: 'mixed', status: 'open' });
    const closed = await h.db.selectFrom('school').select(({ fn }) => fn.countAll<number>().as('n')).where('status', '=', 'closed').executeTakeFirstOrThrow();
    expect(Number(closed.n)).toBe(23812);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await h.db.selectFrom('school').select(['urn', 'updated_at']).where('urn', '=', 100000).executeTakeFirstOrThrow();
    const again = await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 51012 });
    const after = await h.db.selectFrom('school').select(['urn', 'updated_at']).where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(after.updated_at).toEqual(before.updated_at);
  });
});
