/**
 * The match score for brokered support (issue 8): for one request (a school, a focus area, a kind
 * of support), rank every candidate supporter — a school, or a person's offer carrying its school
 * — by a documented weighted sum of eight factors, each shown with its contribution.
 *
 * Why these factors. The strongest evidence for collaboration comes from brokered support, in
 * which a school that needs to improve in something is paired with one that is strong in it
 * (Muijs, Ainscow, Chapman & West 2011; DOMAIN.md §8). The same sources name the
 * conditions under which such pairings last, and each factor stands for one of them:
 *
 * | factor          | condition it stands for                                                        |
 * |-----------------|--------------------------------------------------------------------------------|
 * | strength        | the supporter is good at the very thing asked for, given its intake            |
 * | similarity      | contexts close enough for practice to travel                                   |
 * | nonCompetition  | partners do not recruit the same pupils (overlapping catchments breed mistrust) |
 * | travel          | visits are cheap enough to happen                                              |
 * | capacity        | supporters have limited time; one stretched thin serves badly                  |
 * | reciprocity     | every school has something to offer: one-way "deficit" relationships breed resistance |
 * | ties            | existing trust makes a new piece of work easier to start                      |
 * | diversity       | a partner unlike the requester's current ones brings something new             |
 *
 * THE SCORE. For candidate row i,
 *     score_i = Σ_f w_f · x_if,  f in the order of {@link factorOrder}, every x_if in [0, 1],
 * summed left to right from 0; every {@link FactorContribution} carries w_f · x_if, so the
 * contributions add up to the score exactly (the same floating-point operations in the same
 * order). With the default weights (Σ w = 1) the score lies in [0, 1]. Nothing is hidden:
 * a broker can read off why one school ranks above another factor by factor, and the requester
 * can be shown the same table.
 *
 * THE MAPPINGS (raw value → x in [0, 1]; "unknown" says what a missing input counts as):
 * - strength: σ(s) = 1 / (1 + e^(−s)) of the strength s in SDs (0 → 0.5, +1 → 0.73, +2 → 0.88).
 *   Unknown: the candidate is excluded ("no strength data") — a match resting on no evidence of
 *   strength is not a match.
 * - similarity: with d² = (1/|P|) Σ_{j∈P} (z_rj − z_ij)² the mean squared gap in standardised
 *   context over the features P both have (the similar-schools distance of
 *   analytics/benchmarking/similar-schools.ts divided by the number of features, so it reads as
 *   SDs per feature whatever p is), x = exp(−d²/2): 1 for identical contexts, 0.61 at one SD
 *   apart on every feature, 0.14 at two. Raw = d. Unknown (no shared feature): exp(−1), the
 *   value two schools drawn at random get on average (E[(z_a − z_b)²] = 2 for independent
 *   z-scores).
 * - nonCompetition: same phase (exact string match) and great-circle distance d < 2c, with c the
 *   request's catchment radius, means the catchments overlap: x = d / (2c), falling linearly to 0
 *   at d = 0; otherwise x = 1. Raw = d when the phases match, else null. Same phase with an
 *   unknown location: 0.5. Two schools of different phases do not compete for pupils, however
 *   close.
 * - travel: x = 1 / (1 + d / h), h = 15 km by default (option travelHalfKm): 1 next door, 0.5 at
 *   15 km, 0.25 at 45 km. Raw = d. Unknown location: 0.5. The 15 km is a judgement (roughly half an
 *   hour's drive outside cities), not an estimate.
 * - capacity: x = min(1, left / (2 · daysNeeded)): a supporter with at least twice the time the
 *   support takes scores 1, one that would be left with nothing scores 0.5. Raw = days left.
 * - reciprocity: σ(o) of the requester's own strength o, in SDs, in what the candidate needs.
 *   Raw = o. Unknown: 0.5 (as if average: neither rewarded nor held against either school).
 * - ties: the existing tie strength, clamped to [0, 1]; unknown or negative → 0.
 * - diversity: 1 − exp(−m²/2), where m² is the smallest mean squared context gap between the
 *   candidate and any of the requester's current partners — one minus the similarity to the
 *   nearest partner. Raw = m. A candidate flagged as already a partner
 *   ({@link CandidateTable.partnersOfRequester}) gets raw 0, x = 0. No current partners: x = 1
 *   for everyone (no effect on rank). No partner comparable (no shared feature): 1 − exp(−1).
 *
 * HARD CONSTRAINTS exclude a row before it is scored; each excluded row is counted under the
 * first reason that applies, in this order: 'self' (same school as the requester — this also
 * covers a person working at the requesting school), 'closed', 'over capacity' (capacity left
 * ≤ 0, unknown, or less than daysNeeded), 'conflict of interest' (school id in
 * request.conflicts), 'no strength data'. Capacity comes before conflicts because most schools
 * offer no time at all, so the conflict list is consulted only for rows that could otherwise be
 * offered; a broker reading the counts sees conflicts among the schools that had time.
 *
 * Ties in score go to the lower candidate id, then the lower row, so a ranking is reproducible.
 *
 * SPEED. One pass over the rows with no per-row allocation, keeping the best `limit` rows in a
 * bounded heap. Once the heap is full, a row is dropped as soon as an upper bound on its score
 * (the factors computed so far, plus w_f for each factor not yet computed) cannot beat the
 * heap's worst: the cheap factors first (with travel bounded by the difference in latitude,
 * which never exceeds the great-circle distance), then the context similarity (a few multiply–adds),
 * then the distance (five transcendental functions), the comparison with the partners last.
 * The bound uses the same summation order as the score and floating-point addition and
 * multiplication are monotone, so the pruning never changes the result. Explanations are built
 * only for the rows returned.
 */
