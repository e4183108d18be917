import { parseDate, parseUrn } from '../../imports/dfe-values.ts';
import type { Importer } from '../../imports/importer.ts';
import { type NetworkRecord, syncMemberships, upsertNetworks } from '../membership-sync.ts';
import { giasGroupsImporter, groupNetwork } from './gias-groups.importer.ts';

type Row = { urn: number; network: NetworkRecord; joinedOn: string | null; groupClosed: boolean };

/**
 * The register's group links extract (links_groups / "Group links" download): one line per
 * establishment in a group, with the group's own columns and the date the establishment joined.
 * Brings the groups up to date and records the memberships as of the file's date (from its
 * name, e.g. links_groups20250422.csv, or --as-of): a link no longer listed is ended then, a new
 * one starts on its "Joined date". A link to a group the file marks closed updates the group
 * but is not a membership (a closed trust has no members); the summary counts them.
 */
export const giasGroupLinksImporter: Importer<Row> = {
  kind: 'gias-group-links',
  title: 'register group links (URN, Group UID, Group Name, Group Type, … Joined date)',
  requiredColumns: ['URN', ...giasGroupsImporter.requiredColumns, 'Joined date'],
  parse({ values }) {
    const urn = parseUrn(values.URN);
    const network = groupNetwork(values);
    if ('skip' in network) return network;
    const groupClosed = (values['Group Status'] ?? '').trim().toLowerCase() === 'closed';
    return { urn, network, joinedOn: parseDate(values['Joined date'], 'Joined date'), groupClosed };
  },
  key: (row) => `URN ${row.urn} in ${row.network.source_key}`,
  async load(trx, rows, ctx) {
    const networks = new Map(rows.map((r) => [r.network.source_key, r.network]));
    const networkCounts = await upsertNetworks(trx, [...networks.values()]);
    const memberships = await syncMemberships(trx, {
      source: 'gias-group-links',
      scope: 'gias-',
      asOf: ctx.asOf,
      assertions: rows.filter((r) => !r.groupClosed).map((r) => ({ urn: r.urn, networkKey: r.network.source_key, joinedOn: r.joinedOn })),
    });
    return {
      networksInserted: networkCounts.inserted,
      networksUpdated: networkCounts.updated,
      membershipsJoined: memberships.joined,
      membershipsLeft: memberships.left,
      membershipsKept: memberships.kept,
      unknownSchools: memberships.unknownSchools,
      linksToClosedGroups: rows.filter((r) => r.groupClosed).length,
    };
  },
};
