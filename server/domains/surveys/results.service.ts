import { stringify } from 'csv-stringify/sync';
import {
  agreementFrom,
  compareWaves,
  EntryStatus,
  type ItemSpec,
  NO_DATA,
  NO_STAGE,
  responseMatrix,
  roundedPercent,
  roundHalfAwayFromZero,
  type StageProfiles,
  stageProfiles,
  type SuppressedRound,
  suppressRound,
  type Tally,
  tallyRound,
} from '../../../analytics/surveys/index.ts';
import { type Instrument, RespondentRole } from '../../../common/instruments.ts';
import { Conflict, Invalid, NotFound } from '../../http/errors.ts';
import { type Actor, ownSchoolIds } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { readableSchools } from '../access/policy.ts';
import type { CellStatus, Change, ItemCell, Profile, ResultsQuery, WaveResults } from './results.schema.ts';
import { type FlatItem, flattenItems } from './survey-form.ts';
import * as repo from './surveys.repository.ts';
import type { SchoolRow, WaveRow } from './surveys.repository.ts';
import { readableWave, type SurveyContext } from './surveys.service.ts';

/**
 * The results of a closed round, through the survey kernel (analytics/surveys): tallies per
 * item overall, by school and by role group; suppression of every cell under k, with
 * complementary suppression against differencing, decided once over everything the reader is
 * shown; stage profiles and maturity index per strand; change since another round with
 * Newcombe intervals and denominator warnings.
 *
 * Whose answers are counted is decided by consent: the pool is the round's schools whose survey
 * results the reader may see (policy.ts `readableSchools`). A school that does not share is
 * left out of its partners' and coordinators' figures altogether — not hidden after the
 * fact, which a network total would give away by subtraction.
 *
 * No filters are offered: one reader gets one publication of one pool, so there is no second
 * request to subtract from the first. Results exist only once a round is closed: two readings
 * either side of one more return would give that return away.
 */

/** The case study's reporting groups (common/instruments.ts RespondentRole.groups), in this order. */
export const roleGroups = [
  { code: 'HD', label: 'Heads, deputies and governors' },
  { code: 'SLT', label: 'Senior leaders' },
  { code: 'T', label: 'Middle leaders and teachers' },
  { code: 'S', label: 'Support staff' },
] as const;
const roleGroupOf = RespondentRole.codes.map((r) => roleGroups.findIndex((g) => g.code === RespondentRole.groups[r]));

type Scored = {
  wave: WaveRow;
  instrument: Instrument;
  items: FlatItem[];
  schools: SchoolRow[];
  suppressed: SuppressedRound;
  profiles: { overall: StageProfiles; bySchool: StageProfiles; byRole: StageProfiles };
};

/** The instrument's items as the kernel reads them. */
function itemSpecs(instrument: Instrument, items: FlatItem[]): ItemSpec[] {
  const strandIndex = new Map(instrument.dimensions.flatMap((d) => d.strands).map((s, i) => [s.code, i]));
  const options = instrument.scale?.length ?? 0;
  return items.map((it) => ({
    format: it.format,
    strand: strandIndex.get(it.strand) ?? -1,
    stage: it.stageIndex ?? -1,
    deficit: it.polarity === 'deficit',
    ...(it.format === 'scale' ? { options } : {}),
  }));
}

