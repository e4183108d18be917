/**
 * `npm run bench` — how fast Trellis takes in England's public files, against what PostgreSQL
 * itself can do, how the search API holds up under load, how fast ties are recomputed, and how
 * fast the network metrics run beside python3-igraph and networkx, and how fast a national survey
 * round is scored, and how fast the impact-evaluation statistics run. Eleven parts, each skippable:
 *
 *   imports  every CSV in ../shared/data through its importer on a fresh embedded PGlite, then a
 *            second pass that must change nothing (re-imports are idempotent)
 *   floor    the register file by `psql \copy` into a plain table on a throwaway PostgreSQL (the
 *            floor no importer can beat), beside our importer on that server and on PGlite
 *   extract  a generated national-size file in the official full register extract format
 *            (edubasealldata, ~50,000 rows × 139 columns) through the `gias-full-extract` importer
 *   search   GET /api/v1/schools?q=primary under autocannon load (10 connections, 10 s)
 *   ties     120,000 generated activity records across the register's 51,012 schools: every tie
 *            recomputed (load, derive, store) three times, beside a SQL group-by of the same pairs,
 *            and one activity's incremental recompute
 *   surveys  scoring a national survey round: 500,000 forms × 60 items over 2,000 schools (tallies,
 *            roll-ups, k-suppression, stage profiles), bench/surveys.ts
 *   mixed    REML fit of a random-intercept model on 600,000 pupils in 16,000 schools, beside
 *            statsmodels MixedLM on the same data (bench/mixed.ts; ~1 min)
 *   matching propensity fit, exact + nearest-neighbour matching and the balance table over 24,000
 *            schools (bench/matching.ts)
 *   benchmarking similar-school groups and against-the-odds over 24,000 schools (bench/benchmarking.ts)
 *   brokering ranking one support request over 24,000 schools, and ranking + min-cost-flow allocation
 *            of 2,000 requests (bench/brokering.ts)
 *   graph    every kernel of analytics/graph on synthetic graphs (24k, 100k and 1M ties, and the
 *            24,000-school random graph of the speed target) and on the national graph of the real
 *            register, timed beside igraph and networkx run by /usr/bin/python3 (bench/graph.ts)
 *
 *   npm run bench                          all parts
 *   npm run bench -- --only imports,floor  some parts
 *   npm run bench -- --skip search         all but some
 *   npm run bench -- --rows 5000           a smaller generated extract (quick check)
 *   npm run bench -- --only ties           the tie recomputation alone
 *   npm run bench -- --only graph          the network metrics beside igraph and networkx (~10 min)
 *
 * Results go to the console and into bench/RESULTS.md between generated markers; scratch files
 * (databases, the generated extract) go to bench/.out/, which git ignores.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants, cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import pg from 'pg';
import { sql } from 'kysely';
import { type Cluster, startCluster, stopCluster } from '../test/setup/pg-cluster.mjs';
import { loadConfig } from '../server/config.ts';
import { migrate } from '../server/db/migrate.ts';
import { type DatabaseHandle, openDatabase, openPGlite } from '../server/db/open.ts';
import { ImportRejected } from '../server/domains/imports/import-error.ts';
import { createSession } from '../server/domains/access/sessions.ts';
import { type ImportResult, runImport } from '../server/domains/imports/importer.ts';
import { detectImporter, importerFor, importers } from '../server/domains/imports/kinds.ts';
import { giasFullExtractColumns } from './gias-full-extract-columns.ts';
import { benchGraph } from './graph.ts';
import { benchSurveys } from './surveys.ts';
import { benchBenchmarking } from './benchmarking.ts';
import { benchBrokering } from './brokering.ts';
import { benchMatching } from './matching.ts';
import { benchMixed } from './mixed.ts';
import { builtInActivityTypes, type Recurrence, recurrenceStep, staffLevels } from '../common/activities.ts';
import { dayNumber, isoDay, occurrenceDay } from '../analytics/ties/index.ts';
import { insertActivity } from '../server/domains/activities/activities.repository.ts';
import { pairsAmong, recomputeAllTies, recomputePairs, type RecomputeResult } from '../server/domains/activities/ties.service.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const sharedData = join(repo, '..', 'shared', 'data');
const out = join(repo, 'bench', '.out');
const resultsFile = join(repo, 'bench', 'RESULTS.md');
/** The register list every other file hangs off; the floor and the search load it. */
const registerFile = join(sharedData, 'gias', 'gias-data_establishments_20240617.csv');

const parts = ['imports', 'floor', 'extract', 'search', 'ties', 'graph', 'surveys', 'mixed', 'matching', 'benchmarking', 'brokering'] as const;
type Part = (typeof parts)[number];
// The kinds list is typed Importer<any>[] (rows differ per kind); this is the same element type.
type AnyImporter = (typeof importers)[number];

// ---------------------------------------------------------------------------------------------
// Options

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    skip: { type: 'string' },
    rows: { type: 'string', default: '50000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`usage: npm run bench -- [--only ${parts.join(',')}] [--skip …] [--rows 50000] [--duration 10] [--connections 10]`);
  process.exit(0);
}
function partList(text: string | undefined): Part[] {
  if (!text) return [];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(parts as readonly string[]).includes(n));
  if (unknown.length > 0) {
    console.error(`unknown part ${unknown.join(', ')}; the parts are ${parts.join(', ')}`);
    process.exit(2);
  }
  return names as Part[];
}
const only = partList(flags.only);
const skipped = partList(flags.skip);
const selected = parts.filter((p) => (only.length === 0 || only.includes(p)) && !skipped.includes(p));
const extractRows = Number.parseInt(flags.rows, 10);
const loadSeconds = Number.parseInt(flags.duration, 10);
const loadConnections = Number.parseInt(flags.connections, 10);

// ---------------------------------------------------------------------------------------------
// Measuring

/**
 * Peak resident memory, sampled every 50 ms. RSS rather than heap because PGlite's WebAssembly
 * PostgreSQL lives in this process outside the JS heap; sampling misses spikes shorter than that.
 */
const memory = {
  peak: 0,
  reset() {
    this.peak = process.memoryUsage().rss;
  },
  sample() {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  },
};
setInterval(() => memory.sample(), 50).unref();

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const secs = (ms: number) => (ms / 1000).toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString('en-GB');

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

function markdownTable(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const summaryText = (summary: Record<string, number>) =>
  Object.entries(summary)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');
/** "Changed" by a load: rows it inserted or updated (the importers' summary counts). */
const changed = (summary: Record<string, number>) => (summary.inserted ?? 0) + (summary.updated ?? 0);

const failure = (error: unknown) =>
  error instanceof ImportRejected ? (error.problems[0]?.message ?? error.message) : error instanceof Error ? error.message : String(error);

// ---------------------------------------------------------------------------------------------
// Databases. Each part gets its own fresh one and removes it, so parts are independent.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let pgliteCount = 0;
async function freshPGlite(): Promise<{ handle: DatabaseHandle; remove: () => Promise<void> }> {
  // On disk, not memory://: the product runs on a data folder, and disk writes are part of the cost.
  const dir = join(out, `pglite-${process.pid}-${++pgliteCount}`);
  rmSync(dir, { recursive: true, force: true });
  const handle = await openPGlite(dir);
  await migrate(handle);
  return {
    handle,
    async remove() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// On Ctrl-C just leave: stopping the PostgreSQL cluster here would cut open pg connections,
// whose errors crash the process half way. pg-cluster's watchdog stops the cluster and removes
// its folder once this process is gone, however it ends.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopped; the throwaway PostgreSQL (if any) is stopped by its watchdog`);
    process.exit(128 + (constants.signals[signal] ?? 1));
  });
}

