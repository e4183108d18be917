import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { PupilSubject } from '../../../common/evaluation.ts';
import type { DB } from '../../db/database.ts';
import { DomainError } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { can } from '../access/policy.ts';
import { readCsv } from '../imports/csv-source.ts';
import { checkHeader, type ImportProblem, ImportRejected } from '../imports/import-error.ts';

/**
 * Upload of pupil-level results (docs/evaluation.md): one pupil, year and subject a row. All or
 * nothing: every row is checked (shape, the school by URN, that the uploader may upload for it,
 * pseudonymisation) before anything is written, and any problem refuses the file naming its rows
 * and columns. A pupil already held for the same school, year and subject is replaced, so a
 * corrected file can be uploaded again.
 */

export const requiredColumns = ['pupil_ref', 'urn', 'academic_year', 'subject', 'score'] as const;
export const optionalColumns = ['sex', 'age_months', 'fsm', 'sen'] as const;
/** A national cohort of one key stage is ~650k pupils; more than this is several files. */
export const maxRows = 700_000;
const maxProblems = 50;

/** A unique pupil number: a letter, then 12 digits. Trellis holds pseudonyms, never UPNs. */
const upnPattern = /^[A-Z]\d{11}[0-9A-Z]$/i;

export type PupilImportSummary = { uploadId: number; file: string; rows: number; schools: number; replaced: number };

export class UploadNotAllowed extends DomainError {
  constructor(file: string, urns: number[]) {
    super(403, 'TRELLIS_FORBIDDEN', 'Forbidden', `${file}: you may not upload pupil results for URN ${urns.join(', ')}; nothing was imported`, [
      { path: 'urn', message: "upload your own school's pupils (as its head teacher or a senior leader); an administrator uploads under a data-sharing agreement" },
    ]);
  }
}

type Parsed = { schoolUrn: number; pupilRef: string; academicYear: string; subject: string; score: number; sex: 'F' | 'M' | null; ageMonths: number | null; fsm: boolean | null; sen: boolean | null };

const yes = new Set(['1', 'y', 'yes', 'true']);
const no = new Set(['0', 'n', 'no', 'false']);

function flag(raw: string, column: string, problem: (column: string, message: string, fix: string) => void): boolean | null {
  const v = raw.trim().toLowerCase();
  if (v === '') return null;
  if (yes.has(v)) return true;
  if (no.has(v)) return false;
  problem(column, `"${raw}" is not yes or no`, `write 1 or 0 (or yes/no), or leave it empty when unknown`);
  return null;
}

