import type { Kysely } from 'kysely';
import { allocate, defaultWeights, explainCandidate, factorInfo, type RankedCandidate, rankCandidates, type ScoreWeights } from '../../../analytics/brokering/index.ts';
import type { FocusArea, SupportKind } from '../../../common/brokering.ts';
import type { DB } from '../../db/database.ts';
import { Invalid, NotFound } from '../../http/errors.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../access/audit.ts';
import { readableSchools, requireAccess } from '../access/policy.ts';
import * as repo from './brokering.repository.ts';
import type { Allocation, Candidate, Ranking } from './brokering.schema.ts';
import type { ConflictJson, FactorJson } from './brokering.table.ts';
import { buildBase, type CandidateBase, forRequester, requesterFacts } from './candidates.ts';
import type { BrokeringContext } from './profile.service.ts';
import { brokerCheck, requestSummaries } from './request-views.ts';
import { loadRegister, type Register } from './strengths.ts';

/**
 * Ranking candidates for one request, and allocating supporters to every open request of an
 * area (docs/brokering.md, "Ranking" and "Allocation"). The scores are the kernel's
 * (analytics/brokering); this file loads what it reads and explains the result.
 *
 * What a broker sees: each candidate's register data, its score and every factor's weight,
 * normalised value and contribution. The raw value of the two factors that rest on published
 * results (strength, reciprocity) is shown only where the broker may read those results (the
 * candidate's, resp. the requester's outcomes: scope.ts); the contributions always are, since
 * they are what the ranking is.
 */

/** Factors whose raw value rests on a school's published results, and whose school that is. */
const outcomeFactors = new Set(['strength', 'reciprocity']);

export function parseWeights(text: string | undefined): ScoreWeights {
  if (!text) return defaultWeights;
  const weights: ScoreWeights = { ...defaultWeights };
  for (const pair of text.split(',')) {
    const [name, value] = pair.split(':') as [string, string];
    if (!(name in weights)) throw new Invalid('weights', `"${name}" is not a factor; the factors are ${Object.keys(weights).join(', ')}`);
    const w = Number(value);
    if (!(w >= 0)) throw new Invalid('weights', `the weight of ${name} must be 0 or more`);
    weights[name as keyof ScoreWeights] = w;
  }
  return weights;
}

type RequestInput = { id: number; schoolId: number; focusArea: FocusArea; daysNeeded: number; conflicts: ConflictJson[] };
const inputOf = (r: repo.RequestRow): RequestInput => ({
  id: Number(r.id),
  schoolId: Number(r.school_id),
  focusArea: r.focus_area as FocusArea,
  daysNeeded: Number(r.days_needed),
  conflicts: r.conflicts,
});

/** The candidate views of ranked rows, with outcome-based raw values shown only where the viewer may read them. */
async function candidateViews(
  ctx: BrokeringContext,
  viewer: Actor | null,
  reg: Register,
  base: CandidateBase,
  requesterId: number,
  ranked: RankedCandidate[],
  brokerSchools: Set<number>,
  rankFrom = 1,
): Promise<Candidate[]> {
  const schoolIds = [...new Set([...ranked.map((c) => c.schoolId), requesterId])];
  const readable = new Set(viewer === null ? schoolIds : await readableSchools(ctx, viewer, 'outcomes', schoolIds));
  return ranked.map((c, k) => {
    const s = reg.schools[base.registerRow[c.row]!]!;
    const o = base.offer[c.row];
    return {
      rank: rankFrom + k,
      school: { schoolId: s.id, name: s.name, urn: s.urn, phase: s.phase, laName: s.laName },
      offer: o
        ? { offerId: Number(o.id), person: o.person_id === null ? null : { personId: Number(o.person_id), name: o.person_name ?? '' }, kinds: o.kinds as SupportKind[], capacityLeft: base.offerLeft[c.row]! }
        : null,
      score: c.score,
      distanceKm: c.distanceKm === null ? null : Math.round(c.distanceKm * 10) / 10,
      factors: c.factors.map((f) => {
        const whose = f.factor === 'reciprocity' ? requesterId : s.id;
        const hidden = outcomeFactors.has(f.factor) && !readable.has(whose);
        return { factor: f.factor, label: factorInfo[f.factor].label, raw: hidden ? null : f.raw, normalised: f.normalised, weight: f.weight, contribution: f.contribution };
      }),
      brokerAffiliated: brokerSchools.has(s.id),
    };
  });
}

