import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearEnding, asOfFromYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';

/**
 * Key stage 4 results by school with friendly column names (the schools-data ks4_perf files):
 * pupils, Progress 8 and Attainment 8 (overall, boys, girls), English and maths grade 5+,
 * EBacc entry, average point score and grade 5+, and the Progress 8 band.
 */
export const ks4Importer: Importer<OutcomeRow> = {
  kind: 'ks4',
  title: 'key stage 4 results by school (URN, KS4 Pupils, Progress 8, Attainment 8, … Academic Year)',
  requiredColumns: ['URN', 'KS4 Pupils', 'Progress 8', 'Attainment 8', 'Eng Maths Grade 5', 'Entering EBacc', 'Academic Year'],
  asOfFromName: asOfFromYearName,
  parse({ values }) {
    const urn = parseUrn(values.URN);
    const academicYear = academicYearEnding(values['Academic Year'], 'Academic Year');
    const f = new OutcomeFigures(values);
    f.count('pupils', 'KS4 Pupils');
    f.count('boys', 'KS4 Boys');
    f.count('girls', 'KS4 Girls');
    f.score('p8', 'Progress 8');
    f.score('p8_boys', 'Progress 8 Boys');
    f.score('p8_girls', 'Progress 8 Girls');
    f.score('a8', 'Attainment 8');
    f.score('a8_boys', 'Attainment 8 Boys');
    f.score('a8_girls', 'Attainment 8 Girls');
    f.pct('basics_95_pct', 'Eng Maths Grade 5');
    f.pct('ebacc_entry_pct', 'Entering EBacc');
    f.score('ebacc_aps', 'EBacc Avg Score');
    f.score('ebacc_aps_boys', 'EBacc Avg Boys');
    f.score('ebacc_aps_girls', 'EBacc Avg Girls');
    f.pct('ebacc_95_pct', 'EBacc Grade 5');
    // The band is kept; "P8 Desc" only restates it in words.
    f.band('p8_band', 'Progress 8 Band');
    return { urn, academic_year: academicYear, release: 'final', ...f.values, missing: JSON.stringify(f.missing), source: 'ks4' };
  },
  key: (row) => `URN ${row.urn} in ${row.academic_year}`,
  load: (trx, rows) => storeOutcomes(trx, 'ks4_result', rows, ['urn', 'academic_year', 'release']),
};