/** Tallies, suppresses and profiles one round over the given schools (which must not be empty). */
async function score(ctx: SurveyContext, wave: WaveRow, schools: SchoolRow[]): Promise<Scored> {
  const instrument = wave.instrument;
  const items = flattenItems(instrument);
  const specs = itemSpecs(instrument, items);
  const responses = await repo.responsesOf(
    ctx.db,
    wave.id,
    schools.map((s) => s.id),
  );
  const schoolIndex = new Map(schools.map((s, i) => [s.id, i]));
  const scaleIndex = new Map((instrument.scale ?? []).map((o, i) => [o.value, i + 1]));
  const m = items.length;
  const answers = new Uint8Array(responses.length * m);
  const school = new Int32Array(responses.length);
  const role = new Uint8Array(responses.length);
  responses.forEach((r, k) => {
    school[k] = schoolIndex.get(r.school_id)!;
    role[k] = RespondentRole.codes.indexOf(r.role as (typeof RespondentRole.codes)[number]);
    items.forEach((it, i) => {
      const a = r.answers[it.code];
      if (a === undefined) return;
      if (it.format === 'endorse' && a === true) answers[k * m + i] = 1;
      else if (it.format === 'scale' && typeof a === 'number') answers[k * m + i] = scaleIndex.get(a) ?? 0;
    });
  });
  const matrix = responseMatrix({ items: specs, answers, schools: schools.length, school, roles: RespondentRole.codes.length, role });
  const round = tallyRound(matrix, roleGroupOf, roleGroups.length);
  // Published together: by school (row totals), by role group (column totals) and overall; never school × role.
  const suppressed = suppressRound(round, { rowTotals: true, colTotals: true, total: true }, { k: wave.min_cell });
  const shape = { strands: instrument.dimensions.reduce((n, d) => n + d.strands.length, 0), stages: instrument.stages.length };
  // Profiles from the masked tallies: nothing hidden feeds them.
  const profiles = { overall: stageProfiles(suppressed.overall, shape), bySchool: stageProfiles(suppressed.bySchool, shape), byRole: stageProfiles(suppressed.byRole, shape) };
  return { wave, instrument, items, schools, suppressed, profiles };
}

const statusOf = (status: number, n: number): CellStatus =>
  status === EntryStatus.primary ? 'suppressed' : status === EntryStatus.shown ? (n === 0 ? 'empty' : 'shown') : 'protecting';

/** Respondents who endorsed (or agreed with) item i in cell g of a masked tally; null when hidden. */
function agreeing(t: Tally, g: number, i: number): number | null {
  if (t.respondents[g]! < 0) return null;
  const it = t.items[i]!;
  const base = g * t.stride + t.offset[i]! + 1;
  if (it.format === 'endorse') return t.counts[base]!;
  if (it.format !== 'scale') return null;
  const options = it.options ?? 0;
  let n = 0;
  for (let o = agreementFrom(options); o < options; o++) n += t.counts[base + o]!;
  return n;
}

function itemCell(s: Scored, t: Tally, g: number, i: number): ItemCell {
  const n = t.respondents[g]!;
  const item = s.items[i]!;
  if (item.format === 'text' || n <= 0) return { count: n === 0 ? 0 : null, pct: null, options: null };
  const count = agreeing(t, g, i)!;
  const base = g * t.stride + t.offset[i]! + 1;
  return {
    count,
    pct: roundedPercent(count, n),
    options:
      item.format === 'scale'
        ? (s.instrument.scale ?? []).map((o, k) => ({ value: o.value, label: o.label, count: t.counts[base + k]!, pct: roundedPercent(t.counts[base + k]!, n) }))
        : null,
  };
}

function profile(p: StageProfiles, g: number, strand: number, instrument: Instrument): Profile {
  const reached = p.reached[g * p.strands + strand]!;
  const index = p.index[g * p.strands + strand]!;
  const rates = Array.from({ length: p.stages }, (_, k) => {
    const r = p.rate[(g * p.strands + strand) * p.stages + k]!;
    return Number.isNaN(r) ? null : roundHalfAwayFromZero(100 * r, 1);
  });
  const stage = reached >= 0 ? instrument.stages[reached] : undefined;
  return {
    reached: stage ? { code: stage.code, label: stage.label } : null,
    status: reached === NO_DATA ? 'no-data' : reached === NO_STAGE ? 'none' : 'reached',
    index: Number.isNaN(index) ? null : roundHalfAwayFromZero(index, 2),
    stageRates: rates,
  };
}

