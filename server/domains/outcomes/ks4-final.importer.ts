import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import { loadPerformance, type PerformanceRow } from './ks2-final.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { performanceSchool } from './performance-school.ts';
import { schoolRecordType } from './record-type.ts';

/**
 * Key stage 4 final results with DfE column names as trimmed by the eng-schools publisher
 * (Progress 8 and its band, Attainment 8, grade 5+ English and maths, EBacc) plus the school
 * details it added; the academic year comes from the file name or --as-of.
 */
export const ks4FinalImporter: Importer<PerformanceRow> = {
  kind: 'ks4-final',
  title: 'key stage 4 final results with school details (RECTYPE, URN, P8MEA, ATT8SCR, … LATITUDE, LONGITUDE)',
  requiredColumns: ['RECTYPE', 'URN', 'P8MEA', 'P8_BANDING', 'ATT8SCR', 'PTL2BASICS_95', 'PTEBACC_E_PTQ_EE', 'EBACCAPS', 'LATITUDE', 'LONGITUDE'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    const recordType = schoolRecordType(values.RECTYPE);
    if (typeof recordType !== 'number') return recordType;
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.score('p8', 'P8MEA');
    f.band('p8_band', 'P8_BANDING');
    f.score('a8', 'ATT8SCR');
    f.pct('basics_95_pct', 'PTL2BASICS_95');
    f.pct('ebacc_entry_pct', 'PTEBACC_E_PTQ_EE');
    f.score('ebacc_aps', 'EBACCAPS');
    return {
      outcome: {
        urn,
        academic_year: academicYearOf(ctx.asOf),
        release: 'final',
        record_type: recordType,
        ...f.values,
        missing: JSON.stringify(f.missing),
        source: 'ks4-final',
      },
      school: performanceSchool(urn, values, recordType === 2 ? 'special' : 'secondary'),
    };
  },
  key: (row) => `URN ${row.outcome.urn}`,
  load: (trx, rows) => loadPerformance(trx, 'ks4_result', rows, 'ks4-final'),
};