// ---------------------------------------------------------------------------------------------
// Files

function csvFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return csvFilesUnder(path);
      return entry.isFile() && entry.name.toLowerCase().endsWith('.csv') ? [path] : [];
    })
    .sort();
}

/**
 * The header row of a CSV. Read as latin1: headers are ASCII, and latin1 never fails to decode,
 * so a Windows-1252 file reads as well as a UTF-8 one. The BOM some DfE files start with would
 * otherwise stick to the first column's name.
 */
function headerOf(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    let text = buffer.subarray(0, length).toString('latin1');
    if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const [columns] = parseCsv(firstLine, { relax_quotes: true }) as string[][];
    return (columns ?? []).map((c) => c.trim());
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Part (a): every real file through its importer, twice

async function benchImports(): Promise<string> {
  const files = csvFilesUnder(sharedData).map((path) => ({ path, name: relative(sharedData, path), importer: detectImporter(headerOf(path)) }));
  const matched = files
    .filter((f): f is typeof f & { importer: AnyImporter } => f.importer !== undefined)
    // The kinds list is in dependency order (the register first); follow it.
    .sort((a, b) => importers.indexOf(a.importer) - importers.indexOf(b.importer) || a.name.localeCompare(b.name));
  const unmatched = files.filter((f) => f.importer === undefined);

  memory.reset();
  const { handle, remove } = await freshPGlite();
  type Outcome = { first?: ImportResult; firstMs: number; second?: ImportResult; secondMs: number; error?: string };
  const outcomes = new Map<string, Outcome>();
  try {
    for (const f of matched) {
      console.log(`  import  ${f.name} (${f.importer.kind})`);
      const outcome: Outcome = { firstMs: 0, secondMs: 0 };
      outcomes.set(f.name, outcome);
      try {
        const { value, ms } = await timed(() => runImport(handle.db, f.importer, f.path));
        outcome.first = value;
        outcome.firstMs = ms;
      } catch (error) {
        outcome.error = failure(error);
        console.log(`    refused: ${outcome.error}`);
      }
    }
    // Second pass, same order, same database: an unchanged file must change nothing.
    for (const f of matched) {
      const outcome = outcomes.get(f.name);
      if (!outcome?.first) continue;
      console.log(`  again   ${f.name}`);
      try {
        const { value, ms } = await timed(() => runImport(handle.db, f.importer, f.path));
        outcome.second = value;
        outcome.secondMs = ms;
      } catch (error) {
        outcome.error = `second pass: ${failure(error)}`;
      }
    }
  } finally {
    await remove();
  }
  const peak = memory.peak;

  const rows = matched.map((f) => {
    const o = outcomes.get(f.name)!;
    if (!o.first) return [f.name, f.importer.kind, '—', '—', '—', `refused: ${o.error ?? ''}`, '—', '—'];
    return [
      f.name,
      f.importer.kind,
      int(o.first.rowsRead),
      secs(o.firstMs),
      int(o.first.rowsRead / (o.firstMs / 1000)),
      summaryText(o.first.summary),
      o.second ? secs(o.secondMs) : '—',
      o.second ? int(changed(o.second.summary)) : (o.error ?? '—'),
    ];
  });
  const done = matched.map((f) => outcomes.get(f.name)!).filter((o) => o.first);
  const totalRows = done.reduce((n, o) => n + (o.first?.rowsRead ?? 0), 0);
  const firstMs = done.reduce((n, o) => n + o.firstMs, 0);
  const secondMs = done.reduce((n, o) => n + o.secondMs, 0);
  const secondChanged = done.reduce((n, o) => n + (o.second ? changed(o.second.summary) : 0), 0);
  const allSecond = done.every((o) => o.second);
  rows.push(['**total**', '', int(totalRows), secs(firstMs), firstMs > 0 ? int(totalRows / (firstMs / 1000)) : '—', '', secs(secondMs), int(secondChanged)]);

  const verdict =
    done.length === 0
      ? 'No file was imported.'
      : allSecond && secondChanged === 0
        ? `Second pass: **nothing changed** (0 rows inserted or updated across ${done.length} file${done.length === 1 ? '' : 's'}).`
        : `Second pass: **${int(secondChanged)} rows changed** — a re-import of unchanged files should change nothing; look at the rows above.`;
  return [
    `Fresh on-disk PGlite, migrated; files in the kinds list's order. Rows/s counts rows read (parse + validate + load, one transaction per file). Peak RSS: ${mb(peak)}.`,
    '',
    markdownTable(['File', 'Importer', 'Rows', '1st pass s', 'Rows/s', '1st pass summary', '2nd pass s', '2nd pass changed'], rows),
    '',
    verdict,
    '',
    unmatched.length === 0
      ? 'Every file has an importer.'
      : `No importer yet (${unmatched.length}): ${unmatched.map((f) => `\`${f.name}\``).join(', ')}.`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Part (b): the floor — psql \copy — beside our importer on PostgreSQL and on PGlite

function psql(cluster: Cluster, command: string): { ms: number; output: string } {
  const bin = existsSync(join(cluster.bin, 'psql')) ? join(cluster.bin, 'psql') : 'psql';
  const start = performance.now();
  const result = spawnSync(bin, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url, '-c', command], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr || result.error?.message}`);
  return { ms, output: result.stdout.trim() };
}

