// Usage: node test/setup/with-postgres.mjs <command...>
//
// Runs <command> with TEST_DATABASE_URL pointing at a throwaway PostgreSQL cluster, then stops
// the cluster and deletes it whatever happens (success, failure, Ctrl-C, SIGTERM from CI), and
// exits with the command's exit code. When TEST_DATABASE_URL is already set (a developer's own
// server, a CI service container) the command simply runs against it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, stopCluster } from './pg-cluster.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node test/setup/with-postgres.mjs <command...>   e.g. vitest run --project pg');
  process.exit(2);
}

let starting = null;
let child = null;
let stopping = null;

/**
 * Stops the cluster once, however many paths (signal, end of the command) ask for it. It waits
 * for a start still under way, so a Ctrl-C during initdb does not leave a server behind.
 */
function cleanUp() {
  stopping ??= (async () => {
    const cluster = await starting?.catch(() => null);
    await stopCluster(cluster);
  })().catch((error) => {
    console.error(`with-postgres: could not stop the cluster cleanly: ${error.message}`);
  });
  return stopping;
}

// On a signal: pass it to the command so it can end its own workers, then stop the server and
// exit as a process killed by that signal would (128 + its number).
let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = signal;
    if (child && child.exitCode === null) child.kill(signal);
    void cleanUp().then(() => process.exit(128 + (constants.signals[signal] ?? 1)));
  });
}

function runCommand(env) {
  return new Promise((resolve) => {
    // node_modules/.bin first, as `npm run` does, so `vitest` resolves when this script is
    // called directly with node.
    const path = [join(repo, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
    child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env, PATH: path } });
    child.on('error', (error) => {
      console.error(`with-postgres: could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 1)));
  });
}

let exitCode = 1;
try {
  if (process.env.TEST_DATABASE_URL) {
    const shown = new URL(process.env.TEST_DATABASE_URL);
    shown.password = shown.password ? '***' : '';
    console.log(`with-postgres: using the server in TEST_DATABASE_URL (${shown.host}), not starting one`);
    exitCode = await runCommand({});
  } else {
    starting = startCluster();
    const cluster = await starting;
    console.log(`with-postgres: started PostgreSQL ${cluster.version} on 127.0.0.1:${cluster.port} (throwaway cluster in ${cluster.dir})`);
    // A signal that came during the start is being handled (cleanUp, then exit): run nothing.
    if (interrupted) await new Promise(() => {});
    exitCode = await runCommand({ TEST_DATABASE_URL: cluster.url });
  }
} catch (error) {
  console.error(`with-postgres: ${error.message}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
