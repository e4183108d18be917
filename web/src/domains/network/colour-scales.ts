import type { SchoolNode } from '../../api/network.ts';

/**
 * Colours for the network maps: communities and phases as categories, a metric on a
 * continuous scale. Pure functions over the schools' arrays, one colour per school in the
 * order of `schools`, so a map recolours without touching React state per school.
 */

/** No value (a metric undefined for the school, or a community too small to name). */
export const NO_VALUE_COLOUR = '#b8c0ca';

/**
 * Twelve categories that stay apart for most colour-blind readers: Okabe & Ito's eight
 * (Okabe, M. & Ito, K. (2008), "Color Universal Design") without black and yellow (too dark and
 * too light on the map's ground), then four darker companions from Paul Tol's "muted" scheme.
 */
export const CATEGORY_COLOURS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#332288',
  '#117733',
  '#882255',
  '#999933',
  '#44aa99',
  '#aa4499',
] as const;

/** Phase groups; the colours match the registry's map of a network's members. */
export const PHASE_GROUPS = [
  { key: 'early', label: 'Nursery, infant, junior, primary, first', phases: ['nursery', 'infant', 'junior', 'primary', 'first'], colour: '#0b7a75' },
  { key: 'secondary', label: 'Middle, secondary, high, post-16', phases: ['middle', 'secondary', 'high', 'post_16'], colour: '#c2410c' },
  { key: 'through', label: 'All-through', phases: ['all_through'], colour: '#7c3aed' },
  { key: 'special', label: 'Special, alternative provision', phases: ['special', 'alternative_provision'], colour: '#b91c8c' },
  { key: 'other', label: 'Phase not known', phases: [] as string[], colour: '#52606d' },
] as const;

function phaseGroupIndex(phase: string | null): number {
  const code = (phase ?? '').toLowerCase().replace(/[\s-]+/g, '_');
  const found = PHASE_GROUPS.findIndex((g) => (g.phases as readonly string[]).includes(code));
  return found === -1 ? PHASE_GROUPS.length - 1 : found;
}

/**
 * Viridis (van der Walt & Smith, matplotlib 2015): perceptually uniform, readable in grey and by
 * colour-blind readers. Nine stops of the published table, interpolated linearly in sRGB into
 * a 256-entry lookup, so colouring 24,000 schools allocates no strings.
 */
const VIRIDIS_STOPS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

const hexToRgb = (hex: string): [number, number, number] => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];

