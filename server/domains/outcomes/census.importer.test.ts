import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { runImport } from '../imports/importer.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { censusImporter } from './census.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

const file = sharedData('pupils/2018-19_england_census.csv');
const context = (urn: number) =>
  h.db.selectFrom('school').select(['pupil_roll', 'fsm_pct', 'sen_pct', 'eal_pct', 'context_year']).where('urn', '=', urn).executeTakeFirstOrThrow();

describe('census importer on the January 2019 census file', () => {
  it('stores every school’s census, leaves the national rows out, and sets the schools’ context for 2018/19', async () => {
    const r = await runImport(h.db, censusImporter, file);
    expect(r.encoding).toBe('utf-8');
    expect(r.asOf).toBe('2019-08-31');
    expect(r.skipped).toEqual({ 'national total (URN NAT)': 3 });
    expect(r.summary).toEqual({ inserted: 23939, updated: 0, unchanged: 0, unknownSchools: 0, schoolsUpdated: 23939 });
    const census = await h.db.selectFrom('school_census').selectAll().where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(census).toMatchObject({ academic_year: '2018/19', census_type: 'State-funded primary', pupils: 285, fsm: 32, fsm_ever6: 38, fsm_ever6_pct: 16.2, sen_support_pct: 17.5, sen_ehcp_pct: 1.8, eal_pct: 49.5, missing: {} });
    // fsm_pct is the share eligible now (32 of 285), not the FSM-ever-6 share (16.2%).
    expect(await context(100000)).toEqual({ pupil_roll: 285, fsm_pct: 11.2, sen_pct: 19.3, eal_pct: 49.5, context_year: '2018/19' });
    // Independent schools do not report first language or meals: NA, kept as a reason, never as 0.
    const independent = await h.db.selectFrom('school_census').select(['eal', 'fsm', 'missing']).where('urn', '=', 100001).executeTakeFirstOrThrow();
    expect(independent).toMatchObject({ eal: null, fsm: null, missing: { eal: 'not_applicable', fsm: 'not_applicable', fsm_ever6_pct: 'not_applicable' } });
    expect(await context(100001)).toEqual({ pupil_roll: 752, fsm_pct: null, sen_pct: 7.7, eal_pct: null, context_year: '2018/19' });
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, censusImporter, file)).summary).toEqual({ inserted: 0, updated: 0, unchanged: 23939, unknownSchools: 0, schoolsUpdated: 0 });
  });

  it('replaces an older year’s context but never a newer one', async () => {
    await h.db.updateTable('school').set({ context_year: '2016/17', pupil_roll: 1 }).where('urn', '=', 100000).execute();
    await h.db.updateTable('school').set({ context_year: '2023/24', pupil_roll: 300, fsm_pct: 20 }).where('urn', '=', 100001).execute();
    expect((await runImport(h.db, censusImporter, file)).summary).toMatchObject({ schoolsUpdated: 1 });
    expect(await context(100000)).toMatchObject({ pupil_roll: 285, context_year: '2018/19' });
    expect(await context(100001)).toMatchObject({ pupil_roll: 300, fsm_pct: 20, context_year: '2023/24' });
  });
});
