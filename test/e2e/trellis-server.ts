import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { migrate } from '../../server/db/migrate.ts';
import { type DatabaseHandle, openPGlite } from '../../server/db/open.ts';
import { loadDemoWorld } from '../../server/demo.ts';
import { type DemoAccount, demoPassword, seedDemoAccounts } from '../../server/domains/access/demo-accounts.ts';
import { loadNationalRegister } from '../../server/domains/registry/demo.ts';
import { sharedData } from '../harness.ts';

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

export type RunningTrellis = {
  url: string;
  database: DatabaseHandle;
  app: FastifyInstance;
  /** The demo accounts around one federation of the loaded region (all with `demoPassword`). */
  accounts: DemoAccount[];
  close: () => Promise<void>;
};

export { demoPassword };

/**
 * The real server on a free local port, over an in-memory database holding real schools: the
 * demo world of a few local authorities (the public files through the real importers, the demo
 * accounts, partnership plans and a year of activity: `server/demo.ts`). Serves the built web app from web/dist.
 */
export async function startTrellis(localAuthorities: readonly string[]): Promise<RunningTrellis> {
  if (!existsSync(`${webDist}/index.html`)) {
    throw new Error('web/dist is missing: run `npm run build:web` first (`npm run test:e2e` does).');
  }
  const database = await openPGlite('memory://');
  await migrate(database);
  const { accounts } = await loadDemoWorld(database.db, sharedData(''), new Date().toISOString().slice(0, 10), { localAuthorities });
  if (accounts.length === 0) throw new Error(`No demo accounts: the region ${localAuthorities.join(', ')} has no federation of two members with results`);
  return serve(database, accounts);
}

/**
 * The real server over the whole national register (every public file, uncut: about 27,000
 * open schools linked through shared federations and trusts), with the demo accounts;
 * `accounts[0]` is the administrator. For the national map.
 */
export async function startNationalTrellis(): Promise<RunningTrellis> {
  if (!existsSync(`${webDist}/index.html`)) {
    throw new Error('web/dist is missing: run `npm run build:web` first (`npm run test:e2e` does).');
  }
  const database = await openPGlite('memory://');
  await migrate(database);
  await loadNationalRegister(database.db, sharedData(''));
  const accounts = await seedDemoAccounts(database.db, new Date().toISOString().slice(0, 10));
  if (accounts[0]?.role !== 'platform_admin') throw new Error('No demo administrator: the national register has no federation of two members');
  return serve(database, accounts);
}

async function serve(database: DatabaseHandle, accounts: DemoAccount[]): Promise<RunningTrellis> {
  // Every browser here signs in from 127.0.0.1: the per-address limit (tested in the unit lane) is off.
  const app = await buildApp({ database, webDist, rateLimits: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    app,
    accounts,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