/** The schools a broker's declared affiliations tie them to today (school ties, and members of tied networks). */
export async function affiliatedSchools(db: Kysely<DB>, brokerId: number | null, today: string): Promise<Set<number>> {
  if (brokerId === null) return new Set();
  const rows = await repo.affiliationsOf(db, [brokerId]);
  const schools = new Set(rows.flatMap((a) => (a.school_id === null ? [] : [Number(a.school_id)])));
  const networks = rows.flatMap((a) => (a.network_id === null ? [] : [Number(a.network_id)]));
  if (networks.length) {
    const members = await db
      .selectFrom('membership')
      .select('school_id')
      .where('network_id', 'in', networks)
      .where((eb) => eb.or([eb('joined_on', 'is', null), eb('joined_on', '<=', today)]))
      .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>', today)]))
      .execute();
    for (const m of members) schools.add(Number(m.school_id));
  }
  return schools;
}

/** Loads the request and checks the actor may broker it (404 otherwise). */
async function brokerable(ctx: BrokeringContext, actor: Actor, id: number): Promise<repo.RequestRow> {
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw new NotFound(`support request ${id}`);
  await requireAccess(ctx, actor, 'brokering.broker', { schoolId: Number(r.school_id) }, `support request ${id}`);
  return r;
}

/**
 * Ranks the candidates for a request: hard constraints (self, closed, conflict of interest,
 * over capacity, no strength data), then the explained score. Audited: it reads derived
 * strengths of every school.
 */
export async function rankRequest(ctx: BrokeringContext, actor: Actor, id: number, q: { limit: number; weights?: string | undefined }): Promise<Ranking> {
  const r = await brokerable(ctx, actor, id);
  const weights = parseWeights(q.weights);
  const started = performance.now();
  const result = await rankFor(ctx, actor, r, weights, q.limit);
  await audit(ctx.db, { personId: actor.personId, action: 'brokering.rank', resourceType: 'support_request', resourceId: id, schoolId: Number(r.school_id), detail: { returned: result.candidates.length } });
  return { ...result, millis: Math.round((performance.now() - started) * 10) / 10 };
}

async function rankFor(ctx: BrokeringContext, viewer: Actor | null, r: repo.RequestRow, weights: ScoreWeights, limit: number): Promise<Omit<Ranking, 'millis'>> {
  const today = viewer?.today ?? ctx.today();
  const input = inputOf(r);
  const reg = await loadRegister(ctx.db, today);
  if (!reg.byId.has(input.schoolId)) throw new NotFound(`school ${input.schoolId}`);
  const base = await buildBase(ctx.db, reg, input.focusArea, today);
  const facts = await requesterFacts(ctx.db, input.schoolId, today);
  const { request, table } = forRequester(base, reg, { schoolId: input.schoolId, daysNeeded: input.daysNeeded, conflicts: input.conflicts.map((c) => c.schoolId) }, facts);
  const ranked = rankCandidates(request, table, { weights, limit, excludedSample: 0 });
  const brokerId = r.broker_id === null ? (viewer?.personId ?? null) : Number(r.broker_id);
  const affiliated = await affiliatedSchools(ctx.db, brokerId, today);
  return {
    requestId: input.id,
    focusArea: input.focusArea,
    considered: table.n,
    excludedCounts: ranked.excludedCounts,
    candidates: await candidateViews(ctx, viewer, reg, base, input.schoolId, ranked.ranked, affiliated),
    weights: ranked.weights,
    brokerCheck: await brokerCheck(ctx.db, r, brokerId, null, today),
  };
}

/** For the operator's command line (no viewer: every raw value is shown). */
export async function operatorRanking(ctx: BrokeringContext, id: number, limit: number): Promise<Ranking> {
  const r = await repo.findRequest(ctx.db, id);
  if (!r) throw new NotFound(`support request ${id}`);
  const started = performance.now();
  const result = await rankFor(ctx, null, r, defaultWeights, limit);
  return { ...result, millis: Math.round((performance.now() - started) * 10) / 10 };
}

