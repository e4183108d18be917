import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { giasFullExtractColumns } from '../../../bench/gias-full-extract-columns.ts';
import { sharedData } from '../../../test/harness.ts';
import { readCsv } from './csv-source.ts';
import { detectImporter, importers } from './kinds.ts';

/** Every CSV under the shared data folder and the kind that must read it. */
const expected: Record<string, string> = {
  'gias/all-open-sats-and-mats-20161122.csv': 'trusts',
  'gias/edubasealldata20250422-establishment-types.csv': 'establishment-type-codes',
  'gias/gias-data_establishments_20240617.csv': 'establishments',
  'gias/links_edubasealldata20250422.csv': 'links',
  'gias/openregister_establishment-group-type_2016.csv': 'establishment-types',
  'gias/openregister_la-maintained-schools_2016.csv': 'la-maintained',
  'gias/openregister_school-federations_2016.csv': 'federations',
  'gias/openregister_school-types.csv': 'school-types',
  'gias/school_details_2018.csv': 'school-details',
  'ofsted/ofsted_ratings_2018.csv': 'ofsted',
  'performance/2018-19_england_ks4provisional.csv': 'ks4-provisional',
  'performance/eng-schools_2018-19_england_ks2final_trimmed.csv': 'ks2-final',
  'performance/eng-schools_2018-19_england_ks4final_trimmed.csv': 'ks4-final',
  'performance/eng-schools_2018-19_england_ks5final_trimmed.csv': 'ks5-final',
  'performance/schools-data_ks2_perf_2016.csv': 'ks2',
  'performance/schools-data_ks2_perf_2017.csv': 'ks2',
  'performance/schools-data_ks2_perf_2018.csv': 'ks2',
  'performance/schools-data_ks4_perf_2016.csv': 'ks4',
  'performance/schools-data_ks4_perf_2017.csv': 'ks4',
  'performance/schools-data_ks4_perf_2018.csv': 'ks4',
  'pupils/2018-19_england_abs.csv': 'absence',
  'pupils/2018-19_england_census.csv': 'census',
  'pupils/pupil-premium-2019-2020.csv': 'pupil-premium',
};

function csvFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? csvFiles(join(dir, e.name)) : e.name.endsWith('.csv') ? [join(dir, e.name)] : [],
  );
}

async function header(path: string): Promise<string[]> {
  for await (const record of readCsv(path)) return Object.keys(record.values);
  return [];
}

describe('detectImporter', () => {
  const root = sharedData('');
  const files = csvFiles(root).map((f) => relative(root, f));

  it('has an expected kind for every CSV in the shared data folder', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('reads %s as %s', async (file, kind) => {
    expect(detectImporter(await header(join(root, file)))?.kind).toBe(kind);
  });

  it('recognises the official formats that are not in the folder', () => {
    const groups = ['Group UID', 'Group ID', 'Group Name', 'Companies House Number', 'Group Type (code)', 'Group Type', 'Closed Date', 'Group Status (code)', 'Group Status'];
    const dates = ['Incorporated on (open date)', 'Open date'];
    const contact = ['Group Contact Street', 'Group Contact Locality', 'Group Contact Address3', 'Group Contact Town', 'Group Contact County', 'Group Contact Postcode'];
    const heads = ['Head of Group Title', 'Head of Group First Name', 'Head of Group Last Name', 'UKPRN'];
    const establishment = ['EstablishmentName', 'TypeOfEstablishment (code)', 'TypeOfEstablishment (name)', 'PhaseOfEducation (code)', 'PhaseOfEducation (name)', 'LA (code)', 'LA (name)'];
    expect(detectImporter(giasFullExtractColumns)?.kind).toBe('gias-full-extract');
    expect(detectImporter([...groups, ...contact, ...heads, ...dates])?.kind).toBe('gias-groups');
    expect(detectImporter(['URN', ...groups, 'Joined date', ...establishment, ...dates])?.kind).toBe('gias-group-links');
  });

  it('gives every kind a distinct set of required columns', () => {
    const sets = importers.map((i) => [...i.requiredColumns].sort().join('|'));
    expect(new Set(sets).size).toBe(importers.length);
    expect(new Set(importers.map((i) => i.kind)).size).toBe(importers.length);
  });
});
