import { type DeclaredTypology, type FederationTypeCode, phaseBands as band } from '../../../common/typology.ts';

/**
 * What the member data can decide about a network's classification (DOMAIN.md §2). Pure: takes
 * the members on a date, returns each computed dimension with the rule that produced it, so the
 * web app can show "computed (basis)" beside what users declared. Rules are documented in
 * docs/registry.md; thresholds are ours, chosen to be explainable, not taken from the sources.
 */

export type TypologyMember = {
  phase: string | null;
  schoolType: string | null;
  religiousCharacter: string | null;
  pupilRoll: number | null;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
  laName: string | null;
  region: string | null;
  inspectionGrade: string | null;
};

export type Computed = { value: unknown; basis: string };


/** Great-circle distance in km (haversine, mean Earth radius 6371 km). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Thresholds for geographical spread, in km between the two furthest members. */
export const spreadThresholdsKm = { proximity: 5, medium: 30 } as const;

type Point = { kind: 'geo'; lat: number; lon: number } | { kind: 'grid'; e: number; n: number };

function maxSpreadKm(members: TypologyMember[]): { km: number; located: number } {
  const points = members.flatMap((m): Point[] => {
    if (m.latitude !== null && m.longitude !== null) return [{ kind: 'geo' as const, lat: m.latitude, lon: m.longitude }];
    if (m.easting !== null && m.northing !== null) return [{ kind: 'grid' as const, e: m.easting, n: m.northing }];
    return [];
  });
  let km = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      let d: number;
      if (a.kind === 'geo' && b.kind === 'geo') d = distanceKm(a, b);
      else if (a.kind === 'grid' && b.kind === 'grid') d = Math.hypot(a.e - b.e, a.n - b.n) / 1000;
      else continue; // mixed systems: skip the pair rather than convert approximately
      km = Math.max(km, d);
    }
  }
  return { km, located: points.length };
}

const mainstreamPhases = new Set(['nursery', 'infant', 'junior', 'primary', 'first', 'middle', 'high', 'secondary', 'all_through', 'post_16']);
const isSpecial = (m: TypologyMember) => m.phase === 'special' || m.schoolType === 'special';
const isAcademy = (m: TypologyMember) => m.schoolType === 'academy';
const goodOrBetter = new Set(['outstanding', 'good']);
const belowGood = new Set(['requires_improvement', 'inadequate']);
/** Roll at or under which a school counts as small (one class per year group in a primary). */
export const smallSchoolRoll = 210;

export function computeTypology(kind: string, members: TypologyMember[]): Record<string, Computed> {
  const n = members.length;
  const out: Record<string, Computed> = {
    schoolCount: { value: n, basis: 'members on the date' },
    possibleConnections: { value: (n * (n - 1)) / 2, basis: 'n(n−1)/2 school-to-school pairs (Muijs et al. ch. 5, density of schools)' },
  };
  if (n >= 2) {
    out.orientation = { value: 'horizontal', basis: 'the network links separate schools' };
  }

  const bands = new Set(members.flatMap((m) => (m.phase && band[m.phase] ? [band[m.phase]!] : [])));
  const phased = members.filter((m) => m.phase && band[m.phase]).length;
  if (phased >= 2) {
    out.phaseSpan = {
      value: bands.size > 1 ? 'cross_phase' : 'single_phase',
      basis: `${phased} members with a mainstream phase, in ${bands.size} phase band(s): ${[...bands].join(', ')}`,
    };
  }

  const spread = maxSpreadKm(members);
  if (spread.located >= 2) {
    const km = Math.round(spread.km * 10) / 10;
    const value = km <= spreadThresholdsKm.proximity ? 'proximity' : km <= spreadThresholdsKm.medium ? 'medium_distance' : 'high_distance';
    out.geographicalSpread = {
      value,
      basis: `${km} km between the two furthest of ${spread.located} located members (≤ ${spreadThresholdsKm.proximity} km proximity, ≤ ${spreadThresholdsKm.medium} km medium)`,
    };
  } else if (n >= 2) {
    const las = new Set(members.map((m) => m.laName).filter(Boolean));
    const regions = new Set(members.map((m) => m.region).filter(Boolean));
    if (las.size >= 1) {
      out.geographicalSpread = {
        value: las.size === 1 ? 'proximity' : regions.size > 1 ? 'high_distance' : 'medium_distance',
        basis: `members lack coordinates; judged from local authorities (${las.size}) and regions (${regions.size})`,
      };
    }
  }

  if (['federation', 'multi_academy_trust'].includes(kind) && n >= 2) {
    out.federationTypes = { ...federationTypes(kind, members, out.phaseSpan?.value === 'cross_phase') };
  }
  if (['multi_academy_trust', 'single_academy_trust'].includes(kind)) {
    out.formalisation = { value: 'formalised', basis: 'an academy trust is a company with a single board' };
  }
  return out;
}

/** Facts about a network beyond its members' rows: other memberships, and its collaboration graph. */
export type NetworkFacts = {
  /** Members that also belong to at least one other network on the date. */
  inOtherNetworks: number;
  /** The collaboration graph's aggregates (network analysis), when the caller may read them. */
  graph: {
    ties: number;
    density: number | null;
    degreeCentralisation: number | null;
    topGiverShare: number | null;
    coreSize: number | null;
    coreFit: number | null;
  } | null;
};

