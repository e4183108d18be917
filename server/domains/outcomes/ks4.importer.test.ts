import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { runImport } from '../imports/importer.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { ks4Importer } from './ks4.importer.ts';
import { ks4FinalImporter } from './ks4-final.importer.ts';
import { ks4ProvisionalImporter } from './ks4-provisional.importer.ts';
import { ks5FinalImporter } from './ks5-final.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const ks4 = (urn: number, year: string, release = 'final') =>
  h.db.selectFrom('ks4_result').selectAll().where('urn', '=', urn).where('academic_year', '=', year).where('release', '=', release).executeTakeFirstOrThrow();

describe('ks4 importers', () => {
  const friendly = ['2016', '2017', '2018'].map((y) => sharedData(`performance/schools-data_ks4_perf_${y}.csv`));
  const final = sharedData('performance/eng-schools_2018-19_england_ks4final_trimmed.csv');
  const provisional = sharedData('performance/2018-19_england_ks4provisional.csv');

  it('loads the three schools-data years', async () => {
    const inserted = [];
    for (const f of friendly) inserted.push((await runImport(h.db, ks4Importer, f)).summary.inserted);
    expect(inserted).toEqual([5335, 5399, 5519]);
    expect(await ks4(100053, '2015/16')).toMatchObject({ pupils: 172, p8: -0.26, p8_boys: -0.33, a8: 50.1, basics_95_pct: 60, ebacc_entry_pct: 43 });
    expect(await ks4(100049, '2017/18')).toMatchObject({ p8: -0.1, p8_band: 3, ebacc_aps: 3.82 });
    // A boys' school: no girls, so the girls' figures are absent, not zero.
    expect(await ks4(100003, '2015/16')).toMatchObject({ girls: null, a8_girls: null, missing: { girls: 'not_reported', p8: 'not_reported' } });
  });

  it('loads the 2018/19 final file with its school details', async () => {
    const r = await runImport(h.db, ks4FinalImporter, final);
    expect(r.summary).toMatchObject({ inserted: 5516, unknownSchools: 0 });
    expect(await ks4(100049, '2018/19')).toMatchObject({ record_type: 1, p8: -0.11, p8_band: 3, a8: 42.4, basics_95_pct: 43 });
    expect(await ks4(100001, '2018/19')).toMatchObject({ p8: null, a8: 57.9, missing: { p8: 'not_published', p8_band: 'not_reported' } });
    const haverstock = await h.db.selectFrom('school').select(['latitude', 'inspection_grade', 'inspection_date', 'phase']).where('urn', '=', 100049).executeTakeFirstOrThrow();
    expect(haverstock).toEqual({ latitude: 51.544842, inspection_grade: 'good', inspection_date: '2019-07-02', phase: 'secondary' });
  });

  it('loads the provisional file beside it, with Progress 8 confidence intervals, skipping LA and national rows', async () => {
    const r = await runImport(h.db, ks4ProvisionalImporter, provisional);
    expect(r.skipped).toEqual({ 'local-authority total (RECTYPE 4)': 155, 'national or other aggregate row (RECTYPE 5)': 1, 'national or other aggregate row (RECTYPE 7)': 1 });
    expect(r.summary).toEqual({ inserted: 5495, updated: 0, unchanged: 0, unknownSchools: 0 });
    expect(await ks4(100053, '2018/19', 'provisional')).toMatchObject({ p8: -0.08, p8_ci_low: -0.3, p8_ci_high: 0.14, p8_unadjusted: -0.09, p8_pupils: 128, basics_94_pct: 66.2, p8_band: 3 });
    expect(await ks4(100092, '2018/19', 'provisional')).toMatchObject({ record_type: 2, p8: -2.98 });
    expect(await ks4(100312, '2018/19', 'provisional')).toMatchObject({ pupils: 6, p8: null, missing: { a8: 'not_entered', p8: 'suppressed', p8_band: 'not_reported' } });
    expect(await ks4(100003, '2018/19', 'provisional')).toMatchObject({ missing: { pupils: 'not_applicable' } });
  });

  it('changes nothing when every file is imported again', async () => {
    for (const f of friendly) expect((await runImport(h.db, ks4Importer, f)).summary).toMatchObject({ inserted: 0, updated: 0 });
    expect((await runImport(h.db, ks4FinalImporter, final)).summary).toMatchObject({ inserted: 0, updated: 0, schoolsUpdated: 0 });
    expect((await runImport(h.db, ks4ProvisionalImporter, provisional)).summary).toMatchObject({ inserted: 0, updated: 0 });
  });
});

describe('ks5-final importer on the 2018/19 A level file', () => {
  const file = sharedData('performance/eng-schools_2018-19_england_ks5final_trimmed.csv');
  const ks5 = (urn: number) => h.db.selectFrom('ks5_result').selectAll().where('urn', '=', urn).executeTakeFirstOrThrow();

  it('stores value added, average points and grade, with reasons for suppressed figures', async () => {
    const r = await runImport(h.db, ks5FinalImporter, file);
    expect(r.summary).toMatchObject({ inserted: 2903, unknownSchools: 0 });
    expect(await ks5(130489)).toMatchObject({ academic_year: '2018/19', alevel_va: 0.11, alevel_progress_band: 2, alevel_aps: 34.07, alevel_grade: 'C+' });
    // The band is "x" where the value added is suppressed: absent for the same reason.
    expect(await ks5(116582)).toMatchObject({ alevel_va: null, alevel_progress_band: null, alevel_grade: 'C', missing: { alevel_va: 'suppressed', alevel_progress_band: 'suppressed' } });
    expect(await ks5(108059)).toMatchObject({ alevel_grade: null, missing: { alevel_aps: 'not_entered', alevel_grade: 'not_entered' } });
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, ks5FinalImporter, file)).summary).toMatchObject({ inserted: 0, updated: 0, schoolsUpdated: 0 });
  });
});
