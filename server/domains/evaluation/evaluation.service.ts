import { type Kysely, sql } from 'kysely';
import { academicYearOf, type ContextFeature, measureByCode, type OutcomeMeasure, yearStart } from '../../../common/evaluation.ts';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { readableSchools, requireAccess } from '../access/policy.ts';
import type { EvaluationReport, EvaluationSpec } from './evaluation.schema.ts';
import { type ImpactDesign, type ImpactUnit, runImpact } from './impact.ts';
import { caveatsFor, summaryFor } from './report-text.ts';
import { loadMeasure, loadPupilResults, loadSchools, nearbySchoolCounts, openDuring, type PupilRow, type SchoolRow } from './school-data.ts';

export type EvaluationContext = { db: Kysely<DB> };

/** Network types the by-type comparisons use, derived from the data where the register says nothing. */
export const networkTypeLabels: Record<string, string> = {
  hard: 'Hard federations (one governing body)',
  soft: 'Soft federations (separate governing bodies)',
  cross_phase: 'Cross-phase networks (members of different phases)',
  single_phase: 'Single-phase networks',
  performance: 'Performance networks (a high- and a low-attaining member at the baseline)',
};

type TreatedNetwork = { id: number; name: string; kind: string; form: string | null; openedOn: string | null };

async function treatedNetworks(ctx: EvaluationContext, spec: EvaluationSpec): Promise<TreatedNetwork[]> {
  if (spec.networkIds.length > 0) {
    const rows = await ctx.db.selectFrom('network').select(['id', 'name', 'kind', 'federation_form', 'opened_on']).where('id', 'in', spec.networkIds).orderBy('id').execute();
    const missing = spec.networkIds.filter((id) => !rows.some((r) => Number(r.id) === id));
    if (missing.length > 0) throw new NotFound(`network ${missing.join(', ')}`);
    return rows.map((r) => ({ id: Number(r.id), name: r.name, kind: r.kind, form: r.federation_form, openedOn: r.opened_on }));
  }
  const las = spec.laNames.map((l) => l.toLowerCase());
  const rows = await sql<{ id: number; name: string; kind: string; federation_form: string | null; opened_on: string | null }>`
    select distinct n.id, n.name, n.kind, n.federation_form, n.opened_on::text as opened_on
    from network n join membership m on m.network_id = n.id join school s on s.id = m.school_id
    where n.kind = ${spec.kind ?? ''} and lower(s.la_name) = any(${las}::text[])
    order by n.id`.execute(ctx.db);
  if (rows.rows.length === 0) throw new Invalid('kind', `no ${spec.kind} has members in ${spec.laNames.join(', ')}`);
  return rows.rows.map((r) => ({ id: Number(r.id), name: r.name, kind: r.kind, form: r.federation_form, openedOn: r.opened_on }));
}

/** The academic year containing a date (years run September to August). */
const academicYearOfDate = (date: string) => academicYearOf(Number(date.slice(5, 7)) >= 9 ? Number(date.slice(0, 4)) : Number(date.slice(0, 4)) - 1);

/** Who may run (and read) an evaluation of this spec: its networks' aggregate readers, or its authorities' officers. */
export async function requireEvaluationAccess(ctx: EvaluationContext, actor: Actor | null, spec: Pick<EvaluationSpec, 'networkIds' | 'laNames' | 'kind'>) {
  if (actor === null) return; // the operator at the command line
  const networkIds = spec.networkIds;
  const laNames = spec.networkIds.length > 0 ? [] : spec.laNames;
  await requireAccess(ctx, actor, 'evaluation.run', { networkIds, laNames }, networkIds.length > 0 ? `network ${networkIds.join(', ')}` : `the schools of ${laNames.join(', ')}`);
}

/**
 * Runs an impact evaluation (docs/evaluation.md) and, unless `spec.save` is false, keeps it.
 * `actor` null is the operator at the command line (`trellis evaluate`), who reads everything.
 * The report holds aggregates and the names of the schools matched (public register data);
 * pupil-level results enter the two-level models only for schools whose outcomes the caller
 * may read (scope.ts), so the models never use a school's pupils without its consent.
 */
