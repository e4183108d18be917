import { parseDate, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import { type Importer, type Skip, skip } from '../../imports/importer.ts';
import { type NetworkRecord, upsertNetworks } from '../membership-sync.ts';
import { groupKindFromGias } from './gias-codes.ts';

/**
 * Reads the group columns the register's group files share (Group UID, Group ID, Group Name,
 * Companies House Number, Group Type (code), Group Type, and where present Group Status, Closed
 * Date and "Incorporated on (open date)" / "Open date") into a network. Children's-centre
 * groups are skipped: they are not networks of schools.
 */
export function groupNetwork(values: Record<string, string>): NetworkRecord | Skip {
  const uid = (values['Group UID'] ?? '').trim();
  if (!/^\d{1,7}$/.test(uid)) throw new RowProblem('Group UID', uid === '' ? 'the Group UID is blank' : `"${uid}" is not a Group UID`, 'use the register’s numeric group UID, e.g. 2044');
  const typeLabel = text(values['Group Type']);
  const kind = groupKindFromGias(typeLabel ?? '', values['Group Type (code)']);
  if (kind === 'skip') return skip(`not a school network (${typeLabel})`);
  if (!kind) {
    throw new RowProblem(
      'Group Type',
      `"${typeLabel ?? values['Group Type (code)']}" is not a register group type`,
      'use Multi-academy trust, Single-academy trust, Secure single-academy trust, Trust, Federation, School sponsor or Umbrella trust',
    );
  }
  const name = text(values['Group Name']);
  if (!name) throw new RowProblem('Group Name', 'the group name is blank', 'give the group its name');
  const groupId = text(values['Group ID']);
  if (groupId !== null && !/^[A-Z]{2,4}\d{3,}$/i.test(groupId)) {
    throw new RowProblem('Group ID', `"${groupId}" is not a group id`, 'use the register’s group id, e.g. TR00261, or leave it blank');
  }
  // Companies House numbers are eight characters and keep their leading zeros (07318714).
  const companiesHouse = text(values['Companies House Number']);
  if (companiesHouse !== null && !/^[A-Z0-9]{8}$/i.test(companiesHouse)) {
    throw new RowProblem('Companies House Number', `"${companiesHouse}" is not a Companies House number`, 'use the eight-character company number, leading zeros included (07318714)');
  }
  const openedOn = parseDate(values['Incorporated on (open date)'], 'Incorporated on (open date)') ?? parseDate(values['Open date'], 'Open date');
  const closedOn = parseDate(values['Closed Date'], 'Closed Date');
  if (closedOn && openedOn && closedOn < openedOn) {
    throw new RowProblem('Closed Date', `the group closes (${closedOn}) before it opens (${openedOn})`, 'check the two dates');
  }
  return {
    source_key: `${kind.keyPrefix}${uid}`,
    name,
    kind: kind.kind,
    legal_status: typeLabel,
    companies_house_no: companiesHouse?.toUpperCase() ?? null,
    group_code: groupId,
    opened_on: openedOn,
    closed_on: closedOn,
  };
}

/** Column names of the register's groups extract that every version since 2017 has. */
export const groupColumns = ['Group UID', 'Group ID', 'Group Name', 'Companies House Number', 'Group Type (code)', 'Group Type'] as const;

/**
 * The register's groups extract (allgroupsdata.csv): every academy trust, federation, trust,
 * sponsor and umbrella trust with its ids, Companies House number, status and dates. Each
 * becomes a network keyed by its Group UID (see groupKindFromGias for the key prefixes).
 */
export const giasGroupsImporter: Importer<NetworkRecord> = {
  kind: 'gias-groups',
  title: 'register groups extract (Group UID, Group ID, Group Name, …, Group Status, Closed Date, Open date)',
  requiredColumns: [...groupColumns, 'Closed Date', 'Group Status', 'Incorporated on (open date)', 'Open date'],
  parse: ({ values }) => groupNetwork(values),
  key: (n) => n.source_key,
  load: (trx, rows) => upsertNetworks(trx, rows),
};
