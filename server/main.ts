import { sql } from 'kysely';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { loadDemoWorld } from './demo.ts';
import { ensureAdministrator } from './domains/access/access.service.ts';
import { demoPassword } from './domains/access/demo-accounts.ts';
import { isoToday } from './domains/registry/registry.service.ts';

/** Composition root: config → database → migrations → demo data (first start) → HTTP. */
export async function serve(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  const database = await openDatabase(config.database);
  const log = (line: string) => console.log(`[trellis] ${line}`);
  try {
    const applied = await migrate(database);
    if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`);
    const { n } = await sql<{ n: number }>`select count(*)::int as n from school`.execute(database.db).then((r) => r.rows[0]!);
    if (n === 0 && config.demo === 'auto') {
      const started = Date.now();
      log(`empty database: loading the demo region from ${config.sharedDataDir}…`);
      try {
        const { accounts } = await loadDemoWorld(database.db, config.sharedDataDir, isoToday(), { log });
        log(`demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (accounts.length > 0) {
          log(`demo accounts (password "${demoPassword}"):`);
          for (const a of accounts) log(`  ${a.email.padEnd(26)} ${a.name}: ${a.role.replace(/_/g, ' ')}, ${a.place}`);
        }
      } catch (error) {
        log(`demo data not loaded: ${(error as Error).message}`);
      }
    }
    const setup = await ensureAdministrator(database.db, config.adminEmail, isoToday());
    if (setup) log(`administrator ${setup.email}: choose a password at http://localhost:${config.port}/invite/${setup.token} (one use, 7 days)`);
  } catch (error) {
    await database.close();
    throw error;
  }
  const app = await buildApp({ database, trustProxy: config.trustProxy, logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: closing`);
    await app.close();
    await database.close(); // PGlite must be closed cleanly so the next start does not need recovery
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  log(`serving http://localhost:${config.port} (API docs at /api/docs; database: ${database.kind})`);
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error: Error) => {
    console.error(`[trellis] ${error.message}`);
    process.exit(1);
  });
}
