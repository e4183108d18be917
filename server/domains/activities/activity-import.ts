import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Direction, Recurrence, type StaffLevel, staffLevels } from '../../../common/activities.ts';
import { DomainError } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can } from '../access/policy.ts';
import { readCsv } from '../imports/csv-source.ts';
import { parseDate, parseUrn } from '../imports/dfe-values.ts';
import { checkHeader, type ImportProblem, ImportRejected, RowProblem } from '../imports/import-error.ts';
import * as repo from './activities.repository.ts';
import { type ActivityDraft, type ActivityContext, checkDraft } from './activities.service.ts';
import { type ImportSummary, NewActivity } from './activities.schema.ts';
import { type Pair, pairsAmong, recomputePairs } from './ties.service.ts';

/**
 * Bulk entry of activities from CSV, one activity a row (format: docs/activities.md). All or
 * nothing, like the public-file imports (imports/importer.ts): every row is read and checked
 * (shape, catalogue, schools by URN, dates, and that the person may record it) before anything
 * is written; any problem refuses the whole file, each problem named by row, line and column
 * with a fix (rows the person may not record: 403, naming them); then one transaction writes
 * every activity and recomputes the ties they touch.
 */

export const requiredColumns = ['type', 'title', 'schools', 'start_on'] as const;
export const optionalColumns = ['end_on', 'recurrence', 'occurrences', 'hours_per_occurrence', 'network', 'staff', 'focus', 'outcome_notes', 'evidence'] as const;

/** Who imports: a signed-in person (each row needs activity.record), or the operator at the command line. */
export type Importer = Actor | 'operator';

/**
 * Rows the importer may not record: refused as a whole (403, like a refused POST), naming the
 * rows, before any problem with the data is reported.
 */
export class ImportNotAllowed extends DomainError {
  constructor(file: string, rows: number[]) {
    super(
      403,
      'TRELLIS_FORBIDDEN',
      'Forbidden',
      `${file}: you may not record the activities on row${rows.length === 1 ? '' : 's'} ${rows.join(', ')}; nothing was imported`,
      rows.map((row) => ({ path: `row ${row}.schools`, message: 'record activities your own school took part in, or ones among the current members of a network you coordinate' })),
    );
  }
}

/** More rows than this is not a log of collaboration but an extract from another system: split it. */
export const maxRows = 10_000;
const maxProblems = 50;

type ParsedRow = {
  row: number;
  line: number;
  type: string;
  title: string;
  schools: { urn: number; direction: Direction }[];
  staff: Map<number, Partial<Record<StaffLevel, number>>>;
  startOn: string;
  endOn: string | null;
  recurrence: Recurrence;
  occurrences: number;
  hours: number | null;
  networkId: number | null;
  focus: string | null;
  outcomeNotes: string | null;
  evidence: string[];
};

