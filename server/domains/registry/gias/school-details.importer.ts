import { sql } from 'kysely';
import type { Phase } from '../../../../common/vocabulary.ts';
import { upsertRows } from '../../../db/bulk.ts';
import { optionalInt, parseDate, parseUrn, text } from '../../imports/dfe-values.ts';
import { RowProblem } from '../../imports/import-error.ts';
import type { Importer } from '../../imports/importer.ts';
import { fillSchoolFields, type InspectionFact } from '../../outcomes/index.ts';
import { genderFromGias, gradeFromOfsted, religiousCharacterFromGias, statusFromGias, typeFromPerformanceTables } from './gias-codes.ts';

type Row = {
  school: {
    urn: number;
    name: string;
    street: string | null;
    town: string | null;
    postcode: string | null;
    status: string;
    opened_on: string | null;
    closed_on: string | null;
    school_type: string | null;
    type_label: string | null;
    phase: Phase | null;
    age_low: number | null;
    age_high: number | null;
    gender_intake: string | null;
    religious_character: string | null;
    la_code: number | null;
  };
  inspection: InspectionFact | null;
};

/** The file was written by pandas, which prints a missing value as "nan". */
const value = (raw: string | undefined) => {
  const t = text(raw);
  return t === null || t.toLowerCase() === 'nan' ? null : t;
};

const flag = (raw: string | undefined, column: string) => {
  const t = (raw ?? '').trim();
  if (t === '1') return true;
  if (t === '0' || t === '') return false;
  throw new RowProblem(column, `"${t}" is not a 0/1 flag`, 'use 1 if the school teaches this phase, otherwise 0');
};

function phaseFrom(values: Record<string, string>, type: string | null): Phase | null {
  if (type === 'special') return 'special';
  const primary = flag(values.Primary, 'Primary');
  const secondary = flag(values.Secondary, 'Secondary');
  const post16 = flag(values['Post 16'], 'Post 16');
  if (primary && secondary) return 'all_through';
  if (primary) return 'primary';
  if (secondary) return 'secondary';
  return post16 ? 'post_16' : null;
}

/**
 * An establishment list of about 2018 built from the performance tables' school information
 * and Ofsted (Windows-1252): address, status (1 open, 2 closed, 3 open but proposed to close),
 * simplified type, phase flags, age range, gender, religion, LA code, latest inspection.
 *
 * It is older than the 2024 register, so it only fills what the register left empty (name and
 * status included); its inspection counts only where newer than the stored one. "Other URN"
 * (the predecessor or successor across an academy conversion) is not read: the links file
 * records the same pairs with their link type and date.
 */
export const schoolDetailsImporter: Importer<Row> = {
  kind: 'school-details',
  title: 'school details of about 2018 (URN, Name, Street, City, Postcode, Status, Rating, Inspect Date, … Local Authority)',
  requiredColumns: ['URN', 'Name', 'Street', 'City', 'Postcode', 'Status', 'Rating', 'Inspect Date', 'Date Opened', 'Date Closed', 'Type', 'Age From', 'Age To', 'Local Authority'],
  parse({ values }) {
    const urn = parseUrn(values.URN);
    const name = value(values.Name);
    if (!name) throw new RowProblem('Name', 'the name is blank', 'give the establishment its name');
    const status = statusFromGias(values.Status);
    if (!status) throw new RowProblem('Status', `"${values.Status}" is not a status code`, 'use 1 (open), 2 (closed) or 3 (open, but proposed to close)');
    const typeLabel = value(values.Type);
    const schoolType = typeFromPerformanceTables(typeLabel ?? '');
    if (schoolType === undefined) {
      throw new RowProblem('Type', `"${typeLabel}" is not one of this file's types`, 'use Maintained School, Academy, Independent School, Special School or College');
    }
    const openedOn = parseDate(values['Date Opened'], 'Date Opened');
    const closedOn = parseDate(values['Date Closed'], 'Date Closed');
    if (openedOn && closedOn && closedOn < openedOn) {
      throw new RowProblem('Date Closed', `the school closes (${closedOn}) before it opens (${openedOn})`, 'check the two dates');
    }
    let ageLow = optionalInt(values['Age From'], 'Age From');
    let ageHigh = optionalInt(values['Age To'], 'Age To');
    // 0 to 0 is the file's way of saying "not recorded"; 99 means "no upper age" (colleges).
    if (ageLow === 0 && ageHigh === 0) ageLow = ageHigh = null;
    if (ageHigh === 99) ageHigh = null;
    if (ageLow !== null && ageHigh !== null && ageLow > ageHigh) {
      throw new RowProblem('Age To', `the age range ${ageLow}–${ageHigh} runs backwards`, 'give the youngest age in Age From and the oldest in Age To');
    }
    const rating = value(values.Rating);
    const grade = gradeFromOfsted(rating ?? '');
    if (rating && !grade) throw new RowProblem('Rating', `"${rating}" is not an Ofsted grade`, 'use Outstanding, Good, Requires Improvement (or Satisfactory) or Inadequate');
    const inspectedOn = parseDate(values['Inspect Date'], 'Inspect Date');
    const laCode = optionalInt(values['Local Authority'], 'Local Authority');
    if (laCode !== null && (laCode < 100 || laCode > 999)) {
      throw new RowProblem('Local Authority', `"${laCode}" is not a local-authority code`, 'use the three-digit LA code, e.g. 201 for the City of London');
    }
    return {
      school: {
        urn,
        name,
        street: value(values.Street),
        town: value(values.City),
        postcode: value(values.Postcode)?.toUpperCase() ?? null,
        status,
        opened_on: openedOn,
        closed_on: closedOn,
        school_type: schoolType,
        type_label: typeLabel,
        phase: phaseFrom(values, schoolType),
        age_low: ageLow,
        age_high: ageHigh,
        gender_intake: genderFromGias(values.Gender),
        religious_character: religiousCharacterFromGias(values.Religion),
        la_code: laCode,
      },
      inspection: grade && inspectedOn ? { urn, grade, inspectedOn } : null,
    };
  },
  key: (row) => `URN ${row.school.urn}`,
  async load(trx, rows) {
    // New URNs are inserted whole; known ones are filled (and their inspection updated when newer) in one pass.
    const known = new Set(
      (
        await sql<{ urn: number }>`select urn from school where urn = any(${rows.map((r) => r.school.urn)}::integer[])`.execute(trx)
      ).rows.map((s) => s.urn),
    );
    const { inserted } = await upsertRows(trx, {
      table: 'school',
      rows: rows.filter((r) => !known.has(r.school.urn)).map((r) => r.school),
      conflict: ['urn'],
      source: 'school-details',
    });
    const updated = await fillSchoolFields(
      trx,
      rows.map((r) => ({ ...r.school, inspection: r.inspection })),
      'school-details',
    );
    return { inserted, updated, unchanged: rows.length - updated - inserted };
  },
};