import { earthRadiusKm } from '../graph/mixing.ts';

/** The factor codes, each naming itself (use `Factor.strength` rather than a bare string). */
export const Factor = {
  strength: 'strength',
  similarity: 'similarity',
  nonCompetition: 'nonCompetition',
  travel: 'travel',
  capacity: 'capacity',
  reciprocity: 'reciprocity',
  ties: 'ties',
  diversity: 'diversity',
} as const;

/** One of the eight factors of the match score. */
export type FactorCode = keyof typeof Factor;

/** The order in which contributions are listed and summed. */
export const factorOrder: readonly FactorCode[] = Object.freeze([
  'strength',
  'similarity',
  'nonCompetition',
  'travel',
  'capacity',
  'reciprocity',
  'ties',
  'diversity',
] satisfies FactorCode[]);

/** A label, a one-line meaning and the mapping's range, per factor, for screens and reports. */
export const factorInfo: Readonly<Record<FactorCode, { label: string; meaning: string; range: string }>> = Object.freeze({
  strength: {
    label: 'Strength in the focus area',
    meaning: 'How much better than its context predicts the supporter does in the area asked about.',
    range: 'logistic of the SDs: 0.5 at average, 0.88 at +2 SD',
  },
  similarity: {
    label: 'Similar context',
    meaning: 'How alike the two schools’ intakes and settings are, so practice can travel between them.',
    range: 'exp(−d²/2) of the mean squared gap in SDs: 1 identical, 0.61 one SD apart',
  },
  nonCompetition: {
    label: 'Not competing for pupils',
    meaning: 'Lower when both schools are in the same phase and their catchments overlap.',
    range: '1 unless same phase and closer than twice the catchment radius; 0 at the same site',
  },
  travel: {
    label: 'Travel',
    meaning: 'Nearer supporters make visits cheaper and more frequent.',
    range: '1 / (1 + km / 15): 1 next door, 0.5 at 15 km',
  },
  capacity: {
    label: 'Capacity left',
    meaning: 'Time the supporter still has this term, compared with what the support takes.',
    range: 'min(1, days left / (2 × days needed))',
  },
  reciprocity: {
    label: 'Something to offer back',
    meaning: 'How strong the requester is in what the supporter itself needs, so the help can flow both ways.',
    range: 'logistic of the SDs: 0.5 at average or unknown',
  },
  ties: {
    label: 'Existing ties',
    meaning: 'Strength of the schools’ existing working relationship: trust helps.',
    range: 'tie strength, 0 (none) to 1',
  },
  diversity: {
    label: 'A new kind of partner',
    meaning: 'Higher when the supporter is unlike the requester’s current partners.',
    range: '1 − similarity to the nearest current partner; 1 with no partners',
  },
});

