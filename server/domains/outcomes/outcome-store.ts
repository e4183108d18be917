import type { Transaction } from 'kysely';
import { upsertRows } from '../../db/bulk.ts';
import type { DB } from '../../db/database.ts';
import type { LoadSummary } from '../imports/importer.ts';
import { countUnknownSchools } from './school-facts.ts';

type OutcomeTable = 'ks2_result' | 'ks4_result' | 'ks5_result' | 'school_census' | 'school_absence' | 'pupil_premium';

/**
 * Upserts a file's outcome rows on their key (urn, academic_year[, release]) and reports how
 * many URNs the register does not know. A re-import of the same file updates nothing.
 */
export async function storeOutcomes<T extends { urn: number; academic_year: string }>(
  trx: Transaction<DB>,
  table: OutcomeTable,
  rows: T[],
  conflict: (keyof T & string)[],
): Promise<LoadSummary> {
  const counts = await upsertRows(trx, { table, rows, conflict });
  return { ...counts, unknownSchools: await countUnknownSchools(trx, rows.map((r) => r.urn)) };
}
