import { sql } from 'kysely';
import { upsertRows } from '../../../db/bulk.ts';
import type { Importer } from '../../imports/importer.ts';
import type { NetworkRecord } from '../membership-sync.ts';
import { groupColumns, groupNetwork } from './gias-groups.importer.ts';

/**
 * The register's list of open single- and multi-academy trusts (EduBase, 22 November 2016):
 * Group UID, Group ID (TRxxxxx), name, Companies House number, type. Each becomes a network
 * keyed `gias-group:<Group UID>`, the key the full extract's "Trusts (code)" also uses. The
 * file says nothing about which academies belong to which trust.
 *
 * It is a 2016 snapshot, so it adds trusts and fills gaps but never replaces what a newer
 * groups extract has said (a trust renamed since keeps its new name).
 */
export const trustsImporter: Importer<NetworkRecord> = {
  kind: 'trusts',
  title: 'open academy trusts (Group UID, Group ID, Group Name, Companies House Number, Group Type (code), Group Type)',
  requiredColumns: groupColumns,
  asOfFromName: (name) => (/all-open-sats-and-mats-161122/.test(name) ? '2016-11-22' : null),
  parse: ({ values }) => groupNetwork(values),
  key: (n) => n.source_key,
  async load(trx, rows) {
    const networks = rows.map((n) => ({
      source_key: n.source_key,
      name: n.name,
      kind: n.kind,
      legal_status: n.legal_status ?? null,
      companies_house_no: n.companies_house_no ?? null,
      group_code: n.group_code ?? null,
    }));
    return upsertRows(trx, {
      table: 'network',
      rows: networks,
      conflict: ['source_key'],
      overwrite: [],
      fill: ['name', 'kind', 'legal_status', 'companies_house_no', 'group_code'],
      touch: { updated_at: sql`now()` },
    });
  },
};
