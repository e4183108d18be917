/**
 * k-anonymity of survey breakdowns: which cells of a report must be hidden so that nobody can
 * read, or work out, the answers of fewer than k respondents.
 *
 * THE TABLE. Every breakdown of a round is part of one two-way table: rows = schools, columns =
 * role groups, cells = school × role group, row totals = the by-school breakdown, column totals
 * = the by-role breakdown, the grand total = the whole round. A report publishes some of these
 * (`Publication`): the by-school breakdown alone is the row totals plus the grand total; "all
 * roles by school" beside "teachers by school" is the row totals plus one column of cells. Every
 * count that is published is published for every item, and every item's counts obey the same
 * sums as the respondent counts, so one suppression pattern, decided on respondent counts,
 * protects every item.
 *
 * THE RULE (applied to the union of everything one viewer can see; suppress separately
 * requested tables together, or differencing across them is not prevented):
 * 1. Primary: a published cell or total with 1..k−1 respondents is hidden. A cell with no
 *    respondents is shown as empty: it holds nobody's answers.
 * 2. Complementary, per line (a row with its total, a column with its total, the row totals
 *    with the grand total, the column totals with the grand total), repeated until nothing
 *    changes:
 *    - a line must not have exactly one unknown entry that is hidden (or is an unpublished
 *      cell with 1..k−1 respondents): it would equal the line's total minus the shown entries;
 *    - when the line's total is known (shown, or determined by rule 3's test: the column total
 *      of a one-column breakdown is the grand total), its unknown entries that are not
 *      themselves determined must hold 0 or ≥ k respondents together: their sum is the total
 *      minus the known entries ("all roles" minus "teachers" is the school's non-teachers,
 *      however many cells they are split into).
 *    A failing line hides its smallest shown entry with respondents (cells before the line's
 *    own total; ties go to the lower index).
 * 3. Exact audit: the line rule is not enough on its own. Two hidden 2 × 2 blocks joined by
 *    one hidden cell pass it (every line has 0 or ≥ 2 unknowns), yet the joining cell is the
 *    sum of two rows minus the sum of two columns. In the table with its totals as an extra
 *    row and column (entries y[i][j] = cell, y[i][*] = −row total, y[*][j] = −column total,
 *    y[*][*] = grand total), every line sums to zero, so the unknown entries are the edges of a
 *    bipartite graph (row lines × column lines) and the solutions of the known sums differ by
 *    circulations on it: an unknown entry is determined exactly iff its edge lies on no cycle,
 *    i.e. it is a bridge. Every unknown entry with 1..k−1 respondents that is a bridge gets a
 *    further shown entry hidden, one closing a cycle through it (a cell first, then the fewest
 *    respondents), and rules 2–3 repeat until no such bridge is left.
 * An entry hidden by rules 2–3 is "complementary": it has ≥ k respondents (rarely none) and is
 * hidden only to protect others.
 *
 * What this does not prevent (documented, not solved): sums of hidden cells across several
 * lines (two rows minus a column) are checked only through rule 3's exact test of single
 * entries, not for holding fewer than k respondents; bounds: a shown total at 0% or 100%
 * tells every respondent's answer in it, hidden cells included (the source's 100% for JPD A1 is
 * such a case); ranges narrower than a cell (interval disclosure) are not computed; and tables
 * suppressed in separate calls can be differenced against each other.
 */
import { SurveyInputError } from './response-matrix.ts';
import type { RoundTallies, Tally } from './tally.ts';

/** Fewest respondents a shown cell may have, by default (DOMAIN.md §6: anonymity k ≥ 5). */
export const DEFAULT_K = 5;
/** Below 3 a cell tells a colleague the other respondent's answers: refused. */
export const MIN_K = 3;

/** What happened to a cell or total. */
export const EntryStatus = { shown: 0, primary: 1, complementary: 2, unpublished: 3 } as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

/** Respondents per cell of a rows × cols table, row-major (cell i·cols + j). */
export type TableCounts = { rows: number; cols: number; cells: ArrayLike<number> };

/** What a report shows. Omitted parts are not shown. */
export type Publication = {
  /** true = every cell; or a rows × cols mask (non-zero = shown), e.g. one column for "teachers by school". */
  cells?: boolean | ArrayLike<number>;
  rowTotals?: boolean;
  colTotals?: boolean;
  total?: boolean;
};

