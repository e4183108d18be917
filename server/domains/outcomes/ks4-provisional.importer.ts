import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';
import { schoolRecordType } from './record-type.ts';

/**
 * DfE's provisional key stage 4 file in its raw column names: Progress 8 with its confidence
 * interval (as published and before the 2018/19 adjustment of extreme scores), Attainment 8,
 * English and maths 9–4 and 9–5, EBacc. Stored as release "provisional", beside the final one.
 */
export const ks4ProvisionalImporter: Importer<OutcomeRow> = {
  kind: 'ks4-provisional',
  title: 'key stage 4 provisional results (RECTYPE, LEA, ESTAB, URN, P8MEA, P8CILOW, P8CIUPP, …)',
  requiredColumns: ['RECTYPE', 'LEA', 'ESTAB', 'URN', 'TPUP', 'ATT8SCR', 'P8MEA', 'P8CILOW', 'P8CIUPP', 'PTL2BASICS_94', 'PTL2BASICS_95'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    const recordType = schoolRecordType(values.RECTYPE);
    if (typeof recordType !== 'number') return recordType;
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.count('pupils', 'TPUP');
    f.score('a8', 'ATT8SCR');
    f.count('p8_pupils', 'P8PUP');
    f.count('p8_adjusted_pupils', 'TP8ADJ');
    f.score('p8', 'P8MEA');
    f.score('p8_ci_low', 'P8CILOW');
    f.score('p8_ci_high', 'P8CIUPP');
    f.score('p8_unadjusted', 'P8MEA_ORIG');
    f.score('p8_unadjusted_ci_low', 'P8CILOW_ORIG');
    f.score('p8_unadjusted_ci_high', 'P8CIUPP_ORIG');
    f.pct('basics_94_pct', 'PTL2BASICS_94');
    f.pct('basics_95_pct', 'PTL2BASICS_95');
    f.score('ebacc_aps', 'EBACCAPS');
    f.pct('ebacc_entry_pct', 'PTEBACC_E_PTQ_EE');
    f.pct('ebacc_94_pct', 'PTEBACC_94');
    f.pct('ebacc_95_pct', 'PTEBACC_95');
    f.pct('five_em_94_pct', 'PT5EM_94');
    f.band('p8_band', 'P8_BANDING');
    return {
      urn,
      academic_year: academicYearOf(ctx.asOf),
      release: 'provisional',
      record_type: recordType,
      ...f.values,
      missing: JSON.stringify(f.missing),
      source: 'ks4-provisional',
    };
  },
  key: (row) => `URN ${row.urn}`,
  load: (trx, rows) => storeOutcomes(trx, 'ks4_result', rows, ['urn', 'academic_year', 'release']),
};