/**
 * The named candidates of a request, scored now exactly as the ranking scores them (for a
 * shortlist snapshot). A candidate the hard constraints exclude is refused, naming the reason.
 */
export async function scoreCandidates(
  ctx: BrokeringContext,
  actor: Actor,
  r: repo.RequestRow,
  wanted: { schoolId: number; offerId?: number | null | undefined }[],
): Promise<{ candidates: Candidate[]; factors: FactorJson[][] }> {
  const today = actor.today;
  const input = inputOf(r);
  const reg = await loadRegister(ctx.db, today);
  const base = await buildBase(ctx.db, reg, input.focusArea, today);
  const facts = await requesterFacts(ctx.db, input.schoolId, today);
  const { request, table } = forRequester(base, reg, { schoolId: input.schoolId, daysNeeded: input.daysNeeded, conflicts: input.conflicts.map((c) => c.schoolId) }, facts);
  const ranked: RankedCandidate[] = [];
  wanted.forEach((w, i) => {
    const rows = base.rowsOfSchool.get(w.schoolId) ?? [];
    const row = rows.find((x) => (w.offerId ? Number(base.offer[x]?.id) === w.offerId : base.offer[x] === null));
    if (row === undefined) {
      const hint = w.offerId ? `offer ${w.offerId} is not an active offer of school ${w.schoolId} in this focus area` : `school ${w.schoolId} is not a candidate without an offer here (it has active offers in the area: name one, or it is not in the register)`;
      throw new Invalid(`candidates[${i}]`, hint);
    }
    const e = explainCandidate(request, table, row);
    if (e.kind === 'excluded') throw new Invalid(`candidates[${i}]`, `excluded from this request: ${e.exclusion.reason}`);
    ranked.push(e.candidate);
  });
  const affiliated = await affiliatedSchools(ctx.db, r.broker_id === null ? actor.personId : Number(r.broker_id), today);
  const candidates = await candidateViews(ctx, null, reg, base, input.schoolId, ranked, affiliated);
  return {
    candidates,
    factors: candidates.map((c) => c.factors.map((f) => ({ factor: f.factor, label: f.label, raw: f.raw, normalised: f.normalised, weight: f.weight, contribution: f.contribution }))),
  };
}

/**
 * System-wide allocation (analytics/brokering `allocate`: min-cost flow by successive shortest
 * paths): every open or shortlisted request of a network or an authority, each with its top
 * `candidates` by the ranking as the allowed pairs, supporters' capacities in requests. A
 * proposal only: nothing is written; the broker applies it through each request's shortlist.
 */
