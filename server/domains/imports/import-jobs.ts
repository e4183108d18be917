import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { type ImportProblem, ImportRejected } from './import-error.ts';
import { type ImportResult, runImport } from './importer.ts';
import { detectImporter, importerFor } from './kinds.ts';

/**
 * Imports started over HTTP run as jobs so the web app can show progress. Jobs live in memory:
 * they are short, and a restart loses only the progress display, never data (each import is
 * one transaction).
 */
export type ImportJob = {
  jobId: string;
  status: 'queued' | 'reading' | 'loading' | 'done' | 'failed';
  kind: string | null;
  file: string;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  result?: Pick<ImportResult, 'kind' | 'file' | 'rowsRead' | 'rowsLoaded' | 'skipped' | 'summary' | 'encoding' | 'asOf'>;
  problems?: ImportProblem[];
  error?: string;
  startedAt: string;
  finishedAt?: string;
};

const jobs = new Map<string, ImportJob>();
const keep = 100;

export async function readHeader(path: string): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(path, { end: 64 * 1024 }) });
  for await (const line of lines) {
    lines.close();
    return line
      .replace(/^\uFEFF/, '')
      .split(',')
      .map((h) => h.trim().replace(/^"|"$/g, ''));
  }
  return [];
}

export async function stagingFolder() {
  return mkdtemp(join(tmpdir(), 'trellis-upload-'));
}

/** Starts an import of an uploaded file (already on disk); returns at once with the job. */
export function startImportJob(db: Kysely<DB>, path: string, file: string, kind: string | undefined, asOf: string | undefined, cleanup: () => Promise<void>): ImportJob {
  const job: ImportJob = { jobId: randomUUID(), status: 'queued', kind: kind ?? null, file, bytesRead: 0, totalBytes: 0, rows: 0, startedAt: new Date().toISOString() };
  jobs.set(job.jobId, job);
  if (jobs.size > keep) jobs.delete(jobs.keys().next().value!);
  void (async () => {
    try {
      const importer = kind ? importerFor(kind) : detectImporter(await readHeader(path));
      if (!importer) {
        throw new ImportRejected(file, [
          {
            file,
            row: 0,
            line: 1,
            message: kind ? `there is no import kind "${kind}"` : 'the header matches no known file format',
            fix: 'choose the kind of file explicitly, or check the header row against the formats listed on the import page',
          },
        ]);
      }
      job.kind = importer.kind;
      const result = await runImport(db, importer, path, {
        displayName: file,
        ...(asOf ? { asOf } : {}),
        onProgress: (p) => {
          job.status = p.phase === 'done' ? 'loading' : p.phase;
          job.bytesRead = p.bytesRead;
          job.totalBytes = p.totalBytes;
          job.rows = p.rows;
        },
      });
      job.result = {
        kind: result.kind,
        file: result.file,
        rowsRead: result.rowsRead,
        rowsLoaded: result.rowsLoaded,
        skipped: result.skipped,
        summary: result.summary,
        encoding: result.encoding,
        asOf: result.asOf,
      };
      job.status = 'done';
    } catch (error) {
      job.status = 'failed';
      if (error instanceof ImportRejected) {
        job.problems = error.problems;
        job.error = error.message.split('\n')[0];
      } else job.error = (error as Error).message;
    } finally {
      job.finishedAt = new Date().toISOString();
      await cleanup().catch(() => {});
    }
  })();
  return job;
}

export const getImportJob = (id: string) => jobs.get(id);

export async function removeFolder(folder: string) {
  await rm(folder, { recursive: true, force: true });
}
