/**
 * Where a strand stands on Hargreaves's maturity stages (Beginning, Developing, Embedding,
 * Leading; Hargreaves 2012, "maturity model (mark 2)"), per cell of a tally.
 *
 * The source places stages by reading the shape of each bank's chart (Dimmer 2017 [1092, 1127,
 * 1229, 1323]; research/seed-003.md §2.3.6) and states no rule, so Trellis defines its own:
 *
 * ITEM RATE. For endorse items, the share of the cell's respondents who ticked it. For scale
 * items, the share who chose an option in the upper half of the scale (0-based option index ≥
 * ⌈options / 2⌉; a midpoint is not agreement; a one-option scale counts its option). A deficit
 * item is read in reverse everywhere: its rate is 1 − share, the share who did not endorse the
 * deficit. Text items and items without a strand or stage are not scored.
 *
 * STAGE RATE r_s = the mean item rate over the stage's items (equal weight per item; with one
 * denominator per cell this is also the pooled rate). A stage whose items are all deficit
 * statements is scored the same way, by their reversed rates, and flagged `deficitOnly`: a
 * report should say that it was reached by the absence of problems, since a blank there may
 * also mean "unclear". A stage with no items is not assessed: its rate is NaN, it neither blocks
 * nor counts, and the strand's index range shrinks by one (`maxIndex`).
 *
 * REACHED STAGE = the highest stage s such that every assessed stage t ≤ s has r_t > 1/2 (a
 * majority, strictly: the source's own marker of salience is "over 50%" [1122, 1148, 1229]).
 * −1 (`NO_STAGE`) when the first assessed stage has no majority; −2 (`NO_DATA`) for a cell that
 * is empty or hidden by suppression.
 *
 * MATURITY INDEX = Σ_s c_s over assessed stages, where c_s = min(r_s, c_{s−1}) and c before the
 * first stage is 1: each stage counts at most as much as every stage below it, so endorsing
 * Leading statements cannot lift a strand that has not embedded the earlier ones. It lies in
 * [0, maxIndex], equals maxIndex only when every stage is fully endorsed, and exceeds (s + 1) / 2
 * whenever stage s is reached (each c_t > 1/2 for t ≤ s).
 *
 * Caution: the rule treats stages as cumulative (a Leading school still endorses Beginning
 * statements). Beginning statements that describe a limitation ("limited experience of…",
 * "not yet open and honest enough") are not cumulative; an instrument should mark them as
 * deficit statements, or a partnership that has moved on will read as not even Beginning.
 */
import type { ItemSpec } from './response-matrix.ts';
import { SurveyInputError } from './response-matrix.ts';
import type { Tally } from './tally.ts';

/** `reached` when the first assessed stage has no majority. */
export const NO_STAGE = -1;
/** `reached` for a cell with no respondents or hidden by suppression. */
export const NO_DATA = -2;

export type StageProfiles = {
  groups: number;
  strands: number;
  /** Stages per strand (the instrument's stage count). */
  stages: number;
  /** groups × strands × stages: stage rate r_s in [0, 1]; NaN for a stage without items or a cell without data. */
  rate: Float64Array;
  /** strands × stages: scored items per stage. */
  items: Int32Array;
  /** strands × stages: 1 when every scored item of the stage is a deficit statement. */
  deficitOnly: Uint8Array;
  /** groups × strands: the reached stage index, NO_STAGE or NO_DATA. */
  reached: Int8Array;
  /** groups × strands: the maturity index in [0, maxIndex]; NaN for a cell without data. */
  index: Float64Array;
  /** Per strand: the number of assessed stages (the index's upper bound). */
  maxIndex: Int32Array;
};

/** The 0-based option index from which a scale answer counts as agreement: ⌈options / 2⌉ (the upper half). */
export function agreementFrom(options: number): number {
  return Math.min(Math.ceil(options / 2), options - 1);
}

/**
 * Stage rates, reached stage and maturity index for every cell of a tally and every strand
 * (rules in the module comment). Cells with respondents ≤ 0 (empty, or −1 from `maskTally`)
 * get NO_DATA. O(groups × items).
 */
export function stageProfiles(t: Tally, options: { strands: number; stages: number; majority?: number }): StageProfiles {
  const { strands: S, stages: K } = options;
  const majority = options.majority ?? 0.5;
  if (!Number.isInteger(S) || S < 0 || !Number.isInteger(K) || K < 0 || K > 126) throw new SurveyInputError(`strands and stages must be whole numbers (stages ≤ 126), got ${S} and ${K}`);
  if (!(majority >= 0 && majority < 1)) throw new SurveyInputError(`majority must be in [0, 1), got ${majority}`);
  const items: readonly ItemSpec[] = t.items;
  // Scored items: their strand·stage slot, first counting slot, last counting slot and polarity.
  const scored: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const reverse: boolean[] = [];
  const count = new Int32Array(S * K);
  const positives = new Int32Array(S * K);
  items.forEach((it, i) => {
    if (it.format === 'text' || it.strand < 0 || it.stage < 0) return;
    if (it.strand >= S || it.stage >= K) throw new SurveyInputError(`item ${i} has strand ${it.strand} and stage ${it.stage}, outside ${S} strands × ${K} stages`);
    const slot = it.strand * K + it.stage;
    const base = t.offset[i]! + 1;
    const o = it.format === 'scale' ? (it.options ?? 1) : 1;
    const from = it.format === 'scale' ? agreementFrom(o) : 0;
    scored.push(slot);
    first.push(base + from);
    last.push(base + o - 1);
    reverse.push(it.deficit);
    count[slot]!++;
    if (!it.deficit) positives[slot]!++;
  });
  const deficitOnly = new Uint8Array(S * K);
  const maxIndex = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < K; k++) {
      if (count[s * K + k]! > 0) maxIndex[s]!++;
      if (count[s * K + k]! > 0 && positives[s * K + k] === 0) deficitOnly[s * K + k] = 1;
    }
  }
  const G = t.groups;
  const rate = new Float64Array(G * S * K);
  const reached = new Int8Array(G * S);
  const index = new Float64Array(G * S);
  const sums = new Float64Array(S * K);
  for (let g = 0; g < G; g++) {
    const n = t.respondents[g]!;
    const rg = g * S * K;
    if (n <= 0) {
      rate.fill(Number.NaN, rg, rg + S * K);
      reached.fill(NO_DATA, g * S, (g + 1) * S);
      index.fill(Number.NaN, g * S, (g + 1) * S);
      continue;
    }
    sums.fill(0);
    const row = g * t.stride;
    for (let q = 0; q < scored.length; q++) {
      let agree = 0;
      for (let p = first[q]!; p <= last[q]!; p++) agree += t.counts[row + p]!;
      const share = agree / n;
      sums[scored[q]!]! += reverse[q] ? 1 - share : share;
    }
    for (let s = 0; s < S; s++) {
      let top = NO_STAGE;
      let blocked = false;
      let cap = 1;
      let total = 0;
      for (let k = 0; k < K; k++) {
        const c = count[s * K + k]!;
        if (c === 0) {
          rate[rg + s * K + k] = Number.NaN;
          continue;
        }
        const r = sums[s * K + k]! / c;
        rate[rg + s * K + k] = r;
        if (!blocked && r > majority) top = k;
        else blocked = true;
        cap = Math.min(cap, r);
        total += cap;
      }
      reached[g * S + s] = top;
      index[g * S + s] = total;
    }
  }
  return { groups: G, strands: S, stages: K, rate, items: count, deficitOnly, reached, index, maxIndex };
}