async function benchFloor(): Promise<string> {
  const importer = detectImporter(headerOf(registerFile));
  if (!importer) return `Skipped: no importer recognises \`${relative(sharedData, registerFile)}\`.`;
  const cluster = await startCluster();
  console.log(`  PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port}`);
  try {
    // The floor: text columns, no keys, no checks; the server parses the CSV itself.
    const header = headerOf(registerFile);
    psql(cluster, `create table register_floor (${header.map((c) => `"${c.replaceAll('"', '""')}" text`).join(', ')})`);
    const copy = psql(cluster, `\\copy register_floor from '${registerFile.replaceAll("'", "''")}' with (format csv, header true)`);
    const copied = Number(psql(cluster, 'select count(*) from register_floor').output);

    // Ours on the same server, in a database of its own.
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('create database trellis_bench');
    await admin.end();
    const dbUrl = new URL(cluster.url);
    dbUrl.pathname = '/trellis_bench';
    memory.reset();
    const server = await openDatabase({ kind: 'postgres', url: dbUrl.toString() });
    let onServer: { value: ImportResult; ms: number };
    try {
      await migrate(server);
      onServer = await timed(() => runImport(server.db, importer, registerFile));
    } finally {
      await server.close();
    }
    const serverPeak = memory.peak;

    memory.reset();
    const embedded = await freshPGlite();
    let onPGlite: { value: ImportResult; ms: number };
    try {
      onPGlite = await timed(() => runImport(embedded.handle.db, importer, registerFile));
    } finally {
      await embedded.remove();
    }
    const pglitePeak = memory.peak;

    const rate = (rows: number, ms: number) => int(rows / (ms / 1000));
    return [
      `\`${relative(sharedData, registerFile)}\` (${mb(statSync(registerFile).size)}), PostgreSQL ${cluster.version} with fsync off (a throwaway cluster), same machine.`,
      '',
      markdownTable(
        ['Load', 'Rows', 'Seconds', 'Rows/s', 'Times the floor', 'Peak RSS (bench process)'],
        [
          ['`psql \\copy` into a plain text table (floor)', int(copied), secs(copy.ms), rate(copied, copy.ms), '1.0×', '— (psql process)'],
          [`\`${importer.kind}\` importer → PostgreSQL`, int(onServer.value.rowsRead), secs(onServer.ms), rate(onServer.value.rowsRead, onServer.ms), `${(onServer.ms / copy.ms).toFixed(1)}×`, mb(serverPeak)],
          [`\`${importer.kind}\` importer → PGlite (on disk)`, int(onPGlite.value.rowsRead), secs(onPGlite.ms), rate(onPGlite.value.rowsRead, onPGlite.ms), `${(onPGlite.ms / copy.ms).toFixed(1)}×`, mb(pglitePeak)],
        ],
      ),
      '',
      'The floor includes starting psql (a few ms). The importer does more than the floor on purpose: it decodes and validates every row, maps DfE values, upserts only what differs and records an import run.',
    ].join('\n');
  } finally {
    await stopCluster(cluster);
  }
}

// ---------------------------------------------------------------------------------------------
// Part (c): a generated national-size full register extract

/** A small deterministic generator (mulberry32): the same file every run, so runs compare. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** Picks by weight: [[weight, value], …]. */
    weighted: <T>(items: readonly (readonly [number, T])[]): T => {
      const total = items.reduce((n, [w]) => n + w, 0);
      let r = next() * total;
      for (const [w, v] of items) {
        r -= w;
        if (r < 0) return v;
      }
      return items[items.length - 1]![1];
    },
  };
}

/** Value tables for the generator: [weight, value] pairs. */
type Weighted<T> = readonly (readonly [number, T])[];

// Real local authorities (DfE LA code, name, region letter, GSS code, rough centre in OS grid metres).
const localAuthorities = [
  ['201', 'City of London', 'H', 'E09000001', 532500, 181300],
  ['202', 'Camden', 'H', 'E09000007', 528500, 184500],
  ['204', 'Hackney', 'H', 'E09000012', 534500, 185000],
  ['208', 'Lambeth', 'H', 'E09000022', 530500, 175500],
  ['210', 'Southwark', 'H', 'E09000028', 533500, 177000],
  ['211', 'Tower Hamlets', 'H', 'E09000030', 536000, 181800],
  ['330', 'Birmingham', 'F', 'E08000025', 407500, 287000],
  ['331', 'Coventry', 'F', 'E08000026', 433500, 279000],
  ['341', 'Liverpool', 'B', 'E08000012', 337000, 391000],
  ['352', 'Manchester', 'B', 'E08000003', 384500, 397500],
  ['373', 'Sheffield', 'D', 'E08000039', 435500, 387500],
  ['380', 'Bradford', 'D', 'E08000032', 416500, 433000],
  ['383', 'Leeds', 'D', 'E08000035', 430000, 434000],
  ['391', 'Newcastle upon Tyne', 'A', 'E08000021', 424500, 565000],
  ['801', 'Bristol, City of', 'K', 'E06000023', 359000, 173000],
  ['850', 'Hampshire', 'J', 'E10000014', 450000, 130000],
  ['855', 'Leicestershire', 'E', 'E10000018', 460000, 310000],
  ['873', 'Cambridgeshire', 'G', 'E10000003', 540000, 265000],
  ['881', 'Essex', 'G', 'E10000012', 575000, 215000],
  ['886', 'Kent', 'J', 'E10000016', 590000, 150000],
  ['925', 'Lincolnshire', 'E', 'E10000019', 505000, 370000],
  ['926', 'Norfolk', 'G', 'E10000020', 615000, 310000],
  ['936', 'Surrey', 'J', 'E10000030', 510000, 150000],
  ['937', 'Warwickshire', 'F', 'E10000031', 430000, 265000],
] as const;
const regions: Record<string, string> = {
  A: 'North East',
  B: 'North West',
  D: 'Yorkshire and the Humber',
  E: 'East Midlands',
  F: 'West Midlands',
  G: 'East of England',
  H: 'London',
  J: 'South East',
  K: 'South West',
};
// TypeOfEstablishment and its group, as in ../shared/data/gias/edubasealldata20250422-establishment-types.csv,
// weighted roughly as the register is (academies and community schools dominate).
const establishmentTypes: Weighted<readonly [code: string, name: string, groupCode: string, groupName: string]> = [
  [20, ['1', 'Community school', '4', 'Local authority maintained schools']],
  [7, ['2', 'Voluntary aided school', '4', 'Local authority maintained schools']],
  [6, ['3', 'Voluntary controlled school', '4', 'Local authority maintained schools']],
  [3, ['5', 'Foundation school', '4', 'Local authority maintained schools']],
  [22, ['34', 'Academy converter', '10', 'Academies']],
  [9, ['28', 'Academy sponsor led', '10', 'Academies']],
  [3, ['35', 'Free schools', '11', 'Free Schools']],
  [10, ['11', 'Other independent school', '3', 'Independent schools']],
  [3, ['7', 'Community special school', '5', 'Special schools']],
  [2, ['44', 'Academy special converter', '10', 'Academies']],
  [2, ['15', 'Local authority nursery school', '4', 'Local authority maintained schools']],
  [1, ['14', 'Pupil referral unit', '4', 'Local authority maintained schools']],
  [1, ['18', 'Further education', '1', 'Colleges']],
];
const phases: Weighted<readonly [code: string, name: string, lowAge: number, highAge: number]> = [
  [60, ['2', 'Primary', 4, 11]],
  [18, ['4', 'Secondary', 11, 18]],
  [4, ['1', 'Nursery', 2, 5]],
  [3, ['7', 'All-through', 4, 18]],
  [2, ['6', '16 plus', 16, 19]],
  [1, ['3', 'Middle deemed primary', 8, 12]],
  [12, ['0', 'Not applicable', 3, 19]],
];
const nurseryPhase = ['1', 'Nursery', 2, 5] as const;
const post16Phase = ['6', '16 plus', 16, 19] as const;
const statuses: Weighted<readonly [code: string, name: string]> = [
  [55, ['1', 'Open']],
  [42, ['2', 'Closed']],
  [2, ['3', 'Open, but proposed to close']],
  [1, ['4', 'Proposed to open']],
];
const genders: Weighted<readonly [code: string, name: string]> = [
  [92, ['3', 'Mixed']],
  [4, ['2', 'Girls']],
  [3, ['1', 'Boys']],
  [1, ['0', 'Not applicable']],
];
const religions: Weighted<readonly [code: string, name: string, ethos: string, dioceseCode: string, dioceseName: string]> = [
  [60, ['06', 'None', 'Does not apply', '0000', 'Not applicable']],
  [22, ['02', 'Church of England', 'Does not apply', 'CE23', 'Diocese of London']],
  [12, ['03', 'Roman Catholic', 'Roman Catholic', 'RC21', 'Archdiocese of Westminster']],
  [1, ['07', 'Jewish', 'Jewish', '0000', 'Not applicable']],
  [5, ['00', 'Does not apply', 'Does not apply', '0000', 'Not applicable']],
];
const urbanRural: Weighted<readonly [code: string, name: string]> = [
  [45, ['A1', '(England/Wales) Urban major conurbation']],
  [10, ['B1', '(England/Wales) Urban minor conurbation']],
  [25, ['C1', '(England/Wales) Urban city and town']],
  [10, ['D1', '(England/Wales) Rural town and fringe']],
  [8, ['E1', '(England/Wales) Rural village']],
  [2, ['F1', '(England/Wales) Rural hamlet and isolated dwellings']],
];
// Right single quotes and accents, as real names have: they are bytes 0x92 and 0xe9 in Windows-1252,
// so a reader that assumes UTF-8 fails on this file just as on the real one.
const saints = ['St Mary’s', 'St John’s', 'St Peter’s', 'Christ Church', 'Holy Trinity', 'Our Lady’s', 'St Thérèse’s', 'All Saints'];
const places = ['Ashford', 'Bramley', 'Castleton', 'Denholme', 'Eastwood', 'Fairfield', 'Greenhill', 'Highfield', 'Ivybridge', 'Kingsway', 'Longmoor', 'Millbrook', 'Northgate', 'Oakwood', 'Parkside', 'Queensbury', 'Riverside', 'Southfields', 'Thornbury', 'Westfield'];
const firstNames = ['Alexandra', 'James', 'Priya', 'Mohammed', 'Sarah', 'David', 'Aoife', 'Chloé', 'Tomasz', 'Grace', 'Oliver', 'Fatima'];
const lastNames = ['Allan', 'Brown', 'Patel', 'Khan', 'Smith', 'Jones', 'O’Brien', 'Nowak', 'Williams', 'Taylor', 'Evans', 'Ahmed'];
const trusts = Array.from({ length: 1200 }, (_, i) => [String(2000 + i * 13), `${places[i % places.length]} ${['Learning Trust', 'Multi Academy Trust', 'Academies Trust', 'Education Partnership'][i % 4]} ${i + 1}`] as const);
const federations = Array.from({ length: 400 }, (_, i) => [String(9000 + i), `The ${places[i % places.length]} Federation ${i + 1}`] as const);
// Columns the real file writes without quotes (numbers); every other value is quoted, as in GIAS's own export.
const unquoted = new Set(['URN', 'StatutoryLowAge', 'StatutoryHighAge', 'SchoolCapacity', 'UKPRN', 'Easting', 'Northing', 'SENStat', 'SENNoStat']);

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const ddmmyyyy = (r: ReturnType<typeof seeded>, fromYear: number, toYear: number) =>
  `${pad(r.int(1, 28), 2)}-${pad(r.int(1, 12), 2)}-${r.int(fromYear, toYear)}`;