/** Imports a file of pupil results: all of it, or (with every problem listed) none of it. */
export async function importPupilResults(db: Kysely<DB>, by: Actor | 'operator', path: string, options: { displayName?: string } = {}): Promise<PupilImportSummary> {
  const file = options.displayName ?? basename(path);
  const problems: ImportProblem[] = [];
  const parsed: Parsed[] = [];
  const keys = new Map<string, number>();
  let headerChecked = false;
  const stop = () => {
    throw new ImportRejected(file, problems, true);
  };
  for await (const record of readCsv(path, { displayName: file })) {
    if (!headerChecked) {
      headerChecked = true;
      checkHeader(file, Object.keys(record.values), { name: 'a pupil results file', required: requiredColumns, optional: optionalColumns, docs: 'docs/evaluation.md' });
    }
    if (parsed.length >= maxRows) {
      problems.push({ file, row: record.row, line: record.line, message: `the file has more than ${maxRows} rows`, fix: 'split it into several files (one per year or subject)' });
      stop();
    }
    const v = record.values;
    const before = problems.length;
    const problem = (column: string, message: string, fix: string) => problems.push({ file, row: record.row, line: record.line, column, message, fix });
    const pupilRef = (v.pupil_ref ?? '').trim();
    if (!pupilRef) problem('pupil_ref', 'the pupil reference is empty', "give each pupil the school's own pseudonymous reference (not a name or UPN)");
    else if (pupilRef.length > 64) problem('pupil_ref', 'the pupil reference is longer than 64 characters', 'use a shorter pseudonymous reference');
    else if (upnPattern.test(pupilRef)) problem('pupil_ref', `"${pupilRef}" looks like a unique pupil number`, 'replace UPNs with pseudonymous references before uploading: Trellis never holds UPNs');
    const urn = Number((v.urn ?? '').trim());
    if (!Number.isInteger(urn) || urn < 100000 || urn > 999999) problem('urn', `"${v.urn ?? ''}" is not a URN`, "give the school's six-digit URN");
    const academicYear = (v.academic_year ?? '').trim();
    const ym = /^(\d{4})\/(\d{2})$/.exec(academicYear);
    if (!ym || (Number(ym[1]) + 1) % 100 !== Number(ym[2])) problem('academic_year', `"${academicYear}" is not an academic year`, 'write it as 2018/19');
    const subject = (v.subject ?? '').trim().toLowerCase();
    if (!(subject in PupilSubject)) problem('subject', `"${v.subject ?? ''}" is not a known subject`, `use one of ${Object.keys(PupilSubject).join(', ')}`);
    const scoreRaw = (v.score ?? '').trim();
    const score = Number(scoreRaw);
    if (scoreRaw === '' || !Number.isFinite(score)) problem('score', `"${scoreRaw}" is not a number`, 'give the score as a number; leave the pupil out if they have no result');
    const sexRaw = (v.sex ?? '').trim().toUpperCase();
    const sex = sexRaw === '' ? null : sexRaw === 'F' || sexRaw === 'M' ? sexRaw : null;
    if (sexRaw !== '' && sex === null) problem('sex', `"${v.sex}" is not F or M`, 'write F or M, or leave it empty');
    const ageRaw = (v.age_months ?? '').trim();
    const ageMonths = ageRaw === '' ? null : Number(ageRaw);
    if (ageMonths !== null && (!Number.isInteger(ageMonths) || ageMonths < 24 || ageMonths > 300)) problem('age_months', `"${ageRaw}" is not an age in months between 24 and 300`, 'give the age at the start of the year in whole months (e.g. 130), or leave it empty');
    const fsm = flag(v.fsm ?? '', 'fsm', problem);
    const sen = flag(v.sen ?? '', 'sen', problem);
    if (problems.length === before) {
      const key = `${urn}|${academicYear}|${subject}|${pupilRef}`;
      const earlier = keys.get(key);
      if (earlier !== undefined) problem('pupil_ref', `pupil "${pupilRef}" already has a ${subject} result for ${academicYear} on row ${earlier}`, 'keep one result per pupil, year and subject');
      else {
        keys.set(key, record.row);
        parsed.push({ schoolUrn: urn, pupilRef, academicYear, subject, score, sex, ageMonths, fsm, sen });
      }
    }
    if (problems.length >= maxProblems) stop();
  }
  if (!headerChecked) throw new ImportRejected(file, [{ file, message: 'the file has a header but no pupils', fix: 'add one row per pupil, year and subject under the header' }]);

  const urns = [...new Set(parsed.map((p) => p.schoolUrn))];
  const found = urns.length === 0 ? [] : await db.selectFrom('school').select(['id', 'urn']).where('urn', 'in', urns).execute();
  const idOf = new Map(found.map((s) => [Number(s.urn), Number(s.id)]));
  const unknown = urns.filter((u) => !idOf.has(u));
  if (unknown.length > 0) {
    throw new ImportRejected(
      file,
      unknown.slice(0, maxProblems).map((u) => ({ file, column: 'urn', message: `no school in Trellis has URN ${u}`, fix: 'check the URN against the register' })),
    );
  }
  if (problems.length > 0) throw new ImportRejected(file, problems);
  if (by !== 'operator') {
    const denied: number[] = [];
    for (const urn of urns) if (!(await can({ db }, by, 'pupil_results.upload', { schoolId: idOf.get(urn)! }))) denied.push(urn);
    if (denied.length > 0) throw new UploadNotAllowed(file, denied);
  }
  const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
  const personId = by === 'operator' ? null : by.personId;
  const schoolIds = urns.map((u) => idOf.get(u)!);
  return db.transaction().execute(async (trx) => {
    const upload = await trx
      .insertInto('pupil_upload')
      .values({ file_name: file, rows: parsed.length, schools: schoolIds, uploaded_by: personId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const uploadId = Number(upload.id);
    let replaced = 0;
    const chunk = 2000;
    for (let i = 0; i < parsed.length; i += chunk) {
      const values = parsed.slice(i, i + chunk).map((p) => ({
        upload_id: uploadId,
        school_id: idOf.get(p.schoolUrn)!,
        pupil_ref: p.pupilRef,
        academic_year: p.academicYear,
        subject: p.subject,
        score: p.score,
        sex: p.sex,
        age_months: p.ageMonths,
        fsm: p.fsm,
        sen: p.sen,
      }));
      const res = await trx
        .insertInto('pupil_result')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['school_id', 'academic_year', 'subject', 'pupil_ref']).doUpdateSet((eb) => ({
            upload_id: eb.ref('excluded.upload_id'),
            score: eb.ref('excluded.score'),
            sex: eb.ref('excluded.sex'),
            age_months: eb.ref('excluded.age_months'),
            fsm: eb.ref('excluded.fsm'),
            sen: eb.ref('excluded.sen'),
          })),
        )
        // xmax is set on a row the upsert updated and zero on one it inserted (PostgreSQL's MVCC).
        .returning(sql<boolean>`xmax <> 0`.as('replaced'))
        .execute();
      replaced += res.filter((r) => r.replaced).length;
    }
    for (const schoolId of schoolIds) {
      await audit(trx, { personId, action: 'pupil_results.upload', resourceType: 'pupil-upload', resourceId: uploadId, schoolId, detail: { file, sha256, through: by === 'operator' ? 'cli' : 'api' } });
    }
    return { uploadId, file, rows: parsed.length, schools: schoolIds.length, replaced };
  });
}
