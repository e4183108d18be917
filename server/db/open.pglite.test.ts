import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFolderLocked } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPGlite } from './open.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the embedded database folder', () => {
  it('refuses a second opener with a clear message, and reopens after a clean close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-lock-'));
    const first = await openPGlite(dir);
    await migrate(first);
    await expect(openPGlite(dir)).rejects.toThrow(DataFolderLocked);
    await expect(openPGlite(dir)).rejects.toThrow(/already open in process \d+.*one process per data folder/);
    await first.close();
    const again = await openPGlite(dir);
    expect(await migrate(again)).toEqual([]);
    await again.close();
  });

  it('recovers the data and the lock after its process is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/processes/hold-database.ts'), dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    await expect(openPGlite(dir)).rejects.toThrow(DataFolderLocked);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const recovered = await openPGlite(dir);
    const row = await recovered.db.selectFrom('school').select('name').where('urn', '=', 654321).executeTakeFirst();
    expect(row?.name).toBe('Written Before The Kill');
    await recovered.close();
  });
});
