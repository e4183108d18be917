import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePerson } from '../../../test/factories.ts';
import { testDatabase, testDbKind } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { migrate } from '../../db/migrate.ts';
import { openPGlite } from '../../db/open.ts';
import { sessionCookie } from '../../http/session.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const password = 'a long enough password';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('sessions live in the database', () => {
  it.runIf(testDbKind === 'postgres')('are shared by two server processes on one PostgreSQL database', async () => {
    const h = await testDatabase();
    const app = await buildApp({ database: h, webDist: null });
    await makePerson(h.db, [{ role: 'platform_admin' }], { email: 'two@processes.test', password });
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'two@processes.test', password } });
    const token = signIn.cookies.find((c) => c.name === sessionCookie)!.value;
    const csrf = signIn.json().csrfToken as string;
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: h.url, PORT: String(port), HOST: '127.0.0.1', TRELLIS_DEMO: 'off', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('serving') && resolve());
        child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
      });
      const other = `http://127.0.0.1:${port}/api/v1`;
      // The session made by this process works in the other one…
      const me = await fetch(`${other}/auth/me`, { headers: { cookie: `${sessionCookie}=${token}` } });
      expect(me.status).toBe(200);
      expect((await me.json()).email).toBe('two@processes.test');
      // …and signing out there ends it here.
      const out = await fetch(`${other}/auth/sign-out`, { method: 'POST', headers: { cookie: `${sessionCookie}=${token}`, 'x-csrf-token': csrf } });
      expect(out.status).toBe(204);
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `${sessionCookie}=${token}` } })).statusCode).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
      await app.close();
      await h.close();
    }
  }, 60_000);

  it.runIf(testDbKind === 'pglite')('survive a restart of the server on the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-restart-'));
    try {
      const first = await openPGlite(dir);
      await migrate(first);
      await makePerson(first.db, [], { email: 'restart@trellis.test', password });
      const app = await buildApp({ database: first, webDist: null });
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'restart@trellis.test', password } });
      const cookie = `${sessionCookie}=${signIn.cookies.find((c) => c.name === sessionCookie)!.value}`;
      await app.close();
      await first.close();
      const second = await openPGlite(dir);
      const again = await buildApp({ database: second, webDist: null });
      expect((await again.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).json().email).toBe('restart@trellis.test');
      await again.close();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