/** A non-negative weight per factor. */
export type ScoreWeights = Record<FactorCode, number>;

/**
 * Default weights, summing to 1 so a score reads as a share of a perfect match. A judgement, not
 * an estimate; a network may set its own. Strength 0.30: the reason for the match, and where
 * the evidence on brokered support points. Similarity and non-competition 0.15 each: the two
 * conditions DOMAIN.md §8 puts first. Reciprocity and diversity 0.10 each: together as heavy as
 * similarity plus travel, to pull away from one-way expert-to-novice pairings and towards a mix
 * of circumstances. Travel 0.10. Capacity 0.05 and ties 0.05: the hard constraint already
 * removes supporters without time, and a heavy weight on existing ties would hand the work to
 * schools that are already connected and leave the least connected unpicked.
 */
export const defaultWeights: ScoreWeights = Object.freeze({
  strength: 0.3,
  similarity: 0.15,
  nonCompetition: 0.15,
  travel: 0.1,
  capacity: 0.05,
  reciprocity: 0.1,
  ties: 0.05,
  diversity: 0.1,
});

/** Default number of candidates returned by {@link rankCandidates}. */
export const DEFAULT_RANK_LIMIT = 50;
/** Default number of excluded rows listed (all are counted). */
export const DEFAULT_EXCLUDED_SAMPLE = 20;
/** Distance, km, at which the travel factor is 0.5. */
export const DEFAULT_TRAVEL_HALF_KM = 15;

/** Candidate supporters, n rows (schools; a person's offer is a row too, carrying its school). Column-oriented. */
export type CandidateTable = {
  n: number;
  /** Candidate row id (school id, or an offer id for a person); ties in score go to the lower id. */
  id: Int32Array | number[];
  /** The school the candidate belongs to. */
  schoolId: Int32Array | number[];
  /** Phase, compared by exact string equality for non-competition; null = unknown (never competing). */
  phase: (string | null)[];
  /** 0 = closed school: excluded. */
  open: Uint8Array;
  /** Degrees; NaN = unknown. */
  latitude: Float64Array;
  longitude: Float64Array;
  /** Strength in the requested focus area relative to context, in SDs; NaN = unknown (excluded). */
  strength: Float64Array;
  /** n × p row-major standardised context (z-scores); NaN = missing. */
  context: Float64Array;
  p: number;
  /** Days (or slots) left this term; ≤ 0, NaN or below the request's daysNeeded: excluded. */
  capacityLeft: Float64Array;
  /** Existing tie with the requester, 0..1 (0 none). */
  tieStrength: Float64Array;
  /** Optional: 1 where the row is already one of the requester's partners (its diversity is 0). */
  partnersOfRequester?: Uint8Array;
};

/** A request for support. */
export type SupportRequest = {
  schoolId: number;
  phase: string | null;
  /** Degrees; NaN = unknown. */
  latitude: number;
  longitude: number;
  /** Length p, z-scores on the same scale as the table's context; NaN = missing. */
  context: Float64Array;
  /** Per candidate row (length n): the requester's own strength, in SDs, in what that candidate needs (reciprocity); NaN unknown. */
  offersBack: Float64Array;
  /** partners × p row-major z-scores of the requester's current partners (diversity). */
  partnerContexts: Float64Array;
  partners: number;
  /** School ids excluded for conflicts of interest (declared affiliations, same governing body, …). */
  conflicts: Set<number>;
  /** Capacity the support takes, in the unit of capacityLeft. */
  daysNeeded: number;
  /** Catchment radius for overlap, km (e.g. primary 3, secondary 8; the caller decides). */
  catchmentKm: number;
};

