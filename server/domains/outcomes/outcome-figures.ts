import { FigureSet } from '../imports/dfe-values.ts';
import { RowProblem } from '../imports/import-error.ts';

/** Rounds away binary noise (0.162 × 100 = 16.200000000000003) without losing real digits. */
const tidy = (v: number) => Math.round(v * 1e6) / 1e6;

/** A cell that is just a decimal number, as most are. */
const plainNumber = /^-?\d+(\.\d+)?$/;

/**
 * A FigureSet that also checks each figure is the kind of number its column holds, so a bad
 * value is refused with its column named rather than failing a database check later.
 */
export class OutcomeFigures extends FigureSet {
  readonly #record: Record<string, string>;
  constructor(record: Record<string, string>) {
    super(record);
    this.#record = record;
  }

  /** Plain numbers (most cells) skip the general reader; codes, blanks and "12%" take it. */
  override take(field: string, column: string, scale = 1): number | null {
    const raw = this.#record[column];
    if (raw !== undefined && plainNumber.test(raw)) {
      const v = Number(raw) * scale;
      this.values[field] = v;
      return v;
    }
    return super.take(field, column, scale);
  }

  /** Any number (progress scores and value added can be negative). */
  score(field: string, column: string): number | null {
    return this.take(field, column);
  }

  /** A head count: a whole number, not negative. */
  count(field: string, column: string): number | null {
    const v = this.take(field, column);
    if (v !== null && (!Number.isInteger(v) || v < 0)) {
      throw new RowProblem(column, `"${v}" is not a number of pupils`, 'use a whole number of 0 or more, or a DfE missing-value code');
    }
    return v;
  }

  /** A money amount in pounds, or a full-time-equivalent pupil number (349.5): not negative. */
  amount(field: string, column: string): number | null {
    const v = this.take(field, column);
    if (v !== null && v < 0) throw new RowProblem(column, `"${v}" is negative`, 'use a number of 0 or more');
    return v;
  }

  /** A percentage, 0–100 ("12%" and "12" both read as 12). */
  pct(field: string, column: string): number | null {
    const v = this.take(field, column);
    if (v !== null && (v < 0 || v > 100)) {
      throw new RowProblem(column, `${v} is not a percentage`, 'use a percentage between 0 and 100');
    }
    return v;
  }

  /** A proportion 0–1 in the file, stored as a percentage (0.162 → 16.2). */
  fractionAsPct(field: string, column: string): number | null {
    const v = this.take(field, column);
    if (v === null) return null;
    if (v < 0 || v > 1) throw new RowProblem(column, `${v} is not a proportion`, 'this column holds proportions between 0 and 1 (0.162 for 16.2%)');
    const pct = tidy(v * 100);
    this.values[field] = pct;
    return pct;
  }

  /** A progress band, 1 (well above average) to 5 (well below). */
  band(field: string, column: string): number | null {
    const v = this.take(field, column);
    if (v !== null && (!Number.isInteger(v) || v < 1 || v > 5)) {
      throw new RowProblem(column, `"${v}" is not a progress band`, 'use a band from 1 (well above average) to 5 (well below average)');
    }
    return v;
  }
}