export type Suppression = {
  k: number;
  rows: number;
  cols: number;
  /** EntryStatus per cell, row-major. */
  cell: Uint8Array;
  rowTotal: Uint8Array;
  colTotal: Uint8Array;
  total: EntryStatus;
  rowRespondents: Int32Array;
  colRespondents: Int32Array;
  totalRespondents: number;
  /** Entries hidden by rule 1 and by rules 2–3. */
  primary: number;
  complementary: number;
  /** Protection failures no further hiding could fix (0 unless the table is degenerate). */
  unresolved: number;
};

function statusOf(x: number): EntryStatus {
  switch (x) {
    case EntryStatus.shown:
    case EntryStatus.primary:
    case EntryStatus.complementary:
    case EntryStatus.unpublished:
      return x;
    default:
      throw new SurveyInputError(`not an entry status: ${x}`);
  }
}

/** Checks k: a whole number ≥ MIN_K. */
export function checkK(k: number): number {
  if (!Number.isInteger(k) || k < MIN_K) throw new SurveyInputError(`k must be a whole number ≥ ${MIN_K} (smaller groups expose individual answers), got ${k}`);
  return k;
}

/**
 * The table with its totals as a complete bipartite graph: vertices 0..rows−1 are rows, `rows`
 * is the line of column totals, rows+1..rows+cols are columns, rows+cols+1 the line of row
 * totals. Edge ids: cells i·cols + j, then row totals, then column totals, then the grand total.
 */
type TableGraph = {
  rows: number;
  cols: number;
  vertices: number;
  edges: number;
  eu: Int32Array;
  ev: Int32Array;
  /** Respondents behind each entry. */
  en: Float64Array;
  /** 0 cell, 1 row or column total, 2 grand total. */
  cls: Uint8Array;
  adjOffset: Int32Array;
  adj: Int32Array;
  /** The total entry of each line. */
  lineTotal: Int32Array;
};

function tableGraph(table: TableCounts): TableGraph {
  const { rows, cols, cells } = table;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new SurveyInputError(`a table needs ≥ 1 row and column, got ${rows} × ${cols}`);
  if (cells.length !== rows * cols) throw new SurveyInputError(`cells must hold rows × cols = ${rows * cols} counts, got ${cells.length}`);
  const V = rows + cols + 2;
  const E = (rows + 1) * (cols + 1);
  const mRow = rows;
  const mCol = rows + cols + 1;
  const col = (j: number) => rows + 1 + j;
  const eu = new Int32Array(E);
  const ev = new Int32Array(E);
  const en = new Float64Array(E);
  const cls = new Uint8Array(E);
  const rowSum = new Float64Array(rows);
  const colSum = new Float64Array(cols);
  let grand = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = cells[i * cols + j]!;
      if (!Number.isInteger(x) || x < 0) throw new SurveyInputError(`cells[${i * cols + j}] must be a whole number ≥ 0, got ${x}`);
      const e = i * cols + j;
      eu[e] = i;
      ev[e] = col(j);
      en[e] = x;
      rowSum[i]! += x;
      colSum[j]! += x;
      grand += x;
    }
  }
  const rt = rows * cols;
  const ct = rt + rows;
  const gt = ct + cols;
  for (let i = 0; i < rows; i++) {
    eu[rt + i] = i;
    ev[rt + i] = mCol;
    en[rt + i] = rowSum[i]!;
    cls[rt + i] = 1;
  }
  for (let j = 0; j < cols; j++) {
    eu[ct + j] = mRow;
    ev[ct + j] = col(j);
    en[ct + j] = colSum[j]!;
    cls[ct + j] = 1;
  }
  eu[gt] = mRow;
  ev[gt] = mCol;
  en[gt] = grand;
  cls[gt] = 2;
  const deg = new Int32Array(V + 1);
  for (let e = 0; e < E; e++) {
    deg[eu[e]! + 1]!++;
    deg[ev[e]! + 1]!++;
  }
  for (let v = 0; v < V; v++) deg[v + 1]! += deg[v]!;
  const adjOffset = deg.slice();
  const fill = deg.slice(0, V);
  const adj = new Int32Array(2 * E);
  for (let e = 0; e < E; e++) {
    adj[fill[eu[e]!]!++] = e;
    adj[fill[ev[e]!]!++] = e;
  }
  const lineTotal = new Int32Array(V);
  for (let i = 0; i < rows; i++) lineTotal[i] = rt + i;
  for (let j = 0; j < cols; j++) lineTotal[col(j)] = ct + j;
  lineTotal[mRow] = gt;
  lineTotal[mCol] = gt;
  return { rows, cols, vertices: V, edges: E, eu, ev, en, cls, adjOffset, adj, lineTotal };
}

