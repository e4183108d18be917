/**
 * A survey round as a respondents × items matrix in typed arrays, the one input every survey
 * kernel reads (tallies, suppression, stage profiles, wave comparison).
 *
 * Answer codes, one byte per respondent and item:
 * - `endorse` items (the partnership survey: highlight what is true of your school now):
 *   1 = ticked, 0 = blank. A blank means "untrue or unclear" (Dimmer 2017, App. 3), so it is not
 *   "no answer": every respondent is in every item's denominator (the source's rule).
 * - `scale` items: option index + 1 (1 = the lowest option), 0 = no answer.
 * - `text` items: never scored; any code is accepted and ignored.
 *
 * Respondents carry a school index (0..schools−1), a role index (0..roles−1; the server maps
 * RespondentRole codes to indices) and optionally a wave index. Nothing here knows names.
 *
 * Two layouts hold the same answers. `respondent-major` (answers[r·items + i]) is how a form
 * arrives and how the tally loop reads fastest; `item-major` (answers[i·respondents + r]) is
 * kept because a column store or an import may produce it (bench/surveys.ts measures both).
 */

/** How an item is answered; mirrors `ResponseFormat` in common/instruments.ts (checked by a test). */
export type ItemFormat = 'endorse' | 'scale' | 'text';

export type ItemSpec = {
  format: ItemFormat;
  /** Strand index (0..strands−1) for stage profiles; −1 = in no strand. */
  strand: number;
  /** Stage index, lowest first (0 = Beginning in Hargreaves's model); −1 = no stage. */
  stage: number;
  /** A deficit statement: endorsing it counts against the strand, so it is read in reverse. */
  deficit: boolean;
  /** Number of options, for `scale` items only (1..254). */
  options?: number;
};

export type MatrixLayout = 'respondent-major' | 'item-major';

export type ResponseMatrix = {
  readonly respondents: number;
  readonly items: readonly ItemSpec[];
  readonly layout: MatrixLayout;
  readonly answers: Uint8Array;
  readonly schools: number;
  readonly school: Int32Array;
  readonly roles: number;
  readonly role: Uint8Array;
  /** Wave index per respondent, when one matrix holds several rounds. */
  readonly wave?: Uint8Array;
};

export type ResponseMatrixInput = {
  items: readonly ItemSpec[];
  answers: Uint8Array;
  schools: number;
  school: Int32Array;
  roles: number;
  role: Uint8Array;
  wave?: Uint8Array;
  /** Default `respondent-major`. */
  layout?: MatrixLayout;
};

/** Thrown for malformed survey input; the message names the offending field and index. */
export class SurveyInputError extends Error {}

/** Highest answer code an item accepts: 1 for endorse items, `options` for scale items, 255 for text. */
export function maxAnswer(item: ItemSpec): number {
  switch (item.format) {
    case 'endorse':
      return 1;
    case 'scale':
      return item.options ?? 0;
    case 'text':
      return 255;
  }
}

function checkItems(items: readonly ItemSpec[]): void {
  items.forEach((it, i) => {
    if (!Number.isInteger(it.strand) || it.strand < -1) throw new SurveyInputError(`items[${i}].strand must be −1 or a strand index, got ${it.strand}`);
    if (!Number.isInteger(it.stage) || it.stage < -1) throw new SurveyInputError(`items[${i}].stage must be −1 or a stage index, got ${it.stage}`);
    if (it.format === 'scale') {
      const o = it.options;
      if (o === undefined || !Number.isInteger(o) || o < 1 || o > 254) throw new SurveyInputError(`items[${i}].options must be 1..254 for a scale item, got ${o}`);
    }
  });
}

/**
 * Checks and wraps a response matrix. O(respondents × items): every answer code is checked
 * against its item (a code above the item's range names the respondent and item).
 */
