/**
 * Test and benchmark data: the partnership survey's item layout (Dimmer 2017, App. 3; 60
 * statements in 5 banks) and a response matrix consistent with every figure the thesis prints
 * for its January 2014 round (research/seed-003.md §2.4–§2.5). Where the thesis prints only a
 * shape ("scores are low", "T lower"), the counts below are our choice within that shape; they
 * are marked "shape" and no test treats them as the source's numbers.
 */
import type { ItemSpec } from './response-matrix.ts';
import { type ResponseMatrix, responseMatrix } from './response-matrix.ts';

/** The five banks and their statements per stage A–D (seed-003 §1.3). */
export const partnershipBanks = [
  { code: 'JPD', sizes: [3, 4, 3, 3] },
  { code: 'HSC', sizes: [5, 5, 5, 3] },
  { code: 'CMP', sizes: [2, 1, 2, 3] },
  { code: 'E&C', sizes: [3, 2, 3, 2] },
  { code: 'AA', sizes: [1, 4, 4, 2] },
] as const;

export const stageLetters = ['A', 'B', 'C', 'D'] as const;

/** Negatively worded statements marked in seed-003 §2.3.7 (the "arguably" ones are left positive). */
export const deficitCodes = new Set(['JPD A2', 'JPD A3', 'HSC A3', 'HSC A4', 'E&C A2', 'E&C A3']);

/** Item codes ("JPD B3") and specs in instrument order; strand = bank index, stage = A..D → 0..3. */
export function partnershipItems(deficits: ReadonlySet<string> = deficitCodes): { codes: string[]; items: ItemSpec[] } {
  const codes: string[] = [];
  const items: ItemSpec[] = [];
  partnershipBanks.forEach((bank, strand) => {
    bank.sizes.forEach((size, stage) => {
      for (let k = 1; k <= size; k++) {
        const code = `${bank.code} ${stageLetters[stage]}${k}`;
        codes.push(code);
        items.push({ format: 'endorse', strand, stage, deficit: deficits.has(code) });
      }
    });
  });
  return { codes, items };
}

/**
 * Role indices follow RespondentRole.codes in common/instruments.ts (governor, head_or_deputy,
 * senior_leader, middle_leader, teacher, support_staff); groups HD, SLT, T, S.
 */
export const caseRoleGroupOf = [0, 0, 1, 2, 2, 3] as const;
export const caseRoleGroups = ['HD', 'SLT', 'T', 'S'] as const;

/**
 * Endorsements per item as [HD of 10, SLT of 9, T of 12]. Printed in the thesis: JPD A1–C1
 * overall [1099–1124], JPD C2 HD 20% [1522], HSC B1 8/5/8 [1202], HSC C3 overall 15 (printed
 * "48%", the count "(14)" contradicts it; §0.4), HSC C5 0 [1212], CMP A1 22 and every other CMP
 * item ≤ 15 [1229], CMP D2 HD 20% [1671], AA C–D nil [1826]. Group splits of overall figures
 * and everything else: shape.
 */
export const endorsements2014: Record<string, readonly [number, number, number]> = {
  'JPD A1': [10, 9, 12],
  'JPD B1': [9, 8, 7],
  'JPD B2': [9, 8, 7],
  'JPD B3': [8, 7, 5],
  'JPD B4': [7, 6, 3],
  'JPD C1': [5, 7, 5],
  'JPD C2': [2, 2, 1],
  'JPD C3': [1, 2, 0],
  'JPD D1': [1, 1, 0],
  'JPD D2': [0, 1, 0],
  'HSC A1': [3, 2, 1],
  'HSC A2': [2, 2, 1],
  'HSC A3': [1, 1, 2],
  'HSC A4': [1, 0, 2],
  'HSC A5': [1, 1, 0],
  'HSC B1': [8, 5, 8],
  'HSC B2': [8, 6, 4],
  'HSC B3': [7, 5, 6],
  'HSC B4': [2, 1, 1],
  'HSC B5': [1, 1, 0],
  'HSC C1': [3, 2, 1],
  'HSC C2': [3, 3, 1],
  'HSC C3': [7, 6, 2],
  'HSC C4': [2, 1, 0],
  'HSC D1': [1, 0, 0],
  'CMP A1': [6, 6, 10],
  'CMP A2': [5, 4, 2],
  'CMP B1': [4, 3, 1],
  'CMP C1': [1, 1, 0],
  'CMP C2': [1, 0, 0],
  'CMP D2': [2, 0, 0],
  'E&C A1': [1, 3, 4],
  'E&C A2': [1, 3, 4],
  'E&C A3': [0, 2, 3],
  'E&C B1': [4, 3, 3],
  'E&C B2': [6, 5, 6],
  'E&C C1': [2, 1, 1],
  'E&C C2': [1, 1, 0],
  'E&C C3': [1, 0, 0],
  'AA A1': [7, 4, 7],
  'AA B1': [10, 9, 7],
  'AA B2': [7, 4, 3],
  'AA B3': [6, 3, 2],
  'AA B4': [2, 1, 1],
};

/** Forms returned and invited in January 2014 [1084]. */
export const round2014 = { returned: 31, invited: 68, groups: [10, 9, 12] } as const;

/**
 * The 2014 matrix: 31 respondents, HD = 2 governors + 8 heads/deputies, SLT 9, T = 3 middle
 * leaders + 9 teachers (whether the 2 governor forms were in 2014's HD is not stated, §0.7);
 * schools A–E (0–4) dealt round-robin within each group (per-school results were never
 * reported). Within a group, the first x respondents endorse an item endorsed by x.
 */
export function caseStudy2014(): { matrix: ResponseMatrix; codes: string[] } {
  const { codes, items } = partnershipItems();
  const roles = [...Array<number>(2).fill(0), ...Array<number>(8).fill(1), ...Array<number>(9).fill(2), ...Array<number>(3).fill(3), ...Array<number>(9).fill(4)];
  const n = roles.length;
  const group = roles.map((r) => caseRoleGroupOf[r]!);
  const rank = new Int32Array(n);
  const seen: number[] = [0, 0, 0, 0];
  group.forEach((g, r) => {
    rank[r] = seen[g]!++;
  });
  const school = Int32Array.from(rank, (x) => x % 5);
  const answers = new Uint8Array(n * items.length);
  codes.forEach((code, i) => {
    const e: readonly number[] = endorsements2014[code] ?? [0, 0, 0];
    for (let r = 0; r < n; r++) if (rank[r]! < e[group[r]!]!) answers[r * items.length + i] = 1;
  });
  const matrix = responseMatrix({ items, answers, schools: 5, school, roles: 6, role: Uint8Array.from(roles) });
  return { matrix, codes };
}
