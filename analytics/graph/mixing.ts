import { type Graph, GraphInputError } from './csr.ts';

/*
 * Network-level mixing: how a network's ties are spread across kinds of school, across the map and
 * across tie classes. Every function counts the graph's merged ties as they are
 * (`edgeSource/edgeTarget/edgeWeight`): undirected pairs once; in a directed graph each arc once,
 * so a reciprocated partnership counts twice.
 */

export type CrossMixing = {
  /** Ties with a known category at both ends. */
  ties: number;
  /** Of those, ties whose ends differ. */
  crossTies: number;
  /** crossTies / ties; null when no tie has both ends known. */
  crossShare: number | null;
  /** Total weight of the ties counted. */
  weight: number;
  crossWeight: number;
  /** crossWeight / weight; null when no tie has both ends known. */
  crossWeightShare: number | null;
};

/**
 * Share of ties that cross a categorical attribute: cross = #{ties (i, j) : c_i ≠ c_j} / #ties,
 * and the same share of tie weight, Σ_{c_i ≠ c_j} w_ij / Σ w_ij. Ties with an end whose category
 * is missing (null/undefined) are left out of both counts. With school phase, cross-phase ties are
 * vertical collaboration (primary with secondary, e.g. on transition) and same-phase ties are
 * horizontal (peers improving the same kind of provision); the weighted share says how much of
 * the collaboration, not just how many partnerships, crosses the line.
 */
export function crossMixing(g: Graph, categories: ReadonlyArray<string | null | undefined>): CrossMixing {
  checkLength(g, categories.length);
  let ties = 0;
  let crossTies = 0;
  let weight = 0;
  let crossWeight = 0;
  for (let e = 0; e < g.edges; e++) {
    const a = categories[g.edgeSource[e]!];
    const b = categories[g.edgeTarget[e]!];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    const w = g.edgeWeight[e]!;
    ties++;
    weight += w;
    if (a !== b) {
      crossTies++;
      crossWeight += w;
    }
  }
  return {
    ties,
    crossTies,
    crossShare: ties > 0 ? crossTies / ties : null,
    weight,
    crossWeight,
    crossWeightShare: weight > 0 ? crossWeight / weight : null,
  };
}

/** Mean Earth radius (IUGG R₁, Moritz 2000), km. */
export const earthRadiusKm = 6371.0088;

/**
 * Great-circle distance in km between two points given in degrees, by the haversine formula
 * (Sinnott 1984, Sky & Telescope 68:159):
 *   d = 2R · asin √( sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2) ), R = 6371.0088 km.
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRadians = Math.PI / 180;
  const p1 = lat1 * toRadians;
  const p2 = lat2 * toRadians;
  const dp = p2 - p1;
  const dl = lon2 * toRadians - lon1 * toRadians;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.sqrt(h));
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) of ascending `sorted` values by linear interpolation between
 * closest ranks (Hyndman & Fan 1996, definition 7; numpy's default): with h = (n − 1) p / 100,
 * x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋). NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export type TieGeography = {
  /** Distance (km) of every merged tie, aligned with `edgeSource/edgeTarget`; NaN without coordinates. */
  distances: Float64Array;
  /** Ties with coordinates at both ends. */
  count: number;
  /** Mean, median and 90th percentile of those distances; null when count is 0. */
  mean: number | null;
  median: number | null;
  p90: number | null;
  /** Mean distance weighted by tie strength: how far the average unit of collaboration travels. */
  weightedMean: number | null;
};

/**
 * Geographic spread of a network's ties: the haversine distance of every tie whose two schools
 * both have coordinates (missing = null/undefined/NaN latitude or longitude), summarised by mean,
 * median, 90th percentile (linear interpolation, numpy's default; see `percentile`) and the
 * strength-weighted mean Σ w d / Σ w. A short median says schools work with neighbours; a long
 * tail (p90) says some partnerships reach far beyond the locality, e.g. national trusts.
 */
export function tieGeography(g: Graph, lat: ReadonlyArray<number | null | undefined>, lon: ReadonlyArray<number | null | undefined>): TieGeography {
  checkLength(g, lat.length);
  checkLength(g, lon.length);
  const distances = new Float64Array(g.edges);
  const known: number[] = [];
  let sum = 0;
  let weighted = 0;
  let weight = 0;
  for (let e = 0; e < g.edges; e++) {
    const a = g.edgeSource[e]!;
    const b = g.edgeTarget[e]!;
    const la = lat[a];
    const oa = lon[a];
    const lb = lat[b];
    const ob = lon[b];
    if (!isKnown(la) || !isKnown(oa) || !isKnown(lb) || !isKnown(ob)) {
      distances[e] = Number.NaN;
      continue;
    }
    const d = haversineKm(la, oa, lb, ob);
    distances[e] = d;
    known.push(d);
    sum += d;
    weighted += g.edgeWeight[e]! * d;
    weight += g.edgeWeight[e]!;
  }
  const count = known.length;
  if (count === 0) return { distances, count, mean: null, median: null, p90: null, weightedMean: null };
  const sorted = Float64Array.from(known).sort();
  return { distances, count, mean: sum / count, median: percentile(sorted, 50), p90: percentile(sorted, 90), weightedMean: weighted / weight };
}

export type TieClassShares = {
  /** Ties per class code. */
  counts: Float64Array;
  /** Tie weight per class code. */
  weights: Float64Array;
  /** counts / total; NaN everywhere for a graph without ties. */
  shares: Float64Array;
  /** weights / total weight; NaN everywhere for a graph without ties. */
  weightShares: Float64Array;
};

/**
 * Shares of ties by a per-tie class (e.g. Trellis's tie rule: 0 strong, 1 weak, 2 dormant), by
 * count and by weight. `codes[e]` is the class of merged tie e (aligned with
 * `edgeSource/edgeTarget`), each in 0..classes − 1. A healthy network usually needs both: strong
 * ties for deep joint work, weak ties to bring in ideas from elsewhere (Granovetter 1973).
 */
export function tieClassShares(g: Graph, codes: Uint8Array, classes: number): TieClassShares {
  if (codes.length !== g.edges) throw new GraphInputError(`one class code per tie expected: ${g.edges} ties, ${codes.length} codes`);
  const counts = new Float64Array(classes);
  const weights = new Float64Array(classes);
  let total = 0;
  for (let e = 0; e < g.edges; e++) {
    const k = codes[e]!;
    if (k >= classes) throw new GraphInputError(`tie ${e}: class code ${k} is not in 0..${classes - 1}`);
    counts[k]! += 1;
    weights[k]! += g.edgeWeight[e]!;
    total += g.edgeWeight[e]!;
  }
  const shares = new Float64Array(classes);
  const weightShares = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    shares[k] = g.edges > 0 ? counts[k]! / g.edges : Number.NaN;
    weightShares[k] = total > 0 ? weights[k]! / total : Number.NaN;
  }
  return { counts, weights, shares, weightShares };
}

function isKnown(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && !Number.isNaN(x);
}

function checkLength(g: Graph, length: number): void {
  if (length !== g.nodes) throw new GraphInputError(`one attribute value per node expected: ${g.nodes} nodes, ${length} values`);
}