/** One factor's part in a score: contribution = weight × normalised. */
export type FactorContribution = { factor: FactorCode; raw: number | null; normalised: number; weight: number; contribution: number };

/** A ranked candidate with its explanation; the contributions sum to `score` exactly. */
export type RankedCandidate = { row: number; id: number; schoolId: number; score: number; distanceKm: number | null; factors: FactorContribution[] };

/** Why a row was excluded before scoring. */
export type ExclusionReason = 'self' | 'closed' | 'over capacity' | 'conflict of interest' | 'no strength data';

/** The reasons in the order they are checked. */
export const exclusionReasons: readonly ExclusionReason[] = Object.freeze(['self', 'closed', 'over capacity', 'conflict of interest', 'no strength data'] satisfies ExclusionReason[]);

/** An excluded row. */
export type Exclusion = { row: number; id: number; reason: ExclusionReason };

/** Options of {@link rankCandidates}. */
export type RankOptions = {
  /** Factor weights (finite, ≥ 0); default {@link defaultWeights}. */
  weights?: ScoreWeights;
  /** How many candidates to return, best first; default {@link DEFAULT_RANK_LIMIT}; Infinity for all. */
  limit?: number;
  /** How many excluded rows to list, in table order; default {@link DEFAULT_EXCLUDED_SAMPLE}. */
  excludedSample?: number;
  /** Travel half-distance h in km; default {@link DEFAULT_TRAVEL_HALF_KM}. */
  travelHalfKm?: number;
};

/** The result of {@link rankCandidates}. */
export type RankResult = {
  /** The best `limit` candidates, by score descending, then id, then row. */
  ranked: RankedCandidate[];
  /** Excluded rows per reason (each row under its first reason). */
  excludedCounts: Record<ExclusionReason, number>;
  /** The first `excludedSample` excluded rows, in table order. */
  excluded: Exclusion[];
  /** Rows that passed the hard constraints (ranked or not). */
  eligible: number;
  /** The weights used. */
  weights: ScoreWeights;
};

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
/** True for a finite number (x − x is NaN for NaN and ±Infinity). */
const finite = (x: number): boolean => x - x === 0;
/** exp(−1): the similarity two schools drawn at random get on average (see the module note). */
const TYPICAL_SIMILARITY = Math.exp(-1);

/**
 * Mean squared gap between two standardised context rows over the features both have,
 * (1/|P|) Σ_{j∈P} (a_j − b_j)²; NaN when they share none.
 */
function meanSquaredGap(a: Float64Array, ao: number, b: Float64Array, bo: number, p: number): number {
  let sum = 0;
  let shared = 0;
  for (let j = 0; j < p; j++) {
    const d = a[ao + j]! - b[bo + j]!;
    if (finite(d)) {
      sum += d * d;
      shared++;
    }
  }
  return shared > 0 ? sum / shared : Number.NaN;
}

/**
 * Great-circle distance in km by the haversine formula (Sinnott 1984), with the cosine of the
 * request's latitude computed once: d = 2R · asin √( sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) ),
 * R = 6371.0088 km, as analytics/graph/mixing.ts.
 */
