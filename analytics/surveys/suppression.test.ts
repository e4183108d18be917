import { describe, expect, it } from 'vitest';
import { SurveyInputError } from './response-matrix.ts';
import { auditSuppression, EntryStatus, type Publication, type Suppression, suppressBreakdown, suppressTable, type TableCounts } from './suppression.ts';

/**
 * An attacker's view of a suppressed table: the unknowns are hidden or unpublished entries,
 * the equations are each row and column with its total and both lines of totals with the grand
 * total. Entry ids: cells i·cols + j, row totals, column totals, grand total (as in suppression.ts).
 */
type View = { values: number[]; unknown: boolean[]; equations: { terms: number[]; signs: number[] }[] };

function attackerView(t: TableCounts, s: Suppression): View {
  const { rows, cols } = t;
  const rt = rows * cols;
  const ct = rt + rows;
  const gt = ct + cols;
  const values: number[] = [];
  const unknown: boolean[] = [];
  const rowSum = Array<number>(rows).fill(0);
  const colSum = Array<number>(cols).fill(0);
  for (let e = 0; e < rt; e++) {
    const x = t.cells[e]!;
    values.push(x);
    unknown.push(s.cell[e] !== EntryStatus.shown);
    rowSum[Math.floor(e / cols)]! += x;
    colSum[e % cols]! += x;
  }
  rowSum.forEach((x, i) => {
    values.push(x);
    unknown.push(s.rowTotal[i] !== EntryStatus.shown);
  });
  colSum.forEach((x, j) => {
    values.push(x);
    unknown.push(s.colTotal[j] !== EntryStatus.shown);
  });
  values.push(rowSum.reduce((a, b) => a + b, 0));
  unknown.push(s.total !== EntryStatus.shown);
  const equations: View['equations'] = [];
  for (let i = 0; i < rows; i++) {
    const terms = [...Array(cols).keys()].map((j) => i * cols + j);
    equations.push({ terms: [...terms, rt + i], signs: [...terms.map(() => 1), -1] });
  }
  for (let j = 0; j < cols; j++) {
    const terms = [...Array(rows).keys()].map((i) => i * cols + j);
    equations.push({ terms: [...terms, ct + j], signs: [...terms.map(() => 1), -1] });
  }
  equations.push({ terms: [...[...Array(rows).keys()].map((i) => rt + i), gt], signs: [...Array<number>(rows).fill(1), -1] });
  equations.push({ terms: [...[...Array(cols).keys()].map((j) => ct + j), gt], signs: [...Array<number>(cols).fill(1), -1] });
  return { values, unknown, equations };
}

/** The brief's simple checker: a line with exactly one unknown gives it away; iterate to a fixed point. */
function peelDetermined(v: View): Set<number> {
  const unknown = [...v.unknown];
  const found = new Set<number>();
  let again = true;
  while (again) {
    again = false;
    for (const eq of v.equations) {
      const u = eq.terms.filter((e) => unknown[e]);
      if (u.length === 1) {
        unknown[u[0]!] = false;
        found.add(u[0]!);
        again = true;
      }
    }
  }
  return found;
}

/**
 * The exact checker: unknown u is determined iff the unit vector e_u lies in the row space of
 * the equations restricted to the unknowns (Gaussian elimination; coefficients are ±1, sizes
 * small, so a 1e-9 tolerance is safe).
 */
function rankDetermined(v: View): Set<number> {
  const cols = v.unknown.flatMap((u, e) => (u ? [e] : []));
  const at = new Map(cols.map((e, c) => [e, c]));
  const rows = v.equations.map((eq) => {
    const r = new Array<number>(cols.length).fill(0);
    eq.terms.forEach((e, q) => {
      const c = at.get(e);
      if (c !== undefined) r[c]! += eq.signs[q]!;
    });
    return r;
  });
  // Reduced row echelon form.
  const pivots: { col: number; row: number[] }[] = [];
  let rest = rows;
  for (let c = 0; c < cols.length; c++) {
    let best = -1;
    for (let r = 0; r < rest.length; r++) if (Math.abs(rest[r]![c]!) > 1e-9 && (best < 0 || Math.abs(rest[r]![c]!) > Math.abs(rest[best]![c]!))) best = r;
    if (best < 0) continue;
    const p = rest[best]!.map((x) => x / rest[best]![c]!);
    rest = rest.filter((_, r) => r !== best).map((row) => row.map((x, q) => x - row[c]! * p[q]!));
    for (const q of pivots) {
      const f = q.row[c]!;
      if (f !== 0) q.row = q.row.map((x, k) => x - f * p[k]!);
    }
    pivots.push({ col: c, row: p });
  }
  const found = new Set<number>();
  cols.forEach((e, c) => {
    const x = new Array<number>(cols.length).fill(0);
    x[c] = 1;
    let y = x;
    for (const q of pivots) {
      const f = y[q.col]!;
      if (Math.abs(f) > 1e-12) y = y.map((val, k) => val - f * q.row[k]!);
    }
    if (y.every((val) => Math.abs(val) < 1e-9)) found.add(e);
  });
  return found;
}