/**
 * Unknown entries (status ≠ shown) that the shown entries determine exactly: the bridges of the
 * graph of unknown entries (module comment, rule 3). Iterative Tarjan, O(rows · cols).
 * Returns a mask over entries (1 = determined).
 */
function determinedEntries(g: TableGraph, status: Uint8Array): Uint8Array {
  const { vertices: V, adjOffset, adj, eu, ev } = g;
  const det = new Uint8Array(g.edges);
  const disc = new Int32Array(V).fill(-1);
  const low = new Int32Array(V);
  const stackV = new Int32Array(V);
  const stackE = new Int32Array(V);
  const cursor = new Int32Array(V);
  let time = 0;
  for (let root = 0; root < V; root++) {
    if (disc[root] !== -1) continue;
    let sp = 0;
    stackV[0] = root;
    stackE[0] = -1;
    disc[root] = low[root] = time++;
    cursor[root] = adjOffset[root]!;
    while (sp >= 0) {
      const v = stackV[sp]!;
      if (cursor[v]! < adjOffset[v + 1]!) {
        const e = adj[cursor[v]!++]!;
        if (status[e] === EntryStatus.shown || e === stackE[sp]) continue;
        const w = eu[e] === v ? ev[e]! : eu[e]!;
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          cursor[w] = adjOffset[w]!;
          sp++;
          stackV[sp] = w;
          stackE[sp] = e;
        } else if (disc[w]! < low[v]!) {
          low[v] = disc[w]!;
        }
      } else {
        const e = stackE[sp]!;
        sp--;
        if (sp >= 0) {
          const p = stackV[sp]!;
          if (low[v]! < low[p]!) low[p] = low[v]!;
          if (low[v]! > disc[p]!) det[e] = 1;
        }
      }
    }
  }
  return det;
}

/** Determined entries with 1..k−1 respondents: exact disclosures. */
function sensitiveDetermined(g: TableGraph, det: Uint8Array, k: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < g.edges; e++) if (det[e] && g.en[e]! > 0 && g.en[e]! < k) out.push(e);
  return out;
}

/** Orders candidate entries: with respondents first, then cells before totals, then fewest respondents, then lowest id. */
function better(g: TableGraph, a: number, b: number): boolean {
  if (b < 0) return true;
  const za = g.en[a] === 0 ? 1 : 0;
  const zb = g.en[b] === 0 ? 1 : 0;
  if (za !== zb) return za < zb;
  if (g.cls[a] !== g.cls[b]) return g.cls[a]! < g.cls[b]!;
  if (g.en[a] !== g.en[b]) return g.en[a]! < g.en[b]!;
  return a < b;
}

/**
 * Respondents behind a line's unknown entries that the viewer can sum, and whether they can:
 * the line's total is shown or determined, and entries already determined are known too.
 */
function derivableSum(g: TableGraph, status: Uint8Array, det: Uint8Array, v: number): number {
  const tot = g.lineTotal[v]!;
  if (status[tot] !== EntryStatus.shown && !det[tot]) return 0;
  let sum = 0;
  for (let p = g.adjOffset[v]!; p < g.adjOffset[v + 1]!; p++) {
    const e = g.adj[p]!;
    if (status[e] !== EntryStatus.shown && !det[e]) sum += g.en[e]!;
  }
  return sum;
}

