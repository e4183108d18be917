import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/database.ts';
import { upsertRows } from '../../db/bulk.ts';

export type NetworkRecord = {
  source_key: string;
  name: string;
  kind: string;
  federation_form?: string | null;
  legal_status?: string | null;
  companies_house_no?: string | null;
  group_code?: string | null;
  opened_on?: string | null;
  closed_on?: string | null;
  formation?: string | null;
  governance_mode?: string | null;
};

/** Inserts or updates networks by their source key (e.g. `gias-group:2044`). */
export async function upsertNetworks(trx: Transaction<DB>, networks: NetworkRecord[]) {
  const rows = networks.map((n) => ({
    source_key: n.source_key,
    name: n.name,
    kind: n.kind,
    federation_form: n.federation_form ?? null,
    legal_status: n.legal_status ?? null,
    companies_house_no: n.companies_house_no ?? null,
    group_code: n.group_code ?? null,
    opened_on: n.opened_on ?? null,
    closed_on: n.closed_on ?? null,
    formation: n.formation ?? null,
    governance_mode: n.governance_mode ?? null,
  }));
  const fillOnly = ['formation', 'governance_mode'] as const; // users may declare these; a file never erases them
  return upsertRows(trx, {
    table: 'network',
    rows,
    conflict: ['source_key'],
    overwrite: ['name', 'kind', 'federation_form', 'legal_status', 'companies_house_no', 'group_code', 'opened_on', 'closed_on'],
    fill: [...fillOnly],
    touch: { updated_at: sql`now()` },
  });
}

export type MembershipAssertion = {
  urn: number;
  networkKey: string;
  role?: string;
  /** The date the file gives for joining, when it gives one. */
  joinedOn?: string | null;
};

export type SyncCounts = { joined: number; left: number; kept: number; unknownSchools: number; unknownNetworks: number };

/**
 * Brings the memberships one source vouches for in line with a file that lists them all as of
 * `asOf`. Nothing is overwritten: a membership the file no longer lists is ended (left_on =
 * asOf) and a new one is opened, so the history of who was in which network survives re-imports.
 *
 * A new membership starts on the file's own joining date when it has one; otherwise on `asOf`
 * if this source was imported before (the school joined between the two extracts), or is left
 * open-ended (joined_on null: "member since before our records") on the first import.
 *
 * `scope` limits which open memberships the file speaks for: only those of networks whose
 * source_key starts with it (a federations file says nothing about trusts).
 */
export async function syncMemberships(
  trx: Transaction<DB>,
  opts: { source: string; scope: string; asOf: string; assertions: MembershipAssertion[]; complete?: boolean },
): Promise<SyncCounts> {
  const counts: SyncCounts = { joined: 0, left: 0, kept: 0, unknownSchools: 0, unknownNetworks: 0 };
  const schools = new Map<number, number>();
  const urns = [...new Set(opts.assertions.map((a) => a.urn))];
  for (let i = 0; i < urns.length; i += 10_000) {
    const found = await trx.selectFrom('school').select(['id', 'urn']).where('urn', 'in', urns.slice(i, i + 10_000)).execute();
    for (const s of found) if (s.urn !== null) schools.set(s.urn, s.id);
  }
  const networks = new Map<string, number>();
  const found = await trx.selectFrom('network').select(['id', 'source_key']).where('source_key', 'like', `${opts.scope}%`).execute();
  for (const n of found) if (n.source_key) networks.set(n.source_key, n.id);

  const priorImport = await trx
    .selectFrom('membership')
    .select('id')
    .where('source', '=', opts.source)
    .where((eb) => eb.or([eb('joined_on', '<', opts.asOf), eb('joined_on', 'is', null)]))
    .limit(1)
    .executeTakeFirst();

  const open = await trx
    .selectFrom('membership')
    .innerJoin('network', 'network.id', 'membership.network_id')
    .select(['membership.id', 'membership.school_id', 'membership.network_id', 'membership.role'])
    .where('membership.left_on', 'is', null)
    .where('network.source_key', 'like', `${opts.scope}%`)
    .execute();
  const openByPair = new Map(open.map((m) => [`${m.school_id}:${m.network_id}`, m]));

  const wanted = new Map<string, { school_id: number; network_id: number; role: string; joined_on: string | null }>();
  for (const a of opts.assertions) {
    const schoolId = schools.get(a.urn);
    const networkId = networks.get(a.networkKey);
    if (schoolId === undefined) {
      counts.unknownSchools++;
      continue;
    }
    if (networkId === undefined) {
      counts.unknownNetworks++;
      continue;
    }
    const joined = a.joinedOn ?? (priorImport ? opts.asOf : null);
    wanted.set(`${schoolId}:${networkId}`, { school_id: schoolId, network_id: networkId, role: a.role ?? 'member', joined_on: joined });
  }

  const toInsert: { school_id: number; network_id: number; role: string; joined_on: string | null; source: string }[] = [];
  const toEnd: number[] = [];
  for (const [pair, w] of wanted) {
    const current = openByPair.get(pair);
    if (!current) toInsert.push({ ...w, source: opts.source });
    else if (current.role !== w.role) {
      // A change of role is a new chapter of the membership, not an edit of the old one.
      toEnd.push(current.id);
      toInsert.push({ ...w, joined_on: opts.asOf, source: opts.source });
    } else counts.kept++;
  }
  if (opts.complete !== false) {
    for (const [pair, m] of openByPair) if (!wanted.has(pair)) toEnd.push(m.id);
  }
  for (let i = 0; i < toEnd.length; i += 10_000) {
    await trx
      .updateTable('membership')
      .set({ left_on: sql<string>`greatest(coalesce(joined_on, ${opts.asOf}::date), ${opts.asOf}::date)` })
      .where('id', 'in', toEnd.slice(i, i + 10_000))
      .execute();
  }
  counts.left = toEnd.length;
  for (let i = 0; i < toInsert.length; i += 5_000) {
    await trx.insertInto('membership').values(toInsert.slice(i, i + 5_000)).execute();
  }
  counts.joined = toInsert.length;
  return counts;
}
