import { upsertRows } from '../../db/bulk.ts';
import { parseDate, parseUrn, text } from '../imports/dfe-values.ts';
import { type ImportProblem, ImportRejected, RowProblem } from '../imports/import-error.ts';
import type { Importer } from '../imports/importer.ts';
import { gradeFromOfsted } from '../registry/gias/gias-codes.ts';
import { applyLatestInspections, countUnknownSchools } from './school-facts.ts';

type InspectionRow = { urn: number; inspected_on: string; grade: string; row: number; line: number };

/**
 * Ofsted's inspection history, one row per inspection (URN, overall rating, date yyyymmdd).
 * Fills the inspection table, then gives each school its latest grade where that is newer than
 * the one stored. "Satisfactory" (the grade 3 of inspections before September 2012) is stored as
 * requires improvement, its successor.
 *
 * The real file repeats three inspections: two exactly, one as "Requires Improvement" and
 * "Satisfactory" on one day, the same grade. A repeat that agrees is counted (repeatedRows) and
 * stored once; one that disagrees is refused, naming both rows.
 */
export const ofstedImporter: Importer<InspectionRow> = {
  kind: 'ofsted',
  title: 'Ofsted inspection history (URN, Rating, Inspection Date)',
  requiredColumns: ['URN', 'Rating', 'Inspection Date'],
  parse({ values, row, line }) {
    const urn = parseUrn(values.URN);
    const grade = gradeFromOfsted(values.Rating);
    if (!grade) {
      const rating = text(values.Rating);
      throw new RowProblem(
        'Rating',
        rating === null ? 'the rating is blank' : `"${rating}" is not an Ofsted grade`,
        'use Outstanding, Good, Requires Improvement (or Satisfactory) or Inadequate',
      );
    }
    const inspectedOn = parseDate(values['Inspection Date'], 'Inspection Date');
    if (!inspectedOn) throw new RowProblem('Inspection Date', 'the inspection date is blank', 'give the date as yyyymmdd');
    return { urn, inspected_on: inspectedOn, grade, row, line };
  },
  async load(trx, rows, ctx) {
    const byKey = new Map<string, InspectionRow>();
    const problems: ImportProblem[] = [];
    let repeatedRows = 0;
    for (const r of rows) {
      const key = `${r.urn} ${r.inspected_on}`;
      const first = byKey.get(key);
      if (!first) byKey.set(key, r);
      else if (first.grade === r.grade) repeatedRows++;
      else {
        problems.push({
          file: ctx.file,
          row: r.row,
          line: r.line,
          column: 'Rating',
          message: `URN ${r.urn} was inspected on ${r.inspected_on} with grade ${r.grade} here but ${first.grade} on row ${first.row}`,
          fix: 'keep the row with the published grade and remove the other',
        });
      }
    }
    if (problems.length > 0) throw new ImportRejected(ctx.file, problems);
    const inspections = [...byKey.values()].map((r) => ({ urn: r.urn, inspected_on: r.inspected_on, grade: r.grade, source: 'ofsted' }));
    const counts = await upsertRows(trx, { table: 'ofsted_inspection', rows: inspections, conflict: ['urn', 'inspected_on'] });
    const schoolsUpdated = await applyLatestInspections(
      trx,
      inspections.map((i) => ({ urn: i.urn, grade: i.grade, inspectedOn: i.inspected_on })),
      'ofsted',
    );
    const unknownSchools = await countUnknownSchools(
      trx,
      inspections.map((i) => i.urn),
    );
    return { ...counts, repeatedRows, unknownSchools, schoolsUpdated };
  },
};
