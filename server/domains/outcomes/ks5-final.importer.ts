import type { MissingReason } from '../../../common/vocabulary.ts';
import { dfeFigure, parseUrn } from '../imports/dfe-values.ts';
import { RowProblem } from '../imports/import-error.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import { loadPerformance, type PerformanceRow } from './ks2-final.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { performanceSchool } from './performance-school.ts';
import { schoolRecordType } from './record-type.ts';

const grade = /^(A\*|[A-E])[+-]?$/;

/**
 * 16–18 A level results as trimmed by the eng-schools publisher: value added and its band,
 * average point score and average grade per entry, plus the school details it added.
 */
export const ks5FinalImporter: Importer<PerformanceRow> = {
  kind: 'ks5-final',
  title: '16-18 A level results with school details (RECTYPE, URN, VA_INS_ALEV, TALLPPE_ALEV_1618, … LATITUDE, LONGITUDE)',
  requiredColumns: ['RECTYPE', 'URN', 'VA_INS_ALEV', 'PROGRESS_BAND_ALEV', 'TALLPPE_ALEV_1618', 'TALLPPEGRD_ALEV_1618', 'LATITUDE', 'LONGITUDE'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    const recordType = schoolRecordType(values.RECTYPE);
    if (typeof recordType !== 'number') return recordType;
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.score('alevel_va', 'VA_INS_ALEV');
    if ((values.PROGRESS_BAND_ALEV ?? '').trim().toLowerCase() === 'x') {
      // DfE's newer "x" (not available) appears once, where the value added is suppressed: the
      // band is absent for the same reason as the figure it bands.
      f.values.alevel_progress_band = null;
      f.missing.alevel_progress_band = f.missing.alevel_va ?? 'not_published';
    } else f.band('alevel_progress_band', 'PROGRESS_BAND_ALEV');
    f.score('alevel_aps', 'TALLPPE_ALEV_1618');
    const rawGrade = (values.TALLPPEGRD_ALEV_1618 ?? '').trim();
    let alevelGrade: string | null = null;
    if (grade.test(rawGrade)) alevelGrade = rawGrade;
    else {
      const figure = dfeFigure(rawGrade, 'TALLPPEGRD_ALEV_1618');
      if (figure.value !== null) {
        throw new RowProblem('TALLPPEGRD_ALEV_1618', `"${rawGrade}" is not an A level grade`, 'use a grade such as B+, C or D- , or a DfE missing-value code');
      }
      f.missing.alevel_grade = figure.missing satisfies MissingReason;
    }
    return {
      outcome: {
        urn,
        academic_year: academicYearOf(ctx.asOf),
        release: 'final',
        record_type: recordType,
        ...f.values,
        alevel_grade: alevelGrade,
        missing: JSON.stringify(f.missing),
        source: 'ks5-final',
      },
      // Phase is not filled from here: "Post16" describes the file, and most of these schools are secondary schools with a sixth form.
      school: performanceSchool(urn, values, null),
    };
  },
  key: (row) => `URN ${row.outcome.urn}`,
  load: (trx, rows) => loadPerformance(trx, 'ks5_result', rows, 'ks5-final'),
};
