import type { Kysely } from 'kysely';
import type { CandidateTable, SupportRequest } from '../../../analytics/brokering/index.ts';
import { type FocusArea, focusGroupOf } from '../../../common/brokering.ts';
import type { DB } from '../../db/database.ts';
import * as repo from './brokering.repository.ts';
import { derivedAreas, type Register } from './strengths.ts';

/**
 * The candidate table the ranking kernel reads (analytics/brokering), built from the register,
 * the derived strengths and the declared offers (docs/brokering.md, "Candidates"):
 * - one row per active expertise offer in the focus area (a named person, or the school);
 * - one row per other school in the register (closed ones too, so the kernel counts them as
 *   excluded), standing for "the school, approached without a declared offer".
 * Strength = the school's derived value in the area (0 when unknown, for an offer row), plus
 * `offerBonus` for a declared offer, minus `priorityPenalty` where the school itself has
 * declared a priority in the area. A school row with no data has no strength (excluded). For a
 * subject or phase area, a school of the other key stage (primary vs secondary) counts only
 * through a declared offer (see `forRequester`).
 *
 * A base table is built once per focus area and reused for every request in it; the columns
 * that depend on the requester (capacity of undeclared schools, ties, partners, reciprocity)
 * are rewritten by `forRequester` before each ranking, synchronously.
 */

/** SDs added for a declared, leader-approved offer: evidence of expertise the data may not show (an offer with typical data reads as a strength). */
export const offerBonus = 0.5;
/** SDs taken off where the school has itself declared a priority in the area: it is asking for help there, not offering it. */
export const priorityPenalty = 0.5;
/** Candidate ids of offer rows: offset so they never collide with school ids (ties in score go to the lower id). */
export const offerIdBase = 1_000_000_000;

/** 1 primary, 2 secondary, 0 either or neither (all-through, special, alternative provision, post-16, unknown). */
export function phaseGroup(phase: string | null): 0 | 1 | 2 {
  switch (phase) {
    case 'nursery':
    case 'infant':
    case 'junior':
    case 'primary':
    case 'first':
      return 1;
    case 'middle':
    case 'high':
    case 'secondary':
      return 2;
    default:
      return 0;
  }
}

/** Catchment radius by phase, km: primary pupils mostly live within a few km; secondary and specialist intakes reach further. */
export function catchmentKm(phase: string | null): number {
  switch (phase) {
    case 'nursery':
    case 'infant':
    case 'junior':
    case 'primary':
    case 'first':
      return 3;
    case 'middle':
    case 'high':
    case 'secondary':
    case 'all_through':
      return 8;
    default:
      return 15;
  }
}

export type CandidateBase = {
  area: FocusArea;
  table: CandidateTable & { partnersOfRequester: Uint8Array };
  /** Register row of each candidate row. */
  registerRow: Int32Array;
  /** The offer of each candidate row (null: the school without an offer). */
  offer: (repo.OfferRow | null)[];
  /** Strength per row before the requester's phase is known (the table's column is rewritten per request). */
  strength: Float64Array;
  /** phaseGroup of each row's school. */
  phaseGroup: Uint8Array;
  /** Subject and phase areas compare like with like (see forRequester); aspects do not depend on the key stage. */
  byKeyStage: boolean;
  /** Capacity left of offer rows (days a term); NaN for school rows. */
  offerLeft: Float64Array;
  /** Schools with live support taken without an offer (one at a time). */
  busySchools: Set<number>;
  /** Candidate rows of each school. */
  rowsOfSchool: Map<number, number[]>;
  /** Declared current priorities per school (any area): the needs behind reciprocity. */
  declaredNeeds: Map<number, string[]>;
  /** Active offers per school: areas it offers (for the requester's side of reciprocity). */
  offeredAreas: Map<number, Set<string>>;
};

