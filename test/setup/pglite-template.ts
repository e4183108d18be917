import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../server/db/migrate.ts';
import { openPGlite } from '../../server/db/open.ts';

/**
 * Vitest global setup of the unit lane: one empty PGlite database with every migration applied,
 * dumped to a file once per run. test/harness.ts starts each test file's database from it
 * (PGlite's loadDataDir), which skips initdb and the migrations (~2.4 s a file here, ~0.7 s from
 * the dump). The forks inherit the path through the environment; the file goes at teardown.
 */
export default async function setup(): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'trellis-pglite-template-'));
  const file = join(folder, 'template.tar');
  const handle = await openPGlite('memory://');
  try {
    await migrate(handle);
    writeFileSync(file, Buffer.from(await (await handle.dumpDataDir!()).arrayBuffer()));
  } finally {
    await handle.close();
  }
  process.env.TRELLIS_TEST_PGLITE_TEMPLATE = file;
  return () => rmSync(folder, { recursive: true, force: true });
}
