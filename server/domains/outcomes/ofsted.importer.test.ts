import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { runImport } from '../imports/importer.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { ofstedImporter } from './ofsted.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const file = sharedData('ofsted/ofsted_ratings_2018.csv');
const latest = (urn: number) => h.db.selectFrom('school').select(['inspection_grade', 'inspection_date']).where('urn', '=', urn).executeTakeFirstOrThrow();

describe('ofsted importer on the inspection history (2005–2020)', () => {
  it('stores each inspection once and gives each school its latest grade', async () => {
    const r = await runImport(h.db, ofstedImporter, file);
    expect(r.rowsRead).toBe(60134);
    expect(r.summary).toEqual({ inserted: 60131, updated: 0, unchanged: 0, repeatedRows: 3, unknownSchools: 0, schoolsUpdated: 20614 });
    const history = await h.db.selectFrom('ofsted_inspection').select(['inspected_on', 'grade']).where('urn', '=', 100053).orderBy('inspected_on').execute();
    expect(history).toEqual([
      { inspected_on: '2008-03-26', grade: 'requires_improvement' }, // "Satisfactory", grade 3 before 2012
      { inspected_on: '2010-11-04', grade: 'good' },
      { inspected_on: '2013-09-11', grade: 'requires_improvement' },
      { inspected_on: '2016-02-09', grade: 'requires_improvement' },
      { inspected_on: '2018-03-06', grade: 'good' },
    ]);
    expect(await latest(100053)).toEqual({ inspection_grade: 'good', inspection_date: '2018-03-06' });
    // Listed twice on 2013-12-04, as "Requires Improvement" and "Satisfactory": the same grade, stored once.
    const repeated = await h.db.selectFrom('ofsted_inspection').select('grade').where('urn', '=', 137699).where('inspected_on', '=', '2013-12-04').execute();
    expect(repeated).toEqual([{ grade: 'requires_improvement' }]);
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, ofstedImporter, file)).summary).toEqual({ inserted: 0, updated: 0, unchanged: 60131, repeatedRows: 3, unknownSchools: 0, schoolsUpdated: 0 });
  });

  it('never replaces a newer inspection with an older one', async () => {
    await h.db.updateTable('school').set({ inspection_grade: 'inadequate', inspection_date: '2024-01-10' }).where('urn', '=', 100053).execute();
    await runImport(h.db, ofstedImporter, file);
    expect(await latest(100053)).toEqual({ inspection_grade: 'inadequate', inspection_date: '2024-01-10' });
  });
});
