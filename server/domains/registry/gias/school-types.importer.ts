import { upsertRows } from '../../../db/bulk.ts';
import { parseDate, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';

type Row = { list: string; code: string; label: string; parent_code: null; starts_on: string | null; ends_on: string | null; extra: string };

/** The code list the openregister la-maintained file's "school-type" column refers to. */
export const openregisterSchoolTypeList = 'openregister-school-type';

/**
 * The openregister school-type register (code, name, start and end date): 1 Community School,
 * 2 Voluntary Aided School… Stored as a code list so that la-maintained can turn its codes into
 * type names; import it first.
 */
export const schoolTypesImporter: Importer<Row> = {
  kind: 'school-types',
  title: 'school type code list (school-type, name, start-date, end-date)',
  requiredColumns: ['school-type', 'name'],
  parse({ values }) {
    const code = (values['school-type'] ?? '').trim();
    if (!/^\d{1,3}$/.test(code)) throw new RowProblem('school-type', `"${code}" is not a school-type code`, 'use the register’s numeric code, e.g. 1 for Community School');
    const label = text(values.name);
    if (!label) throw new RowProblem('name', 'the type name is blank', 'give the type its name');
    return {
      list: openregisterSchoolTypeList,
      code,
      label,
      parent_code: null,
      starts_on: parseDate(values['start-date'], 'start-date'),
      ends_on: parseDate(values['end-date'], 'end-date'),
      extra: '{}',
    };
  },
  key: (row) => `school-type ${row.code}`,
  load: (trx, rows) => upsertRows(trx, { table: 'register_code', rows, conflict: ['list', 'code'] }),
};