/** The change of each comparable item, overall and per role group shown in both rounds. */
function change(before: Scored, after: Scored): NonNullable<WaveResults['change']>['items'] {
  const codeIndex = new Map(before.items.map((it, i) => [it.code, i]));
  const one = (tb: Tally, gb: number, ib: number, ta: Tally, ga: number, ia: number): Change | null => {
    const nb = tb.respondents[gb]!;
    const na = ta.respondents[ga]!;
    const xb = agreeing(tb, gb, ib);
    const xa = agreeing(ta, ga, ia);
    if (nb <= 0 || na <= 0 || xb === null || xa === null) return null;
    const c = compareWaves({ count: xb, n: nb }, { count: xa, n: na });
    const r = (x: number) => roundHalfAwayFromZero(x, 1);
    return {
      before: { count: xb, n: nb, pct: roundedPercent(xb, nb) },
      after: { count: xa, n: na, pct: roundedPercent(xa, na) },
      change: r(c.change),
      lower: r(c.lower),
      upper: r(c.upper),
      countChange: c.countChange,
      warnings: c.warnings,
    };
  };
  return after.items.flatMap((it, ia) => {
    const ib = codeIndex.get(it.code);
    if (ib === undefined || it.format === 'text' || before.items[ib]!.format !== it.format) return [];
    return [
      {
        code: it.code,
        overall: one(before.suppressed.overall, 0, ib, after.suppressed.overall, 0, ia),
        byRoleGroup: roleGroups.map((_, g) => one(before.suppressed.byRole, g, ib, after.suppressed.byRole, g, ia)),
      },
    ];
  });
}

async function previousWave(ctx: SurveyContext, wave: WaveRow, compareTo: number | undefined): Promise<WaveRow | null> {
  if (compareTo !== undefined) {
    const other = await repo.findWave(ctx.db, compareTo);
    if (!other || other.network_id !== wave.network_id || other.id === wave.id) throw new Invalid('compareTo', `round ${compareTo} is not another round of ${wave.network_name}`);
    if (other.instrument_id !== wave.instrument_id) throw new Invalid('compareTo', `round ${compareTo} used ${other.instrument.title}, not ${wave.instrument.title}; compare rounds of one instrument`);
    if (other.status !== 'closed') throw new Invalid('compareTo', `round ${compareTo} has not closed`);
    return other;
  }
  const earlier = (await repo.wavesOf(ctx.db, wave.network_id)).filter(
    (w) => w.id !== wave.id && w.status === 'closed' && w.instrument_id === wave.instrument_id && (w.closed_on ?? '') <= (wave.closed_on ?? '') && (w.closed_on !== wave.closed_on || w.id < wave.id),
  );
  earlier.sort((a, b) => (a.closed_on === b.closed_on ? b.id - a.id : (b.closed_on ?? '').localeCompare(a.closed_on ?? '')));
  return earlier[0] ?? null;
}

async function poolOf(ctx: SurveyContext, actor: Actor | null, wave: WaveRow): Promise<{ schools: SchoolRow[]; inRound: number }> {
  const all = await repo.waveSchools(ctx.db, [wave.id]);
  if (actor === null) return { schools: all, inRound: all.length };
  const ids = new Set(
    await readableSchools(
      ctx,
      actor,
      'survey_results',
      all.map((s) => s.id),
    ),
  );
  return { schools: all.filter((s) => ids.has(s.id)), inRound: all.length };
}

/** A masked tally's respondent count: −1 (hidden) becomes null. */
const shownCount = (n: number) => (n < 0 ? null : n);