const VIRIDIS: string[] = Array.from({ length: 256 }, (_, i) => {
  const t = (i / 255) * (VIRIDIS_STOPS.length - 1);
  const k = Math.min(Math.floor(t), VIRIDIS_STOPS.length - 2);
  const f = t - k;
  const a = hexToRgb(VIRIDIS_STOPS[k]!);
  const b = hexToRgb(VIRIDIS_STOPS[k + 1]!);
  const mix = (j: 0 | 1 | 2) => Math.round(a[j] + (b[j] - a[j]) * f);
  return `#${[mix(0), mix(1), mix(2)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
});

/** The colour of t ∈ [0, 1] on the viridis scale (clamped). */
export const viridis = (t: number): string => VIRIDIS[Math.max(0, Math.min(255, Math.round(t * 255)))]!;

/** A CSS gradient of the scale, for the legend. */
export const VIRIDIS_GRADIENT = `linear-gradient(to right, ${VIRIDIS_STOPS.join(', ')})`;

export type ColourBy = { kind: 'community' } | { kind: 'phase' } | { kind: 'metric'; key: string };

export type Legend =
  | { kind: 'categories'; title: string; items: { colour: string; label: string; count: number }[] }
  | {
      kind: 'scale';
      title: string;
      gradient: string;
      /** Values at the 0th, 25th, 50th, 75th and 100th percentiles, where the scale places them. */
      ticks: { at: number; value: number }[];
      missing: number;
    };

export type Colouring = { colours: string[]; legend: Legend };

/**
 * Percentile ranks of the non-null values: rank r of n (ties share the mean rank) → (r − 1)/(n − 1),
 * 0 for a single value; null stays null. Centralities are heavy-tailed (a few hubs, many schools
 * near zero), so a linear scale would paint nearly every school the same colour; ranks spread
 * them over the whole scale, and the legend gives the values at the quartiles.
 */
export function percentileRanks(values: readonly (number | null)[]): (number | null)[] {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== null && Number.isFinite(values[i])) present.push(i);
  present.sort((a, b) => values[a]! - values[b]!);
  const out: (number | null)[] = values.map(() => null);
  const n = present.length;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[present[end + 1]!] === values[present[start]!]) end++;
    const rank = n === 1 ? 0 : (start + end) / 2 / (n - 1);
    for (let k = start; k <= end; k++) out[present[k]!] = rank;
    start = end + 1;
  }
  return out;
}

/** The value at quantile q of the sorted values (linear between order statistics, as R's type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * One colour per school. Communities: the twelve largest get a colour each (index 0 is the
 * largest), smaller ones share grey. Phases: five groups. A metric: viridis by percentile rank.
 */
export function colourSchools(
  schools: readonly SchoolNode[],
  by: ColourBy,
  labels: { communities: { index: number; size: number; label: string }[]; metricLabel: (key: string) => string },
): Colouring {
  switch (by.kind) {
    case 'community': {
      const counts = new Map<number, number>();
      for (const s of schools) counts.set(s.community, (counts.get(s.community) ?? 0) + 1);
      const colours = schools.map((s): string => (s.community >= 0 && s.community < CATEGORY_COLOURS.length ? CATEGORY_COLOURS[s.community]! : NO_VALUE_COLOUR));
      const named = labels.communities.filter((c) => c.index >= 0 && c.index < CATEGORY_COLOURS.length).sort((a, b) => a.index - b.index);
      const items: { colour: string; label: string; count: number }[] = named.map((c) => ({ colour: CATEGORY_COLOURS[c.index]!, label: c.label, count: counts.get(c.index) ?? c.size }));
      const rest = schools.length - items.reduce((sum, i) => sum + i.count, 0);
      if (rest > 0) items.push({ colour: NO_VALUE_COLOUR, label: 'Smaller communities', count: rest });
      return { colours, legend: { kind: 'categories', title: 'Community', items } };
    }
    case 'phase': {
      const groups = schools.map((s) => phaseGroupIndex(s.phase));
      const counts = PHASE_GROUPS.map(() => 0);
      for (const g of groups) counts[g]!++;
      return {
        colours: groups.map((g) => PHASE_GROUPS[g]!.colour),
        legend: {
          kind: 'categories',
          title: 'Phase',
          items: PHASE_GROUPS.map((g, i) => ({ colour: g.colour, label: g.label, count: counts[i]! })).filter((i) => i.count > 0),
        },
      };
    }
    case 'metric': {
      const values = schools.map((s) => s.metrics[by.key] ?? null);
      const ranks = percentileRanks(values);
      const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
      return {
        colours: ranks.map((r) => (r === null ? NO_VALUE_COLOUR : viridis(r))),
        legend: {
          kind: 'scale',
          title: labels.metricLabel(by.key),
          gradient: VIRIDIS_GRADIENT,
          ticks: sorted.length === 0 ? [] : [0, 0.25, 0.5, 0.75, 1].map((q) => ({ at: q, value: quantile(sorted, q) })),
          missing: values.length - sorted.length,
        },
      };
    }
    default: {
      const never: never = by;
      return never;
    }
  }
}

/**
 * One size (pixels, before zoom) per school. By a metric: the area grows with the value
 * (radius ∝ √((v − min)/(max − min))), so a school with twice the value does not look four
 * times as big; no value gets the smallest size. Without a metric, all the same size.
 */
export function sizeSchools(schools: readonly SchoolNode[], metricKey: string | null, range: { min: number; max: number }): Float32Array {
  const sizes = new Float32Array(schools.length).fill(range.min);
  if (!metricKey) return sizes.fill((range.min + range.max) / 2);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of schools) {
    const v = s.metrics[metricKey];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return sizes.fill((range.min + range.max) / 2);
  for (let i = 0; i < schools.length; i++) {
    const v = schools[i]!.metrics[metricKey];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    sizes[i] = range.min + (range.max - range.min) * Math.sqrt((v - lo) / (hi - lo));
  }
  return sizes;
}
