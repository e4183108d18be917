import type { Insertable, Kysely } from 'kysely';
import type { Role } from '../common/access.ts';
import type { DB, NetworkTable, SchoolTable } from '../server/db/database.ts';
import { hashPassword } from '../server/domains/access/passwords.ts';
import { createSession } from '../server/domains/access/sessions.ts';
import { sessionCookie } from '../server/http/session.ts';

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

export type PostSpec = { role: Role; school?: { id: number }; network?: { id: number }; laName?: string; fromOn?: string; toOn?: string | null };

/**
 * A person holding the given posts (from 2020-09-01 unless said), with no password: tests sign
 * them in through `signedIn`, which opens a real server-side session.
 */
export async function makePerson(db: Kysely<DB>, posts: PostSpec[] = [], over: { name?: string; email?: string; password?: string } = {}) {
  const n = seq();
  const person = await db
    .insertInto('person')
    .values({ name: over.name ?? `Test Person ${n}`, email: over.email ?? `person${n}@test.invalid`, password_hash: over.password ? await hashPassword(over.password) : null })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const p of posts) {
    await db
      .insertInto('post')
      .values({
        person_id: person.id,
        role: p.role,
        school_id: p.school?.id ?? null,
        network_id: p.network?.id ?? null,
        la_name: p.laName ?? null,
        from_on: p.fromOn ?? '2020-09-01',
        to_on: p.toOn ?? null,
      })
      .execute();
  }
  return person;
}

/** Request headers of a live session for `person`: its cookie and CSRF token. */
export async function signedIn(db: Kysely<DB>, person: { id: number }) {
  const s = await createSession(db, Number(person.id), { ip: '127.0.0.1', userAgent: 'vitest' });
  return { cookie: `${sessionCookie}=${s.token}`, 'x-csrf-token': s.csrfToken };
}

/** A platform administrator's session headers (for tests about something other than access). */
export async function adminHeaders(db: Kysely<DB>) {
  return signedIn(db, await makePerson(db, [{ role: 'platform_admin' }]));
}
