import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';

/** Column order of the registry export: our fields, in the register's spirit (URN first). */
export const schoolExportColumns = [
  'urn',
  'name',
  'phase',
  'school_type',
  'type_label',
  'religious_character',
  'gender_intake',
  'la_code',
  'la_name',
  'region',
  'street',
  'town',
  'postcode',
  'latitude',
  'longitude',
  'easting',
  'northing',
  'age_low',
  'age_high',
  'pupil_roll',
  'fsm_pct',
  'sen_pct',
  'eal_pct',
  'context_year',
  'urban_rural',
  'inspection_grade',
  'inspection_date',
  'status',
  'opened_on',
  'closed_on',
] as const;

export const membershipExportColumns = ['urn', 'school_name', 'network_key', 'network_name', 'network_kind', 'role', 'joined_on', 'left_on', 'source'] as const;

/** Writes the whole registry of schools as CSV, in pages of 5,000 so memory stays flat. */
export async function exportSchools(db: Kysely<DB>, out: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...schoolExportColumns] });
  csv.pipe(out);
  let lastId = 0;
  let n = 0;
  for (;;) {
    const rows = await db.selectFrom('school').select(['id', ...schoolExportColumns]).where('id', '>', lastId).orderBy('id').limit(5000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const { id: _id, ...rest } = r;
      if (!csv.write(rest)) await new Promise((resolve) => csv.once('drain', resolve));
      n++;
    }
    lastId = rows.at(-1)!.id;
  }
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    csv.end();
  });
  return n;
}

/** Writes every membership (the dated history) as CSV. */
export async function exportMemberships(db: Kysely<DB>, out: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...membershipExportColumns] });
  csv.pipe(out);
  const rows = await db
    .selectFrom('membership')
    .innerJoin('school', 'school.id', 'membership.school_id')
    .innerJoin('network', 'network.id', 'membership.network_id')
    .select([
      'school.urn',
      'school.name as school_name',
      'network.source_key as network_key',
      'network.name as network_name',
      'network.kind as network_kind',
      'membership.role',
      'membership.joined_on',
      'membership.left_on',
      'membership.source',
    ])
    .orderBy('school.urn')
    .orderBy('membership.joined_on')
    .execute();
  for (const r of rows) if (!csv.write(r)) await new Promise((resolve) => csv.once('drain', resolve));
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    csv.end();
  });
  return rows.length;
}
