import type { Insertable, Kysely } from 'kysely';
import type { DB, NetworkTable, SchoolTable } from '../server/db/database.ts';

/** Explicit test data builders (Outline's buildUser, Immich's ctx.newAlbum). */
let next = 0;
const seq = () => ++next;

export async function makeSchool(db: Kysely<DB>, over: Partial<Insertable<SchoolTable>> = {}) {
  const n = seq();
  return db
    .insertInto('school')
    .values({ urn: 900000 + n, name: `Test School ${n}`, phase: 'primary', school_type: 'community', la_name: 'Testshire', status: 'open', ...over })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeNetwork(db: Kysely<DB>, over: Partial<Insertable<NetworkTable>> = {}) {
  const n = seq();
  return db
    .insertInto('network')
    .values({ name: `Test Federation ${n}`, kind: 'federation', source_key: `test:${n}`, ...over })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeMembership(
  db: Kysely<DB>,
  school: { id: number },
  network: { id: number },
  over: { role?: string; joined_on?: string | null; left_on?: string | null } = {},
) {
  return db
    .insertInto('membership')
    .values({ school_id: school.id, network_id: network.id, role: over.role ?? 'member', joined_on: over.joined_on ?? null, left_on: over.left_on ?? null, source: 'test' })
    .returningAll()
    .executeTakeFirstOrThrow();
}
