import { upsertRows } from '../../../db/bulk.ts';
import { text } from '../../imports/dfe-values.ts';
import { type ImportProblem, ImportRejected, RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';

type Row = { groupCode: string; groupName: string; typeCode: string; typeName: string; furtherEducationType: string | null; row: number; line: number };

export const establishmentTypeList = 'gias-establishment-type';
export const establishmentTypeGroupList = 'gias-establishment-type-group';

const code = (raw: string | undefined, column: string) => {
  const t = (raw ?? '').trim();
  if (!/^\d{1,3}$/.test(t)) throw new RowProblem(column, `"${t}" is not a register code`, 'use the register’s numeric code');
  return t;
};
const name = (raw: string | undefined, column: string) => {
  const t = text(raw);
  if (!t) throw new RowProblem(column, 'the name is blank', 'give the name the register uses for this code');
  return t;
};

/**
 * The register's establishment types and type groups, as found in one full extract (one line
 * per type and further-education type): stored as two code lists, each type under its group
 * with the further-education types seen for it.
 */
export const establishmentTypeCodesImporter: Importer<Row> = {
  kind: 'establishment-type-codes',
  title: 'establishment type code list (establishment-type-group-code, …, type-of-establishment-name)',
  requiredColumns: ['establishment-type-group-code', 'establishment-type-group-name', 'type-of-establishment-code', 'type-of-establishment-name'],
  parse({ values, row, line }) {
    return {
      groupCode: code(values['establishment-type-group-code'], 'establishment-type-group-code'),
      groupName: name(values['establishment-type-group-name'], 'establishment-type-group-name'),
      typeCode: code(values['type-of-establishment-code'], 'type-of-establishment-code'),
      typeName: name(values['type-of-establishment-name'], 'type-of-establishment-name'),
      furtherEducationType: text(values['further-education-type-name-applicable']),
      row,
      line,
    };
  },
  key: (r) => `type ${r.typeCode} with further-education type "${r.furtherEducationType ?? ''}"`,
  async load(trx, rows, ctx) {
    const groups = new Map<string, Row>();
    const types = new Map<string, { first: Row; furtherEducationTypes: string[] }>();
    const problems: ImportProblem[] = [];
    const conflict = (r: Row, column: string, message: string) =>
      problems.push({ file: ctx.file, row: r.row, line: r.line, column, message, fix: 'one code has one name; correct the row that disagrees' });
    for (const r of rows) {
      const group = groups.get(r.groupCode);
      if (!group) groups.set(r.groupCode, r);
      else if (group.groupName !== r.groupName) {
        conflict(r, 'establishment-type-group-name', `group ${r.groupCode} is "${r.groupName}" here but "${group.groupName}" on row ${group.row}`);
      }
      const type = types.get(r.typeCode);
      if (!type) types.set(r.typeCode, { first: r, furtherEducationTypes: r.furtherEducationType ? [r.furtherEducationType] : [] });
      else if (type.first.typeName !== r.typeName || type.first.groupCode !== r.groupCode) {
        conflict(r, 'type-of-establishment-name', `type ${r.typeCode} differs from row ${type.first.row} in name or group`);
      } else if (r.furtherEducationType) type.furtherEducationTypes.push(r.furtherEducationType);
    }
    if (problems.length > 0) throw new ImportRejected(ctx.file, problems);
    const codes = [
      ...[...groups.values()].map((g) => ({ list: establishmentTypeGroupList, code: g.groupCode, label: g.groupName, parent_code: null as string | null, extra: '{}' })),
      ...[...types.values()].map((t) => ({
        list: establishmentTypeList,
        code: t.first.typeCode,
        label: t.first.typeName,
        parent_code: t.first.groupCode as string | null,
        extra: JSON.stringify({ furtherEducationTypes: t.furtherEducationTypes.sort() }),
      })),
    ];
    return upsertRows(trx, { table: 'register_code', rows: codes, conflict: ['list', 'code'] });
  },
};
