import { RowProblem } from '../imports/import-error.ts';
import { type Skip, skip } from '../imports/importer.ts';

/**
 * The performance tables' RECTYPE: 1 a mainstream school, 2 a special school (both kept);
 * 4 a local-authority total, 5 and 7 national totals (left out on purpose, counted as skips).
 */
export function schoolRecordType(raw: string | undefined): 1 | 2 | Skip {
  const t = (raw ?? '').trim();
  if (t === '1') return 1;
  if (t === '2') return 2;
  if (t === '4') return skip('local-authority total (RECTYPE 4)');
  if (/^\d+$/.test(t)) return skip(`national or other aggregate row (RECTYPE ${t})`);
  throw new RowProblem('RECTYPE', t === '' ? 'the record type is blank' : `"${t}" is not a record type`, 'use 1 for a mainstream school or 2 for a special school (DfE RECTYPE codes)');
}