export async function buildBase(db: Kysely<DB>, reg: Register, area: FocusArea, today: string): Promise<CandidateBase> {
  const offers = await repo.offersWhere(db, { focusArea: area, statuses: ['active'] });
  const committed = await repo.committedDays(
    db,
    offers.map((o) => Number(o.id)),
  );
  const busy = await repo.schoolCommitments(db);
  const priorities = await repo.currentPriorities(db, today);
  const allOffers = await repo.offersWhere(db, { statuses: ['active'] });
  const declaredNeeds = new Map<number, string[]>();
  for (const p of priorities) declaredNeeds.set(p.schoolId, [...(declaredNeeds.get(p.schoolId) ?? []), p.area]);
  const offeredAreas = new Map<number, Set<string>>();
  for (const o of allOffers) offeredAreas.set(Number(o.school_id), (offeredAreas.get(Number(o.school_id)) ?? new Set<string>()).add(o.focus_area));
  const needHere = new Set(priorities.filter((p) => p.area === area).map((p) => p.schoolId));

  const withOffer = new Set(offers.map((o) => Number(o.school_id)));
  const n0 = reg.schools.length;
  const schoolRows: number[] = [];
  for (let i = 0; i < n0; i++) if (!withOffer.has(reg.schools[i]!.id)) schoolRows.push(i);
  const offerRows = offers.filter((o) => reg.byId.has(Number(o.school_id)));
  const n = schoolRows.length + offerRows.length;
  const p = reg.p;
  const derived = reg.strength(area);
  const registerRow = new Int32Array(n);
  const offer: (repo.OfferRow | null)[] = new Array(n).fill(null);
  const offerLeft = new Float64Array(n).fill(Number.NaN);
  const table = {
    n,
    id: new Int32Array(n),
    schoolId: new Int32Array(n),
    phase: new Array<string | null>(n),
    open: new Uint8Array(n),
    latitude: new Float64Array(n),
    longitude: new Float64Array(n),
    strength: new Float64Array(n),
    context: new Float64Array(n * p),
    p,
    capacityLeft: new Float64Array(n),
    tieStrength: new Float64Array(n),
    partnersOfRequester: new Uint8Array(n),
  };
  const rowsOfSchool = new Map<number, number[]>();
  const strength = new Float64Array(n);
  const groups = new Uint8Array(n);
  const fill = (row: number, i: number, o: repo.OfferRow | null) => {
    const s = reg.schools[i]!;
    registerRow[row] = i;
    offer[row] = o;
    table.id[row] = o ? offerIdBase + Number(o.id) : s.id;
    table.schoolId[row] = s.id;
    table.phase[row] = s.phase;
    table.open[row] = reg.open[i]!;
    table.latitude[row] = reg.latitude[i]!;
    table.longitude[row] = reg.longitude[i]!;
    table.context.set(reg.context.subarray(i * p, i * p + p), row * p);
    const z = derived[i]!;
    const base = o ? (Number.isFinite(z) ? z : 0) + offerBonus : z;
    strength[row] = needHere.has(s.id) ? base - priorityPenalty : base;
    groups[row] = phaseGroup(s.phase);
    if (o) offerLeft[row] = Number(o.capacity_days) - (committed.get(Number(o.id)) ?? 0);
    rowsOfSchool.set(s.id, [...(rowsOfSchool.get(s.id) ?? []), row]);
  };
  for (const [r, i] of schoolRows.entries()) fill(r, i, null);
  for (const [k, o] of offerRows.entries()) fill(schoolRows.length + k, reg.byId.get(Number(o.school_id))!, o);
  table.strength.set(strength);
  return {
    area,
    table,
    registerRow,
    offer,
    strength,
    phaseGroup: groups,
    byKeyStage: focusGroupOf[area] !== 'aspect',
    offerLeft,
    busySchools: new Set(busy.keys()),
    rowsOfSchool,
    declaredNeeds,
    offeredAreas,
  };
}

/** What is known about a requesting school beyond the register: its ties and current partners. */
export type RequesterFacts = { schoolId: number; ties: Map<number, number>; partners: number[] };

export async function requesterFacts(db: Kysely<DB>, schoolId: number, today: string): Promise<RequesterFacts> {
  const ties = await repo.tieStrengthsOf(db, schoolId);
  const coMembers = await repo.coMembersOf(db, schoolId, today);
  // Current partners: formal (a shared network today) or working (a tie in the collaboration record).
  const partners = [...new Set([...coMembers, ...[...ties.entries()].filter(([, s]) => s > 0).map(([id]) => id)])].sort((a, b) => a - b);
  return { schoolId, ties, partners };
}