function greatCircleKm(phi1: number, cosPhi1: number, lambda1: number, latDeg: number, lonDeg: number): number {
  const phi2 = latDeg * (Math.PI / 180);
  const sdp = Math.sin((phi2 - phi1) / 2);
  const sdl = Math.sin((lonDeg * (Math.PI / 180) - lambda1) / 2);
  const h = sdp * sdp + cosPhi1 * Math.cos(phi2) * sdl * sdl;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

const strengthX = (s: number): number => logistic(s);
const similarityX = (gap: number): number => (finite(gap) ? Math.exp(-gap / 2) : TYPICAL_SIMILARITY);
/** Overlapping catchments: d / (2c) for the same phase within 2c; 0.5 when the location is unknown. */
function nonCompetitionX(samePhase: boolean, km: number, catchmentKm: number): number {
  if (!samePhase) return 1;
  const reach = 2 * catchmentKm;
  if (!(reach > 0)) return 1;
  if (!finite(km)) return 0.5;
  return km >= reach ? 1 : km / reach;
}
const travelX = (km: number, halfKm: number): number => (finite(km) ? 1 / (1 + km / halfKm) : 0.5);
const capacityX = (left: number, needed: number): number => (needed > 0 ? Math.min(1, left / (2 * needed)) : 1);
const reciprocityX = (o: number): number => (finite(o) ? logistic(o) : 0.5);
const tiesX = (t: number): number => (t > 0 ? (t < 1 ? t : 1) : 0);
/** One minus the similarity to the nearest partner; see the module note for the special cases. */
function diversityX(flaggedPartner: boolean, partners: number, nearestGap: number): number {
  if (flaggedPartner) return 0;
  if (partners === 0) return 1;
  return finite(nearestGap) ? 1 - Math.exp(-nearestGap / 2) : 1 - TYPICAL_SIMILARITY;
}

/** Everything about a request that does not change from row to row, checked once. */
type Prepared = {
  request: SupportRequest;
  table: CandidateTable;
  w: Float64Array;
  weights: ScoreWeights;
  phi: number;
  cosPhi: number;
  lambda: number;
  halfKm: number;
};

function prepare(request: SupportRequest, table: CandidateTable, weights: ScoreWeights, halfKm: number): Prepared {
  const { n, p } = table;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`table.n must be a whole number ≥ 0, got ${n}`);
  if (!Number.isInteger(p) || p < 0) throw new RangeError(`table.p must be a whole number ≥ 0, got ${p}`);
  const columns: [string, { length: number }][] = [
    ['id', table.id],
    ['schoolId', table.schoolId],
    ['phase', table.phase],
    ['open', table.open],
    ['latitude', table.latitude],
    ['longitude', table.longitude],
    ['strength', table.strength],
    ['capacityLeft', table.capacityLeft],
    ['tieStrength', table.tieStrength],
    ['request.offersBack', request.offersBack],
  ];
  if (table.partnersOfRequester) columns.push(['partnersOfRequester', table.partnersOfRequester]);
  for (const [name, column] of columns) if (column.length < n) throw new RangeError(`${name} has ${column.length} entries for ${n} rows`);
  if (table.context.length < n * p) throw new RangeError(`context has ${table.context.length} entries for ${n} × ${p}`);
  if (request.context.length < p) throw new RangeError(`request.context has ${request.context.length} entries for p = ${p}`);
  if (!Number.isInteger(request.partners) || request.partners < 0) throw new RangeError(`request.partners must be a whole number ≥ 0`);
  if (request.partnerContexts.length < request.partners * p) throw new RangeError(`partnerContexts has ${request.partnerContexts.length} entries for ${request.partners} × ${p}`);
  if (!(halfKm > 0)) throw new RangeError(`travelHalfKm must be > 0, got ${halfKm}`);
  const w = new Float64Array(factorOrder.length);
  factorOrder.forEach((f, k) => {
    const v = weights[f];
    if (!finite(v) || v < 0) throw new RangeError(`weight of ${f} must be finite and ≥ 0, got ${v}`);
    w[k] = v;
  });
  const phi = request.latitude * (Math.PI / 180);
  return { request, table, w, weights, phi, cosPhi: Math.cos(phi), lambda: request.longitude * (Math.PI / 180), halfKm };
}

/** The first hard constraint row i breaks, or null. */
function exclusionOf(pr: Prepared, i: number): ExclusionReason | null {
  const { table, request } = pr;
  const school = table.schoolId[i]!;
  if (school === request.schoolId) return 'self';
  if (table.open[i] === 0) return 'closed';
  const left = table.capacityLeft[i]!;
  if (!(left > 0) || left < request.daysNeeded) return 'over capacity';
  if (request.conflicts.size > 0 && request.conflicts.has(school)) return 'conflict of interest';
  if (!finite(table.strength[i]!)) return 'no strength data';
  return null;
}