/** One establishment, every column filled as the register would fill it (blanks included). */
function extractRow(i: number, r: ReturnType<typeof seeded>): Record<string, string> {
  const [laCode, laName, gor, gss, east, north] = r.pick(localAuthorities);
  const [typeCode, typeName, groupCode, groupName] = r.weighted(establishmentTypes);
  // Some types fix the phase (a nursery school is nursery phase); the rest draw it.
  const [phaseCode, phaseName, low, high] =
    typeName === 'Local authority nursery school' ? nurseryPhase : typeName === 'Further education' ? post16Phase : r.weighted(phases);
  const [statusCode, statusName] = r.weighted(statuses);
  const [genderCode, genderName] = r.weighted(genders);
  const [religionCode, religionName, ethos, dioceseCode, dioceseName] = r.weighted(religions);
  const [urCode, urName] = r.weighted(urbanRural);
  const open = statusName !== 'Closed';
  const openYear = r.int(1990, 2022);
  const openReason: readonly [code: string, name: string] = typeName.includes('converter')
    ? ['10', 'Academy Converter']
    : typeName.includes('sponsor led')
      ? ['11', 'Academy Sponsor Led']
      : groupCode === '11'
        ? ['13', 'Academy Free School']
        : ['00', 'Not applicable'];
  const academy = groupCode === '10' || groupCode === '11';
  const trust = academy ? r.pick(trusts) : null;
  const federation = !academy && r.next() < 0.06 ? r.pick(federations) : null;
  const place = r.pick(places);
  const faith = religionName === 'Church of England' || religionName === 'Roman Catholic' ? `${r.pick(saints)} ` : '';
  const kindWord = phaseName === 'Secondary' ? r.pick(['High School', 'Academy', 'School', 'College']) : phaseName === 'Nursery' ? 'Nursery School' : r.pick(['Primary School', 'Infant School', 'Junior School', 'Primary Academy', 'School']);
  const name = `${faith}${place} ${kindWord}`;
  const pupils = open && phaseName !== 'Not applicable' ? r.int(20, phaseName === 'Secondary' ? 1800 : 700) : 0;
  const girls = pupils > 0 ? (genderName === 'Girls' ? pupils : genderName === 'Boys' ? 0 : Math.round(pupils * (0.45 + r.next() * 0.1))) : 0;
  const ward = r.int(5000000, 5014999);
  const msoa = r.int(1, 120);
  const row: Record<string, string> = {
    URN: String(100000 + i),
    'LA (code)': laCode,
    'LA (name)': laName,
    EstablishmentNumber: pad(r.int(1000, 7999), 4),
    EstablishmentName: name,
    'TypeOfEstablishment (code)': pad(Number(typeCode), 2),
    'TypeOfEstablishment (name)': typeName,
    'EstablishmentTypeGroup (code)': groupCode,
    'EstablishmentTypeGroup (name)': groupName,
    'EstablishmentStatus (code)': statusCode,
    'EstablishmentStatus (name)': statusName,
    'ReasonEstablishmentOpened (code)': openReason[0],
    'ReasonEstablishmentOpened (name)': openReason[1],
    OpenDate: academy || r.next() < 0.3 ? ddmmyyyy(r, openYear, openYear) : '',
    'ReasonEstablishmentClosed (code)': open ? '00' : r.pick(['10', '11', '01']),
    'ReasonEstablishmentClosed (name)': open ? 'Not applicable' : r.pick(['Academy Converter', 'Result of Amalgamation/Merger', 'Closure']),
    // A school closes after it opens (the importer refuses anything else).
    CloseDate: open ? '' : ddmmyyyy(r, openYear + 1, 2024),
    'PhaseOfEducation (code)': phaseCode,
    'PhaseOfEducation (name)': phaseName,
    StatutoryLowAge: String(low),
    StatutoryHighAge: String(high),
    'Boarders (code)': '1',
    'Boarders (name)': 'No boarders',
    'NurseryProvision (name)': r.pick(['Has Nursery Classes', 'No Nursery Classes']),
    'OfficialSixthForm (code)': high >= 18 ? '1' : '2',
    'OfficialSixthForm (name)': high >= 18 ? 'Has a sixth form' : 'Does not have a sixth form',
    'Gender (code)': genderCode,
    'Gender (name)': genderName,
    'ReligiousCharacter (code)': religionCode,
    'ReligiousCharacter (name)': religionName,
    'ReligiousEthos (name)': ethos,
    'Diocese (code)': dioceseCode,
    'Diocese (name)': dioceseName,
    'AdmissionsPolicy (code)': '0',
    'AdmissionsPolicy (name)': 'Not applicable',
    SchoolCapacity: pupils > 0 ? String(Math.round(pupils * 1.1)) : '',
    'SpecialClasses (code)': '2',
    'SpecialClasses (name)': 'No Special Classes',
    CensusDate: pupils > 0 ? '16-01-2025' : '',
    NumberOfPupils: pupils > 0 ? String(pupils) : '',
    NumberOfBoys: pupils > 0 ? String(pupils - girls) : '',
    NumberOfGirls: pupils > 0 ? String(girls) : '',
    PercentageFSM: pupils > 0 ? (r.next() * 60).toFixed(1) : '',
    'TrustSchoolFlag (code)': trust ? '5' : '0',
    'TrustSchoolFlag (name)': trust ? 'Supported by a multi-academy trust' : 'Not applicable',
    'Trusts (code)': trust ? trust[0] : '',
    'Trusts (name)': trust ? trust[1] : '',
    'SchoolSponsorFlag (name)': trust && r.next() < 0.3 ? 'Linked to a sponsor' : 'Not applicable',
    'SchoolSponsors (name)': '',
    'FederationFlag (name)': federation ? 'Supported by a federation' : 'Not under a federation',
    'Federations (code)': federation ? federation[0] : '',
    'Federations (name)': federation ? federation[1] : '',
    UKPRN: r.next() < 0.7 ? String(10000000 + r.int(0, 99999)) : '',
    FEHEIdentifier: '',
    'FurtherEducationType (name)': 'Not applicable',
    OfstedLastInsp: open ? ddmmyyyy(r, 2012, 2024) : '',
    'OfstedSpecialMeasures (code)': '0',
    'OfstedSpecialMeasures (name)': 'Not applicable',
    LastChangedDate: ddmmyyyy(r, 2020, 2025),
    Street: `${r.int(1, 200)} ${r.pick(['Church Lane', 'High Street', 'School Road', 'Station Road', 'Mill Lane'])}`,
    Locality: r.next() < 0.5 ? place : '',
    Address3: '',
    Town: laName,
    'County (name)': '',
    Postcode: `${r.pick(['AB', 'CV', 'LS', 'M', 'NE', 'SE', 'B'])}${r.int(1, 29)} ${r.int(1, 9)}${r.pick(['AA', 'BD', 'HQ', 'XT'])}`,
    SchoolWebsite: r.next() < 0.6 ? `www.${place.toLowerCase()}${i}.sch.uk` : '',
    TelephoneNum: `0${r.int(1000000000, 1999999999)}`,
    'HeadTitle (name)': r.pick(['Mr', 'Mrs', 'Miss', 'Ms', 'Dr']),
    HeadFirstName: r.pick(firstNames),
    HeadLastName: r.pick(lastNames),
    HeadPreferredJobTitle: r.pick(['Headteacher', 'Principal', 'Executive Headteacher']),
    'BSOInspectorateName (name)': 'Not applicable',
    'TeenMoth (name)': 'Not applicable',
    'CCF (name)': 'Not applicable',
    'SENPRU (name)': 'Not applicable',
    'EBD (name)': 'Not applicable',
    'EdByOther (name)': 'Not applicable',
    'Section41Approved (name)': 'Not applicable',
    'GOR (code)': gor,
    'GOR (name)': regions[gor] ?? '',
    'DistrictAdministrative (code)': gss,
    'DistrictAdministrative (name)': laName,
    'AdministrativeWard (code)': `E0${ward}`,
    'AdministrativeWard (name)': `${place} Ward`,
    'ParliamentaryConstituency (code)': `E140${r.int(10000, 11999)}`,
    'ParliamentaryConstituency (name)': `${laName} ${r.pick(['North', 'South', 'East', 'West', 'Central'])}`,
    'UrbanRural (code)': urCode,
    'UrbanRural (name)': urName,
    'GSSLACode (name)': gss,
    // About 2% of rows have no coordinates in the register; the rest sit within ~12 km of the LA centre.
    Easting: r.next() < 0.02 ? '' : String(east + r.int(-12000, 12000)),
    Northing: r.next() < 0.02 ? '' : String(north + r.int(-12000, 12000)),
    'MSOA (name)': `${laName} ${pad(msoa, 3)}`,
    'LSOA (name)': `${laName} ${pad(msoa, 3)}${r.pick(['A', 'B', 'C', 'D', 'E', 'F'])}`,
    'BoardingEstablishment (name)': 'Not applicable',
    'OfstedRating (name)': open ? r.weighted([[20, 'Outstanding'], [60, 'Good'], [12, 'Requires improvement'], [3, 'Inadequate'], [5, '']]) : '',
    UPRN: String(r.int(100000000, 200000000000)),
    'QABName (code)': '0',
    'QABName (name)': 'Not applicable',
    'EstablishmentAccredited (code)': '0',
    'EstablishmentAccredited (name)': 'Not applicable',
    'MSOA (code)': `E0200${pad(r.int(0, 7200), 4)}`,
    'LSOA (code)': `E0100${pad(r.int(0, 35000), 4)}`,
    FSM: pupils > 0 ? String(Math.round(pupils * r.next() * 0.4)) : '',
  };
  return row;
}