/** The smallest shown entry of line v to hide next: cells before its own total, entries with respondents first. */
function nextToHide(g: TableGraph, status: Uint8Array, v: number): number {
  const tot = g.lineTotal[v]!;
  let pick = -1;
  for (let p = g.adjOffset[v]!; p < g.adjOffset[v + 1]!; p++) {
    const e = g.adj[p]!;
    if (status[e] === EntryStatus.shown && e !== tot && better(g, e, pick)) pick = e;
  }
  // A shown entry with nobody in it adds nothing to a sum: the line's own total does.
  if ((pick < 0 || g.en[pick] === 0) && status[tot] === EntryStatus.shown && g.en[tot]! > 0) pick = tot;
  return pick;
}

/**
 * Rule 2 on what the viewer sees directly (shown totals), over every line until no line fails:
 * the cheap pass that settles almost everything. Returns whether anything was hidden.
 */
function enforceShownLines(g: TableGraph, status: Uint8Array, k: number, stuck: Uint8Array): boolean {
  const { vertices: V, adjOffset, adj, en, lineTotal } = g;
  let changed = false;
  let again = true;
  while (again) {
    again = false;
    for (let v = 0; v < V; v++) {
      if (stuck[v]) continue;
      for (;;) {
        let count = 0;
        let sum = 0;
        let single = -1;
        for (let p = adjOffset[v]!; p < adjOffset[v + 1]!; p++) {
          const e = adj[p]!;
          if (status[e] !== EntryStatus.shown) {
            count++;
            sum += en[e]!;
            single = e;
          }
        }
        const lone = count === 1 && (status[single] !== EntryStatus.unpublished || (en[single]! > 0 && en[single]! < k));
        const small = status[lineTotal[v]!] === EntryStatus.shown && sum > 0 && sum < k;
        if (!lone && !small) break;
        const pick = nextToHide(g, status, v);
        if (pick < 0 || (small && !lone && en[pick] === 0)) {
          stuck[v] = 1;
          break;
        }
        status[pick] = EntryStatus.complementary;
        changed = again = true;
      }
    }
  }
  return changed;
}

/**
 * Rule 2's sum test with totals and entries the viewer can work out (`det`): hides the next
 * entry of the first failing line. Returns whether anything was hidden (the caller then
 * recomputes `det`).
 */
function enforceDerivedLine(g: TableGraph, status: Uint8Array, det: Uint8Array, k: number, stuck: Uint8Array): boolean {
  for (let v = 0; v < g.vertices; v++) {
    if (stuck[v]) continue;
    const sum = derivableSum(g, status, det, v);
    if (sum === 0 || sum >= k) continue;
    const pick = nextToHide(g, status, v);
    if (pick < 0 || g.en[pick] === 0) {
      stuck[v] = 1;
      continue;
    }
    status[pick] = EntryStatus.complementary;
    return true;
  }
  return false;
}

/** Rule 3 for one bridge: hide a shown entry joining its two sides. Returns false when none exists. */
function closeCycle(g: TableGraph, status: Uint8Array, bridge: number): boolean {
  const { vertices: V, adjOffset, adj, eu, ev, edges } = g;
  const side = new Int8Array(V);
  const queue = new Int32Array(V);
  // Side 1: reachable from one end without the bridge; side 2: from the other end.
  for (const [start, mark] of [
    [eu[bridge]!, 1],
    [ev[bridge]!, 2],
  ] as const) {
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    side[start] = mark;
    while (head < tail) {
      const v = queue[head++]!;
      for (let p = adjOffset[v]!; p < adjOffset[v + 1]!; p++) {
        const e = adj[p]!;
        if (e === bridge || status[e] === EntryStatus.shown) continue;
        const w = eu[e] === v ? ev[e]! : eu[e]!;
        if (side[w] === 0) {
          side[w] = mark;
          queue[tail++] = w;
        }
      }
    }
  }
  let pick = -1;
  for (let e = 0; e < edges; e++) {
    if (status[e] !== EntryStatus.shown) continue;
    const a = side[eu[e]!]!;
    const b = side[ev[e]!]!;
    if (a !== 0 && b !== 0 && a !== b && better(g, e, pick)) pick = e;
  }
  if (pick < 0) {
    // The bridge's ends have no other unknown entries; widen from either end and try again.
    for (const v of [eu[bridge]!, ev[bridge]!]) {
      for (let p = adjOffset[v]!; p < adjOffset[v + 1]!; p++) {
        const e = adj[p]!;
        if (status[e] === EntryStatus.shown && better(g, e, pick)) pick = e;
      }
    }
  }
  if (pick < 0) return false;
  status[pick] = EntryStatus.complementary;
  return true;
}