/** Smallest mean squared context gap between row i and the requester's partners (NaN if none comparable). */
function nearestPartnerGap(pr: Prepared, i: number): number {
  const { table, request } = pr;
  const p = table.p;
  let best = Number.NaN;
  for (let k = 0; k < request.partners; k++) {
    const g = meanSquaredGap(table.context, i * p, request.partnerContexts, k * p, p);
    if (g < best || (finite(g) && !finite(best))) best = g;
  }
  return best;
}

/** Normalised values and raw inputs of row i into x and raw (length 8, factor order); returns the distance in km (NaN unknown). */
function evaluateRow(pr: Prepared, i: number, x: Float64Array, raw: Float64Array): number {
  const { table, request } = pr;
  const p = table.p;
  const lat = table.latitude[i]!;
  const lon = table.longitude[i]!;
  const km = greatCircleKm(pr.phi, pr.cosPhi, pr.lambda, lat, lon);
  const phase = table.phase[i] ?? null;
  const samePhase = phase !== null && phase === request.phase;
  const gap = meanSquaredGap(request.context, 0, table.context, i * p, p);
  const flagged = table.partnersOfRequester?.[i] === 1;
  const nearest = flagged || request.partners === 0 ? Number.NaN : nearestPartnerGap(pr, i);
  const s = table.strength[i]!;
  const left = table.capacityLeft[i]!;
  const o = request.offersBack[i]!;
  const t = table.tieStrength[i]!;
  x[0] = strengthX(s);
  raw[0] = s;
  x[1] = similarityX(gap);
  raw[1] = Math.sqrt(gap);
  x[2] = nonCompetitionX(samePhase, km, request.catchmentKm);
  raw[2] = samePhase ? km : Number.NaN;
  x[3] = travelX(km, pr.halfKm);
  raw[3] = km;
  x[4] = capacityX(left, request.daysNeeded);
  raw[4] = left;
  x[5] = reciprocityX(o);
  raw[5] = o;
  x[6] = tiesX(t);
  raw[6] = t;
  x[7] = diversityX(flagged, request.partners, nearest);
  raw[7] = flagged ? 0 : Math.sqrt(nearest);
  return km;
}

/** The explanation of an eligible row; its score is the left-to-right sum of the contributions. */
function explainRow(pr: Prepared, i: number, x: Float64Array, raw: Float64Array): RankedCandidate {
  const km = evaluateRow(pr, i, x, raw);
  const factors: FactorContribution[] = [];
  let score = 0;
  for (let k = 0; k < factorOrder.length; k++) {
    const weight = pr.w[k]!;
    const contribution = weight * x[k]!;
    score += contribution;
    const r = raw[k]!;
    factors.push({ factor: factorOrder[k]!, raw: finite(r) ? r : null, normalised: x[k]!, weight, contribution });
  }
  return { row: i, id: pr.table.id[i]!, schoolId: pr.table.schoolId[i]!, score, distanceKm: finite(km) ? km : null, factors };
}

const emptyCounts = (): Record<ExclusionReason, number> => ({ self: 0, closed: 0, 'over capacity': 0, 'conflict of interest': 0, 'no strength data': 0 });

/**
 * Rank the candidate supporters for one request: hard constraints first (each excluded row
 * counted by its first reason), then the weighted sum of the eight factors described in the
 * module note, best first (ties → lower id, then lower row). Every returned candidate carries
 * each factor's raw value, normalised value, weight and contribution, and the contributions sum
 * to the score exactly, so a broker can show the requester why each school is where it is.
 * Throws RangeError on columns shorter than n (or n × p), on negative or non-finite weights, on
 * a negative or NaN limit, and on a non-positive travelHalfKm.
 */