const entries = (raw: string | undefined) =>
  (raw ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

function parseSchools(raw: string | undefined): ParsedRow['schools'] {
  const list = entries(raw);
  if (list.length < 2) throw new RowProblem('schools', list.length === 0 ? 'no schools are given' : 'only one school is given', 'list at least two schools as URN:direction separated by ";", e.g. 113100:giving;113108:receiving');
  return list.map((entry) => {
    const [urn, direction, ...rest] = entry.split(':').map((s) => s.trim());
    const code = (direction ?? '').toLowerCase();
    if (rest.length > 0 || !(Direction.codes as readonly string[]).includes(code)) {
      throw new RowProblem('schools', `"${entry}" is not URN:direction`, `write each school as its URN, a colon and giving, receiving or mutual (e.g. 113100:giving)`);
    }
    return { urn: parseUrn(urn, 'schools'), direction: code as Direction };
  });
}

const levelCode = (raw: string) => raw.trim().toLowerCase().replace(/[\s-]+/g, '_');

function parseStaff(raw: string | undefined): ParsedRow['staff'] {
  const out = new Map<number, Partial<Record<StaffLevel, number>>>();
  for (const entry of entries(raw)) {
    const [urnText, counts, ...rest] = entry.split(':');
    const fix = `write each school's people as URN:level=count,level=count (levels: ${staffLevels.join(', ')}), e.g. 113100:teachers=2,heads=1`;
    if (rest.length > 0 || counts === undefined) throw new RowProblem('staff', `"${entry}" is not URN:level=count`, fix);
    const urn = parseUrn(urnText, 'staff');
    const staff = out.get(urn) ?? {};
    for (const pair of counts.split(',')) {
      const [name, n] = pair.split('=');
      const level = levelCode(name ?? '');
      if (!(staffLevels as readonly string[]).includes(level)) throw new RowProblem('staff', `"${(name ?? '').trim()}" is not a level of people`, fix);
      if (!/^\s*\d{1,6}\s*$/.test(n ?? '') || Number(n) < 1) throw new RowProblem('staff', `"${(n ?? '').trim()}" is not a number of people for ${level}`, 'give a whole number of people, 1 or more');
      staff[level as StaffLevel] = Number(n);
    }
    out.set(urn, staff);
  }
  return out;
}

const optionalText = (raw: string | undefined) => {
  const t = (raw ?? '').trim();
  return t === '' ? null : t;
};

/** Parses one record; throws the first RowProblem of each field it finds (collected by the caller). */
function parseRecord(values: Record<string, string>, row: number, line: number, problems: ImportProblem[], file: string): ParsedRow | null {
  const before = problems.length;
  const field = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      problems.push({ file, row, line, ...(error.column !== undefined ? { column: error.column } : {}), message: error.message, fix: error.fix });
      return fallback;
    }
  };
  const type = field(() => {
    const t = (values.type ?? '').trim();
    if (!t) throw new RowProblem('type', 'the type is blank', 'give an activity type code or label from the catalogue, e.g. peer_observation or "Peer observation"');
    return t;
  }, '');
  const title = field(() => {
    const t = (values.title ?? '').trim();
    if (!t) throw new RowProblem('title', 'the title is blank', 'give the activity a short title, e.g. "Year 6 writing moderation"');
    return t;
  }, '');
  const schools = field(() => parseSchools(values.schools), []);
  const staff = field(() => parseStaff(values.staff), new Map());
  const startOn = field(() => {
    const d = parseDate(values.start_on, 'start_on');
    if (!d) throw new RowProblem('start_on', 'the start date is blank', 'give the date the activity began, as yyyy-mm-dd or dd-mm-yyyy');
    return d;
  }, '');
  const endOn = field(() => parseDate(values.end_on, 'end_on'), null);
  const recurrence = field(() => {
    const r = (values.recurrence ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_') || 'once';
    if (!(Recurrence.codes as readonly string[]).includes(r)) throw new RowProblem('recurrence', `"${values.recurrence}" is not a recurrence`, `use one of ${Recurrence.codes.join(', ')} (blank: once)`);
    return r as Recurrence;
  }, 'once');
  const occurrences = field(() => {
    const t = (values.occurrences ?? '').trim();
    if (t === '') return 1;
    if (!/^\d{1,3}$/.test(t)) throw new RowProblem('occurrences', `"${t}" is not a whole number`, 'give how many times the activity happened, 1 to 500');
    return Number(t);
  }, 1);
  const hours = field(() => {
    const t = (values.hours_per_occurrence ?? '').trim();
    if (t === '') return null;
    if (!/^\d{1,4}(\.\d{1,2})?$/.test(t)) throw new RowProblem('hours_per_occurrence', `"${t}" is not a number of hours`, 'give hours as a number with a dot for decimals, e.g. 1.5');
    return Number(t);
  }, null);
  const networkId = field(() => {
    const t = (values.network ?? '').trim();
    if (t === '') return null;
    if (!/^\d{1,12}$/.test(t)) throw new RowProblem('network', `"${t}" is not a network id`, "give the network's id (the number in its Trellis address, /networks/12) or leave it blank");
    return Number(t);
  }, null);
  const evidence = (values.evidence ?? '').split(/\s+/).filter(Boolean);
  if (problems.length > before) return null;
  return { row, line, type, title, schools, staff, startOn, endOn, recurrence, occurrences, hours, networkId, focus: optionalText(values.focus), outcomeNotes: optionalText(values.outcome_notes), evidence };
}