function publishedMask(g: TableGraph, publish: Publication): Uint8Array {
  const { rows, cols } = g;
  const st = new Uint8Array(g.edges).fill(EntryStatus.unpublished);
  const cells = publish.cells ?? false;
  if (typeof cells !== 'boolean' && cells.length !== rows * cols) throw new SurveyInputError(`publish.cells must be true/false or a rows × cols = ${rows * cols} mask, got ${cells.length} entries`);
  for (let e = 0; e < rows * cols; e++) {
    const shown = typeof cells === 'boolean' ? cells : Boolean(cells[e]);
    if (shown) st[e] = EntryStatus.shown;
  }
  if (publish.rowTotals) st.fill(EntryStatus.shown, rows * cols, rows * cols + rows);
  if (publish.colTotals) st.fill(EntryStatus.shown, rows * cols + rows, rows * cols + rows + cols);
  if (publish.total) st[g.edges - 1] = EntryStatus.shown;
  return st;
}

/**
 * Decides which entries of a table's publication to hide (rules 1–3 of the module comment).
 * O(rows · cols) per pass; a national round (2,000 schools × 4 role groups) takes milliseconds.
 */
export function suppressTable(table: TableCounts, publish: Publication, options: { k?: number } = {}): Suppression {
  const k = checkK(options.k ?? DEFAULT_K);
  const g = tableGraph(table);
  const status = publishedMask(g, publish);
  let primary = 0;
  for (let e = 0; e < g.edges; e++) {
    if (status[e] === EntryStatus.shown && g.en[e]! > 0 && g.en[e]! < k) {
      status[e] = EntryStatus.primary;
      primary++;
    }
  }
  const stuck = new Uint8Array(g.vertices);
  const hopeless = new Set<number>();
  for (;;) {
    enforceShownLines(g, status, k, stuck);
    const det = determinedEntries(g, status);
    if (enforceDerivedLine(g, status, det, k, stuck)) continue;
    const exposed = sensitiveDetermined(g, det, k).filter((e) => !hopeless.has(e));
    if (exposed.length === 0) break;
    if (!closeCycle(g, status, exposed[0]!)) hopeless.add(exposed[0]!);
  }
  let complementary = 0;
  for (let e = 0; e < g.edges; e++) if (status[e] === EntryStatus.complementary) complementary++;
  const unresolved = auditStatus(g, status, k).length;
  const { rows, cols } = table;
  const rt = rows * cols;
  const ct = rt + rows;
  return {
    k,
    rows,
    cols,
    cell: status.slice(0, rt),
    rowTotal: status.slice(rt, ct),
    colTotal: status.slice(ct, ct + cols),
    total: statusOf(status[g.edges - 1]!),
    rowRespondents: Int32Array.from(g.en.subarray(rt, ct)),
    colRespondents: Int32Array.from(g.en.subarray(ct, ct + cols)),
    totalRespondents: g.en[g.edges - 1]!,
    primary,
    complementary,
    unresolved,
  };
}

/** A disclosure found by `auditSuppression`. */
export type Disclosure =
  | { kind: 'determined'; entry: TableEntry; respondents: number }
  | { kind: 'small-sum'; line: TableLine; respondents: number };

export type TableEntry = { part: 'cell'; row: number; col: number } | { part: 'rowTotal'; row: number } | { part: 'colTotal'; col: number } | { part: 'total' };
export type TableLine = { part: 'row'; row: number } | { part: 'col'; col: number } | { part: 'rowTotals' } | { part: 'colTotals' };

function entryOf(g: TableGraph, e: number): TableEntry {
  const { rows, cols } = g;
  if (e < rows * cols) return { part: 'cell', row: Math.floor(e / cols), col: e % cols };
  if (e < rows * cols + rows) return { part: 'rowTotal', row: e - rows * cols };
  if (e < rows * cols + rows + cols) return { part: 'colTotal', col: e - rows * cols - rows };
  return { part: 'total' };
}

