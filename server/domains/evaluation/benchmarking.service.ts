import { type Kysely, sql } from 'kysely';
import { againstTheOdds, describeSchools, indexSchools, pupilVariation, type SimilarityIndex, similarSchools } from '../../../analytics/benchmarking/index.ts';
import { measureByCode, type OutcomeMeasure, yearStart } from '../../../common/evaluation.ts';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { readableSchools, requireAccess } from '../access/policy.ts';
import { memberOn } from '../access/scope.ts';
import { minSchoolsInAggregate } from '../outcomes/outcomes.service.ts';
import { loadMeasure, loadPupilResults, loadSchools, nearbySchoolCounts, openDuring, type SchoolRow } from './school-data.ts';

/**
 * Everyday evidence for network leaders (docs/evaluation.md): similar-school groups, the network
 * against similar schools, its local authorities and the country, the spread of results between
 * and within schools, and "against the odds" schools.
 *
 * Who sees what: the register's context (roll, % FSM, …) is public; a school's own results are
 * shown only to those who may read its outcomes (scope.ts); everything else is an aggregate of at
 * least `minSchoolsInAggregate` schools.
 */
export type BenchmarkContext = { db: Kysely<DB> };

/** The context features of similar-school groups, in the index's order. */
export const similarityFeatures = [
  { name: 'pupil_roll', label: 'Number on roll (log)' },
  { name: 'fsm_pct', label: '% FSM' },
  { name: 'sen_pct', label: '% SEN' },
  { name: 'eal_pct', label: '% EAL' },
  { name: 'nearby_schools', label: 'Schools within 5 km (log)' },
] as const;

type Loaded = { schools: SchoolRow[]; byId: Map<number, number>; index: SimilarityIndex; year: number };

/**
 * The register standardised for similarity, cached per generation of the register (a change to
 * any school row rebuilds it). Context year: the latest the register holds.
 */
let cache: { key: string; loaded: Loaded } | null = null;
async function loadIndex(db: Kysely<DB>): Promise<Loaded> {
  const stamp = await sql<{ n: number; m: string | null }>`select count(*)::int as n, max(updated_at)::text as m from school`.execute(db).catch(() => ({ rows: [{ n: 0, m: null }] }));
  const key = `${stamp.rows[0]?.n}:${stamp.rows[0]?.m}`;
  if (cache && cache.key === key) return cache.loaded;
  const schools = await loadSchools(db);
  const year = Math.max(...schools.map((s) => (s.contextYear ? yearStart(s.contextYear) : 0)), 2018);
  const nearby = nearbySchoolCounts(schools, year);
  const open = schools.map((s, i) => ({ s, i })).filter(({ s }) => openDuring(s, year) && s.status !== 'closed');
  const p = similarityFeatures.length;
  const features = new Float64Array(open.length * p);
  open.forEach(({ s, i }, r) => {
    const v = [s.roll === null ? Number.NaN : Math.log1p(s.roll), s.fsmPct ?? Number.NaN, s.senPct ?? Number.NaN, s.ealPct ?? Number.NaN, Number.isFinite(nearby[i]!) ? Math.log1p(nearby[i]!) : Number.NaN];
    for (let j = 0; j < p; j++) features[r * p + j] = v[j]!;
  });
  const index = indexSchools({ ids: open.map(({ s }) => s.id), phases: open.map(({ s }) => s.phase), featureNames: similarityFeatures.map((f) => f.name), features });
  const loaded = { schools, byId: new Map(schools.map((s, i) => [s.id, i])), index, year };
  cache = { key, loaded };
  return loaded;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);
const round = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

function measureOf(code: string): OutcomeMeasure {
  const m = measureByCode.get(code);
  if (!m) throw new Invalid('measure', `"${code}" is not an outcome measure (GET /api/v1/outcome-measures)`);
  return m;
}

/** Mean (and n) of the figure over some schools, withheld below the aggregate minimum. */
function aggregate(values: number[]) {
  const n = values.length;
  if (n < minSchoolsInAggregate) return { schools: n, mean: null, median: null, withheld: true };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  return { schools: n, mean: round(values.reduce((a, b) => a + b, 0) / n), median: round(n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2), withheld: false };
}

