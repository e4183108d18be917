import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { runImport } from '../imports/importer.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { ks2Importer } from './ks2.importer.ts';
import { ks2FinalImporter } from './ks2-final.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const result = (urn: number, year: string) =>
  h.db.selectFrom('ks2_result').selectAll().where('urn', '=', urn).where('academic_year', '=', year).executeTakeFirstOrThrow();
const countWhere = async (condition: ReturnType<typeof sql>) =>
  (await sql<{ n: number }>`select count(*)::int as n from ks2_result where ${condition}`.execute(h.db)).rows[0]!.n;

describe('ks2 importer on the schools-data files for 2016, 2017 and 2018', () => {
  const files = ['2016', '2017', '2018'].map((y) => sharedData(`performance/schools-data_ks2_perf_${y}.csv`));

  it('loads three years of results, "Academic Year" 2016 meaning 2015/16', async () => {
    const counts = [];
    for (const f of files) counts.push((await runImport(h.db, ks2Importer, f)).summary);
    expect(counts).toEqual([
      { inserted: 16162, updated: 0, unchanged: 0, unknownSchools: 0 },
      { inserted: 16313, updated: 0, unchanged: 0, unknownSchools: 0 },
      { inserted: 16364, updated: 0, unchanged: 0, unknownSchools: 0 },
    ]);
    expect(await result(100000, '2015/16')).toMatchObject({
      release: 'final',
      pupils: 28,
      boys: 16,
      girls: 12,
      read_progress: 2.7,
      read_score: 106,
      read_expected_pct: 93,
      read_higher_pct: 18,
      maths_expected_pct: 100,
      rwm_expected_pct: 89,
      rwm_higher_pct: 7,
      read_progress_band: null,
    });
    // Bands arrive with the 2018 file; before that the column is blank, and says so.
    expect((await result(100000, '2015/16')).missing).toMatchObject({ read_progress_band: 'not_reported' });
    expect(await result(100000, '2017/18')).toMatchObject({ read_progress: 0.9, read_progress_band: 3, write_progress_band: 1, maths_progress_band: 2 });
    // LOWCOV: progress not published because too few pupils had a starting point.
    expect(await result(140200, '2016/17')).toMatchObject({ read_progress: null, read_score: 96, missing: { read_progress: 'low_coverage', write_progress: 'low_coverage', maths_progress: 'low_coverage' } });
  });

  it('changes nothing when the files are imported again', async () => {
    for (const f of files) expect((await runImport(h.db, ks2Importer, f)).summary).toMatchObject({ inserted: 0, updated: 0 });
  });
});

describe('ks2-final importer on the 2018/19 trimmed file', () => {
  const file = sharedData('performance/eng-schools_2018-19_england_ks2final_trimmed.csv');

  it('keeps mainstream and special schools, records why figures are absent, and gives schools their coordinates', async () => {
    const r = await runImport(h.db, ks2FinalImporter, file);
    expect(r.asOf).toBe('2019-08-31');
    expect(r.summary).toEqual({ inserted: 16355, updated: 0, unchanged: 0, unknownSchools: 0, schoolsUpdated: 16355 });
    expect(await result(100000, '2018/19')).toMatchObject({ record_type: 1, read_progress: 4.8, read_progress_band: 1, write_progress: 2.5, maths_progress: 3.9, pupils: null });
    expect(await result(120149, '2018/19')).toMatchObject({ read_progress: null, missing: { read_progress: 'suppressed', read_progress_band: 'suppressed' } });
    expect(await countWhere(sql`academic_year = '2018/19' and record_type = 2`)).toBe(747);
    expect(await countWhere(sql`academic_year = '2018/19' and missing->>'read_progress' = 'suppressed'`)).toBe(482);
    expect(await countWhere(sql`academic_year = '2018/19' and read_progress is not null and missing ? 'read_progress'`)).toBe(0);
    const aldgate = await h.db.selectFrom('school').selectAll().where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(aldgate).toMatchObject({ latitude: 51.513662, longitude: -0.077486, postcode: 'EC3A 5DE', inspection_grade: 'outstanding', inspection_date: '2013-04-18', religious_character: 'Church of England' });
    const located = await h.db.selectFrom('school').select(({ fn }) => fn.countAll<number>().as('n')).where('latitude', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(located.n)).toBe(16355);
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, ks2FinalImporter, file)).summary).toEqual({ inserted: 0, updated: 0, unchanged: 16355, unknownSchools: 0, schoolsUpdated: 0 });
  });
});
