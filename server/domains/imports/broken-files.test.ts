import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/open.ts';
import { establishmentsImporter } from '../registry/gias/establishments.importer.ts';
import { laMaintainedImporter } from '../registry/gias/la-maintained.importer.ts';
import { linksImporter } from '../registry/gias/links.importer.ts';
import { schoolTypesImporter } from '../registry/gias/school-types.importer.ts';
import { ofstedImporter } from '../outcomes/ofsted.importer.ts';
import { ImportRejected } from './import-error.ts';
import { type Importer, runImport } from './importer.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, fixture('gias/establishments-small.csv'), { asOf: '2024-06-17' });
  await runImport(h.db, schoolTypesImporter, sharedData('gias/openregister_school-types.csv'));
});
afterAll(async () => h.close());

async function state() {
  const count = async (table: 'school' | 'import_run' | 'school_link' | 'ofsted_inspection' | 'membership') =>
    Number((await h.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const aldgate = await h.db.selectFrom('school').select(['name', 'inspection_grade', 'updated_at']).where('urn', '=', 100000).executeTakeFirstOrThrow();
  return {
    schools: await count('school'),
    runs: await count('import_run'),
    links: await count('school_link'),
    inspections: await count('ofsted_inspection'),
    memberships: await count('membership'),
    aldgate,
  };
}

/** Runs an import that must be refused; returns the message and checks nothing was written. */
// biome-ignore lint/suspicious/noExplicitAny: any importer of the registry's list.
async function refused(importer: Importer<any>, name: string): Promise<string> {
  const before = await state();
  const error = await runImport(h.db, importer, fixture(`broken/${name}`)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRejected);
  expect(await state()).toEqual(before);
  return (error as ImportRejected).message;
}

describe('broken files are refused, naming where, and leave the database as it was', () => {
  it('a file of another kind (wrong header)', async () => {
    const message = await refused(establishmentsImporter, 'wrong-header.csv');
    expect(message).toMatch(/row 0, line 1, column "name": the header lacks "name", so this is not a establishment list/);
  });

  it('a bad URN', async () => {
    expect(await refused(establishmentsImporter, 'bad-urn.csv')).toMatch(/row 3, line 4, column "urn": "10A001" is not a URN\. Fix: a URN is the six-digit/);
  });

  it('an impossible date', async () => {
    expect(await refused(linksImporter, 'bad-date.csv')).toMatch(/row 2, line 3, column "LinkEstablishedDate": "31-02-2019" is not a valid date/);
  });

  it('the same URN twice', async () => {
    expect(await refused(establishmentsImporter, 'duplicate-urn.csv')).toMatch(/row 3, line 4, column "urn": duplicate key URN 100000: already on row 1/);
  });

  it('a last line cut short (fewer fields)', async () => {
    expect(await refused(establishmentsImporter, 'truncated-fields.csv')).toMatch(/row 3, line 4: the line has a different number of fields from the header/);
  });

  it('a last line cut inside a quoted field', async () => {
    expect(await refused(establishmentsImporter, 'truncated-quote.csv')).toMatch(/row 3, line 4: a quoted field is never closed \(the file may be truncated\)/);
  });

  it('a UTF-16 file', async () => {
    expect(await refused(establishmentsImporter, 'utf16.csv')).toMatch(/utf16\.csv: the file is UTF-16 encoded\. Fix: save it as CSV UTF-8/);
  });

  it('a binary file', async () => {
    expect(await refused(establishmentsImporter, 'binary.csv')).toMatch(/binary\.csv: the file contains NUL bytes: it is binary, not CSV text/);
  });

  it('a blank file', async () => {
    expect(await refused(establishmentsImporter, 'blank.csv')).toMatch(/blank\.csv: the file is empty/);
  });

  it('a header without rows', async () => {
    expect(await refused(establishmentsImporter, 'header-only.csv')).toMatch(/header-only\.csv: the file has a header but no data rows/);
  });

  it('a problem only the load can see (two grades for one inspection) rolls the whole load back', async () => {
    expect(await refused(ofstedImporter, 'ofsted-conflicting-grades.csv')).toMatch(
      /row 3, line 4, column "Rating": URN 100008 was inspected on 2015-01-28 with grade inadequate here but good on row 2/,
    );
  });

  it('a federation id the federations register does not have', async () => {
    expect(await refused(laMaintainedImporter, 'la-maintained-unknown-federation.csv')).toMatch(
      /row 2, line 3, column "school-federation": federation 9999 is not in the federations register/,
    );
  });
});