/**
 * A school's similar schools: the k nearest of its phase on standardised context, with each
 * one's distance and which features make it differ, and — for a measure and year — how the
 * school's figure (where the caller may read it) stands against the group, its authority and
 * the country.
 */
export async function similarSchoolsOf(ctx: BenchmarkContext, actor: Actor, schoolId: number, q: { k: number; measure?: string | undefined; year?: string | undefined; excludeNetwork?: number | undefined }) {
  await requireAccess(ctx, actor, 'registry.read', undefined);
  const loaded = await loadIndex(ctx.db);
  const at = loaded.byId.get(schoolId);
  if (at === undefined) throw new NotFound(`school ${schoolId}`);
  const school = loaded.schools[at]!;
  let exclude: number[] = [];
  if (q.excludeNetwork !== undefined) {
    const rows = await sql<{ school_id: number }>`select m.school_id from membership m where m.network_id = ${q.excludeNetwork} and ${memberOn('m', actor.today)}`.execute(ctx.db);
    exclude = rows.rows.map((r) => Number(r.school_id));
  }
  const found = similarSchools(loaded.index, schoolId, { k: q.k, exclude });
  const p = similarityFeatures.length;
  const neighbours = Array.from(found.ids, (id, i) => {
    const s = loaded.schools[loaded.byId.get(id)!]!;
    return {
      schoolId: s.id,
      name: s.name,
      urn: s.urn,
      laName: s.laName,
      distance: round(found.distances[i]!, 3)!,
      context: { roll: s.roll, fsmPct: s.fsmPct, senPct: s.senPct, ealPct: s.ealPct },
      contributions: similarityFeatures.map((f, j) => ({ feature: f.name, share: round(found.contributions[i * p + j]! / Math.max(found.distances[i]! ** 2, 1e-12), 3), difference: round(found.differences[i * p + j]!, 2) })),
    };
  });
  let comparison = null;
  if (q.measure && q.year) {
    const m = measureOf(q.measure);
    const { values } = await loadMeasure(ctx.db, m);
    const figureOf = (s: SchoolRow) => (s.urn === null ? undefined : values.get(s.urn)?.get(q.year!));
    const own = (await readableSchools(ctx, actor, 'outcomes', [schoolId])).length > 0 ? (figureOf(school) ?? null) : null;
    const group = neighbours.map((n) => figureOf(loaded.schools[loaded.byId.get(n.schoolId)!]!)).filter((v): v is number => v !== undefined);
    const la = loaded.schools.filter((s) => s.laName === school.laName && s.phase === school.phase).map(figureOf).filter((v): v is number => v !== undefined);
    const national = loaded.schools.filter((s) => s.phase === school.phase).map(figureOf).filter((v): v is number => v !== undefined);
    comparison = { measure: m.code, label: m.label, year: q.year, school: own, shown: own !== null, similar: aggregate(group), localAuthority: aggregate(la), national: aggregate(national) };
    if (own !== null && !(await readableSchools(ctx, actor, 'outcomes', [schoolId])).includes(schoolId)) comparison.school = null;
  }
  return {
    school: { schoolId: school.id, name: school.name, urn: school.urn, phase: school.phase, laName: school.laName, context: { roll: school.roll, fsmPct: school.fsmPct, senPct: school.senPct, ealPct: school.ealPct } },
    status: found.status,
    features: similarityFeatures.map((f) => ({ name: f.name, label: f.label })),
    compared: found.compared,
    contextYear: `${loaded.year}/${String((loaded.year + 1) % 100).padStart(2, '0')}`,
    neighbours,
    comparison,
  };
}

async function networkMembers(ctx: BenchmarkContext, networkId: number, today: string) {
  const network = await ctx.db.selectFrom('network').select(['id', 'name']).where('id', '=', networkId).executeTakeFirst();
  if (!network) throw new NotFound(`network ${networkId}`);
  const rows = await sql<{ school_id: number }>`select m.school_id from membership m where m.network_id = ${networkId} and ${memberOn('m', today)} order by m.school_id`.execute(ctx.db);
  return { name: network.name, ids: rows.rows.map((r) => Number(r.school_id)) };
}

/**
 * A network against similar schools, its authorities and the country, for one measure and year:
 * each member beside its own similar-school group (members excluded from every group), the
 * spread between members, and — where pupil results are uploaded and readable — the variance
 * between and within schools.
 */
