import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from './open.ts';

const folder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Forward-only numbered SQL migrations, the same files on PGlite and PostgreSQL. */
export function migrationFiles(): string[] {
  return readdirSync(folder)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort();
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so two
 * servers starting against one PostgreSQL do not race. Returns the names applied.
 */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  return handle.session(async (run) => {
    await run('select pg_advisory_lock(727274)');
    try {
      await run(
        `create table if not exists schema_migration (
           name text primary key,
           applied_at timestamptz not null default now()
         )`,
      );
      const done = new Set((await run('select name from schema_migration')).map((r) => String(r.name)));
      const applied: string[] = [];
      for (const name of migrationFiles()) {
        if (done.has(name)) continue;
        const body = readFileSync(join(folder, name), 'utf8');
        try {
          await run(`begin;\n${body}\n;\ninsert into schema_migration(name) values ('${name}');\ncommit;`);
        } catch (error) {
          await run('rollback').catch(() => {});
          throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
        }
        applied.push(name);
      }
      return applied;
    } finally {
      await run('select pg_advisory_unlock(727274)');
    }
  });
}
