// A throwaway PostgreSQL cluster: initdb into a fresh temp folder, start it on a free port of
// 127.0.0.1 with trust auth, and later stop it and delete the folder. Shared by
// with-postgres.mjs (the pg test lane) and bench/run.ts (the COPY floor), so both start the
// server the same way. Plain Node ESM: it runs before anything is compiled.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * The bin folder of the newest PostgreSQL server on this machine. Debian keeps the server
 * programs off PATH under /usr/lib/postgresql/<major>/bin; elsewhere (a developer's own build,
 * Homebrew) initdb is usually on PATH.
 */
export function findPgBin() {
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const majors = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const bin = join(debianRoot, major, 'bin');
      if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

/**
 * initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (which the
 * Debian package creates). spawn's uid/gid do what `runuser -u postgres --` would, without
 * needing runuser.
 */
function serverUser() {
  if (!isRoot) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, PostgreSQL must run as another user, but there is no `postgres` user. ' +
        'Install the server with `apt-get install -y postgresql` (it creates the user) or run as a normal user.',
    );
  }
}

/** Runs a PostgreSQL program, collecting its output; rejects with that output when it fails. */
function run(file, args, { user, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      // The server must not hold our stdout/stderr open (pg_ctl start forks it): output goes to
      // pipes we read and, for the server itself, to a log file given with -l.
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      // LC_ALL=C: initdb picks its locale from the environment; C avoids a missing-locale failure
      // on minimal machines and sorts bytewise, which is all the tests need.
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${output.trim()}`));
    });
  });
}

/** A TCP port that was free a moment ago (the OS picks it; a race with another process is retried). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function logTail(dir) {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Starts a fresh cluster. Resolves to { url, port, dir, bin, version }; `url` is an admin URL
 * (user postgres, database postgres) for TEST_DATABASE_URL. Throws with the server log when the
 * server does not come up; the temp folder is removed in that case.
 */
export async function startCluster() {
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      'No PostgreSQL server programs (initdb, pg_ctl) found under /usr/lib/postgresql/*/bin or on PATH. ' +
        'Install them: `apt-get install -y postgresql` (or run `node test/setup/pretest.mjs` as root).',
    );
  }
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'trellis-pg-'));
  const data = join(dir, 'data');
  const cluster = { url: '', port: 0, dir, data, bin, user, version: '' };
  try {
    if (user) execFileSync('chown', [`${user.uid}:${user.gid}`, dir]);
    // --no-sync and the -c flags below trade durability for speed: the cluster lives for one run.
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], { user, cwd: dir });
    cluster.version = (await run(join(bin, 'pg_ctl'), ['--version'], { user, cwd: dir })).trim().replace(/^pg_ctl \(PostgreSQL\) /, '');
    let lastError;
    // Another process may take the port between freePort() and the server binding it; try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        // The socket goes in our own folder: /var/run/postgresql may not exist or be writable.
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start'], { user, cwd: dir });
        cluster.port = port;
        cluster.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        startReaper(cluster);
        return cluster;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`PostgreSQL did not start: ${lastError?.message ?? ''}\nserver log:\n${logTail(dir)}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Stops the cluster (fast: open sessions are cut, as nothing is kept) and removes its folder.
 * Safe to call twice and on a cluster that never finished starting.
 */
export async function stopCluster(cluster) {
  if (!cluster || cluster.stopped) return;
  cluster.stopped = true;
  try {
    if (existsSync(join(cluster.data, 'postmaster.pid'))) {
      await run(join(cluster.bin, 'pg_ctl'), ['-D', cluster.data, '-m', 'fast', '-w', 'stop'], { user: cluster.user, cwd: cluster.dir });
    }
  } finally {
    rmSync(cluster.dir, { recursive: true, force: true });
  }
}

/**
 * A watchdog process that stops the cluster if its owner dies without doing so (SIGKILL, a crash,
 * a library's own exit on Ctrl-C): signal handlers in the owner cannot cover those, and a server
 * left running would hold its port and temp folder. Detached into its own session, so the
 * Ctrl-C that ends the owner does not end it too. It exits as soon as the folder is gone (a normal
 * stopCluster removes it).
 */
function startReaper(cluster) {
  const spec = JSON.stringify({ owner: process.pid, dir: cluster.dir, data: cluster.data, bin: cluster.bin, user: cluster.user });
  const reaper = spawn(process.execPath, [fileURLToPath(import.meta.url), '--reap', spec], { detached: true, stdio: 'ignore' });
  reaper.unref();
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function reap(spec) {
  const { owner, dir, data, bin, user } = JSON.parse(spec);
  while (existsSync(dir)) {
    if (!isAlive(owner)) {
      await stopCluster({ dir, data, bin, user }).catch(() => rmSync(dir, { recursive: true, force: true }));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

if (process.argv[2] === '--reap' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await reap(process.argv[3] ?? '{}');
}