export async function networkBenchmark(ctx: BenchmarkContext, actor: Actor, networkId: number, q: { measure: string; year: string; k: number; subject?: string | undefined }) {
  await requireAccess(ctx, actor, 'evaluation.run', { networkIds: [networkId], laNames: [] }, `network ${networkId}`);
  const m = measureOf(q.measure);
  const { name, ids } = await networkMembers(ctx, networkId, actor.today);
  const loaded = await loadIndex(ctx.db);
  const { values, years } = await loadMeasure(ctx.db, m);
  if (!years.includes(q.year)) throw new Invalid('year', `no ${m.label} figures are held for ${q.year} (the data hold ${years.join(', ') || 'none'})`);
  const figureOf = (id: number) => {
    const s = loaded.schools[loaded.byId.get(id) ?? -1];
    return s?.urn == null ? undefined : values.get(s.urn)?.get(q.year);
  };
  const visible = new Set(await readableSchools(ctx, actor, 'outcomes', ids));
  const groupIds = new Set<number>();
  const members = ids.map((id) => {
    const s = loaded.schools[loaded.byId.get(id)!]!;
    const found = similarSchools(loaded.index, id, { k: q.k, exclude: ids });
    const group = Array.from(found.ids)
      .map((g) => {
        groupIds.add(g);
        return figureOf(g);
      })
      .filter((v): v is number => v !== undefined);
    const own = visible.has(id) ? (figureOf(id) ?? null) : null;
    const similar = aggregate(group);
    return {
      schoolId: id,
      name: s.name,
      urn: s.urn,
      phase: s.phase,
      shown: visible.has(id),
      value: own,
      /** 'matched', or why the school has no similar-school group (e.g. too few context figures). */
      similarStatus: found.status,
      similar,
      difference: own !== null && similar.mean !== null ? round(own - similar.mean) : null,
    };
  });
  const memberValues = ids.filter((id) => visible.has(id)).map(figureOf).filter((v): v is number => v !== undefined);
  const phases = new Set(members.map((x) => x.phase));
  const las = new Set(ids.map((id) => loaded.schools[loaded.byId.get(id)!]!.laName));
  const laValues = loaded.schools.filter((s) => las.has(s.laName) && phases.has(s.phase) && !ids.includes(s.id)).map((s) => figureOf(s.id)).filter((v): v is number => v !== undefined);
  const national = loaded.schools.filter((s) => phases.has(s.phase)).map((s) => figureOf(s.id)).filter((v): v is number => v !== undefined);
  const similarValues = [...groupIds].map(figureOf).filter((v): v is number => v !== undefined);
  const spread = memberValues.length >= 2 ? describeSchools(memberValues) : null;
  let pupils = null;
  if (q.subject) {
    const rows = await loadPupilResults(ctx.db, [...visible], q.year, q.subject);
    if (rows.length > 0 && new Set(rows.map((r) => r.schoolId)).size >= 2) {
      const v = pupilVariation({ school: rows.map((r) => r.schoolId), score: rows.map((r) => r.score) });
      pupils = { subject: q.subject, pupils: v.pupils, schools: v.groups, between: round(v.tauSquared, 3), within: round(v.sigmaSquared, 3), icc: round(v.icc, 3), f: round(v.f, 3), p: finite(v.pLargeSample) };
    }
  }
  if (visible.size > 0) await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'network-benchmark', resourceId: networkId, networkId, detail: { dataClass: 'outcomes', schools: [...visible], measure: m.code, year: q.year } });
  return {
    networkId,
    name,
    measure: m.code,
    label: m.label,
    year: q.year,
    better: m.better,
    members,
    groups: {
      network: aggregate(memberValues),
      similar: aggregate(similarValues),
      localAuthority: aggregate(laValues),
      national: aggregate(national),
    },
    spread: spread && { schools: spread.n, mean: round(spread.mean), sd: round(spread.sd), min: round(spread.min), q1: round(spread.q1), median: round(spread.median), q3: round(spread.q3), max: round(spread.max), range: round(spread.range) },
    pupils,
  };
}

/**
 * "Against the odds" (Ainscow et al.): the figure regressed on context over every school of the
 * measure's phase in the register, then the schools of a network or authority the caller may
 * read, ranked by how far they beat the prediction.
 */
