import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../server/app.ts';
import { migrate } from '../../server/db/migrate.ts';
import { type DatabaseHandle, openPGlite } from '../../server/db/open.ts';
import { readCsv } from '../../server/domains/imports/csv-source.ts';
import { loadDemo } from '../../server/domains/registry/demo.ts';
import { sharedData } from '../harness.ts';

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

export type RunningTrellis = { url: string; database: DatabaseHandle; app: FastifyInstance; close: () => Promise<void> };

/**
 * The real server on a free local port, over an in-memory database holding real schools: the
 * demo loader's cut of the public files for a few local authorities (the same importers a user
 * runs). Serves the built web app from web/dist.
 */
export async function startTrellis(
  localAuthorities: readonly string[],
  load: (database: DatabaseHandle) => Promise<unknown> = (database) => loadDemo(database.db, sharedData(''), { localAuthorities }),
): Promise<RunningTrellis> {
  if (!existsSync(`${webDist}/index.html`)) {
    throw new Error('web/dist is missing: run `npm run build:web` first (`npm run test:e2e` does).');
  }
  const database = await openPGlite('memory://');
  await migrate(database);
  await load(database);
  const app = await buildApp({ database, webDist });
  await recordFederationsIfMissing(app, database, localAuthorities);
  await placeSchoolsIfMissing(database);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

const count = async (database: DatabaseHandle, query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(database.db)).rows[0]?.n ?? 0);

/**
 * While no registered importer reads the 2016 federation files, the federations of the demo
 * schools are recorded through the public API (POST /networks, POST /memberships), from the
 * same real files, dated on the file's extract year. Does nothing once an importer loads them.
 */
async function recordFederationsIfMissing(app: FastifyInstance, database: DatabaseHandle, localAuthorities: readonly string[]) {
  if ((await count(database, sql<{ n: number }>`select count(*)::int as n from membership`)) > 0) return;
  const schools = await sql<{ id: number; urn: number }>`select id, urn from school where lower(la_name) = any(${localAuthorities.map((l) => l.toLowerCase())})`.execute(database.db);
  const idOfUrn = new Map(schools.rows.map((s) => [String(s.urn), s.id]));
  const members = new Map<string, number[]>();
  // The file's school-federation column holds the federation's name.
  for await (const r of readCsv(sharedData('gias/openregister_la-maintained-schools_2016.csv'))) {
    const federation = (r.values['school-federation'] ?? '').trim();
    const id = idOfUrn.get((r.values['la-maintained-school-eng'] ?? '').trim());
    if (federation && id) members.set(federation, [...(members.get(federation) ?? []), id]);
  }
  for (const [federation, ids] of members) {
    if (ids.length < 2) continue;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/networks',
      payload: { name: federation, kind: 'federation' },
    });
    const networkId = (created.json() as { id: number }).id;
    for (const schoolId of ids) {
      await app.inject({ method: 'POST', url: '/api/v1/memberships', payload: { schoolId, networkId, joinedOn: '2016-11-22' } });
    }
  }
}

/**
 * Schools' coordinates come from the 2018/19 performance tables (LATITUDE, LONGITUDE). While no
 * registered importer reads them, they are set here for the demo schools, from that real file.
 */
async function placeSchoolsIfMissing(database: DatabaseHandle) {
  if ((await count(database, sql<{ n: number }>`select count(*)::int as n from school where latitude is not null`)) > 0) return;
  const urns = new Set((await sql<{ urn: number }>`select urn from school`.execute(database.db)).rows.map((r) => String(r.urn)));
  for (const file of ['performance/eng-schools_2018-19_england_ks2final_trimmed.csv', 'performance/eng-schools_2018-19_england_ks4final_trimmed.csv']) {
    for await (const r of readCsv(sharedData(file))) {
      const urn = (r.values.URN ?? '').trim();
      const latitude = Number.parseFloat(r.values.LATITUDE ?? '');
      const longitude = Number.parseFloat(r.values.LONGITUDE ?? '');
      if (!urns.has(urn) || !Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
      await sql`update school set latitude = ${latitude}, longitude = ${longitude} where urn = ${Number(urn)} and latitude is null`.execute(database.db);
    }
  }
}
