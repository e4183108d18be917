import type { ReciprocityFlag } from '../../../common/practice.ts';

/**
 * Reciprocity of peer review in a network (DOMAIN.md §9: everyone reviews and is reviewed).
 * Pure: the service passes the member schools and the reviews held in the window.
 */

export type HeldReview = { id: number; hostSchoolId: number; reviewerSchoolIds: readonly number[] };
export type ReciprocitySchool = {
  schoolId: number;
  name: string;
  /** Reviews this school hosted. */
  hosted: number;
  /** Reviewer places this school gave (one per review it sent a reviewer to). */
  gave: number;
  /** Distinct schools that reviewed it, and that it reviewed. */
  reviewedBy: number;
  reviewed: number;
  /** gave − hosted: positive gives more than it receives. */
  balance: number;
  flags: ReciprocityFlag[];
};
export type ReciprocityEdge = { fromSchoolId: number; toSchoolId: number; reviews: number; reciprocated: boolean };
export type Reciprocity = {
  schools: ReciprocitySchool[];
  /** Directed: from the reviewer's school to the host, for drawing who reviewed whom. */
  edges: ReciprocityEdge[];
  reviews: number;
  /**
   * Share of directed reviewer→host links whose reverse link also exists: r = L↔ / L, where L is
   * the number of distinct directed links and L↔ those reciprocated (Wasserman and Faust 1994,
   * §13.2, the dyadic reciprocity of a digraph). Null with no links.
   */
  reciprocity: number | null;
};

/**
 * Counts per school, flags and the who-reviewed-whom edges. Flags: `reviewed_never_reviews`
 * (hosted ≥ 1, gave 0), `reviews_never_reviewed` (gave ≥ 1, hosted 0), `not_involved` (neither).
 */
export function computeReciprocity(members: readonly { schoolId: number; name: string }[], reviews: readonly HeldReview[]): Reciprocity {
  const byId = new Map<number, { hosted: number; gave: number; by: Set<number>; of: Set<number> }>();
  const entry = (id: number) => {
    let e = byId.get(id);
    if (!e) {
      e = { hosted: 0, gave: 0, by: new Set(), of: new Set() };
      byId.set(id, e);
    }
    return e;
  };
  const edgeCount = new Map<string, number>();
  for (const r of reviews) {
    entry(r.hostSchoolId).hosted++;
    for (const s of new Set(r.reviewerSchoolIds)) {
      if (s === r.hostSchoolId) continue;
      const e = entry(s);
      e.gave++;
      e.of.add(r.hostSchoolId);
      entry(r.hostSchoolId).by.add(s);
      const k = `${s}>${r.hostSchoolId}`;
      edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
    }
  }
  const schools = members.map((m): ReciprocitySchool => {
    const e = byId.get(m.schoolId) ?? { hosted: 0, gave: 0, by: new Set<number>(), of: new Set<number>() };
    const flags: ReciprocityFlag[] = [];
    if (e.hosted > 0 && e.gave === 0) flags.push('reviewed_never_reviews');
    if (e.gave > 0 && e.hosted === 0) flags.push('reviews_never_reviewed');
    if (e.hosted === 0 && e.gave === 0) flags.push('not_involved');
    return { schoolId: m.schoolId, name: m.name, hosted: e.hosted, gave: e.gave, reviewedBy: e.by.size, reviewed: e.of.size, balance: e.gave - e.hosted, flags };
  });
  const edges = [...edgeCount.entries()]
    .map(([k, reviews]) => {
      const [from, to] = k.split('>').map(Number) as [number, number];
      return { fromSchoolId: from, toSchoolId: to, reviews, reciprocated: edgeCount.has(`${to}>${from}`) };
    })
    .sort((a, b) => a.fromSchoolId - b.fromSchoolId || a.toSchoolId - b.toSchoolId);
  const reciprocated = edges.filter((e) => e.reciprocated).length;
  return { schools, edges, reviews: reviews.length, reciprocity: edges.length === 0 ? null : reciprocated / edges.length };
}