function view(s: Scored, inRound: number, comparison: { wave: WaveRow; scored: Scored } | null, compareNote: string | null): WaveResults {
  const { suppressed: sup, instrument, items, schools } = s;
  const k = s.wave.min_cell;
  const strands = instrument.dimensions.flatMap((d) => d.strands.map((st) => ({ st, dimension: d.label })));
  const group = (status: number, n: number) => {
    const st = statusOf(status, n);
    return { n: st === 'shown' || st === 'empty' ? n : null, status: st };
  };
  const notes = [
    `Groups with fewer than ${k} respondents are suppressed, and where a suppressed group could be worked out by subtraction, another group is hidden to protect it.`,
    'A percentage of 0 or 100 tells the answer of everyone in that group.',
  ];
  if (schools.length < inRound) notes.push(`${inRound - schools.length} of the round's ${inRound} schools do not share their survey results with you; their answers are not in these figures.`);
  if (sup.suppression.unresolved > 0) notes.push('Some groups could not be fully protected; treat these figures as confidential.');
  if (compareNote) notes.push(compareNote);
  return {
    wave: {
      id: s.wave.id,
      title: s.wave.title,
      networkName: s.wave.network_name,
      instrument: { id: s.wave.instrument_id, version: s.wave.instrument_version, title: instrument.title },
      closedOn: s.wave.closed_on ?? '',
      minCell: k,
    },
    pool: { schools: schools.map((x) => ({ schoolId: x.id, name: x.name, urn: x.urn })), schoolsInRound: inRound, leftOut: inRound - schools.length },
    breakdowns: {
      overall: group(sup.suppression.total, sup.suppression.totalRespondents),
      schools: schools.map((x, i) => ({ school: { schoolId: x.id, name: x.name, urn: x.urn }, ...group(sup.suppression.rowTotal[i]!, sup.suppression.rowRespondents[i]!) })),
      roleGroups: roleGroups.map((g, i) => ({
        code: g.code,
        label: g.label,
        roles: RespondentRole.codes.filter((r) => RespondentRole.groups[r] === g.code),
        ...group(sup.suppression.colTotal[i]!, sup.suppression.colRespondents[i]!),
      })),
    },
    items: items.map((it, i) => ({
      code: it.code,
      text: it.text,
      strand: it.strand,
      stage: it.stage,
      stageLabel: it.stageIndex === null ? null : (instrument.stages[it.stageIndex]?.label ?? null),
      polarity: it.polarity,
      format: it.format,
      overall: itemCell(s, sup.overall, 0, i),
      bySchool: schools.map((_, g) => itemCell(s, sup.bySchool, g, i)),
      byRoleGroup: roleGroups.map((_, g) => itemCell(s, sup.byRole, g, i)),
    })),
    strands: strands.map(({ st, dimension }, si) => ({
      code: st.code,
      label: st.label,
      dimension,
      stages: instrument.stages.map((stage, k2) => ({
        code: stage.code,
        label: stage.label,
        items: s.profiles.overall.items[si * s.profiles.overall.stages + k2]!,
        itemCodes: items.filter((it) => it.strand === st.code && it.stageIndex === k2 && it.format !== 'text').map((it) => it.code),
        deficitOnly: s.profiles.overall.deficitOnly[si * s.profiles.overall.stages + k2] === 1,
      })),
      maxIndex: s.profiles.overall.maxIndex[si]!,
      overall: profile(s.profiles.overall, 0, si, instrument),
      bySchool: schools.map((_, g) => profile(s.profiles.bySchool, g, si, instrument)),
      byRoleGroup: roleGroups.map((_, g) => profile(s.profiles.byRole, g, si, instrument)),
    })),
    change: comparison
      ? {
          compareTo: { id: comparison.wave.id, title: comparison.wave.title, closedOn: comparison.wave.closed_on ?? '' },
          respondents: {
            before: shownCount(comparison.scored.suppressed.overall.respondents[0]!),
            after: shownCount(sup.overall.respondents[0]!),
          },
          items: change(comparison.scored, s),
        }
      : null,
    notes,
  };
}

/** Results as `actor` may see them (`null`: the operator at the command line, every school). */
async function results(ctx: SurveyContext, actor: Actor | null, waveId: number, query: ResultsQuery): Promise<WaveResults> {
  let wave: WaveRow;
  if (actor) {
    wave = (await readableWave(ctx, actor, waveId)).wave;
  } else {
    const found = await repo.findWave(ctx.db, waveId);
    if (!found) throw new NotFound(`survey round ${waveId}`);
    wave = found;
  }
  if (wave.status !== 'closed') {
    throw new Conflict(`survey round ${waveId} is ${wave.status}; results are shown once it closes, so that no single return can be worked out from two readings`);
  }
  const pool = await poolOf(ctx, actor, wave);
  if (pool.schools.length === 0) throw new NotFound(`the results of survey round ${waveId}`);
  const scored = await score(ctx, wave, pool.schools);
  const before = await previousWave(ctx, wave, query.compareTo);
  let comparison: { wave: WaveRow; scored: Scored } | null = null;
  let compareNote: string | null = null;
  if (before) {
    const beforePool = await poolOf(ctx, actor, before);
    if (beforePool.schools.length > 0) comparison = { wave: before, scored: await score(ctx, before, beforePool.schools) };
    else compareNote = `No school of ${before.title} shares its survey results with you, so no change is shown.`;
  }
  if (actor) {
    const others = pool.schools.filter((s) => !ownSchoolIds(actor).includes(s.id)).map((s) => s.id);
    if (others.length > 0) {
      await audit(ctx.db, {
        personId: actor.personId,
        action: 'read.sensitive',
        resourceType: 'survey-results',
        resourceId: waveId,
        networkId: wave.network_id,
        detail: { dataClass: 'survey_results', schools: others },
      });
    }
  }
  return view(scored, pool.inRound, comparison, compareNote);
}

