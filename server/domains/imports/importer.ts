import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { type CsvRecord, type Encoding, readCsv } from './csv-source.ts';
import { type ImportProblem, ImportRejected, RowProblem } from './import-error.ts';

/** A row the importer leaves out on purpose (aggregate rows, non-English establishments…). */
export type Skip = { skip: string };
export const skip = (reason: string): Skip => ({ skip: reason });
const isSkip = (v: unknown): v is Skip => typeof v === 'object' && v !== null && 'skip' in v;

export type ImportContext = {
  file: string;
  /** The date the file describes (its extract date); memberships it implies start or end then. */
  asOf: string;
};

/** Counts a load reports, e.g. { inserted: 10, updated: 2, unchanged: 50000 }. */
export type LoadSummary = Record<string, number>;

/**
 * One public file format. `parse` turns one CSV record into a typed row (or a Skip), throwing
 * RowProblem for bad values; `load` writes all rows inside the import's single transaction.
 */
export interface Importer<Row> {
  kind: string;
  title: string;
  /** Columns that must be in the header (used to refuse a wrong file and to detect the kind). */
  requiredColumns: readonly string[];
  encoding?: Encoding;
  /** The format's writer drops trailing empty fields, so short lines are complete (see CsvOptions). */
  allowShortRows?: boolean;
  /** Finds the extract date in a file name when the user does not give one. */
  asOfFromName?: (fileName: string) => string | null;
  parse(record: CsvRecord, ctx: ImportContext): Row | Skip;
  /** A key that must be unique within the file (duplicates are refused). */
  key?: (row: Row) => string;
  load(trx: Transaction<DB>, rows: Row[], ctx: ImportContext): Promise<LoadSummary>;
}

export type ImportOptions = {
  asOf?: string;
  displayName?: string;
  onProgress?: (p: { phase: 'reading' | 'loading' | 'done'; bytesRead: number; totalBytes: number; rows: number }) => void;
  /** Stop collecting problems after this many. */
  maxProblems?: number;
};

export type ImportResult = {
  kind: string;
  file: string;
  encoding: Encoding;
  sha256: string;
  asOf: string;
  rowsRead: number;
  rowsLoaded: number;
  skipped: Record<string, number>;
  summary: LoadSummary;
  importRunId: number;
};

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** 8-digit run like 20161122 or 20250422 in a file name. */
export function dateInName(fileName: string): string | null {
  const m = fileName.match(/(20\d{2})(\d{2})(\d{2})/);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * Reads, validates and loads one file. All or nothing: every row is parsed and checked before
 * the database is touched, and the load is one transaction.
 */
export async function runImport<Row>(
  db: Kysely<DB>,
  importer: Importer<Row>,
  path: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const file = options.displayName ?? basename(path);
  const maxProblems = options.maxProblems ?? 50;
  const asOf = options.asOf ?? importer.asOfFromName?.(file) ?? dateInName(file) ?? new Date().toISOString().slice(0, 10);
  const ctx: ImportContext = { file, asOf };
  const problems: ImportProblem[] = [];
  const rows: Row[] = [];
  const skipped: Record<string, number> = {};
  const seen = new Map<string, number>();
  let encoding: Encoding = 'utf-8';
  let rowsRead = 0;
  let bytes = { read: 0, total: 0 };
  let headerChecked = false;

  const records = readCsv(path, {
    displayName: file,
    ...(importer.encoding ? { encoding: importer.encoding } : {}),
    ...(importer.allowShortRows ? { allowShortRows: true } : {}),
    onEncoding: (e) => {
      encoding = e;
    },
    onProgress: (read, total) => {
      bytes = { read, total };
      options.onProgress?.({ phase: 'reading', bytesRead: read, totalBytes: total, rows: rowsRead });
    },
  });
  for await (const record of records) {
    if (!headerChecked) {
      headerChecked = true;
      const missing = importer.requiredColumns.filter((c) => !(c in record.values));
      if (missing.length > 0) {
        throw new ImportRejected(file, [
          {
            file,
            row: 0,
            line: 1,
            column: missing[0],
            message: `the header lacks ${missing.map((m) => `"${m}"`).join(', ')}, so this is not a ${importer.title} file`,
            fix: `check you chose the right kind of import; a ${importer.title} file has the columns ${importer.requiredColumns.join(', ')}`,
          },
        ]);
      }
    }
    rowsRead++;
    try {
      const out = importer.parse(record, ctx);
      if (isSkip(out)) {
        skipped[out.skip] = (skipped[out.skip] ?? 0) + 1;
        continue;
      }
      if (importer.key) {
        const key = importer.key(out);
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({
            file,
            row: record.row,
            line: record.line,
            column: importer.requiredColumns[0],
            message: `duplicate key ${key}: already on row ${first}`,
            fix: 'remove or merge the repeated row so each key appears once',
          });
        } else seen.set(key, record.row);
      }
      rows.push(out);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.push({
        file,
        row: record.row,
        line: record.line,
        ...(error.column !== undefined ? { column: error.column } : {}),
        message: error.message,
        fix: error.fix,
      });
    }
    if (problems.length >= maxProblems) throw new ImportRejected(file, problems, true);
  }
  if (!headerChecked) {
    throw new ImportRejected(file, [{ file, message: 'the file has a header but no data rows', fix: 'check the export is complete' }]);
  }
  if (problems.length > 0) throw new ImportRejected(file, problems);

  const digest = await sha256(path);
  options.onProgress?.({ phase: 'loading', bytesRead: bytes.read, totalBytes: bytes.total, rows: rowsRead });
  const { summary, runId } = await db.transaction().execute(async (trx) => {
    const summary = await importer.load(trx, rows, ctx);
    const run = await trx
      .insertInto('import_run')
      .values({
        kind: importer.kind,
        file_name: file,
        sha256: digest,
        as_of: asOf,
        rows_read: rowsRead,
        rows_loaded: rows.length,
        rows_skipped: rowsRead - rows.length,
        summary: JSON.stringify({ ...summary, skipped }),
        finished_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { summary, runId: run.id };
  });
  options.onProgress?.({ phase: 'done', bytesRead: bytes.total, totalBytes: bytes.total, rows: rowsRead });
  return { kind: importer.kind, file, encoding, sha256: digest, asOf, rowsRead, rowsLoaded: rows.length, skipped, summary, importRunId: runId };
}