/** mulberry32: a small seeded generator, so failures reproduce. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const full: Publication = { cells: true, rowTotals: true, colTotals: true, total: true };

describe('suppressTable', () => {
  it('refuses k below 3 and defaults to 5', () => {
    const t = { rows: 1, cols: 2, cells: [4, 10] };
    expect(() => suppressTable(t, full, { k: 2 })).toThrow(SurveyInputError);
    expect(() => suppressTable(t, full, { k: 3.5 })).toThrow(/whole number ≥ 3/);
    expect(suppressTable(t, full).k).toBe(5);
    expect(suppressTable(t, full, { k: 3 }).primary).toBe(0);
  });

  it('hides a small school and the next-smallest one beside a shown network total', () => {
    const b = suppressBreakdown([12, 3, 8, 20, 7]);
    expect([...b.cell]).toEqual([0, 1, 0, 0, 2]);
    expect(b.total).toBe(EntryStatus.shown);
  });

  it('keeps hiding until the hidden schools hold at least k respondents together', () => {
    // 2 + 2 = 4 < 5: the pair's total would be network − shown; the 12 joins them.
    const b = suppressBreakdown([12, 2, 2, 20]);
    expect([...b.cell]).toEqual([2, 1, 1, 0]);
  });

  it('needs no complement when no total is shown', () => {
    expect([...suppressBreakdown([12, 3, 8], { total: false }).cell]).toEqual([0, 1, 0]);
  });

  it('shows a cell with no respondents as empty: it holds nobody’s answers', () => {
    expect([...suppressBreakdown([0, 9, 8]).cell]).toEqual([0, 0, 0]);
  });

  it('applies the two-way rule: every line with a shown total has 0 or ≥ 2 hidden cells', () => {
    // rows = schools A–C, cols = HD, SLT, T
    const t = { rows: 3, cols: 3, cells: [2, 6, 20, 6, 7, 15, 3, 4, 30] };
    const s = suppressTable(t, full);
    expect([...s.cell]).toEqual([1, 2, 0, 0, 0, 0, 1, 1, 0]);
    expect([s.primary, s.complementary, s.unresolved]).toEqual([3, 1, 0]);
    expect(auditSuppression(t, s)).toEqual([]);
  });

  it('stops "all roles" minus "teachers" giving away a school’s non-teachers', () => {
    // School A has 1 head and 2 senior leaders; "all roles by school" and "teachers by school" are both shown.
    const t = { rows: 2, cols: 3, cells: [1, 2, 20, 4, 6, 15] };
    const teachersOnly = [0, 0, 1, 0, 0, 1];
    const s = suppressTable(t, { cells: teachersOnly, rowTotals: true });
    expect(s.cell[2]).toBe(EntryStatus.complementary);
    expect(s.cell[5]).toBe(EntryStatus.shown);
    expect(s.rowTotal[0]).toBe(EntryStatus.shown);
    expect(auditSuppression(t, s)).toEqual([]);
    // The same across the whole network: all roles 44, teachers 40 → the other 4 would show.
    const n = suppressTable({ rows: 1, cols: 3, cells: [2, 2, 40] }, { colTotals: true, total: true });
    expect([...n.colTotal]).toEqual([1, 1, 2]);
    expect(n.total).toBe(EntryStatus.shown);
  });

  it('finds a cell the line rule misses: two hidden blocks joined by one hidden cell', () => {
    // Hidden: rows 0–1 × cols 0–1, rows 2–3 × cols 2–3, and cell (1, 2) with 2 respondents.
    // Every line has 0 or ≥ 2 hidden cells, yet (1, 2) = rows 0 + 1 − cols 0 + 1.
    const cells = [6, 6, 9, 9, 6, 6, 2, 9, 9, 9, 6, 6, 9, 9, 6, 6];
    const t = { rows: 4, cols: 4, cells };
    const hidden = [0, 1, 4, 5, 6, 10, 11, 14, 15];
    const cell = new Uint8Array(16);
    for (const e of hidden) cell[e] = EntryStatus.complementary;
    cell[6] = EntryStatus.primary;
    const s: Suppression = { k: 5, rows: 4, cols: 4, cell, rowTotal: new Uint8Array(4), colTotal: new Uint8Array(4), total: 0, rowRespondents: new Int32Array(4), colRespondents: new Int32Array(4), totalRespondents: 0, primary: 1, complementary: 8, unresolved: 0 };
    const view = attackerView(t, s);
    expect(peelDetermined(view).size).toBe(0);
    expect([...rankDetermined(view)]).toEqual([6]);
    expect(auditSuppression(t, s)).toEqual([{ kind: 'determined', entry: { part: 'cell', row: 1, col: 2 }, respondents: 2 }]);
    // suppressTable itself never leaves it so.
    const fresh = suppressTable(t, full);
    expect(rankDetermined(attackerView(t, fresh)).has(6)).toBe(false);
  });

  it('leaves no hidden count recoverable from the shown cells and totals, on 2,000 random tables', () => {
    const rand = seeded(20140131);
    const publications: Publication[] = [
      full,
      { rowTotals: true, colTotals: true, total: true },
      { cells: true, rowTotals: true },
      { cells: true, colTotals: true, total: true },
      { rowTotals: true, total: true },
      { cells: true },
    ];
    let hiddenChecked = 0;
    let complementary = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const rows = 1 + Math.floor(rand() * 8);
      // Every fifth table is a one-way breakdown with its total (suppressBreakdown's shape).
      const oneWay = trial % 5 === 1;
      const cols = oneWay ? 1 : 1 + Math.floor(rand() * 5);
      const k = [3, 5, 5, 10][Math.floor(rand() * 4)]!;
      // Skewed like staff surveys: many small cells, some empty, some large.
      const cells = Array.from({ length: rows * cols }, () => {
        const u = rand();
        return u < 0.1 ? 0 : u < 0.45 ? 1 + Math.floor(rand() * (k - 1)) : k + Math.floor(rand() * 25);
      });
      const t = { rows, cols, cells };
      let publish = oneWay ? { cells: true, total: true } : publications[trial % publications.length]!;
      if (trial % 7 === 0 && !oneWay) {
        // A filtered view beside "all roles": one role group's cells with the school totals.
        const c = Math.floor(rand() * cols);
        publish = { cells: cells.map((_, e) => (e % cols === c ? 1 : 0)), rowTotals: true, total: rand() < 0.5 };
      }
      const s = suppressTable(t, publish, { k });
      const where = `trial ${trial}: ${rows}×${cols} k=${k} ${JSON.stringify(cells)}`;
      expect(s.unresolved, where).toBe(0);
      expect(auditSuppression(t, s), where).toEqual([]);
      const view = attackerView(t, s);
      const sensitive = (e: number) => view.unknown[e] && view.values[e]! > 0 && view.values[e]! < k;
      // Every published entry with 1..k−1 respondents is hidden.
      for (let e = 0; e < view.values.length; e++) {
        if (view.values[e]! > 0 && view.values[e]! < k) expect(view.unknown[e], `${where} entry ${e}`).toBe(true);
      }
      for (const e of peelDetermined(view)) expect(sensitive(e), `${where}: peeling recovers entry ${e}`).toBe(false);
      const determined = rankDetermined(view);
      for (const e of determined) expect(sensitive(e), `${where}: elimination recovers entry ${e}`).toBe(false);
      // A line whose total is known (shown or recoverable): the unknown entries that are not
      // recoverable hold 0 or ≥ k respondents together.
      for (const eq of view.equations) {
        const total = eq.terms[eq.terms.length - 1]!;
        if (view.unknown[total] && !determined.has(total)) continue;
        const sum = eq.terms.filter((e) => view.unknown[e] && !determined.has(e)).reduce((a, e) => a + view.values[e]!, 0);
        expect(sum === 0 || sum >= k, `${where}: a line's hidden entries sum to ${sum}`).toBe(true);
      }
      hiddenChecked += view.unknown.filter((u, e) => u && view.values[e]! > 0 && view.values[e]! < k).length;
      complementary += s.complementary;
    }
    // The random tables did exercise the rule.
    expect(hiddenChecked).toBeGreaterThan(3000);
    expect(complementary).toBeGreaterThan(500);
  });

  it('handles a national table (2,000 schools × 4 role groups) quickly', () => {
    const rand = seeded(7);
    const cells = Array.from({ length: 8000 }, (_, e) => (e % 4 === 0 ? Math.floor(rand() * 12) : Math.floor(rand() * 60)));
    const t0 = performance.now();
    const s = suppressTable({ rows: 2000, cols: 4, cells }, full);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(s.unresolved).toBe(0);
    expect(auditSuppression({ rows: 2000, cols: 4, cells }, s)).toEqual([]);
  });

  it('names a malformed table', () => {
    expect(() => suppressTable({ rows: 2, cols: 2, cells: [1, 2, 3] }, full)).toThrow(/rows × cols = 4/);
    expect(() => suppressTable({ rows: 1, cols: 2, cells: [1, -2] }, full)).toThrow(/cells\[1\]/);
    expect(() => suppressTable({ rows: 1, cols: 2, cells: [1, 2] }, { cells: [1] })).toThrow(/publish.cells/);
  });
});
