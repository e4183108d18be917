import type { Kysely } from 'kysely';
import type { Role } from '../../../common/access.ts';
import type { DB } from '../../db/database.ts';

/** A post the person holds today: a role in one place. */
export type ActivePost = {
  id: number;
  role: Role;
  schoolId: number | null;
  networkId: number | null;
  laName: string | null;
  fromOn: string;
  toOn: string | null;
};

/** Who is asking: a signed-in person with the posts that hold on `today`. */
export type Actor = {
  personId: number;
  name: string;
  email: string;
  /** Posts in force today; a post that has ended (or not begun) is not here and grants nothing. */
  posts: ActivePost[];
  today: string;
  sessionId: string | null;
};

/** The posts of a person that hold on `on`: from_on ≤ on < to_on. */
export async function activePosts(db: Kysely<DB>, personId: number, on: string): Promise<ActivePost[]> {
  const rows = await db
    .selectFrom('post')
    .select(['id', 'role', 'school_id', 'network_id', 'la_name', 'from_on', 'to_on'])
    .where('person_id', '=', personId)
    .where('from_on', '<=', on)
    .where((eb) => eb.or([eb('to_on', 'is', null), eb('to_on', '>', on)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    schoolId: r.school_id === null ? null : Number(r.school_id),
    networkId: r.network_id === null ? null : Number(r.network_id),
    laName: r.la_name,
    fromOn: r.from_on,
    toOn: r.to_on,
  }));
}

export async function loadActor(db: Kysely<DB>, personId: number, today: string, sessionId: string | null): Promise<Actor | null> {
  const person = await db.selectFrom('person').select(['id', 'name', 'email', 'disabled_at']).where('id', '=', personId).executeTakeFirst();
  if (!person || person.disabled_at) return null;
  return { personId: Number(person.id), name: person.name, email: person.email, posts: await activePosts(db, personId, today), today, sessionId };
}

export const isAdmin = (a: Actor) => a.posts.some((p) => p.role === 'platform_admin');
export const postsWith = (a: Actor, roles: readonly Role[]) => a.posts.filter((p) => roles.includes(p.role));
/** Schools the actor holds any school post in (leaders, staff, governors). */
export const ownSchoolIds = (a: Actor) => [...new Set(a.posts.filter((p) => p.schoolId !== null).map((p) => p.schoolId as number))];
export const networkIdsWith = (a: Actor, roles: readonly Role[]) => [
  ...new Set(
    postsWith(a, roles)
      .filter((p) => p.networkId !== null)
      .map((p) => p.networkId as number),
  ),
];
export const schoolIdsWith = (a: Actor, roles: readonly Role[]) => [
  ...new Set(
    postsWith(a, roles)
      .filter((p) => p.schoolId !== null)
      .map((p) => p.schoolId as number),
  ),
];
export const laNamesOf = (a: Actor) => [...new Set(postsWith(a, ['la_officer']).map((p) => (p.laName ?? '').toLowerCase()))];
