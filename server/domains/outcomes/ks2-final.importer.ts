import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';
import { type PerformanceSchool, performanceSchool } from './performance-school.ts';
import { schoolRecordType } from './record-type.ts';
import { fillSchoolFields } from './school-facts.ts';

export type PerformanceRow = { outcome: OutcomeRow; school: PerformanceSchool };

/**
 * Key stage 2 final results with DfE column names as trimmed by the eng-schools publisher
 * (progress and band per subject) plus the school details it added; the academic year comes
 * from the file name ("2018-19") or --as-of.
 */
export const ks2FinalImporter: Importer<PerformanceRow> = {
  kind: 'ks2-final',
  title: 'key stage 2 final results with school details (RECTYPE, URN, READPROG, … LATITUDE, LONGITUDE)',
  requiredColumns: ['RECTYPE', 'URN', 'READPROG', 'READPROG_DESCR', 'WRITPROG', 'WRITPROG_DESCR', 'MATPROG', 'MATPROG_DESCR', 'LATITUDE', 'LONGITUDE'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    const recordType = schoolRecordType(values.RECTYPE);
    if (typeof recordType !== 'number') return recordType;
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.score('read_progress', 'READPROG');
    // DfE's *_DESCR columns hold the band number (1 well above average … 5 well below).
    f.band('read_progress_band', 'READPROG_DESCR');
    f.score('write_progress', 'WRITPROG');
    f.band('write_progress_band', 'WRITPROG_DESCR');
    f.score('maths_progress', 'MATPROG');
    f.band('maths_progress_band', 'MATPROG_DESCR');
    return {
      outcome: {
        urn,
        academic_year: academicYearOf(ctx.asOf),
        release: 'final',
        record_type: recordType,
        ...f.values,
        missing: JSON.stringify(f.missing),
        source: 'ks2-final',
      },
      school: performanceSchool(urn, values, recordType === 2 ? 'special' : 'primary'),
    };
  },
  key: (row) => `URN ${row.outcome.urn}`,
  load: (trx, rows) => loadPerformance(trx, 'ks2_result', rows, 'ks2-final'),
};

/** Stores the outcomes, then fills the school details the file adds (never replacing any; an inspection only when newer). */
export async function loadPerformance(
  trx: Parameters<Importer<PerformanceRow>['load']>[0],
  table: 'ks2_result' | 'ks4_result' | 'ks5_result',
  rows: PerformanceRow[],
  source: string,
) {
  const summary = await storeOutcomes(
    trx,
    table,
    rows.map((r) => r.outcome),
    ['urn', 'academic_year', 'release'],
  );
  const schoolsUpdated = await fillSchoolFields(
    trx,
    rows.map((r) => ({ ...r.school.fill, inspection: r.school.inspection })),
    source,
  );
  return { ...summary, schoolsUpdated };
}
