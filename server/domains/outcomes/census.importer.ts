import { parseUrn, text } from '../imports/dfe-values.ts';
import { RowProblem } from '../imports/import-error.ts';
import { type Importer, skip } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';
import { applySchoolContext, type SchoolContext } from './school-facts.ts';

type CensusRow = { census: OutcomeRow; context: SchoolContext };

const oneDecimal = (v: number) => Math.round(v * 10) / 10;

/**
 * The performance tables' January census file (DfE column names): pupils on roll, girls and
 * boys, SEN (EHC plan and SEN support), first language, free school meals now and "ever in the
 * last six years". Its last rows are national totals (URN "NAT"), left out on purpose.
 *
 * It also brings each school's context up to this year (see applySchoolContext): pupil_roll =
 * NOR; fsm_pct = NUMFSM / NOR, the share eligible now, as the register's PercentageFSM is (the
 * FSM-ever-6 share PNUMFSMEVER stays in school_census for disadvantage analyses); sen_pct =
 * PSENELK + PSENELSE (SEN support plus EHC plans); eal_pct = PNUMEAL.
 */
export const censusImporter: Importer<CensusRow> = {
  kind: 'census',
  title: 'school census (URN, LA, ESTAB, NOR, PSENELSE, PSENELK, PNUMEAL, NUMFSM, PNUMFSMEVER …)',
  requiredColumns: ['URN', 'LA', 'ESTAB', 'SCHOOLTYPE', 'NOR', 'PSENELSE', 'PSENELK', 'PNUMEAL', 'NUMFSM', 'NUMFSMEVER', 'PNUMFSMEVER'],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    if ((values.URN ?? '').trim().toUpperCase() === 'NAT') return skip('national total (URN NAT)');
    const urn = parseUrn(values.URN);
    const year = academicYearOf(ctx.asOf);
    const f = new OutcomeFigures(values);
    const pupils = f.count('pupils', 'NOR');
    f.count('girls', 'NORG');
    f.count('boys', 'NORB');
    f.pct('girls_pct', 'PNORG');
    f.pct('boys_pct', 'PNORB');
    f.count('sen_ehcp', 'TSENELSE');
    const ehcpPct = f.pct('sen_ehcp_pct', 'PSENELSE');
    f.count('sen_support', 'TSENELK');
    const supportPct = f.pct('sen_support_pct', 'PSENELK');
    f.count('eal', 'NUMEAL');
    const ealPct = f.pct('eal_pct', 'PNUMEAL');
    f.count('english_first', 'NUMENGFL');
    f.pct('english_first_pct', 'PNUMENGFL');
    f.count('language_unclassified', 'NUMUNCFL');
    f.pct('language_unclassified_pct', 'PNUMUNCFL');
    const fsm = f.count('fsm', 'NUMFSM');
    f.count('fsm_ever6', 'NUMFSMEVER');
    f.pct('fsm_ever6_pct', 'PNUMFSMEVER');
    if (fsm !== null && pupils !== null && fsm > pupils) {
      throw new RowProblem('NUMFSM', `${fsm} pupils eligible for free meals out of ${pupils} on roll`, 'NUMFSM cannot exceed NOR; check the two columns');
    }
    const sen = supportPct !== null && ehcpPct !== null ? oneDecimal(supportPct + ehcpPct) : null;
    if (sen !== null && sen > 100.1) {
      throw new RowProblem('PSENELK', `SEN support ${supportPct}% and EHC plans ${ehcpPct}% add up to more than 100%`, 'check PSENELK and PSENELSE');
    }
    return {
      census: {
        urn,
        academic_year: year,
        census_type: text(values.SCHOOLTYPE),
        ...f.values,
        missing: JSON.stringify(f.missing),
        source: 'census',
      },
      context: {
        urn,
        contextYear: year,
        pupilRoll: pupils,
        fsmPct: fsm !== null && pupils ? oneDecimal((fsm / pupils) * 100) : null,
        // Rounded shares can add up to a hair over 100 (98.3 + 1.8).
        senPct: sen === null ? null : Math.min(sen, 100),
        ealPct,
      },
    };
  },
  key: (row) => `URN ${row.census.urn}`,
  async load(trx, rows) {
    const summary = await storeOutcomes(
      trx,
      'school_census',
      rows.map((r) => r.census),
      ['urn', 'academic_year'],
    );
    const schoolsUpdated = await applySchoolContext(
      trx,
      rows.map((r) => r.context),
      'census',
    );
    return { ...summary, schoolsUpdated };
  },
};
