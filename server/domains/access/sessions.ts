import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/database.ts';

/** A session ends after this long without a request… */
export const sessionIdleHours = 12;
/** …and after this long whatever happens. */
export const sessionMaxDays = 14;

export const newToken = () => randomBytes(32).toString('base64url');
/** Only a token's SHA-256 is stored, so a copy of the database hands out no live session or link. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export type SessionRow = { id: string; personId: number; csrfToken: string };

export async function createSession(db: Kysely<DB>, personId: number, meta: { ip?: string | null; userAgent?: string | null }) {
  const token = newToken();
  const csrfToken = newToken();
  const now = Date.now();
  await db
    .insertInto('session')
    .values({
      id: tokenHash(token),
      person_id: personId,
      csrf_token: csrfToken,
      idle_expires_at: new Date(now + sessionIdleHours * 3600_000),
      expires_at: new Date(now + sessionMaxDays * 86400_000),
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, maxAgeSeconds: sessionMaxDays * 86400 };
}

/**
 * The live session for a cookie token, sliding its idle expiry (at most once a minute, so a
 * busy page does not write on every request). Expired, revoked or unknown: null.
 */
export async function findSession(db: Kysely<DB>, token: string): Promise<SessionRow | null> {
  const id = tokenHash(token);
  const row = await db
    .selectFrom('session')
    .innerJoin('person', 'person.id', 'session.person_id')
    .select(['session.id', 'session.person_id', 'session.csrf_token', 'session.last_seen_at'])
    .where('session.id', '=', id)
    .where('session.revoked_at', 'is', null)
    .where('person.disabled_at', 'is', null)
    .where(sql<boolean>`session.idle_expires_at > now() and session.expires_at > now()`)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db
      .updateTable('session')
      .set({ last_seen_at: sql`now()`, idle_expires_at: sql`least(now() + ${`${sessionIdleHours} hours`}::interval, expires_at)` })
      .where('id', '=', id)
      .execute();
  }
  return { id: row.id, personId: Number(row.person_id), csrfToken: row.csrf_token };
}

export async function revokeSession(db: Kysely<DB>, id: string) {
  await db.updateTable('session').set({ revoked_at: sql`now()` }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Signs a person out everywhere: every live session ends now. Returns how many. */
export async function revokeAllSessions(db: Kysely<DB>, personId: number): Promise<number> {
  const r = await db.updateTable('session').set({ revoked_at: sql`now()` }).where('person_id', '=', personId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
