import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { runImport } from '../imports/importer.ts';
import { absenceImporter } from './absence.importer.ts';
import { pupilPremiumImporter } from './pupil-premium.importer.ts';

// No register is loaded here: outcome rows do not need their schools (every URN counts as unknown).
let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
});
afterAll(async () => h.close());

describe('absence importer on the 2018/19 absence file', () => {
  const file = sharedData('pupils/2018-19_england_abs.csv');

  it('stores each school’s absence rates and leaves the national rows out', async () => {
    const r = await runImport(h.db, absenceImporter, file);
    expect(r.skipped).toEqual({ 'national total (LA NAT)': 3 });
    expect(r.summary).toEqual({ inserted: 21214, updated: 0, unchanged: 0, unknownSchools: 21214 });
    const rows = await h.db.selectFrom('school_absence').selectAll().where('urn', 'in', [100000, 100027]).orderBy('urn').execute();
    expect(rows).toMatchObject([
      { urn: 100000, academic_year: '2018/19', overall_absence_pct: 2.6, persistent_absence_pct: 3.4, missing: {} },
      { urn: 100027, overall_absence_pct: 2.2, persistent_absence_pct: null, missing: { persistent_absence_pct: 'suppressed' } },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, absenceImporter, file)).summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 21214 });
  });
});

describe('pupil-premium importer on the 2019-20 allocations', () => {
  const file = sharedData('pupils/pupil-premium-2019-2020.csv');

  it('stores shares as percentages and pupil numbers as the full-time equivalents they are', async () => {
    const r = await runImport(h.db, pupilPremiumImporter, file);
    expect(r.asOf).toBe('2020-08-31');
    expect(r.summary).toMatchObject({ inserted: 21567, updated: 0 });
    const aldgate = await h.db.selectFrom('pupil_premium').selectAll().where('urn', '=', 100000).executeTakeFirstOrThrow();
    expect(aldgate).toMatchObject({ academic_year: '2019/20', pupils: 234, primary_eligible: 38, primary_eligible_pct: 16.2, allocation: 50160, secondary_pupils: 0 });
    const brecknock = await h.db.selectFrom('pupil_premium').selectAll().where('urn', '=', 100010).executeTakeFirstOrThrow();
    expect(brecknock).toMatchObject({ pupils: 349.5, primary_eligible: 177.5, primary_eligible_pct: 50.8 });
  });

  it('changes nothing when the same file is imported again', async () => {
    expect((await runImport(h.db, pupilPremiumImporter, file)).summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 21567 });
  });
});
