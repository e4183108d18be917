import { parseUrn } from '../imports/dfe-values.ts';
import type { Importer } from '../imports/importer.ts';
import { academicYearOf, asOfFromAcademicYearName } from './academic-year.ts';
import type { OutcomeRow } from './ks2.importer.ts';
import { OutcomeFigures } from './outcome-figures.ts';
import { storeOutcomes } from './outcome-store.ts';

/**
 * DfE's deprivation pupil premium allocations by school: pupils on roll, pupils eligible
 * (primary, secondary, total) and the money. The file gives shares as proportions (0.162);
 * they are stored as percentages (16.2) like every other share in Trellis. academic_year is the
 * year the allocation is for (from the file name "2019-2020", or --as-of). Pupil numbers are
 * full-time equivalents (349.5), so they are read as amounts, not head counts.
 */
export const pupilPremiumImporter: Importer<OutcomeRow> = {
  kind: 'pupil-premium',
  title: 'pupil premium allocations (URN, LAEstab, Number of pupils on roll (7), … Total allocation for the Deprivation Pupil Premium)',
  requiredColumns: [
    'URN',
    'LAEstab',
    'Number of pupils on roll (7)',
    'Percentage of Primary pupils eligible for the Deprivation Pupil Premium',
    'Total number of pupils eligible for the Deprivation Pupil Premium',
    'Total allocation for the Deprivation Pupil Premium',
  ],
  asOfFromName: asOfFromAcademicYearName,
  parse({ values }, ctx) {
    const urn = parseUrn(values.URN);
    const f = new OutcomeFigures(values);
    f.amount('pupils', 'Number of pupils on roll (7)');
    f.amount('primary_pupils', 'Number of Primary pupils on roll (9)');
    f.amount('primary_eligible', 'Number of Primary pupils eligible for the Deprivation Pupil Premium');
    f.fractionAsPct('primary_eligible_pct', 'Percentage of Primary pupils eligible for the Deprivation Pupil Premium');
    f.amount('primary_allocation', 'Deprivation Pupil Premium Allocation (11)');
    // The publisher's header has two spaces in "Number of  Secondary".
    f.amount('secondary_pupils', 'Number of  Secondary pupils on roll (10)');
    f.amount('secondary_eligible', 'Number of Secondary pupils eligible for the Deprivation Pupil Premium');
    f.fractionAsPct('secondary_eligible_pct', 'Percentage of Secondary pupils eligible for the Deprivation Pupil Premium');
    f.amount('secondary_allocation', 'Deprivation Pupil Premium Allocation (12)');
    f.amount('eligible', 'Total number of pupils eligible for the Deprivation Pupil Premium');
    f.amount('allocation', 'Total allocation for the Deprivation Pupil Premium');
    return { urn, academic_year: academicYearOf(ctx.asOf), ...f.values, missing: JSON.stringify(f.missing), source: 'pupil-premium' };
  },
  key: (row) => `URN ${row.urn}`,
  load: (trx, rows) => storeOutcomes(trx, 'pupil_premium', rows, ['urn', 'academic_year']),
};
