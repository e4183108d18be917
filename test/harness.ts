import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../server/db/migrate.ts';
import { type DatabaseHandle, openDatabase, openPGlite } from '../server/db/open.ts';

/** Which database the current lane runs on. */
export const testDbKind: 'pglite' | 'postgres' = process.env.TRELLIS_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/**
 * A fresh, migrated database for one test file: an in-memory PGlite in the unit lane, a new
 * database on the lane's PostgreSQL server in the pg lane (dropped on close).
 */
export async function testDatabase(): Promise<DatabaseHandle & { url?: string }> {
  if (testDbKind === 'pglite') {
    const handle = await openPGlite('memory://', templateDump() ? { loadDataDir: templateDump()! } : {});
    await migrate(handle); // a no-op on the template; the full run without one
    return handle;
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    throw new Error('The pg lane needs TEST_DATABASE_URL; run it through `npm run test:pg`, which starts a server.');
  }
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrate(handle);
  return {
    ...handle,
    /** The test database's connection string, for a second process on the same database. */
    url: url.toString(),
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      // The pool's sockets may still be closing after close() resolves; forcing the drop then
      // would hand those closing clients a FATAL "terminating connection" error. Wait for them.
      for (let waited = 0; waited < 5000; waited += 50) {
        const open = await dropper.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (open.rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

let template: Blob | null | undefined;
/**
 * The migrated empty database test/setup/pglite-template.ts dumped for this run, if any: starting
 * from it takes about a third of the time of a fresh in-memory PGlite plus the migrations.
 */
function templateDump(): Blob | null {
  if (template !== undefined) return template;
  const path = process.env.TRELLIS_TEST_PGLITE_TEMPLATE;
  template = path && existsSync(path) ? new Blob([readFileSync(path)]) : null;
  return template;
}

/** Absolute path of a file in ../shared/data (the real public England files). */
export function sharedData(relative: string): string {
  return new URL(`../../shared/data/${relative}`, import.meta.url).pathname;
}
