import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { trustsImporter } from './trusts.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
});
afterAll(async () => h.close());

const network = (key: string) =>
  h.db.selectFrom('network').select(['name', 'kind', 'legal_status', 'companies_house_no', 'group_code']).where('source_key', '=', key).executeTakeFirstOrThrow();

describe('trusts importer on the open academy trusts of 22 November 2016', () => {
  it('creates a network per trust, keeping Companies House numbers as written', async () => {
    const result = await runImport(h.db, trustsImporter, sharedData('gias/all-open-sats-and-mats-20161122.csv'));
    expect(result.asOf).toBe('2016-11-22');
    expect(result.summary).toEqual({ inserted: 3122, updated: 0, unchanged: 0 });
    expect(await network('gias-group:2044')).toEqual({
      name: 'Abbey Academies Trust',
      kind: 'multi_academy_trust',
      legal_status: 'Multi-academy trust',
      companies_house_no: '07318714',
      group_code: 'TR00261',
    });
    const kinds = await h.db.selectFrom('network').select(['kind', ({ fn }) => fn.countAll<number>().as('n')]).groupBy('kind').orderBy('kind').execute();
    expect(kinds.map((k) => [k.kind, Number(k.n)])).toEqual([
      ['multi_academy_trust', 1180],
      ['single_academy_trust', 1942],
    ]);
    expect(await h.db.selectFrom('membership').select('id').execute()).toEqual([]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, trustsImporter, sharedData('gias/all-open-sats-and-mats-20161122.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 3122 });
  });

  it('never undoes what a newer groups extract said (a renamed trust keeps its new name)', async () => {
    await h.db.updateTable('network').set({ name: 'Abbey Academies Trust (renamed)' }).where('source_key', '=', 'gias-group:2044').execute();
    const again = await runImport(h.db, trustsImporter, sharedData('gias/all-open-sats-and-mats-20161122.csv'));
    expect(again.summary).toMatchObject({ updated: 0 });
    expect((await network('gias-group:2044')).name).toBe('Abbey Academies Trust (renamed)');
  });
});
