import { upsertRows } from '../../../db/bulk.ts';
import { parseDate, parseUrn, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';

type Row = { urn: number; link_urn: number; link_type: string; established_on: string | null };

/**
 * The register's links extract (links_edubasealldata<date>.csv, Windows-1252): predecessor,
 * successor, amalgamation, split and sixth-form-centre links between establishments, one line
 * per direction, dated dd-mm-yyyy when the register knows the date. The link's name column is
 * not kept: the school table has the names. URNs the register no longer lists are kept (a chain
 * of successors can pass through them).
 */
export const linksImporter: Importer<Row> = {
  kind: 'links',
  title: 'establishment links (URN, LinkURN, LinkName, LinkType, LinkEstablishedDate)',
  requiredColumns: ['URN', 'LinkURN', 'LinkType', 'LinkEstablishedDate'],
  parse({ values }) {
    const urn = parseUrn(values.URN);
    const linkUrn = parseUrn(values.LinkURN, 'LinkURN');
    if (linkUrn === urn) throw new RowProblem('LinkURN', `URN ${urn} is linked to itself`, 'a link joins two different establishments');
    const linkType = text(values.LinkType);
    if (!linkType) throw new RowProblem('LinkType', 'the link type is blank', 'give the link type, e.g. Successor or Predecessor - merged');
    return { urn, link_urn: linkUrn, link_type: linkType, established_on: parseDate(values.LinkEstablishedDate, 'LinkEstablishedDate') };
  },
  key: (row) => `${row.urn} → ${row.link_urn} (${row.link_type})`,
  load: (trx, rows) => upsertRows(trx, { table: 'school_link', rows, conflict: ['urn', 'link_urn', 'link_type'], overwrite: ['established_on'] }),
};
