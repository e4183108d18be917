import type { MissingReason } from '../../../common/vocabulary.ts';
import { RowProblem } from './import-error.ts';

/** DfE's codes for an absent figure (performance tables, census), mapped to our reasons. */
const missingCodes: Record<string, MissingReason> = {
  NA: 'not_applicable',
  NP: 'not_published',
  NE: 'not_entered',
  SUPP: 'suppressed',
  LOWCOV: 'low_coverage',
  SUPPMAT: 'suppressed_maternity',
};

export type Figure = { value: number; missing: null } | { value: null; missing: MissingReason };

/**
 * Reads a DfE figure: a number, a percentage string ("12%", "12.5%"), a DfE missing code or a
 * blank. Never turns an absent figure into zero.
 */
export function dfeFigure(raw: string | undefined, column: string): Figure {
  const text = (raw ?? '').trim();
  if (text === '') return { value: null, missing: 'not_reported' };
  const code = missingCodes[text.toUpperCase()];
  if (code) return { value: null, missing: code };
  const numeric = text.endsWith('%') ? text.slice(0, -1) : text;
  const value = Number(numeric.replace(/,/g, ''));
  if (numeric === '' || !Number.isFinite(value)) {
    throw new RowProblem(
      column,
      `"${text}" is neither a number nor a DfE missing-value code`,
      'use a number (a trailing % is allowed) or one of NA, NP, NE, SUPP, LOWCOV, SUPPMAT, or leave it blank',
    );
  }
  return { value, missing: null };
}

/** Collects figures for a wide row: values in `values`, reasons for the absent ones in `missing`. */
export class FigureSet {
  readonly values: Record<string, number | null> = {};
  readonly missing: Record<string, MissingReason> = {};
  constructor(private readonly record: Record<string, string>) {}
  /** Reads `column` into field `field`. */
  take(field: string, column: string, scale = 1): number | null {
    const f = dfeFigure(this.record[column], column);
    if (f.value === null) {
      this.missing[field] = f.missing;
      this.values[field] = null;
      return null;
    }
    const v = f.value * scale;
    this.values[field] = v;
    return v;
  }
}

/** A URN: six digits (100000–999999). */
export function parseUrn(raw: string | undefined, column = 'URN'): number {
  const text = (raw ?? '').trim();
  if (!/^\d{6}$/.test(text)) {
    throw new RowProblem(
      column,
      text === '' ? 'the URN is blank' : `"${text}" is not a URN`,
      'a URN is the six-digit unique reference number from the national register (e.g. 100000)',
    );
  }
  return Number(text);
}

export function optionalUrn(raw: string | undefined, column: string): number | null {
  return (raw ?? '').trim() === '' ? null : parseUrn(raw, column);
}

const dateForms: [RegExp, (m: RegExpMatchArray) => [string, string, string]][] = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, (m) => [m[1]!, m[2]!, m[3]!]],
  [/^(\d{2})[-/](\d{2})[-/](\d{4})$/, (m) => [m[3]!, m[2]!, m[1]!]],
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => [m[1]!, m[2]!, m[3]!]],
];

/**
 * Reads the date forms the public files use (dd-mm-yyyy, dd/mm/yyyy, yyyymmdd, yyyy-mm-dd)
 * into ISO yyyy-mm-dd; blank is null; anything else, or an impossible day, is a row problem.
 */
export function parseDate(raw: string | undefined, column: string): string | null {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  for (const [re, parts] of dateForms) {
    const m = text.match(re);
    if (!m) continue;
    const [y, mo, d] = parts(m);
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d)) {
      return `${y}-${mo}-${d}`;
    }
    break;
  }
  throw new RowProblem(column, `"${text}" is not a valid date`, 'write dates as dd-mm-yyyy (as the register does) or yyyy-mm-dd');
}

export function optionalInt(raw: string | undefined, column: string): number | null {
  const f = dfeFigure(raw, column);
  if (f.value === null) return null;
  if (!Number.isInteger(f.value)) throw new RowProblem(column, `"${raw}" is not a whole number`, 'use a whole number');
  return f.value;
}

export function text(raw: string | undefined): string | null {
  const t = (raw ?? '').trim();
  return t === '' ? null : t;
}
