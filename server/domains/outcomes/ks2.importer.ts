import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearEnding, asOfFromYearName } from './academic-year.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';

export type OutcomeRow = { urn: number; academic_year: string } & Record<string, string | number | null>;

/**
 * Key stage 2 results by school with friendly column names (the schools-data ks2_perf files,
 * one per year, "Academic Year" 2016 meaning 2015/16): pupils, progress, average scaled score,
 * expected and higher standard in reading, writing and maths, and combined RWM.
 */
export const ks2Importer: Importer<OutcomeRow> = {
  kind: 'ks2',
  title: 'key stage 2 results by school (URN, KS2 Pupils, Reading Progress, … Academic Year)',
  requiredColumns: ['URN', 'KS2 Pupils', 'Reading Progress', 'Writing Progress', 'Maths Progress', 'Overall Meet Std', 'Academic Year'],
  asOfFromName: asOfFromYearName,
  parse({ values }) {
    const urn = parseUrn(values.URN);
    const academicYear = academicYearEnding(values['Academic Year'], 'Academic Year');
    const f = new OutcomeFigures(values);
    f.count('pupils', 'KS2 Pupils');
    f.count('boys', 'KS2 Boys');
    f.count('girls', 'KS2 Girls');
    for (const [prefix, subject] of [
      ['read', 'Reading'],
      ['write', 'Writing'],
      ['maths', 'Maths'],
    ] as const) {
      f.score(`${prefix}_progress`, `${subject} Progress`);
      // The band is kept; the "… Progress Desc" words beside it only restate it.
      f.band(`${prefix}_progress_band`, `${subject} Progress Band`);
      f.score(`${prefix}_score`, `${subject} Score`);
      f.pct(`${prefix}_expected_pct`, `${subject} Meet Std`);
      f.pct(`${prefix}_higher_pct`, `${subject} Exceed Std`);
    }
    f.pct('rwm_expected_pct', 'Overall Meet Std');
    f.pct('rwm_higher_pct', 'Overall Exceed Std');
    return { urn, academic_year: academicYear, release: 'final', ...f.values, missing: JSON.stringify(f.missing), source: 'ks2' };
  },
  key: (row) => `URN ${row.urn} in ${row.academic_year}`,
  load: (trx, rows) => storeOutcomes(trx, 'ks2_result', rows, ['urn', 'academic_year', 'release']),
};