export async function runEvaluation(ctx: EvaluationContext, actor: Actor | null, spec: EvaluationSpec): Promise<EvaluationReport> {
  const started = performance.now();
  await requireEvaluationAccess(ctx, actor, spec);
  const networks = await treatedNetworks(ctx, spec);
  const formedIn = spec.formedIn ?? commonFormationYear(networks);
  const f = yearStart(formedIn);
  const measures = spec.outcomes.map((c) => measureByCode.get(c)!) as OutcomeMeasure[];
  const loaded = await Promise.all(measures.map((m) => loadMeasure(ctx.db, m)));
  const dataYears = [...new Set(loaded.flatMap((l) => l.years))].sort();
  const wantedBaseline = Array.from({ length: spec.baselineYears + 1 }, (_, i) => academicYearOf(f - spec.baselineYears + i));
  const baselineYears = wantedBaseline.filter((y) => dataYears.includes(y));
  const laterYears = dataYears.filter((y) => yearStart(y) > f);
  const missingYears = wantedBaseline.filter((y) => !dataYears.includes(y));
  if (laterYears.length === 0) throw new Invalid('formedIn', `no ${measures[0]!.label} figures are held for any year after ${formedIn} (the data hold ${dataYears.join(', ') || 'none'})`);

  const schools = await loadSchools(ctx.db);
  const schoolIndex = new Map(schools.map((s, i) => [s.id, i]));
  const startOfYear = `${f}-09-01`;
  const endOfYear = `${f + 1}-08-31`;
  // Members during the formation year, of the evaluated networks and of any network of the same kinds.
  const kinds = [...new Set(networks.map((n) => n.kind))];
  const members = await sql<{ network_id: number; school_id: number; kind: string }>`
    select m.network_id, m.school_id, n.kind from membership m join network n on n.id = m.network_id
    where n.kind = any(${kinds}::text[])
      and (m.joined_on is null or m.joined_on <= ${endOfYear}::date)
      and (m.left_on is null or m.left_on > ${startOfYear}::date)`.execute(ctx.db);
  const evaluated = new Set(networks.map((n) => n.id));
  const treatedBy = new Map<number, number[]>();
  const sameKind = new Set<number>();
  for (const r of members.rows) {
    sameKind.add(Number(r.school_id));
    if (evaluated.has(Number(r.network_id))) {
      const list = treatedBy.get(Number(r.school_id)) ?? [];
      list.push(Number(r.network_id));
      treatedBy.set(Number(r.school_id), list);
    }
  }
  const treatedLas = new Set([...treatedBy.keys()].map((id) => (schools[schoolIndex.get(id)!]!.laName ?? '').toLowerCase()));
  const poolLas = spec.pool === 'la' ? new Set(spec.laNames.length > 0 ? spec.laNames.map((l) => l.toLowerCase()) : treatedLas) : null;
  const nearby = spec.covariates.includes('nearby_schools') ? nearbySchoolCounts(schools, f) : null;

  // Prior attainment: the first outcome's mean over the baseline years before formation; where the
  // data hold none of those, the formation year itself (and the report says so).
  const first = loaded[0]!.values;
  const preYears = baselineYears.filter((y) => yearStart(y) < f);
  const priorYears = preYears.length > 0 ? preYears : baselineYears.slice(-1);
  const priorOf = (s: SchoolRow) => {
    const byYear = s.urn === null ? undefined : first.get(s.urn);
    const v = priorYears.map((y) => byYear?.get(y)).filter((x): x is number => x !== undefined);
    return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length;
  };

  const units: ImpactUnit[] = [];
  for (let i = 0; i < schools.length; i++) {
    const s = schools[i]!;
    if (!openDuring(s, f)) continue;
    const isTreated = treatedBy.has(s.id);
    if (!isTreated) {
      if (sameKind.has(s.id)) continue; // a member of another network of the same kind is no comparator
      if (poolLas && !poolLas.has((s.laName ?? '').toLowerCase())) continue;
    }
    const outcomes = new Map<string, Map<string, number>>();
    measures.forEach((m, j) => {
      const v = s.urn === null ? undefined : loaded[j]!.values.get(s.urn);
      if (v) outcomes.set(m.code, v);
    });
    // A school with none of the outcomes in any year cannot be compared on them: not a candidate.
    if (!isTreated && outcomes.size === 0) continue;
    const value: Record<ContextFeature, number> = {
      pupil_roll: s.roll ?? Number.NaN,
      fsm_pct: s.fsmPct ?? Number.NaN,
      sen_pct: s.senPct ?? Number.NaN,
      eal_pct: s.ealPct ?? Number.NaN,
      prior_attainment: priorOf(s),
      nearby_schools: nearby ? nearby[i]! : Number.NaN,
    };
    const covariates: Partial<Record<ContextFeature, number>> = {};
    for (const c of spec.covariates) covariates[c] = value[c];
    units.push({
      schoolId: s.id,
      name: s.name,
      urn: s.urn,
      treated: isTreated,
      exact: { phase: s.phase, school_type: s.schoolType, gender: s.gender },
      covariates,
      outcomes,
      types: [],
    });
  }
  assignTypes(units, networks, treatedBy, schools, schoolIndex, priorOf);
  const treatedCount = units.filter((u) => u.treated).length;
  if (treatedCount === 0) throw new Invalid('networkIds', `the networks had no open member schools in ${formedIn}`);

  let pupils: ImpactDesign['pupils'];
  if (spec.pupilSubject) {
    const visible = new Set(actor === null ? units.map((u) => u.schoolId) : await readableSchools(ctx, actor, 'outcomes', units.map((u) => u.schoolId)));
    const byYear = new Map<string, PupilRow[]>();
    for (const y of [...baselineYears, ...laterYears]) byYear.set(y, await loadPupilResults(ctx.db, [...visible], y, spec.pupilSubject));
    pupils = { subject: spec.pupilSubject, byYear };
  }

  const result = runImpact({
    units,
    covariates: spec.covariates,
    exact: spec.exact,
    caliper: spec.caliper,
    ratio: spec.ratio,
    measures,
    baselineYears,
    laterYears,
    typeLabels: networkTypeLabels,
    ...(pupils ? { pupils } : {}),
  });
  const title = spec.title ?? `${networks.length === 1 ? networks[0]!.name : `${networks.length} networks`}: ${measures.map((m) => m.label).join('; ')}`;
  const design: EvaluationReport['design'] = {
    baselineYears,
    laterYears,
    missingYears,
    treatedSchools: treatedCount,
    candidates: units.length - treatedCount,
    pool: `${spec.pool === 'la' ? `schools of ${[...(poolLas ?? [])].join(', ')}` : 'every school in the register'} open in ${formedIn}, not members of a ${kinds.join(' or ')} then, with at least one of the outcomes`,
  };
  const networkRows = networks.map((n) => ({
    networkId: n.id,
    name: n.name,
    kind: n.kind,
    form: n.form,
    formedIn,
    schools: [...treatedBy.values()].filter((l) => l.includes(n.id)).length,
  }));
  const report: EvaluationReport = {
    id: null,
    title,
    ranAt: new Date().toISOString(),
    runMs: 0,
    spec: { ...spec, formedIn } as Record<string, unknown>,
    networks: networkRows,
    design,
    propensity: result.propensity,
    matching: result.matching,
    balance: result.balance,
    outcomes: result.outcomes,
    summary: [],
    caveats: [],
  };
  report.summary = summaryFor(report, { priorFromFormationYear: preYears.length === 0 });
  report.caveats = caveatsFor(report, { priorFromFormationYear: preYears.length === 0, contextYear: schools.find((s) => s.contextYear)?.contextYear ?? null });
  report.runMs = Math.round(performance.now() - started);
  if (spec.save) {
    const saved = await ctx.db
      .insertInto('evaluation')
      .values({ title, network_id: networks.length === 1 ? networks[0]!.id : null, spec: JSON.stringify(report.spec), report: JSON.stringify(report), run_ms: report.runMs, created_by: actor?.personId ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    report.id = Number(saved.id);
    await ctx.db.updateTable('evaluation').set({ report: JSON.stringify(report) }).where('id', '=', report.id).execute();
  }
  await audit(ctx.db, { personId: actor?.personId ?? null, action: 'evaluation.run', resourceType: 'evaluation', resourceId: report.id ?? 0, networkId: networks.length === 1 ? networks[0]!.id : null, detail: { networks: networks.map((n) => n.id), outcomes: spec.outcomes, pupilSubject: spec.pupilSubject ?? null } });
  return report;
}

function commonFormationYear(networks: TreatedNetwork[]): string {
  const years = [...new Set(networks.map((n) => (n.openedOn ? academicYearOfDate(n.openedOn) : null)))];
  if (years.length === 1 && years[0]) return years[0];
  if (years.includes(null)) throw new Invalid('formedIn', 'the register has no opening date for some of these networks: say the academic year they formed (e.g. 2016/17)');
  throw new Invalid('formedIn', `these networks formed in different years (${years.join(', ')}): evaluate them separately, or say one academic year`);
}

/**
 * By-type groups of each treated school (a school in several evaluated networks takes all their
 * types): the federation form where the register records it; cross-phase or single-phase from
 * the members' phases; and "performance" where the members' prior attainment spans at least one
 * standard deviation of all schools' — a strong school working with a weaker one, the kind the
 * book found gained most (DOMAIN.md §7).
 */
function assignTypes(units: ImpactUnit[], networks: TreatedNetwork[], treatedBy: Map<number, number[]>, schools: SchoolRow[], index: Map<number, number>, priorOf: (s: SchoolRow) => number) {
  const priors = units.map((u) => priorOf(schools[index.get(u.schoolId)!]!)).filter(Number.isFinite);
  const mean = priors.reduce((a, b) => a + b, 0) / Math.max(priors.length, 1);
  const sd = Math.sqrt(priors.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(priors.length - 1, 1));
  const typesOf = new Map<number, string[]>();
  for (const n of networks) {
    const memberIds = [...treatedBy.entries()].filter(([, l]) => l.includes(n.id)).map(([id]) => id);
    const rows = memberIds.map((id) => schools[index.get(id)!]!);
    const types: string[] = [];
    if (n.form === 'hard' || n.form === 'soft') types.push(n.form);
    types.push(new Set(rows.map((r) => r.phase)).size > 1 ? 'cross_phase' : 'single_phase');
    const p = rows.map(priorOf).filter(Number.isFinite);
    if (p.length >= 2 && Math.max(...p) - Math.min(...p) >= sd) types.push('performance');
    typesOf.set(n.id, types);
  }
  for (const u of units) {
    if (!u.treated) continue;
    u.types = [...new Set((treatedBy.get(u.schoolId) ?? []).flatMap((id) => typesOf.get(id) ?? []))].sort();
  }
}

/** A saved evaluation, to whoever may run it. */
export async function getEvaluation(ctx: EvaluationContext, actor: Actor, id: number): Promise<EvaluationReport> {
  const row = await ctx.db.selectFrom('evaluation').select(['id', 'spec', 'report']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`evaluation ${id}`);
  const spec = (typeof row.spec === 'string' ? JSON.parse(row.spec) : row.spec) as EvaluationSpec;
  try {
    await requireEvaluationAccess(ctx, actor, { networkIds: spec.networkIds ?? [], laNames: spec.laNames ?? [], kind: spec.kind });
  } catch {
    throw new NotFound(`evaluation ${id}`);
  }
  return (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as EvaluationReport;
}

/** Saved evaluations the actor may read, newest first. */
export async function listEvaluations(ctx: EvaluationContext, actor: Actor, q: { networkId?: number | undefined; limit: number }) {
  let query = ctx.db.selectFrom('evaluation').select(['id', 'title', 'network_id', 'created_at', 'run_ms', 'spec']).orderBy('id', 'desc').limit(200);
  if (q.networkId !== undefined) query = query.where('network_id', '=', q.networkId);
  const rows = await query.execute();
  const out = [];
  for (const r of rows) {
    const spec = (typeof r.spec === 'string' ? JSON.parse(r.spec) : r.spec) as EvaluationSpec;
    try {
      await requireEvaluationAccess(ctx, actor, { networkIds: spec.networkIds ?? [], laNames: spec.laNames ?? [], kind: spec.kind });
    } catch {
      continue;
    }
    out.push({ id: Number(r.id), title: r.title, networkId: r.network_id === null ? null : Number(r.network_id), createdAt: new Date(r.created_at).toISOString(), runMs: r.run_ms });
    if (out.length >= q.limit) break;
  }
  return out;
}