/** The CSV column a field of the API's activity comes from. */
function columnOf(path: string): string {
  const head = path.replace(/^body\./, '').split(/[.[]/)[0] ?? '';
  const map: Record<string, string> = { startOn: 'start_on', endOn: 'end_on', hoursPerOccurrence: 'hours_per_occurrence', networkId: 'network', outcomeNotes: 'outcome_notes' };
  if (path.includes('.staff')) return 'staff';
  return map[head] ?? head;
}

/** Imports a file of activities: all of it, or (with every problem listed) none of it. */
export async function importActivities(ctx: ActivityContext, by: Importer, path: string, options: { displayName?: string } = {}): Promise<ImportSummary> {
  const file = options.displayName ?? basename(path);
  const problems: ImportProblem[] = [];
  const parsed: ParsedRow[] = [];
  let rowsRead = 0;
  let headerChecked = false;
  const stop = () => {
    throw new ImportRejected(file, problems, true);
  };
  for await (const record of readCsv(path, { displayName: file })) {
    if (!headerChecked) {
      headerChecked = true;
      checkHeader(file, Object.keys(record.values), { name: 'an activities file', required: requiredColumns, optional: optionalColumns, docs: 'docs/activities.md' });
    }
    rowsRead++;
    if (rowsRead > maxRows) {
      problems.push({ file, row: record.row, line: record.line, message: `the file has more than ${maxRows} activities`, fix: 'split it into several files' });
      stop();
    }
    const row = parseRecord(record.values, record.row, record.line, problems, file);
    if (row) parsed.push(row);
    if (problems.length >= maxProblems) stop();
  }
  if (!headerChecked) throw new ImportRejected(file, [{ file, message: 'the file has a header but no activities', fix: 'add one row per activity under the header' }]);

  // References, resolved once for the whole file.
  const ids = await repo.schoolIdsByUrn(ctx.db, [...new Set(parsed.flatMap((r) => r.schools.map((s) => s.urn)))]);
  const catalogue = await repo.listTypes(ctx.db);
  const typeOf = (t: string) => catalogue.find((c) => c.code === t || c.label.toLowerCase() === t.toLowerCase())?.code;
  const ready: { row: ParsedRow; values: repo.ActivityValues; schools: repo.InvolvedRow[] }[] = [];
  const denied: number[] = [];
  for (const r of parsed) {
    const problem = (column: string, message: string, fix: string) => problems.push({ file, row: r.row, line: r.line, column, message, fix });
    const unknownUrns = r.schools.filter((s) => !ids.has(s.urn)).map((s) => s.urn);
    if (unknownUrns.length > 0) {
      problem('schools', `no school in Trellis has URN ${unknownUrns.join(', ')}`, 'check the URN against the register (search by name in Trellis)');
      continue;
    }
    const strayStaff = [...r.staff.keys()].filter((urn) => !r.schools.some((s) => s.urn === urn));
    if (strayStaff.length > 0) {
      problem('staff', `URN ${strayStaff.join(', ')} has people listed but is not in the schools column`, 'list people only for the schools the activity involves');
      continue;
    }
    const type = typeOf(r.type);
    if (!type) {
      problem('type', `"${r.type}" is not in the activity catalogue`, 'use a code or label from the catalogue (GET /api/v1/activity-types), or ask an administrator to add the type');
      continue;
    }
    const shape = NewActivity.safeParse({
      type,
      title: r.title,
      networkId: r.networkId,
      schools: r.schools.map((s) => ({ schoolId: ids.get(s.urn)!, direction: s.direction, staff: r.staff.get(s.urn) ?? {} })),
      startOn: r.startOn,
      ...(r.endOn ? { endOn: r.endOn } : {}),
      recurrence: r.recurrence,
      occurrences: r.occurrences,
      ...(r.hours !== null ? { hoursPerOccurrence: r.hours } : {}),
      ...(r.focus ? { focus: r.focus } : {}),
      ...(r.outcomeNotes ? { outcomeNotes: r.outcomeNotes } : {}),
      evidence: r.evidence,
    });
    if (!shape.success) {
      for (const issue of shape.error.issues) problem(columnOf(issue.path.join('.')), issue.message, 'correct the value as the message says (formats: docs/activities.md)');
      continue;
    }
    const input = shape.data;
    const draft: ActivityDraft = {
      type,
      title: input.title,
      networkId: input.networkId ?? null,
      schools: input.schools,
      startOn: input.startOn,
      endOn: input.endOn ?? null,
      recurrence: input.recurrence,
      occurrences: input.occurrences,
      hoursPerOccurrence: input.hoursPerOccurrence ?? null,
      focus: input.focus ?? null,
      outcomeNotes: input.outcomeNotes ?? null,
      evidence: input.evidence,
    };
    if (by !== 'operator' && !(await can(ctx, by, 'activity.record', { schoolIds: draft.schools.map((s) => s.schoolId), networkId: draft.networkId }))) {
      denied.push(r.row);
      continue;
    }
    try {
      ready.push({ row: r, ...(await checkDraft(ctx, draft)) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const at = error.errors?.[0];
      problem(columnOf(at?.path ?? ''), at?.message ?? error.message, 'correct the value as the message says (formats: docs/activities.md)');
    }
    if (problems.length >= maxProblems) stop();
  }
  if (denied.length > 0) throw new ImportNotAllowed(file, denied);
  // Problems of reading and of checking references are found in two passes: list them by row.
  problems.sort((x, y) => (x.row ?? 0) - (y.row ?? 0));
  if (problems.length > 0) throw new ImportRejected(file, problems);

  const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
  const personId = by === 'operator' ? null : by.personId;
  const touched: Pair[] = [];
  const seen = new Set<string>();
  for (const r of ready) {
    for (const p of pairsAmong(r.schools.map((s) => s.schoolId))) {
      if (!seen.has(`${p[0]}:${p[1]}`)) {
        seen.add(`${p[0]}:${p[1]}`);
        touched.push(p);
      }
    }
  }
  const created = await ctx.db.transaction().execute(async (trx) => {
    for (const r of ready) await repo.insertActivity(trx, r.values, r.schools, { personId, source: 'csv' });
    await recomputePairs(trx, touched, ctx.today());
    await repo.auditActivity(trx, { personId, action: 'activity.import', resourceType: 'activity-file', resourceId: file, detail: { sha256, activities: ready.length, through: by === 'operator' ? 'cli' : 'api' } });
    return ready.length;
  });
  return { file, rowsRead, activitiesCreated: created, tiesRecomputed: touched.length };
}