export function waveResults(ctx: SurveyContext, actor: Actor, waveId: number, query: ResultsQuery): Promise<WaveResults> {
  return results(ctx, actor, waveId, query);
}

/** For the operator at the command line (no sign-in): every school of the round, suppressed like any reader's view. */
export function operatorResults(ctx: SurveyContext, waveId: number, query: ResultsQuery = {}): Promise<WaveResults> {
  return results(ctx, null, waveId, query);
}

const hiddenNote = (status: CellStatus, k: number) =>
  status === 'suppressed' ? `suppressed: fewer than ${k} respondents` : status === 'protecting' ? 'suppressed: would reveal a smaller group by subtraction' : '';

/**
 * The results as CSV, one row per item and group (overall, each school, each role group), then
 * one per strand and group for the maturity index. Hidden cells are blank, with a note saying why.
 */
export function resultsTableCsv(r: WaveResults): string {
  const k = r.wave.minCell;
  const groups = [
    { kind: 'overall', name: 'All respondents', g: r.breakdowns.overall },
    ...r.breakdowns.schools.map((s) => ({ kind: 'school', name: s.school.name, g: s })),
    ...r.breakdowns.roleGroups.map((g) => ({ kind: 'role group', name: `${g.code}: ${g.label}`, g })),
  ];
  const header = ['section', 'code', 'strand', 'stage', 'statement', 'breakdown', 'group', 'respondents', 'count', 'percent', 'maturity_index', 'note'];
  const rows: (string | number)[][] = [];
  for (const it of r.items) {
    if (it.format === 'text') continue;
    const cells = [it.overall, ...it.bySchool, ...it.byRoleGroup];
    groups.forEach((grp, i) => {
      const c = cells[i]!;
      const hidden = grp.g.n === null;
      rows.push([
        'item',
        it.code,
        it.strand,
        it.stageLabel ?? it.stage ?? '',
        it.text,
        grp.kind,
        grp.name,
        hidden ? '' : (grp.g.n ?? ''),
        hidden || c.count === null ? '' : c.count,
        hidden || c.pct === null ? '' : c.pct,
        '',
        hidden ? hiddenNote(grp.g.status, k) : it.polarity === 'deficit' ? 'deficit statement: endorsing it counts against the strand' : '',
      ]);
    });
  }
  for (const st of r.strands) {
    const profiles = [st.overall, ...st.bySchool, ...st.byRoleGroup];
    groups.forEach((grp, i) => {
      const p = profiles[i]!;
      const hidden = grp.g.n === null;
      rows.push([
        'maturity',
        st.code,
        st.label,
        hidden ? '' : (p.reached?.label ?? (p.status === 'none' ? 'none reached' : '')),
        `maturity index (0–${st.maxIndex})`,
        grp.kind,
        grp.name,
        hidden ? '' : (grp.g.n ?? ''),
        '',
        '',
        hidden || p.index === null ? '' : p.index,
        hidden ? hiddenNote(grp.g.status, k) : '',
      ]);
    });
  }
  const notes = r.notes.map((n) => ['note', '', '', '', n, '', '', '', '', '', '', '']);
  return stringify([header, ...rows, ...notes]);
}

export async function resultsCsv(ctx: SurveyContext, actor: Actor, waveId: number, query: ResultsQuery): Promise<string> {
  return resultsTableCsv(await waveResults(ctx, actor, waveId, query));
}