/** A network is diffuse when at least this share of its members also belong to other networks. */
export const diffuseShare = 0.5;
/** Degree centralisation (Freeman, 0–1) from which one member dominates, and below which power is equal. */
export const centralisationBands = { equal: 0.3, domination: 0.6 } as const;
/** Share of all support given that, from one member alone, makes the relation one of domination. */
export const dominantGiverShare = 0.6;
/** Networks larger than this have a centre and a periphery worth describing (Muijs et al. ch. 5). */
export const corePeripherySize = 15;

/**
 * Dimensions decided by the data beyond the member rows: diffuse or exclusive (overlapping
 * memberships) and, from the collaboration graph, power relations (degree centralisation and
 * the largest single giver's share of support), tie density and the centre–periphery structure
 * of large networks. Thresholds are ours and documented in docs/registry.md and docs/network.md.
 */
export function computeFromFacts(members: number, facts: NetworkFacts): Record<string, Computed> {
  const out: Record<string, Computed> = {};
  if (members >= 2) {
    const share = facts.inOtherNetworks / members;
    out.diffuseness = {
      value: share >= diffuseShare ? 'diffuse' : 'exclusive',
      basis: `${facts.inOtherNetworks} of ${members} members also belong to another network on the date (diffuse from ${diffuseShare * 100}%)`,
    };
  }
  const g = facts.graph;
  if (g && members >= 2 && g.ties > 0) {
    out.tieDensity = {
      value: g.density,
      basis: `${g.ties} living ties (contact in the last 12 months) of ${(members * (members - 1)) / 2} possible pairs`,
    };
    const c = g.degreeCentralisation ?? 0;
    const giver = g.topGiverShare ?? 0;
    const value = c >= centralisationBands.domination || giver >= dominantGiverShare ? 'domination' : c < centralisationBands.equal && giver < 0.5 ? 'equal' : 'intermediate';
    out.powerRelations = {
      value,
      basis: `degree centralisation ${c.toFixed(2)} (equal below ${centralisationBands.equal}, domination from ${centralisationBands.domination}); the largest giver gave ${Math.round(giver * 100)}% of the support recorded (domination from ${dominantGiverShare * 100}%)`,
    };
    if (members > corePeripherySize && g.coreSize !== null && g.coreFit !== null) {
      out.centrePeriphery = {
        value: `core of ${g.coreSize}, periphery of ${members - g.coreSize}`,
        basis: `Borgatti–Everett core–periphery partition of the collaboration graph; fit ${g.coreFit.toFixed(2)} (correlation with the ideal pattern, 1 = a perfect core and periphery)`,
      };
    }
  }
  return out;
}

/**
 * Federation types (Muijs et al. ch. 7), decided by explicit rules. Types overlap, so a
 * federation can have several; "unclassified" when none applies.
 */
export function federationTypes(kind: string, members: TypologyMember[], crossPhase: boolean): Computed {
  const types: FederationTypeCode[] = [];
  const reasons: string[] = [];
  if (crossPhase) {
    types.push('cross_phase');
    reasons.push('cross-phase: member phases fall in different bands');
  }
  const grades = members.map((m) => m.inspectionGrade).filter((g): g is string => g !== null);
  if (grades.some((g) => goodOrBetter.has(g)) && grades.some((g) => belowGood.has(g))) {
    types.push('performance');
    reasons.push('performance: a good-or-better member with a member graded below good (latest inspections)');
  }
  const rolls = members.map((m) => m.pupilRoll);
  if (rolls.every((r) => r !== null) && rolls.every((r) => r! <= smallSchoolRoll * 1.5) && rolls.some((r) => r! <= smallSchoolRoll)) {
    types.push('size');
    reasons.push(`size: every roll known, at least one school of ≤ ${smallSchoolRoll} pupils and none over ${smallSchoolRoll * 1.5}`);
  }
  if (members.some(isSpecial) && members.some((m) => !isSpecial(m) && m.phase !== null && mainstreamPhases.has(m.phase))) {
    types.push('mainstreaming');
    reasons.push('mainstreaming: a special school with a mainstream one');
  }
  const faiths = members.map((m) => m.religiousCharacter);
  if (faiths.every((f) => f !== null) && new Set(faiths).size === 1) {
    types.push('faith');
    reasons.push(`faith: every member is ${faiths[0]}`);
  }
  if (kind === 'multi_academy_trust' && members.every(isAcademy)) {
    types.push('academy');
    reasons.push('academy: academies run by one trust');
  }
  if (types.length === 0) {
    types.push('unclassified');
    reasons.push('no rule applies to the member data');
  }
  return { value: types, basis: reasons.join('; ') };
}

/** Lists dimensions where a declared value and a computed value differ. */
export function disagreements(declared: DeclaredTypology, computed: Record<string, Computed>) {
  const pairs: [string, unknown][] = [
    ['phaseSpan', declared.muijs?.phaseSpan],
    ['geographicalSpread', declared.muijs?.geographicalSpread],
    ['orientation', declared.muijs?.orientation],
    ['diffuseness', declared.muijs?.diffuseness],
    ['powerRelations', declared.muijs?.powerRelations],
    ['formalisation', declared.muijs?.formalisation],
    ['federationTypes', declared.federationTypes],
  ];
  return pairs.flatMap(([dimension, value]) => {
    const c = computed[dimension];
    if (value === undefined || !c) return [];
    const same = Array.isArray(value) && Array.isArray(c.value) ? [...value].sort().join() === [...(c.value as string[])].sort().join() : value === c.value;
    return same ? [] : [{ dimension, declared: value, computed: c.value, basis: c.basis }];
  });
}
