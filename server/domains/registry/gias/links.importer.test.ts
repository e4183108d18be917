import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData, testDatabase } from '../../../../test/harness.ts';
import type { DatabaseHandle } from '../../../db/open.ts';
import { runImport } from '../../imports/importer.ts';
import { followSuccessors } from '../successors.ts';
import { establishmentsImporter } from './establishments.importer.ts';
import { linksImporter } from './links.importer.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await testDatabase();
  await runImport(h.db, establishmentsImporter, sharedData('gias/gias-data_establishments_20240617.csv'));
});
afterAll(async () => h.close());

describe('links importer on the register’s links extract of 22 April 2025', () => {
  it('loads every link with its type and date', async () => {
    const result = await runImport(h.db, linksImporter, sharedData('gias/links_edubasealldata20250422.csv'));
    expect(result.asOf).toBe('2025-04-22');
    expect(result.summary).toEqual({ inserted: 33801, updated: 0, unchanged: 0 });
    const merged = await h.db.selectFrom('school_link').selectAll().where('urn', '=', 100012).executeTakeFirstOrThrow();
    expect(merged).toEqual({ urn: 100012, link_urn: 100021, link_type: 'Successor - merged', established_on: '2021-08-31' });
    const undated = await h.db.selectFrom('school_link').select('established_on').where('urn', '=', 100016).executeTakeFirstOrThrow();
    expect(undated.established_on).toBeNull();
  });

  it('changes nothing when the same file is imported again', async () => {
    const again = await runImport(h.db, linksImporter, sharedData('gias/links_edubasealldata20250422.csv'));
    expect(again.summary).toEqual({ inserted: 0, updated: 0, unchanged: 33801 });
  });

  it('finds the open school that took a closed school’s place, through closed intermediaries', async () => {
    expect(await followSuccessors(h.db, 100016)).toEqual({ urn: 132245, name: 'Kingsgate Primary School', status: 'open', chain: [132245] });
    // Deansfield Junior → Deansfield Primary (closed, became an academy) → Deansfield Primary (open).
    expect(await followSuccessors(h.db, 100118)).toMatchObject({ urn: 143599, chain: [132837, 143599] });
    // Two schools linked as each other's successor: the closed one leads to the open one.
    expect(await followSuccessors(h.db, 101146)).toMatchObject({ urn: 101144, name: 'St Vincent De Paul Catholic Primary School' });
    expect(await followSuccessors(h.db, 101144)).toBeNull(); // open itself
    expect(await followSuccessors(h.db, 999999)).toBeNull(); // unknown
  });
});
