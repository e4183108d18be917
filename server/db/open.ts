import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { DB } from './database.ts';
import { lockDataFolder } from './lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type DatabaseHandle = {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` on one dedicated session that accepts multi-statement SQL scripts (migrations,
   * session-level advisory locks). `run` resolves to the rows of the script's last statement.
   */
  session<T>(fn: (run: (script: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T>;
  /** PGlite only: the whole cluster as a tarball, to start another database from (openPGlite's loadDataDir). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
};

// numeric and bigint arrive as strings from pg; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
// dates stay ISO strings (yyyy-mm-dd): a school's opening date has no time zone.
pg.types.setTypeParser(1082, (v) => v);

export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    // An idle connection the server drops (a restart, an administrator) is replaced on the next
    // query; it must not take the process down with an unhandled 'error' event.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL dropped an idle connection: ${error.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      async session(fn) {
        const client = await pool.connect();
        try {
          return await fn(async (script) => {
            const result: pg.QueryResult | pg.QueryResult[] = await client.query(script);
            const last = Array.isArray(result) ? result.at(-1) : result;
            return (last?.rows ?? []) as Record<string, unknown>[];
          });
        } finally {
          client.release();
        }
      },
      async close() {
        await db.destroy();
      },
    };
  }
  return openPGlite(database.dataDir);
}

const pgliteParsers = {
  20: (v: string) => Number.parseInt(v, 10),
  1700: (v: string) => Number.parseFloat(v),
  1082: (v: string) => v,
};

/**
 * The embedded database; `memory://` gives a throwaway one (tests). `loadDataDir` starts it from a
 * dump of another (PGlite's `dumpDataDir`) instead of an empty cluster: the test harness starts
 * every file's database from one migrated template, which skips initdb and the migrations.
 */
export async function openPGlite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const dir = inMemory ? dataDir : resolve(dataDir);
  let unlock = () => {};
  if (!inMemory) {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataFolder(dir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(inMemory ? dir : `${dir}/pgdata`, { parsers: pgliteParsers, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async dumpDataDir() {
      const dump = await client.dumpDataDir('none');
      return dump instanceof Blob ? dump : new Blob([dump]);
    },
    async session(fn) {
      // Borrow the single connection through Kysely so no query slips in between.
      return db.connection().execute(() =>
        fn(async (script) => {
          const results = await client.exec(script);
          return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await client.close();
      unlock();
    },
  };
}
