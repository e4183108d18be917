import { readdirSync, statSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { readCsv } from '../imports/csv-source.ts';
import { readHeader } from '../imports/import-jobs.ts';
import { type ImportResult, runImport } from '../imports/importer.ts';
import { detectImporter, importers } from '../imports/kinds.ts';
import { normalise } from './gias/la-maintained.importer.ts';

/** The demo region: four South West authorities with many federations in the 2016 data. */
export const demoLocalAuthorities = ['Devon', 'Plymouth', 'Torbay', 'Somerset'] as const;

/** Columns that carry a school's URN in the public files. */
const urnColumns = ['URN', 'urn', 'la-maintained-school-eng'];
/** Files about groups rather than schools, kept only where a demo school refers to them. */
const networkIdColumn: Record<string, string> = { 'school-federation': 'school-federation' };

export function csvFilesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => join(folder, f))
    .filter((f) => f.toLowerCase().endsWith('.csv') && statSync(f).isFile())
    .sort();
}

async function writeCsv(path: string, header: string[], rows: Record<string, string>[]) {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: header });
  csv.pipe(out);
  for (const r of rows) csv.write(r);
  csv.end();
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

/**
 * Loads a real regional extract: every public file in `sharedData`, cut down to the schools of
 * the demo local authorities (and the federations they belong to), through the same importers
 * a user runs. Returns what each import did.
 */
export async function loadDemo(
  db: Kysely<DB>,
  sharedData: string,
  options: { localAuthorities?: readonly string[]; log?: (line: string) => void } = {},
): Promise<ImportResult[]> {
  const las = new Set((options.localAuthorities ?? demoLocalAuthorities).map((l) => l.toLowerCase()));
  const files = csvFilesUnder(sharedData);
  const register = files.find((f) => f.endsWith('gias-data_establishments_20240617.csv'));
  if (!register) throw new Error(`The demo needs ${sharedData}/gias/gias-data_establishments_20240617.csv`);
  const urns = new Set<string>();
  for await (const r of readCsv(register)) {
    if (las.has((r.values.local_authority_name ?? '').toLowerCase())) urns.add(r.values.urn ?? '');
  }
  const work = await mkdtemp(join(tmpdir(), 'trellis-demo-'));
  try {
    const planned = [];
    for (const file of files) {
      const header = await readHeader(file);
      const importer = detectImporter(header);
      if (!importer) continue;
      planned.push({ file, importer, header });
    }
    planned.sort((a, b) => importers.indexOf(a.importer) - importers.indexOf(b.importer));
    // Pass 1: cut every school-level file to the region, noting the federations demo schools name.
    const referenced = new Map<string, Set<string>>();
    const cuts = new Map<string, Record<string, string>[]>();
    const optionsOf = (importer: { allowShortRows?: boolean }) => (importer.allowShortRows ? { allowShortRows: true } : {});
    for (const { file, header, importer } of planned) {
      const urnColumn = urnColumns.find((c) => header.includes(c));
      if (!urnColumn) continue;
      const rows: Record<string, string>[] = [];
      for await (const r of readCsv(file, optionsOf(importer))) {
        if (!urns.has((r.values[urnColumn] ?? '').trim())) continue;
        for (const c of Object.keys(networkIdColumn)) {
          const v = (r.values[c] ?? '').trim();
          if (!v) continue;
          if (!referenced.has(c)) referenced.set(c, new Set());
          referenced.get(c)!.add(normalise(v));
        }
        rows.push(r.values);
      }
      cuts.set(file, rows);
    }
    // Pass 2: group-level files keep the groups demo schools belong to; national trust lists
    // with no members in the region are left out (they would only clutter the demo).
    for (const { file, header, importer } of planned) {
      if (cuts.has(file)) continue;
      const idColumn = Object.keys(networkIdColumn).find((c) => header[0] === c);
      const rows: Record<string, string>[] = [];
      const wanted = idColumn ? referenced.get(idColumn) : undefined;
      const isGroupList = header.some((c) => /group/i.test(c));
      if (isGroupList && !idColumn) continue;
      for await (const r of readCsv(file, optionsOf(importer))) {
        // The school lists name their federation by id or, in the 2016 file, by name.
        if (idColumn && !wanted?.has(normalise(r.values[idColumn] ?? '')) && !wanted?.has(normalise(r.values.name ?? ''))) continue;
        rows.push(r.values);
      }
      cuts.set(file, rows);
    }
    const results: ImportResult[] = [];
    for (const { file, importer, header } of planned) {
      const rows = cuts.get(file);
      if (!rows || rows.length === 0) continue;
      const name = relative(sharedData, file).split(/[\\/]/).at(-1)!;
      const cut = join(work, name);
      await writeCsv(cut, header, rows);
      const result = await runImport(db, importer, cut, { displayName: name });
      options.log?.(`demo: ${result.file}: ${result.rowsLoaded} rows (${importer.kind})`);
      results.push(result);
    }
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Every public file in `sharedData`, uncut, through the same importers, in dependency order: the
 * national register with its trusts, federations and links (the national graph of the network
 * analysis benchmark and browser test). About ten seconds on PGlite.
 */
export async function loadNationalRegister(db: Kysely<DB>, sharedData: string, log?: (line: string) => void): Promise<ImportResult[]> {
  const planned = [];
  for (const file of csvFilesUnder(sharedData)) {
    const importer = detectImporter(await readHeader(file));
    if (importer) planned.push({ file, importer });
  }
  planned.sort((a, b) => importers.indexOf(a.importer) - importers.indexOf(b.importer));
  const results: ImportResult[] = [];
  for (const { file, importer } of planned) {
    const result = await runImport(db, importer, file, { displayName: relative(sharedData, file) });
    log?.(`national: ${result.file}: ${result.rowsLoaded} rows (${importer.kind})`);
    results.push(result);
  }
  return results;
}
