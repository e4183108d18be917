import { describe, expect, it } from 'vitest';
import { formatPercent, percentUnits, responseRate, roundedPercent, roundHalfAwayFromZero } from './percent.ts';

describe('percentages for display', () => {
  it('rounds to one decimal, half away from zero, exactly', () => {
    expect(formatPercent(31, 68)).toBe('45.6%');
    expect(formatPercent(5, 9)).toBe('55.6%');
    expect(formatPercent(8, 12)).toBe('66.7%');
    expect(formatPercent(31, 31)).toBe('100.0%');
    expect(formatPercent(0, 31)).toBe('0.0%');
    // Exactly half-way: 1/16 = 6.25%, 1/8 = 12.5%, 1/40 = 2.5% (binary floating point would drop some).
    expect(roundedPercent(1, 16)).toBe(6.3);
    expect(roundedPercent(1, 8, 0)).toBe(13);
    expect(roundedPercent(1, 40, 0)).toBe(3);
    expect(percentUnits(21, 31)).toBe(677);
  });

  it('shows an empty cell as a dash and refuses impossible counts', () => {
    expect(formatPercent(0, 0)).toBe('–');
    expect(() => percentUnits(1.5, 3)).toThrow(/whole counts/);
    expect(() => percentUnits(1, 3, 9)).toThrow(/decimals/);
  });

  it('rounds changes in points half away from zero on both sides', () => {
    expect(roundHalfAwayFromZero(2.25)).toBe(2.3);
    expect(roundHalfAwayFromZero(-2.25)).toBe(-2.3);
    expect(roundHalfAwayFromZero(Number.NaN)).toBeNaN();
  });

  it('computes the response rate against everyone invited', () => {
    expect(responseRate(49, 68).percent).toBeCloseTo(72.06, 2);
    expect(() => responseRate(70, 68)).toThrow(/returned ≤ invited/);
  });
});
