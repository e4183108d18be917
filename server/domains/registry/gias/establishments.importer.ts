import { sql } from 'kysely';
import { upsertRows } from '../../../db/bulk.ts';
import { parseUrn, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';
import { genderFromGias, phaseFromGias, statusFromGias } from './gias-codes.ts';

type Row = {
  urn: number;
  name: string;
  la_name: string | null;
  phase: string | null;
  gender_intake: string | null;
  status: string;
};

/**
 * DfE's published list of every establishment in the register (open and closed, 2024): URN,
 * name, local authority, phase, gender, status. The backbone the other files attach to.
 */
export const establishmentsImporter: Importer<Row> = {
  kind: 'establishments',
  title: 'establishment list (urn, name, local_authority_name, phase_of_education, gender, status)',
  requiredColumns: ['urn', 'name', 'local_authority_name', 'phase_of_education', 'gender', 'status'],
  parse({ values }) {
    const name = text(values.name);
    const status = statusFromGias(values.status);
    if (!name) throw new RowProblem('name', 'the name is blank', 'give the establishment its name');
    if (!status) {
      throw new RowProblem('status', `"${values.status}" is not a register status`, 'use Open, Closed, Proposed to open or "Open, but proposed to close"');
    }
    return {
      urn: parseUrn(values.urn, 'urn'),
      name,
      la_name: text(values.local_authority_name),
      phase: phaseFromGias(values.phase_of_education),
      gender_intake: genderFromGias(values.gender),
      status,
    };
  },
  key: (row) => `URN ${row.urn}`,
  async load(trx, rows) {
    return upsertRows(trx, {
      table: 'school',
      rows,
      conflict: ['urn'],
      overwrite: ['name', 'la_name', 'status'],
      fill: ['phase', 'gender_intake'],
      source: 'gias-establishments',
      touch: { updated_at: sql`now()` },
    });
  },
};