export async function allocateArea(
  ctx: BrokeringContext,
  actor: Actor | null,
  q: { networkId?: number | undefined; laName?: string | undefined; fairness: 'none' | 'one-before-second'; maxPerRequest: number; candidates: number },
): Promise<Allocation> {
  if (q.networkId === undefined && !q.laName) throw new Invalid('networkId', 'choose a network (networkId) or a local authority (laName)');
  if (actor) await requireAccess(ctx, actor, 'brokering.area', { networkIds: q.networkId !== undefined ? [q.networkId] : [], laNames: q.laName ? [q.laName] : [] }, q.networkId !== undefined ? `network ${q.networkId}` : `the schools of ${q.laName}`);
  const started = performance.now();
  const today = actor?.today ?? ctx.today();
  const ids = await repo.openRequestIdsIn(ctx.db, { networkId: q.networkId, laName: q.laName }, today);
  const rows = (await Promise.all(ids.map((id) => repo.findRequest(ctx.db, id)))).filter((r): r is repo.RequestRow => r !== undefined);
  const reg = await loadRegister(ctx.db, today);
  const bases = new Map<FocusArea, CandidateBase>();
  // Supporters across requests: a school without an offer, or one offer.
  const supporterKey: string[] = [];
  const supporterIndex = new Map<string, number>();
  const supporterLeft: number[] = [];
  const supporterDays: number[][] = [];
  const edgeRequest: number[] = [];
  const edgeSupporter: number[] = [];
  const edgeScore: number[] = [];
  const ranks: RankedCandidate[][] = [];
  const usable = rows.filter((r) => reg.byId.has(Number(r.school_id)));
  for (const [k, r] of usable.entries()) {
    const input = inputOf(r);
    let base = bases.get(input.focusArea);
    if (!base) {
      base = await buildBase(ctx.db, reg, input.focusArea, today);
      bases.set(input.focusArea, base);
    }
    const facts = await requesterFacts(ctx.db, input.schoolId, today);
    const { request, table } = forRequester(base, reg, { schoolId: input.schoolId, daysNeeded: input.daysNeeded, conflicts: input.conflicts.map((c) => c.schoolId) }, facts);
    const ranked = rankCandidates(request, table, { limit: q.candidates, excludedSample: 0 }).ranked;
    ranks.push(ranked);
    for (const c of ranked) {
      const o = base.offer[c.row];
      const key = o ? `o${o.id}` : `s${c.schoolId}`;
      let s = supporterIndex.get(key);
      if (s === undefined) {
        s = supporterKey.length;
        supporterIndex.set(key, s);
        supporterKey.push(key);
        supporterLeft.push(o ? base.offerLeft[c.row]! : Number.NaN);
        supporterDays.push([]);
      }
      supporterDays[s]!.push(input.daysNeeded);
      edgeRequest.push(k);
      edgeSupporter.push(s);
      edgeScore.push(c.score);
    }
  }
  // Capacity in requests: days left ÷ the mean days asked of the supporter, rounded down, at
  // least 1 (every pair already passed the per-request capacity check); a school approached
  // without an offer takes one request at a time.
  const capacity = Float64Array.from(supporterKey, (_key, s) => {
    const left = supporterLeft[s]!;
    if (!Number.isFinite(left)) return 1;
    const days = supporterDays[s]!;
    const mean = days.reduce((a, b) => a + b, 0) / days.length;
    return Math.max(1, Math.floor(left / mean));
  });
  const result = allocate({
    requests: usable.length,
    supporters: supporterKey.length,
    capacity,
    edges: { request: Int32Array.from(edgeRequest), supporter: Int32Array.from(edgeSupporter), score: Float64Array.from(edgeScore), count: edgeRequest.length },
    maxPerRequest: q.maxPerRequest,
    fairness: q.fairness,
  });
  const summaries = requestSummaries(usable);
  const pairs: Allocation['pairs'] = [];
  for (const pair of result.pairs) {
    const r = usable[pair.request]!;
    const base = bases.get(r.focus_area as FocusArea)!;
    // The supporter's candidate in this request's ranking (rows differ between focus areas; keys do not).
    const ranked = ranks[pair.request]!.find((c) => (base.offer[c.row] ? `o${base.offer[c.row]!.id}` : `s${c.schoolId}`) === supporterKey[pair.supporter]);
    if (!ranked) continue;
    const affiliated = await affiliatedSchools(ctx.db, r.broker_id === null ? (actor?.personId ?? null) : Number(r.broker_id), today);
    const [candidate] = await candidateViews(ctx, actor, reg, base, Number(r.school_id), [ranked], affiliated);
    pairs.push({ request: summaries[pair.request]!, candidate: { ...candidate!, rank: ranks[pair.request]!.indexOf(ranked) + 1 } });
  }
  if (actor) await audit(ctx.db, { personId: actor.personId, action: 'brokering.allocate', resourceType: 'allocation', resourceId: q.networkId ?? q.laName ?? '', networkId: q.networkId ?? null, detail: { requests: usable.length, pairs: result.pairs.length } });
  return {
    area: q.networkId !== undefined ? `network ${q.networkId}` : `${q.laName}`,
    fairness: q.fairness,
    method: result.method,
    requests: usable.length,
    supporters: supporterKey.length,
    total: result.total,
    pairs,
    unassigned: result.unassigned.map((k) => summaries[k]!),
    millis: Math.round(performance.now() - started),
  };
}
