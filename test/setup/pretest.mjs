// Runs before `npm test`: makes sure this machine has what the lanes need beyond node_modules,
// namely Debian's Chromium (e2e lane) and the PostgreSQL server programs (pg lane). CI starts
// from a fresh machine, so the project installs these itself rather than trusting what a
// developer once installed by hand. When everything is present it only checks a few paths.
//
// TRELLIS_SKIP_INSTALL=1 never calls apt (a machine where someone else manages packages); it
// still says what is missing so the failing lane is not a surprise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPgBin } from './pg-cluster.mjs';

const chromiumPath = '/usr/bin/chromium';

/** What the lanes need, each with how to see it is there and the Debian package that brings it. */
const needs = [
  { what: 'Chromium (e2e lane)', present: () => existsSync(chromiumPath), pkg: 'chromium' },
  { what: 'PostgreSQL server programs (pg lane)', present: () => findPgBin() !== null, pkg: 'postgresql' },
];

const missing = needs.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

const list = missing.map((n) => `${n.what}: apt-get install -y ${n.pkg}`).join('; ');
if (process.env.TRELLIS_SKIP_INSTALL === '1') {
  console.warn(`pretest: TRELLIS_SKIP_INSTALL=1, not installing. Missing: ${list}`);
  process.exit(0);
}
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`pretest: missing and not root, so not installing. Install as root: ${list}`);
  process.exit(1);
}

// noninteractive: a package's debconf question must not wait for an answer CI cannot give.
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** Runs apt-get quietly; on failure prints what apt said, since that is the only clue. */
function apt(args) {
  const result = spawnSync('apt-get', ['-q', '-y', ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    const said = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    console.error(`pretest: apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${said}`);
    process.exit(1);
  }
}

// One update for all installs: a fresh machine's package lists may be empty or stale.
apt(['update']);
for (const need of missing) {
  console.log(`pretest: installing ${need.what} with apt-get install -y ${need.pkg}`);
  apt(['install', need.pkg]);
  if (!need.present()) {
    console.error(`pretest: ${need.pkg} installed but ${need.what} is still not found`);
    process.exit(1);
  }
}
