import { parseUrn, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import { type Importer, skip } from '../../imports/importer.ts';
import { countUnknownSchools, fillSchoolFields } from '../../outcomes/index.ts';
import { phaseFromGias, typeFromGias } from './gias-codes.ts';

type Row = { urn: number; type_label: string; school_type: string | null; phase: string | null };

/** Establishment types outside England: the register lists them, Trellis does not serve them. */
const notInEngland = new Set(['welsh establishment', 'offshore schools', 'british schools overseas', 'service childrens education']);

/**
 * The register's establishment type for each URN (openregister snapshot of November 2016,
 * England and Wales). Fills type_label (kept as published) and school_type, and a phase for
 * special schools, pupil referral units and 16–19 institutions whose register phase is "Not
 * applicable". Welsh, offshore, overseas and service-children establishments are skipped on
 * purpose (counted in the skips). Fill-only: the register list of 2024 and any full extract win.
 */
export const establishmentTypesImporter: Importer<Row> = {
  kind: 'establishment-types',
  title: 'establishment type per URN (urn, establishment-type, establishment-group-type)',
  requiredColumns: ['urn', 'establishment-type', 'establishment-group-type'],
  asOfFromName: (name) => (/openregister_.*_2016/.test(name) ? '2016-11-14' : null),
  parse({ values }) {
    const urn = parseUrn(values.urn, 'urn');
    const label = text(values['establishment-type']);
    if (!label) throw new RowProblem('establishment-type', 'the establishment type is blank', 'give the register type, e.g. Community School');
    if (notInEngland.has(label.toLowerCase())) return skip(`not in England (${label})`);
    return { urn, type_label: label, school_type: typeFromGias(label), phase: phaseFromGias(undefined, label) };
  },
  key: (row) => `URN ${row.urn}`,
  async load(trx, rows) {
    const updated = await fillSchoolFields(trx, rows, 'establishment-types');
    const unknownSchools = await countUnknownSchools(
      trx,
      rows.map((r) => r.urn),
    );
    return { inserted: 0, updated, unchanged: rows.length - updated - unknownSchools, unknownSchools };
  },
};
