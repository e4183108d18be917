import { parseUrn } from '../imports/dfe-values.ts';
import { type Importer, skip } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';

/**
 * The performance tables' absence file: overall absence rate (PERCTOT) and the share of pupils
 * persistently absent (PPERSABS10, missing 10% or more of sessions). Its last rows are national
 * totals (LA "NAT", no URN), left out on purpose.
 */
export const absenceImporter: Importer<OutcomeRow> = {
  kind: 'absence',
  title: 'pupil absence (LA, ESTAB, URN, PERCTOT, PPERSABS10)',
  requiredColumns: ['LA', 'ESTAB', 'URN', 'PERCTOT', 'PPERSABS10'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    if ((values.LA ?? '').trim().toUpperCase() === 'NAT' && (values.URN ?? '').trim() === '') return skip('national total (LA NAT)');
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.pct('overall_absence_pct', 'PERCTOT');
    f.pct('persistent_absence_pct', 'PPERSABS10');
    return { urn, academic_year: academicYearOf(ctx.asOf), ...f.values, missing: JSON.stringify(f.missing), source: 'absence' };
  },
  key: (row) => `URN ${row.urn}`,
  load: (trx, rows) => storeOutcomes(trx, 'school_absence', rows, ['urn', 'academic_year']),
};