/**
 * Rewrites the requester-dependent columns of `base` and returns the kernel's request. The
 * requester's strength in what each candidate needs (reciprocity) is the largest of its own
 * values over the candidate's needs: derived needs (≤ −0.5 SD) and declared priorities; its own
 * value in an area is its derived value plus `offerBonus` where it has an active offer there.
 */
export function forRequester(
  base: CandidateBase,
  reg: Register,
  req: { schoolId: number; daysNeeded: number; conflicts: number[] },
  facts: RequesterFacts,
): { request: SupportRequest; table: CandidateTable } {
  const { table } = base;
  const i0 = reg.byId.get(req.schoolId)!;
  const p = reg.p;
  const n = table.n;
  const offered = base.offeredAreas.get(req.schoolId) ?? new Set<string>();
  const mine = (area: string, index: number) => {
    const z = index >= 0 ? reg.strength(derivedAreas[index]!)[i0]! : Number.NaN;
    if (offered.has(area)) return (Number.isFinite(z) ? z : 0) + offerBonus;
    return z;
  };
  const ownByDerived = Float64Array.from(derivedAreas, (a, k) => mine(a, k));
  // Subjects and phases: a school of the other key stage has its results measured on other
  // pupils and tests, which say nothing about (say) primary maths; it is a candidate only
  // through a declared offer, at the offer's bonus alone.
  const group = phaseGroup(reg.schools[i0]!.phase);
  table.strength.set(base.strength);
  if (base.byKeyStage && group !== 0) {
    for (let row = 0; row < n; row++) {
      const g = base.phaseGroup[row]!;
      if (g !== 0 && g !== group) table.strength[row] = base.offer[row] ? offerBonus : Number.NaN;
    }
  }
  const mask = reg.needMask();
  const offersBack = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    let best = Number.NaN;
    let m = mask[base.registerRow[row]!]!;
    for (let a = 0; m !== 0; a++, m >>>= 1) {
      if ((m & 1) === 0) continue;
      const v = ownByDerived[a]!;
      if (v > best || (Number.isFinite(v) && !Number.isFinite(best))) best = v;
    }
    const declared = base.declaredNeeds.get(table.schoolId[row]!);
    if (declared) {
      for (const area of declared) {
        const v = mine(area, derivedAreas.indexOf(area as FocusArea));
        if (v > best || (Number.isFinite(v) && !Number.isFinite(best))) best = v;
      }
    }
    offersBack[row] = best;
    // A school approached without an offer takes one brokered request at a time, of the size asked.
    table.capacityLeft[row] = base.offer[row] ? base.offerLeft[row]! : base.busySchools.has(table.schoolId[row]!) ? 0 : req.daysNeeded;
  }
  table.tieStrength.fill(0);
  for (const [school, strength] of facts.ties) for (const row of base.rowsOfSchool.get(school) ?? []) table.tieStrength[row] = strength;
  table.partnersOfRequester.fill(0);
  const partnerContexts = new Float64Array(facts.partners.length * p);
  let k = 0;
  for (const school of facts.partners) {
    for (const row of base.rowsOfSchool.get(school) ?? []) table.partnersOfRequester[row] = 1;
    const at = reg.byId.get(school);
    if (at === undefined) continue;
    partnerContexts.set(reg.context.subarray(at * p, at * p + p), k * p);
    k++;
  }
  const s = reg.schools[i0]!;
  return {
    table,
    request: {
      schoolId: req.schoolId,
      phase: s.phase,
      latitude: reg.latitude[i0]!,
      longitude: reg.longitude[i0]!,
      context: reg.context.slice(i0 * p, i0 * p + p),
      offersBack,
      partnerContexts: partnerContexts.subarray(0, k * p),
      partners: k,
      conflicts: new Set(req.conflicts),
      daysNeeded: req.daysNeeded,
      catchmentKm: catchmentKm(s.phase),
    },
  };
}