export async function againstTheOddsOf(ctx: BenchmarkContext, actor: Actor, q: { networkId?: number | undefined; laName?: string | undefined; measure: string; year: string }) {
  if (q.networkId === undefined && !q.laName) throw new Invalid('networkId', 'choose a network (networkId) or a local authority (laName)');
  await requireAccess(ctx, actor, 'evaluation.run', { networkIds: q.networkId !== undefined ? [q.networkId] : [], laNames: q.networkId === undefined && q.laName ? [q.laName] : [] }, q.networkId !== undefined ? `network ${q.networkId}` : `the schools of ${q.laName}`);
  const m = measureOf(q.measure);
  const loaded = await loadIndex(ctx.db);
  const { values, years } = await loadMeasure(ctx.db, m);
  if (!years.includes(q.year)) throw new Invalid('year', `no ${m.label} figures are held for ${q.year} (the data hold ${years.join(', ') || 'none'})`);
  const rows = loaded.schools.filter((s) => s.urn !== null && values.get(s.urn)?.get(q.year) !== undefined);
  const col = (f: (s: SchoolRow) => number | null) => Float64Array.from(rows, (s) => f(s) ?? Number.NaN);
  // A context figure most schools lack (or that never varies) would empty or break the model: it
  // is left out, and the reply names the columns used. % FSM, the measure of disadvantage, stays.
  const context = [
    { name: 'fsm_pct', values: col((s) => s.fsmPct) },
    { name: 'sen_pct', values: col((s) => s.senPct) },
    { name: 'eal_pct', values: col((s) => s.ealPct) },
    { name: 'log_roll', values: col((s) => (s.roll === null ? null : Math.log1p(s.roll))) },
  ].filter((c) => {
    const present = Array.from(c.values).filter(Number.isFinite);
    return c.name === 'fsm_pct' || (present.length >= rows.length / 2 && present.some((v) => v !== present[0]));
  });
  const usable = rows.filter((_, i) => context.every((c) => Number.isFinite(c.values[i]!))).length;
  if (usable < context.length + 3) throw new Invalid('measure', `too few schools have both ${m.label} for ${q.year} and their context figures to fit the model (${usable})`);
  const result = againstTheOdds({ ids: rows.map((s) => s.id), attainment: Float64Array.from(rows, (s) => values.get(s.urn!)!.get(q.year)!), context, disadvantage: 'fsm_pct' });
  const scope = q.networkId !== undefined ? new Set((await networkMembers(ctx, q.networkId, actor.today)).ids) : new Set(loaded.schools.filter((s) => (s.laName ?? '').toLowerCase() === q.laName!.toLowerCase()).map((s) => s.id));
  const visible = new Set(await readableSchools(ctx, actor, 'outcomes', [...scope]));
  const schools = Array.from(result.ranking)
    .filter((r) => visible.has(rows[r]!.id))
    .map((r) => ({
      schoolId: rows[r]!.id,
      name: rows[r]!.name,
      urn: rows[r]!.urn,
      value: round(values.get(rows[r]!.urn!)!.get(q.year)!),
      predicted: round(result.predicted[r]!),
      residual: round(result.residual[r]!),
      standardisedResidual: round(result.standardisedResidual[r]!),
      attainmentQuartile: result.attainmentQuartile[r]!,
      predictedQuartile: result.predictedQuartile[r]!,
      fsmQuartile: result.disadvantageQuartile[r]!,
      againstTheOdds: result.againstTheOdds[r] === 1,
    }));
  if (visible.size > 0) await audit(ctx.db, { personId: actor.personId, action: 'read.sensitive', resourceType: 'against-the-odds', resourceId: q.networkId ?? 0, networkId: q.networkId ?? null, detail: { dataClass: 'outcomes', schools: [...visible], measure: m.code, year: q.year } });
  return {
    measure: m.code,
    label: m.label,
    year: q.year,
    model: { n: result.n, excluded: result.excluded, context: context.map((c) => c.name), rSquared: round(result.rSquared, 3)!, coefficients: result.coefficients.map((c) => ({ name: c.name, estimate: round(c.estimate, 4)!, se: round(c.se, 4)!, p: finite(c.p) })) },
    inScope: scope.size,
    shown: schools.length,
    schools,
  };
}