export function responseMatrix(input: ResponseMatrixInput): ResponseMatrix {
  const { items, answers, school, role, wave, schools, roles } = input;
  const layout = input.layout ?? 'respondent-major';
  checkItems(items);
  const n = school.length;
  const m = items.length;
  if (role.length !== n) throw new SurveyInputError(`role has ${role.length} entries for ${n} respondents`);
  if (wave && wave.length !== n) throw new SurveyInputError(`wave has ${wave.length} entries for ${n} respondents`);
  if (answers.length !== n * m) throw new SurveyInputError(`answers must hold respondents × items = ${n * m} codes, got ${answers.length}`);
  if (!Number.isInteger(schools) || schools < 1) throw new SurveyInputError(`schools must be ≥ 1, got ${schools}`);
  if (!Number.isInteger(roles) || roles < 1 || roles > 255) throw new SurveyInputError(`roles must be 1..255, got ${roles}`);
  for (let r = 0; r < n; r++) {
    const s = school[r]!;
    if (s < 0 || s >= schools) throw new SurveyInputError(`school[${r}] must be a school index in 0..${schools - 1}, got ${s}`);
    if (role[r]! >= roles) throw new SurveyInputError(`role[${r}] must be a role index in 0..${roles - 1}, got ${role[r]}`);
  }
  const max = Uint8Array.from(items, maxAnswer);
  // Fast accept: when the bitwise OR of every code is within the strictest item's range, so is
  // every code (max ≤ OR). For an endorse-only survey that is exact (all codes 0 or 1), and a word
  // at a time it reads the matrix about 5× faster than code by code.
  if (!withinEverywhere(answers, max.reduce((a, b) => Math.min(a, b), 255))) {
    if (layout === 'respondent-major') {
      for (let r = 0, p = 0; r < n; r++) {
        for (let i = 0; i < m; i++, p++) {
          if (answers[p]! > max[i]!) throw new SurveyInputError(`answers[respondent ${r}, item ${i}] = ${answers[p]} is above the item's highest code ${max[i]}`);
        }
      }
    } else {
      for (let i = 0, p = 0; i < m; i++) {
        const hi = max[i]!;
        for (let r = 0; r < n; r++, p++) {
          if (answers[p]! > hi) throw new SurveyInputError(`answers[respondent ${r}, item ${i}] = ${answers[p]} is above the item's highest code ${hi}`);
        }
      }
    }
  }
  return { respondents: n, items, layout, answers, schools, school, roles, role, ...(wave ? { wave } : {}) };
}

/** Whether the bitwise OR of all codes is ≤ `limit` (then every code is). */
function withinEverywhere(answers: Uint8Array, limit: number): boolean {
  let or = 0;
  const head = Math.min(answers.length, (4 - (answers.byteOffset & 3)) & 3);
  for (let p = 0; p < head; p++) or |= answers[p]!;
  const words = (answers.length - head) >> 2;
  const w = new Uint32Array(answers.buffer, answers.byteOffset + head, words);
  let acc = 0;
  for (let q = 0; q < words; q++) acc |= w[q]!;
  or |= (acc | (acc >>> 8) | (acc >>> 16) | (acc >>> 24)) & 255;
  for (let p = head + 4 * words; p < answers.length; p++) or |= answers[p]!;
  return or <= limit;
}

/** The same matrix in the other layout (a blocked transpose: 64 × 64 tiles stay in cache). */
export function withLayout(matrix: ResponseMatrix, layout: MatrixLayout): ResponseMatrix {
  if (matrix.layout === layout) return matrix;
  const n = matrix.respondents;
  const m = matrix.items.length;
  const src = matrix.answers;
  const dst = new Uint8Array(src.length);
  // Source rows × cols: respondent-major is n × m, item-major is m × n.
  const rows = matrix.layout === 'respondent-major' ? n : m;
  const cols = matrix.layout === 'respondent-major' ? m : n;
  const B = 64;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c]!;
      }
    }
  }
  return { ...matrix, layout, answers: dst };
}

/** The answer code of respondent `r` to item `i`, in either layout (for tests and small tools, not hot loops). */
export function answerAt(matrix: ResponseMatrix, r: number, i: number): number {
  return matrix.layout === 'respondent-major' ? matrix.answers[r * matrix.items.length + i]! : matrix.answers[i * matrix.respondents + r]!;
}
