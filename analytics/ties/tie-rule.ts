/**
 * When is a tie between two schools strong? Granovetter (1973) defines a tie's strength by the
 * time spent together, its emotional intensity, its intimacy and the reciprocal services it
 * carries; the collaboration literature adds breadth (Muijs et al. 2011, ch. 3.3: the strength
 * and reciprocity of links; ch. 5: density as staff involvement at many levels) and warns that
 * one-way "expert to novice" links do not last (Atkinson et al. 2007). We can observe none of
 * intensity or intimacy directly, so the rule uses the four things the activity log records:
 *
 *   strong  ⇔ in the 12 months up to the date (the window):
 *             contacts ≥ 6        (about twice a term: frequent enough to keep a relationship warm)
 *           ∧ activity types ≥ 2  (multiplex: the schools do more than one kind of thing together)
 *           ∧ people levels ≥ 2   (not heads alone: staff at more than one level know each other)
 *           ∧ two-way             (each school gave to the other at least once; a mutual activity counts both ways)
 *   dormant ⇔ no contact in the window (the tie existed but is not active)
 *   weak    ⇔ otherwise
 *
 *   long-standing ⇔ the first and last contact are at least 5 years apart.
 *
 * Weak ties are not a failure: they carry new information between groups that strong ties keep
 * apart (Granovetter; Muijs et al. ch. 3.2 after Lin and Mutz). The rule separates the two so a
 * network can see its mix. The thresholds are ours (the sources give none) and live here only.
 */
export type TieRule = {
  windowDays: number;
  strongContacts: number;
  strongTypes: number;
  strongLevels: number;
  longStandingYears: number;
};

export const tieRule: TieRule = { windowDays: 365, strongContacts: 6, strongTypes: 2, strongLevels: 2, longStandingYears: 5 };

/** What the rule looks at for one tie, in the window. */
export type WindowMeasures = {
  contacts: number;
  hours: number;
  types: number;
  /** Bitmask of the people levels involved. */
  levels: number;
  /** Contacts in which the first school gave to the second, and the reverse. */
  aToB: number;
  bToA: number;
};

export const TieClassCode = { strong: 0, weak: 1, dormant: 2 } as const;
export type TieClassName = keyof typeof TieClassCode;
export const tieClassNames: readonly TieClassName[] = ['strong', 'weak', 'dormant'];

/** Number of bits set (levels in a mask). */
export function popcount(mask: number): number {
  let m = mask >>> 0;
  let n = 0;
  while (m) {
    m &= m - 1;
    n++;
  }
  return n;
}

/** The class of a tie from its window measures. */
export function classifyTie(w: WindowMeasures, rule: TieRule = tieRule): TieClassName {
  if (w.contacts === 0) return 'dormant';
  const strong = w.contacts >= rule.strongContacts && w.types >= rule.strongTypes && popcount(w.levels) >= rule.strongLevels && w.aToB > 0 && w.bToA > 0;
  return strong ? 'strong' : 'weak';
}

/**
 * Reciprocity of one tie: 1 − |a→b − b→a| / (a→b + b→a). 1 when both schools give as much as
 * they receive, 0 when all help flows one way; null when no contact had a direction between the
 * two (they only ever worked side by side). Muijs et al. (ch. 3.3) treat reciprocity as a
 * property of the link; this is its per-pair form.
 */
export function reciprocity(aToB: number, bToA: number): number | null {
  const total = aToB + bToA;
  return total === 0 ? null : 1 - Math.abs(aToB - bToA) / total;
}

/**
 * Giving–receiving balance from one school's side: (gave − received) / (gave + received), from
 * −1 (only receives) through 0 (even) to +1 (only gives); null with no directed contact.
 */
export function balance(gave: number, received: number): number | null {
  const total = gave + received;
  return total === 0 ? null : (gave - received) / total;
}

/**
 * A 0–1 strength score for ordering ties (the class above is the rule; this only ranks). The
 * mean of five window components, each capped at 1: contacts / 12 (monthly), hours / 30 (about
 * a working week a year), types / 3, levels / 4, and reciprocity (0 when one-way or undirected).
 * An implementer's composite: the sources measure strength but give no formula.
 */
export function strengthScore(w: WindowMeasures): number {
  if (w.contacts === 0) return 0;
  const cap = (x: number) => (x > 1 ? 1 : x);
  const score = (cap(w.contacts / 12) + cap(w.hours / 30) + cap(w.types / 3) + cap(popcount(w.levels) / 4) + (reciprocity(w.aToB, w.bToA) ?? 0)) / 5;
  return Math.round(score * 1000) / 1000;
}