function csvLine(values: readonly string[], quote: (index: number) => boolean): string {
  return values.map((v, i) => (quote(i) ? `"${v.replaceAll('"', '""')}"` : v)).join(',');
}

/** Writes the generated extract as the publisher does: Windows-1252, header quoted, CRLF lines. */
async function writeExtract(path: string, rows: number): Promise<void> {
  const r = seeded(20250422);
  const stream = createWriteStream(path);
  // Waits for 'drain' when the buffer is full, so 60 MB is never held in memory at once.
  const write = async (text: string) => {
    if (!stream.write(iconv.encode(text, 'win1252'))) await once(stream, 'drain');
  };
  const columns = giasFullExtractColumns;
  await write(`${csvLine(columns, () => true)}\r\n`);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = extractRow(i, r);
    batch.push(csvLine(columns.map((c) => row[c] ?? ''), (index) => !unquoted.has(columns[index]!)));
    if (batch.length === 1000) {
      await write(`${batch.join('\r\n')}\r\n`);
      batch = [];
    }
  }
  if (batch.length > 0) await write(`${batch.join('\r\n')}\r\n`);
  stream.end();
  await once(stream, 'finish');
}

async function benchExtract(): Promise<string> {
  // Named as GIAS names its download, so the importer can read the extract date from the name.
  const path = join(out, 'edubasealldata20250422.csv');
  const made = await timed(() => writeExtract(path, extractRows));
  const size = statSync(path).size;
  const about = `Generated \`bench/.out/${relative(out, path)}\`: ${int(extractRows)} rows × ${giasFullExtractColumns.length} columns, ${mb(size)}, Windows-1252 (in ${secs(made.ms)} s; columns from \`bench/gias-full-extract-columns.ts\`).`;
  const importer = importerFor('gias-full-extract');
  if (!importer) {
    return `${about}\n\nSkipped the import: no \`gias-full-extract\` importer is registered in \`server/domains/imports/kinds.ts\` yet. The file is left in place for whoever writes it.`;
  }
  const detected = detectImporter(headerOf(path));
  memory.reset();
  const { handle, remove } = await freshPGlite();
  try {
    const first = await timed(() => runImport(handle.db, importer, path));
    const firstPeak = memory.peak;
    memory.reset();
    const second = await timed(() => runImport(handle.db, importer, path));
    const secondPeak = memory.peak;
    return [
      about,
      detected?.kind === importer.kind ? '' : `\n**Note:** detection on this header picks \`${detected?.kind ?? 'nothing'}\`, not \`${importer.kind}\`.`,
      '',
      markdownTable(
        ['Pass', 'Rows', 'Seconds', 'Rows/s', 'Summary', 'Peak RSS'],
        [
          ['1st (empty database)', int(first.value.rowsRead), secs(first.ms), int(first.value.rowsRead / (first.ms / 1000)), summaryText(first.value.summary), mb(firstPeak)],
          ['2nd (same file)', int(second.value.rowsRead), secs(second.ms), int(second.value.rowsRead / (second.ms / 1000)), summaryText(second.value.summary), mb(secondPeak)],
        ],
      ),
      '',
      changed(second.value.summary) === 0 ? 'Second pass changed nothing.' : `Second pass changed ${int(changed(second.value.summary))} rows: it should change none.`,
    ].join('\n');
  } catch (error) {
    return `${about}\n\nThe \`${importer.kind}\` importer refused the generated file: ${failure(error)}`;
  } finally {
    await remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Part (d): search under load

type Listening = { listen(options: { port: number; host: string }): Promise<string>; close(): Promise<unknown> };
const isListening = (value: unknown): value is Listening =>
  typeof value === 'object' && value !== null && typeof Reflect.get(value, 'listen') === 'function' && typeof Reflect.get(value, 'close') === 'function';

async function benchSearch(): Promise<string> {
  const appFile = join(repo, 'server', 'app.ts');
  if (!existsSync(appFile)) return 'Skipped: `server/app.ts` does not exist yet, so there is no HTTP server to load.';
  // Imported by path at run time: this file must typecheck before app.ts exists, and its
  // buildApp(deps) signature is not settled; the deps below cover the likely names.
  const app: unknown = await import(pathToFileURL(appFile).href);
  const buildApp: unknown = typeof app === 'object' && app !== null ? Reflect.get(app, 'buildApp') : undefined;
  if (typeof buildApp !== 'function') return 'Skipped: `server/app.ts` has no `buildApp` export yet.';

  const { handle, remove } = await freshPGlite();
  try {
    const register = detectImporter(headerOf(registerFile));
    if (register) await runImport(handle.db, register, registerFile);
    const config = loadConfig({ TRELLIS_DEMO: 'off', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
    const deps = { db: handle.db, handle, database: handle, config, logger: false, today: () => new Date().toISOString().slice(0, 10) };
    const server: unknown = await buildApp(deps);
    if (!isListening(server)) return 'Skipped: `buildApp` did not return a Fastify instance.';
    try {
      const base = await server.listen({ port: 0, host: '127.0.0.1' });
      const url = `${base}/api/v1/schools?q=primary`;
      // Every API route needs a session: the load runs as one signed-in person, as a browser would.
      const person = await handle.db.insertInto('person').values({ name: 'Bench Reader', email: 'bench@trellis.invalid' }).returning('id').executeTakeFirstOrThrow();
      await handle.db.insertInto('post').values({ person_id: person.id, role: 'teacher', school_id: (await handle.db.selectFrom('school').select('id').limit(1).executeTakeFirstOrThrow()).id, from_on: '2020-09-01' }).execute();
      const headers = { cookie: `trellis_session=${(await createSession(handle.db, Number(person.id), {})).token}` };
      const probe = await fetch(url, { headers });
      const probeBody = await probe.text();
      memory.reset();
      console.log(`  autocannon ${url} for ${loadSeconds} s, ${loadConnections} connections`);
      const result = await autocannon({ url, headers, connections: loadConnections, duration: loadSeconds });
      const notes = [
        probe.ok ? `A probe request answered ${probe.status} with ${(Buffer.byteLength(probeBody) / 1024).toFixed(1)} KB of JSON.` : `**The probe request answered ${probe.status}**, so these figures measure that answer, not a search: ${probeBody.slice(0, 200)}`,
        result.non2xx > 0 || result.errors > 0 ? `**${int(result.non2xx)} non-2xx answers, ${int(result.errors)} errors, ${int(result.timeouts)} timeouts.**` : 'Every answer was 2xx.',
      ];
      return [
        `In-process Fastify on PGlite holding the 2024 register (51,012 schools); \`GET /api/v1/schools?q=primary\` as a signed-in teacher (each request also loads the session and the person's posts), ${loadConnections} connections for ${loadSeconds} s (autocannon, same process and machine).`,
        '',
        markdownTable(
          ['Requests/s (mean)', 'Latency p50 ms', 'Latency p99 ms', 'Requests', 'Peak RSS'],
          [[int(result.requests.average), result.latency.p50, result.latency.p99, int(result.requests.total), mb(memory.peak)]],
        ),
        '',
        notes.join(' '),
      ].join('\n');
    } finally {
      await server.close();
    }
  } finally {
    await remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Part (e): ties recomputed from 120,000 activity records

const tieActivities = 120_000;
/** The bench's fixed "today", so runs compare: activities fall in the six years before it. */
const tieToday = '2026-11-23';

/**
 * 120,000 activity records among the register's open schools, seeded, shaped as DOMAIN.md §1
 * describes collaboration in England: each school has about 9 to 13 partners among its 60
 * nearest (schools in local authority and postcode order), three of them close partners that get
 * most of its joint work (a few long, intensive ties and more, weaker ones). An activity joins a school
 * and one partner (70%), two (20%) or three to six (10%); its type comes from the catalogue; 60%
 * happen once and the rest are weekly, termly or half-termly series; directions are random, with
 * one to three levels of people per school. Loaded with unnest arrays, untimed.
 */
async function generateActivities(handle: DatabaseHandle): Promise<{ parties: number }> {
  const schools = (await sql<{ id: number }>`select id from school where status <> 'closed' order by la_name, postcode, id`.execute(handle.db)).rows.map((r) => Number(r.id));
  const r = seeded(20261123);
  // Partnership is mutual: each school names two to four of its neighbours (by position in that
  // order) and is named back; with the partners group activities add, schools end with about
  // eleven partners each (DOMAIN.md: 9–10 for primaries, 10–13 for secondaries). The first three
  // of each list are its close partners.
  const partnerSets = schools.map(() => new Set<number>());
  schools.forEach((_id, i) => {
    for (let k = r.int(2, 4); k > 0; k--) {
      const j = (i + r.int(1, 30) * (r.next() < 0.5 ? -1 : 1) + schools.length) % schools.length;
      partnerSets[i]!.add(j);
      partnerSets[j]!.add(i);
    }
  });
  const partners = partnerSets.map((set) => [...set]);
  const today = dayNumber(tieToday);
  const recurrences: Weighted<[Recurrence, number, number]> = [
    [60, ['once', 1, 1]],
    [20, ['weekly', 2, 10]],
    [10, ['termly', 2, 3]],
    [10, ['half_termly', 2, 6]],
  ];
  const directions = ['giving', 'receiving', 'mutual'] as const;
  const a = { id: [] as number[], type: [] as string[], start: [] as string[], end: [] as string[], recurrence: [] as string[], occurrences: [] as number[], hours: [] as number[] };
  const p = { activity: [] as number[], school: [] as number[], direction: [] as string[], levels: [] as number[] };
  const st = { activity: [] as number[], school: [] as number[], level: [] as string[], people: [] as number[] };
  for (let i = 1; i <= tieActivities; i++) {
    const [recurrence, lo, hi] = r.weighted(recurrences);
    const occurrences = r.int(lo, hi);
    const start = today - r.int(1, 6 * 365);
    const step = recurrenceStep[recurrence];
    a.id.push(i);
    a.type.push(r.pick(builtInActivityTypes).code);
    a.start.push(isoDay(start));
    a.end.push(isoDay(occurrenceDay(start, step.days, step.months, occurrences - 1)));
    a.recurrence.push(recurrence);
    a.occurrences.push(occurrences);
    a.hours.push(r.int(2, 12) / 2);
    const size = r.weighted<number>([
      [70, 2],
      [20, 3],
      [10, r.int(4, 7)],
    ]);
    const anchor = r.int(0, schools.length - 1);
    const mine = partners[anchor]!;
    const chosen = new Set<number>([schools[anchor]!]);
    while (chosen.size < Math.min(size, mine.length + 1)) chosen.add(schools[r.next() < 0.6 || mine.length <= 3 ? mine[r.int(0, Math.min(2, mine.length - 1))]! : mine[r.int(3, mine.length - 1)]!]!);
    for (const school of chosen) {
      let mask = 0;
      for (let k = r.int(1, 3); k > 0; k--) {
        const level = r.int(0, staffLevels.length - 1);
        if (mask & (1 << level)) continue;
        mask |= 1 << level;
        st.activity.push(i);
        st.school.push(school);
        st.level.push(staffLevels[level]!);
        st.people.push(r.int(1, 12));
      }
      p.activity.push(i);
      p.school.push(school);
      p.direction.push(r.pick(directions));
      p.levels.push(mask);
    }
  }
  const chunk = 50_000;
  const slice = <T>(list: T[], from: number) => list.slice(from, from + chunk);
  for (let f = 0; f < a.id.length; f += chunk) {
    await sql`insert into activity (id, type_code, title, start_on, end_on, recurrence, occurrences, hours_each, source)
      select v.id, v.type, 'Bench activity ' || v.id, v.start, v.end_on, v.recurrence, v.occurrences, v.hours, 'demo'
      from unnest(${slice(a.id, f)}::bigint[], ${slice(a.type, f)}::text[], ${slice(a.start, f)}::date[], ${slice(a.end, f)}::date[], ${slice(a.recurrence, f)}::text[],
                  ${slice(a.occurrences, f)}::int[], ${slice(a.hours, f)}::numeric[]) as v(id, type, start, end_on, recurrence, occurrences, hours)`.execute(handle.db);
  }
  await sql`select setval('activity_id_seq', ${tieActivities})`.execute(handle.db);
  for (let f = 0; f < p.activity.length; f += chunk) {
    await sql`insert into activity_school (activity_id, school_id, direction, levels)
      select * from unnest(${slice(p.activity, f)}::bigint[], ${slice(p.school, f)}::bigint[], ${slice(p.direction, f)}::text[], ${slice(p.levels, f)}::int[])`.execute(handle.db);
  }
  for (let f = 0; f < st.activity.length; f += chunk) {
    await sql`insert into activity_staff (activity_id, school_id, level, people)
      select * from unnest(${slice(st.activity, f)}::bigint[], ${slice(st.school, f)}::bigint[], ${slice(st.level, f)}::text[], ${slice(st.people, f)}::int[])`.execute(handle.db);
  }
  return { parties: p.activity.length };
}

/**
 * The reference: the same pairs from one SQL statement (occurrences expanded with
 * generate_series, a self-join on activity_school, a group-by per pair). It gives frequency,
 * multiplexity, levels and first/last contact only: no window, no direction, no class, and it
 * stores nothing, so it is a floor for the database's share of the work, not a rival.
 */
async function referenceGroupBy(handle: DatabaseHandle): Promise<{ pairs: number; contacts: number; types: number }> {
  const result = await sql<{ pairs: number; contacts: number; types: number }>`
    with occurrence as (
      select a.id, a.type_code,
             case when a.recurrence = 'once' then a.start_on
                  when a.recurrence in ('weekly', 'fortnightly') then a.start_on + k * (case a.recurrence when 'weekly' then 7 else 14 end)
                  else (a.start_on + make_interval(months => k * (case a.recurrence when 'monthly' then 1 when 'half_termly' then 2 when 'termly' then 4 else 12 end)))::date
             end as day
      from activity a cross join lateral generate_series(0, a.occurrences - 1) k
      where a.withdrawn_at is null
    ), happened as (
      select id, type_code, count(*) as contacts, min(day) as first, max(day) as last from occurrence where day <= ${tieToday}::date group by id, type_code
    ), pair as (
      select s1.school_id as a, s2.school_id as b, sum(h.contacts) as contacts, count(distinct h.type_code) as types,
             bit_or(s1.levels | s2.levels) as levels, min(h.first) as first, max(h.last) as last
      from happened h
      join activity_school s1 on s1.activity_id = h.id
      join activity_school s2 on s2.activity_id = h.id and s2.school_id > s1.school_id
      group by s1.school_id, s2.school_id
    )
    select count(*)::int as pairs, sum(contacts)::float8 as contacts, sum(types)::float8 as types from pair`.execute(handle.db);
  return result.rows[0]!;
}

async function benchTies(): Promise<string> {
  const { handle, remove } = await freshPGlite();
  try {
    const register = detectImporter(headerOf(registerFile));
    if (!register) return `Skipped: no importer recognises \`${relative(sharedData, registerFile)}\`.`;
    await runImport(handle.db, register, registerFile);
    const made = await timed(() => generateActivities(handle));
    // Statistics, as autovacuum would gather on a server that had been running: without them the
    // reference query's planner expects a few hundred activities and nests loops for minutes.
    await sql`analyze`.execute(handle.db);
    console.log(`  generated ${int(tieActivities)} activities (${int(made.value.parties)} school rows) in ${secs(made.ms)} s`);
    memory.reset();
    const runs: RecomputeResult[] = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await recomputeAllTies(handle.db, tieToday));
      console.log(`  recompute ${i + 1}: ${runs[i]!.seconds.total.toFixed(2)} s`);
    }
    const peak = memory.peak;
    const sums = await sql<{ contacts: number; types: number }>`select sum(contacts)::float8 as contacts, sum(types)::float8 as types from tie`.execute(handle.db);
    const reference = await timed(() => referenceGroupBy(handle));
    const agrees = reference.value.pairs === runs[0]!.ties && reference.value.contacts === sums.rows[0]!.contacts && reference.value.types === sums.rows[0]!.types;
    // One more activity between two of the busiest schools, written with its incremental recompute.
    const busiest = (await sql<{ school_id: number }>`select school_id from activity_school group by school_id order by count(*) desc, school_id limit 2`.execute(handle.db)).rows.map((x) => Number(x.school_id));
    const incremental = await timed(() =>
      handle.db.transaction().execute(async (trx) => {
        await insertActivity(
          trx,
          { type_code: 'peer_observation', title: 'Bench: one more', network_id: null, start_on: tieToday, end_on: tieToday, recurrence: 'once', occurrences: 1, hours_each: 2, focus: null, outcome_notes: null, evidence: [] },
          busiest.map((schoolId) => ({ schoolId, direction: 'mutual', staff: { teachers: 2 } })),
          { personId: null, source: 'demo' },
        );
        return recomputePairs(trx, pairsAmong(busiest), tieToday);
      }),
    );
    const sorted = [...runs].sort((x, y) => x.seconds.total - y.seconds.total);
    const median = sorted[1]!;
    const row = (label: string, x: RecomputeResult) => [label, x.seconds.load.toFixed(2), x.seconds.derive.toFixed(2), x.seconds.store.toFixed(2), x.seconds.total.toFixed(2), int(x.ties)];
    const first = runs[0]!;
    const verdict = median.seconds.total <= 2 && first.seconds.total <= 2 ? 'met by every run' : median.seconds.total <= 2 ? `met by the median run; the first (cold) run took ${first.seconds.total.toFixed(2)} s` : '**not met**';
    return [
      `Fresh on-disk PGlite holding the 2024 register (51,012 schools) and ${int(tieActivities)} generated activity records (${int(made.value.parties)} school rows; seeded; six years up to ${tieToday}; generated and loaded in ${secs(made.ms)} s, untimed, then \`analyze\`). Each run replaces the \`tie\` table: load the activities (two aggregated queries), derive every tie in \`analytics/ties\`, store them (one statement of array literals, indexes rebuilt). Peak RSS: ${mb(peak)}.`,
      '',
      markdownTable(['Run', 'Load s', 'Derive s', 'Store s', 'Total s', 'Ties'], [row('1st (cold)', first), row('2nd', runs[1]!), row('3rd', runs[2]!)]),
      '',
      `Ties: ${int(first.strong)} strong, ${int(first.weak)} weak, ${int(first.dormant)} dormant. Target ≤ 2 s: ${verdict}.`,
      '',
      markdownTable(
        ['Beside it', 'Seconds', 'What it does'],
        [
          ['SQL group-by (reference)', secs(reference.ms), `the same ${int(reference.value.pairs)} pairs' frequency, multiplexity, levels and first/last contact in one statement: no window, direction or class, nothing stored. ${agrees ? 'Pairs, contacts and types agree with the kernel.' : '**Pairs, contacts or types differ from the kernel.**'}`],
          ['One activity written, its pairs recomputed', secs(incremental.ms), `between the two schools with the most activities (${incremental.value} pair recomputed from every activity of either school)`],
        ],
      ),
    ].join('\n');
  } finally {
    await remove();
  }
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md: each part owns a block between markers, so `--only imports` updates that block and
// leaves the others as they were.

const titles: Record<Part | 'machine', string> = {
  machine: 'Machine',
  imports: '(a) Imports of the real England files',
  floor: '(b) The floor: psql \\copy against our importer',
  extract: '(c) National-size full register extract',
  search: '(d) Search under load',
  ties: '(e) Ties recomputed from 120,000 activity records',
  graph: '(f) Network metrics beside igraph and networkx',
  surveys: '(g) Scoring a national survey round',
  mixed: '(h) Two-level random-intercept model beside statsmodels MixedLM',
  matching: '(i) Propensity-score matching over 24,000 schools',
  benchmarking: '(j) Similar schools and against the odds over 24,000 schools',
  brokering: '(k) Ranking support requests and allocating 2,000 of them over 24,000 schools',
};

function writeResults(sections: Partial<Record<Part | 'machine', string>>): void {
  let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmarks\n';
  for (const [key, body] of Object.entries(sections)) {
    const start = `<!-- bench:${key}:start -->`;
    const end = `<!-- bench:${key}:end -->`;
    const block = `${start}\n${body.trim()}\n${end}`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    text = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n## ${titles[key as Part | 'machine']}\n\n${block}\n`;
  }
  writeFileSync(resultsFile, text);
}

function machineFacts(date: string): string {
  const cpu = cpus();
  return [
    `Last run ${date} with \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`.`,
    '',
    `- CPU: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`,
    `- Memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    `- Node ${process.version} on ${process.platform} ${process.arch}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

const runners: Record<Part, () => Promise<string>> = {
  imports: benchImports,
  floor: benchFloor,
  extract: benchExtract,
  search: benchSearch,
  ties: benchTies,
  // The national graph is the ties part's: the same generated activities on the whole register.
  surveys: async () => benchSurveys(),
  mixed: async () => benchMixed(),
  matching: async () => benchMatching(),
  benchmarking: async () => benchBenchmarking(),
  brokering: async () => benchBrokering(),
  graph: () => benchGraph({ out, sharedData, today: tieToday, freshDatabase: freshPGlite, generateActivities, command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}` }),
};

mkdirSync(out, { recursive: true });
// Databases left by a bench that was killed (their pid is in the name) are only clutter.
for (const name of readdirSync(out)) {
  const pid = Number(/^pglite-(\d+)-/.exec(name)?.[1]);
  if (pid && pid !== process.pid && !isAlive(pid)) rmSync(join(out, name), { recursive: true, force: true });
}
const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
const sections: Partial<Record<Part | 'machine', string>> = { machine: machineFacts(`${date} UTC`) };
let failed = false;
for (const part of selected) {
  console.log(`\n${titles[part]}`);
  const started = performance.now();
  try {
    const body = await runners[part]();
    sections[part] = `_Run ${date} UTC, took ${secs(performance.now() - started)} s._\n\n${body}`;
  } catch (error) {
    failed = true;
    sections[part] = `_Run ${date} UTC: **failed**: ${error instanceof Error ? error.message : String(error)}_`;
  }
  console.log(sections[part]);
}
writeResults(sections);
console.log(`\nWrote ${relative(repo, resultsFile)} (${selected.join(', ') || 'no parts'}).`);
process.exit(failed ? 1 : 0);