function lineOf(g: TableGraph, v: number): TableLine {
  const { rows, cols } = g;
  if (v < rows) return { part: 'row', row: v };
  if (v === rows) return { part: 'colTotals' };
  if (v <= rows + cols) return { part: 'col', col: v - rows - 1 };
  return { part: 'rowTotals' };
}

function auditStatus(g: TableGraph, status: Uint8Array, k: number): Disclosure[] {
  const det = determinedEntries(g, status);
  const found: Disclosure[] = sensitiveDetermined(g, det, k).map((e) => ({ kind: 'determined', entry: entryOf(g, e), respondents: g.en[e]! }));
  for (let v = 0; v < g.vertices; v++) {
    const sum = derivableSum(g, status, det, v);
    if (sum > 0 && sum < k) found.push({ kind: 'small-sum', line: lineOf(g, v), respondents: sum });
  }
  return found;
}

/**
 * Checks a suppression against the table: unknown entries with 1..k−1 respondents that the
 * shown entries determine exactly, and lines with a shown total whose unknown entries hold
 * 1..k−1 respondents together. Empty when the publication is safe under the module's rule.
 */
export function auditSuppression(table: TableCounts, s: Suppression): Disclosure[] {
  const g = tableGraph(table);
  const { rows, cols } = table;
  const status = new Uint8Array(g.edges);
  status.set(s.cell, 0);
  status.set(s.rowTotal, rows * cols);
  status.set(s.colTotal, rows * cols + rows);
  status[g.edges - 1] = s.total;
  return auditStatus(g, status, s.k);
}

/**
 * A one-way breakdown (e.g. by school, or by role group) with or without its total: the
 * table of n rows × 1 column with the cells and the grand total published.
 * Returns the status of each cell and of the total.
 */
export function suppressBreakdown(respondents: ArrayLike<number>, options: { k?: number; total?: boolean } = {}): { cell: Uint8Array; total: EntryStatus; suppression: Suppression } {
  const s = suppressTable({ rows: respondents.length, cols: 1, cells: respondents }, { cells: true, total: options.total ?? true }, options.k === undefined ? {} : { k: options.k });
  return { cell: s.cell, total: s.total, suppression: s };
}

/** Is an entry hidden from the viewer (suppressed or not published)? */
export function isHidden(status: number): boolean {
  return status !== EntryStatus.shown;
}

/**
 * A copy of a tally with hidden cells blanked: respondents and counts −1, percentages NaN.
 * `status[g]` is the EntryStatus of cell g (any non-zero status hides it).
 */
export function maskTally(t: Tally, status: ArrayLike<number>): Tally {
  if (status.length !== t.groups) throw new SurveyInputError(`status has ${status.length} entries for ${t.groups} cells`);
  const respondents = t.respondents.slice();
  const counts = t.counts.slice();
  const percent = t.percent.slice();
  for (let g = 0; g < t.groups; g++) {
    if (status[g] === EntryStatus.shown) continue;
    respondents[g] = -1;
    counts.fill(-1, g * t.stride, (g + 1) * t.stride);
    percent.fill(Number.NaN, g * t.stride, (g + 1) * t.stride);
  }
  return { ...t, respondents, counts, percent };
}

/** The four breakdowns of a round as a viewer may see them, with the suppression that made them. */
export type SuppressedRound = {
  suppression: Suppression;
  bySchoolRole: Tally;
  bySchool: Tally;
  byRole: Tally;
  overall: Tally;
};

/**
 * Suppresses a round's breakdowns together (schools × role groups, with the by-school and
 * by-role breakdowns as its totals and the round as the grand total) and masks each tally.
 * Default publication: everything.
 */
export function suppressRound(round: RoundTallies, publish: Publication = { cells: true, rowTotals: true, colTotals: true, total: true }, options: { k?: number } = {}): SuppressedRound {
  const rows = round.bySchool.groups;
  const cols = round.roleGroups;
  const s = suppressTable({ rows, cols, cells: round.bySchoolRole.respondents }, publish, options);
  return {
    suppression: s,
    bySchoolRole: maskTally(round.bySchoolRole, s.cell),
    bySchool: maskTally(round.bySchool, s.rowTotal),
    byRole: maskTally(round.byRole, s.colTotal),
    overall: maskTally(round.overall, [s.total]),
  };
}
