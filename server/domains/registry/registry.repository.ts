import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../../db/database.ts';

/** Kysely queries for the registry. Returns rows; the service turns them into contract types. */

export const schoolSummaryColumns = ['school.id', 'school.urn', 'school.name', 'school.phase', 'school.school_type', 'school.la_name', 'school.town', 'school.postcode', 'school.status'] as const;

/** Keyset cursor over (lower(name), id): stable under inserts, no OFFSET scans. */
export type NameCursor = { name: string; id: number };
export const encodeCursor = (c: NameCursor) => Buffer.from(JSON.stringify([c.name, c.id])).toString('base64url');
export function decodeCursor(raw: string | undefined): NameCursor | null {
  if (!raw) return null;
  try {
    const [name, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof name === 'string' && typeof id === 'number') return { name, id };
  } catch {
    // fall through
  }
  return null;
}

/**
 * A membership interval [joined_on, left_on) contains date `on`, and the school was still open
 * on `on`: a school that closed leaves its networks on its closing date, whatever the files say
 * (the 2016 lists still name schools that closed later, and nobody records their leaving).
 */
export function currentOn<QB extends SelectQueryBuilder<DB, 'membership', object>>(qb: QB, on: string): QB {
  return qb
    .where((eb) => eb.or([eb('membership.joined_on', 'is', null), eb('membership.joined_on', '<=', on)]))
    .where((eb) => eb.or([eb('membership.left_on', 'is', null), eb('membership.left_on', '>', on)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('school as closed_school')
            .select(sql`1`.as('one'))
            .whereRef('closed_school.id', '=', 'membership.school_id')
            .where('closed_school.closed_on', '<=', on),
        ),
      ),
    ) as QB;
}

export type SchoolFilter = {
  q?: string | undefined;
  phase?: string | undefined;
  type?: string | undefined;
  status?: string | undefined;
  la?: string | undefined;
  networkKind?: string | undefined;
  networkId?: number | undefined;
  today: string;
};

export async function searchSchools(db: Kysely<DB>, f: SchoolFilter, cursor: NameCursor | null, limit: number) {
  let qb = db.selectFrom('school').select(schoolSummaryColumns);
  if (f.q) {
    const q = f.q.trim();
    if (/^\d{6}$/.test(q)) qb = qb.where('school.urn', '=', Number(q));
    else {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
      for (const w of words) qb = qb.where(sql<boolean>`lower(school.name) like ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
    }
  }
  if (f.phase) qb = qb.where('school.phase', '=', f.phase);
  if (f.type) qb = qb.where('school.school_type', '=', f.type);
  if (f.status) qb = qb.where('school.status', '=', f.status);
  if (f.la) qb = qb.where(sql<boolean>`lower(school.la_name) = ${f.la.toLowerCase()}`);
  if (f.networkKind || f.networkId) {
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        currentOn(
          selectFrom('membership')
            .innerJoin('network', 'network.id', 'membership.network_id')
            .select(sql`1`.as('one'))
            .whereRef('membership.school_id', '=', 'school.id'),
          f.today,
        )
          .$if(!!f.networkKind, (q) => q.where('network.kind', '=', f.networkKind!))
          .$if(!!f.networkId, (q) => q.where('network.id', '=', f.networkId!)),
      ),
    );
  }
  if (cursor) {
    qb = qb.where(sql<boolean>`(lower(school.name), school.id) > (${cursor.name}, ${cursor.id})`);
  }
  const rows = await qb
    .orderBy(sql`lower(school.name)`)
    .orderBy('school.id')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: more && last ? { name: last.name.toLowerCase(), id: last.id } : null };
}

export const findSchool = (db: Kysely<DB>, id: number) => db.selectFrom('school').selectAll().where('id', '=', id).executeTakeFirst();
export const findSchoolByUrn = (db: Kysely<DB>, urn: number) => db.selectFrom('school').selectAll().where('urn', '=', urn).executeTakeFirst();

export function schoolLinks(db: Kysely<DB>, urn: number) {
  return db
    .selectFrom('school_link')
    .leftJoin('school', 'school.urn', 'school_link.link_urn')
    .select(['school_link.link_urn', 'school_link.link_type', 'school_link.established_on', 'school.id as school_id', 'school.name'])
    .where('school_link.urn', '=', urn)
    .orderBy('school_link.established_on')
    .execute();
}

export function membershipRows(db: Kysely<DB>) {
  return db
    .selectFrom('membership')
    .innerJoin('school', 'school.id', 'membership.school_id')
    .innerJoin('network', 'network.id', 'membership.network_id')
    .select([
      ...schoolSummaryColumns,
      'membership.id as membership_id',
      'membership.role',
      'membership.joined_on',
      // A closed school left its networks when it closed (see currentOn).
      sql<string | null>`least(membership.left_on, school.closed_on)`.as('left_on'),
      'membership.source',
      'network.id as network_id',
      'network.name as network_name',
      'network.kind as network_kind',
    ]);
}

export type NetworkFilter = { q?: string | undefined; kind?: string | undefined; la?: string | undefined; today: string };

export async function searchNetworks(db: Kysely<DB>, f: NetworkFilter, cursor: NameCursor | null, limit: number) {
  let qb = db
    .selectFrom('network')
    .select(['network.id', 'network.name', 'network.kind', 'network.opened_on', 'network.closed_on'])
    .select((eb) =>
      currentOn(eb.selectFrom('membership').select(eb.fn.countAll<number>().as('n')).whereRef('membership.network_id', '=', 'network.id'), f.today).as(
        'member_count',
      ),
    );
  if (f.q) {
    for (const w of f.q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
      qb = qb.where(sql<boolean>`lower(network.name) like ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
    }
  }
  if (f.kind) qb = qb.where('network.kind', '=', f.kind);
  if (f.la) {
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        currentOn(
          selectFrom('membership')
            .innerJoin('school', 'school.id', 'membership.school_id')
            .select(sql`1`.as('one'))
            .whereRef('membership.network_id', '=', 'network.id')
            .where(sql<boolean>`lower(school.la_name) = ${f.la!.toLowerCase()}`),
          f.today,
        ),
      ),
    );
  }
  if (cursor) qb = qb.where(sql<boolean>`(lower(network.name), network.id) > (${cursor.name}, ${cursor.id})`);
  const rows = await qb.orderBy(sql`lower(network.name)`).orderBy('network.id').limit(limit + 1).execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: more && last ? { name: last.name.toLowerCase(), id: last.id } : null };
}

export const findNetwork = (db: Kysely<DB>, id: number) => db.selectFrom('network').selectAll().where('id', '=', id).executeTakeFirst();

export async function countCurrentMembers(db: Kysely<DB>, networkId: number, today: string) {
  const r = await currentOn(db.selectFrom('membership').select((eb) => eb.fn.countAll<number>().as('n')).where('network_id', '=', networkId), today).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function membersOn(db: Kysely<DB>, networkId: number, on: string) {
  return currentOn(
    db
      .selectFrom('membership')
      .innerJoin('school', 'school.id', 'membership.school_id')
      .where('membership.network_id', '=', networkId),
    on,
  );
}
