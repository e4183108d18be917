import { describe, expect, it } from 'vitest';
import { chiSquareUpperP, normalQuantile, normalTwoSidedP, tQuantile, tTwoSidedP } from './distributions.ts';

// Textbook table values (e.g. Abramowitz & Stegun, tables 26.1, 26.8 and 26.10).
describe('distribution wrappers', () => {
  it('gives standard critical values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228138852, 8);
    expect(normalTwoSidedP(1.959963985)).toBeCloseTo(0.05, 9);
    expect(tTwoSidedP(-2.228138852, 10)).toBeCloseTo(0.05, 9);
    expect(chiSquareUpperP(3.841458821, 1)).toBeCloseTo(0.05, 9);
  });

  it('keeps tiny two-sided p-values instead of rounding them to zero', () => {
    expect(normalTwoSidedP(30)).toBeGreaterThan(0);
    expect(tTwoSidedP(60, 30)).toBeGreaterThan(0);
    expect(tTwoSidedP(Number.NaN, 5)).toBeNaN();
  });
});