export function rankCandidates(request: SupportRequest, table: CandidateTable, options: RankOptions = {}): RankResult {
  const weights = options.weights ?? defaultWeights;
  const pr = prepare(request, table, weights, options.travelHalfKm ?? DEFAULT_TRAVEL_HALF_KM);
  const { n, p } = table;
  const limitOption = options.limit ?? DEFAULT_RANK_LIMIT;
  if (!(limitOption >= 0)) throw new RangeError(`limit must be ≥ 0, got ${limitOption}`);
  const k = Math.min(n, Math.floor(limitOption));
  const sampleCap = Math.max(0, options.excludedSample ?? DEFAULT_EXCLUDED_SAMPLE);
  const reasonCounts = new Int32Array(exclusionReasons.length);
  const excluded: Exclusion[] = [];
  const ids = table.id;
  const w = pr.w;
  const [w0, w1, w2, w3, w4, w5, w6, w7] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!, w[6]!, w[7]!];

  // Bounded heap of the best k rows with the worst on top (a max-heap on "badness").
  const heapRow = new Int32Array(k);
  const heapScore = new Float64Array(k);
  let size = 0;
  /** Row a (score sa) ranks below row b (score sb). */
  const below = (sa: number, a: number, sb: number, b: number): boolean => {
    if (sa !== sb) return sa < sb;
    const ia = ids[a]!;
    const ib = ids[b]!;
    return ia !== ib ? ia > ib : a > b;
  };
  const siftDown = (from: number): void => {
    let at = from;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= size) return;
      let worst = l;
      const r = l + 1;
      if (r < size && below(heapScore[r]!, heapRow[r]!, heapScore[l]!, heapRow[l]!)) worst = r;
      if (!below(heapScore[worst]!, heapRow[worst]!, heapScore[at]!, heapRow[at]!)) return;
      const tr = heapRow[at]!;
      const ts = heapScore[at]!;
      heapRow[at] = heapRow[worst]!;
      heapScore[at] = heapScore[worst]!;
      heapRow[worst] = tr;
      heapScore[worst] = ts;
      at = worst;
    }
  };
  const push = (row: number, score: number): void => {
    let at = size++;
    heapRow[at] = row;
    heapScore[at] = score;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!below(heapScore[at]!, heapRow[at]!, heapScore[up]!, heapRow[up]!)) return;
      const tr = heapRow[at]!;
      const ts = heapScore[at]!;
      heapRow[at] = heapRow[up]!;
      heapScore[at] = heapScore[up]!;
      heapRow[up] = tr;
      heapScore[up] = ts;
      at = up;
    }
  };
  // Columns and request fields in locals: the loop below runs once per school in the country.
  const { schoolId, open, capacityLeft, strength, tieStrength, latitude, longitude, phase, context } = table;
  const { offersBack, conflicts, daysNeeded, catchmentKm, partners } = request;
  const requester = request.schoolId;
  const requestPhase = request.phase;
  const requestContext = request.context;
  const checkConflicts = conflicts.size > 0;
  const { phi, cosPhi, lambda, halfKm } = pr;
  const lonKnown = finite(request.longitude);
  const flags = table.partnersOfRequester;
  let eligible = 0;
  for (let i = 0; i < n; i++) {
    // The hard constraints, in the order of exclusionOf (which explainCandidate uses).
    const school = schoolId[i]!;
    const left = capacityLeft[i]!;
    const s = strength[i]!;
    // Reason codes index exclusionReasons; counting in a typed array keeps string keys out of the loop.
    let reason = -1;
    if (school === requester) reason = 0;
    else if (open[i] === 0) reason = 1;
    else if (!(left > 0) || left < daysNeeded) reason = 2;
    else if (checkConflicts && conflicts.has(school)) reason = 3;
    else if (!finite(s)) reason = 4;
    if (reason >= 0) {
      reasonCounts[reason]!++;
      if (excluded.length < sampleCap) excluded.push({ row: i, id: ids[i]!, reason: exclusionReasons[reason]! });
      continue;
    }
    eligible++;
    if (k === 0) continue;
    // Cheap factors first; the bound replaces each factor not yet computed by its weight (x ≤ 1).
    const c0 = w0 * strengthX(s);
    const c4 = w4 * capacityX(left, daysNeeded);
    const c5 = w5 * reciprocityX(offersBack[i]!);
    const c6 = w6 * tiesX(tieStrength[i]!);
    let b3 = w3;
    if (size === k) {
      // Travel can be bounded without trigonometry: a great circle is never shorter than the
      // difference in latitude, R·|Δφ| (shrunk by 1e-9 to absorb rounding in the haversine).
      const lat = latitude[i]!;
      const lon = longitude[i]!;
      b3 = lonKnown && finite(lon) ? w3 * travelX(earthRadiusKm * Math.abs(lat * (Math.PI / 180) - phi) * (1 - 1e-9), halfKm) : w3;
      if (!below(heapScore[0]!, heapRow[0]!, 0 + c0 + w1 + w2 + b3 + c4 + c5 + c6 + w7, i)) continue;
    }
    const c1 = w1 * similarityX(meanSquaredGap(requestContext, 0, context, i * p, p));
    if (size === k && !below(heapScore[0]!, heapRow[0]!, 0 + c0 + c1 + w2 + b3 + c4 + c5 + c6 + w7, i)) continue;
    const km = greatCircleKm(phi, cosPhi, lambda, latitude[i]!, longitude[i]!);
    const rowPhase = phase[i] ?? null;
    const c2 = w2 * nonCompetitionX(rowPhase !== null && rowPhase === requestPhase, km, catchmentKm);
    const c3 = w3 * travelX(km, halfKm);
    if (size === k && !below(heapScore[0]!, heapRow[0]!, 0 + c0 + c1 + c2 + c3 + c4 + c5 + c6 + w7, i)) continue;
    const flagged = flags !== undefined && flags[i] === 1;
    const nearest = flagged || partners === 0 ? Number.NaN : nearestPartnerGap(pr, i);
    const score = 0 + c0 + c1 + c2 + c3 + c4 + c5 + c6 + w7 * diversityX(flagged, partners, nearest);
    if (size < k) push(i, score);
    else if (below(heapScore[0]!, heapRow[0]!, score, i)) {
      heapRow[0] = i;
      heapScore[0] = score;
      siftDown(0);
    }
  }

  const order = Array.from(heapRow.subarray(0, size));
  const scoreOf = new Map<number, number>();
  for (let j = 0; j < size; j++) scoreOf.set(heapRow[j]!, heapScore[j]!);
  order.sort((a, b) => (below(scoreOf.get(a)!, a, scoreOf.get(b)!, b) ? 1 : -1));
  const x = new Float64Array(factorOrder.length);
  const raw = new Float64Array(factorOrder.length);
  const ranked = order.map((row) => explainRow(pr, row, x, raw));
  const excludedCounts = emptyCounts();
  exclusionReasons.forEach((reason, code) => {
    excludedCounts[reason] = reasonCounts[code]!;
  });
  return { ranked, excludedCounts, excluded, eligible, weights: { ...weights } };
}

/** The outcome of {@link explainCandidate}: the row's explanation, or why it is excluded. */
export type CandidateExplanation = { kind: 'ranked'; candidate: RankedCandidate } | { kind: 'excluded'; exclusion: Exclusion };

/**
 * One row's score and explanation, or its exclusion, exactly as {@link rankCandidates} would
 * compute it — for a broker asked "why is this school not on the list?".
 */
export function explainCandidate(request: SupportRequest, table: CandidateTable, row: number, options: Omit<RankOptions, 'limit' | 'excludedSample'> = {}): CandidateExplanation {
  const pr = prepare(request, table, options.weights ?? defaultWeights, options.travelHalfKm ?? DEFAULT_TRAVEL_HALF_KM);
  if (!Number.isInteger(row) || row < 0 || row >= table.n) throw new RangeError(`row ${row} is outside 0..${table.n - 1}`);
  const reason = exclusionOf(pr, row);
  if (reason !== null) return { kind: 'excluded', exclusion: { row, id: table.id[row]!, reason } };
  return { kind: 'ranked', candidate: explainRow(pr, row, new Float64Array(factorOrder.length), new Float64Array(factorOrder.length)) };
}
