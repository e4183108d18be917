import { describe, expect, it } from 'vitest';
import { academicYearEnding, academicYearOf, asOfFromAcademicYearName, asOfFromYearName } from './academic-year.ts';

describe('academic years', () => {
  it('runs from September to August', () => {
    expect(academicYearOf('2019-08-31')).toBe('2018/19');
    expect(academicYearOf('2019-09-01')).toBe('2019/20');
    expect(academicYearOf('2000-01-17')).toBe('1999/00');
  });

  it('reads the year a file names', () => {
    expect(asOfFromAcademicYearName('2018-19_england_census.csv')).toBe('2019-08-31');
    expect(asOfFromAcademicYearName('eng-schools_2018-19_england_ks2final_trimmed.csv')).toBe('2019-08-31');
    expect(asOfFromAcademicYearName('pupil-premium-2019-2020.csv')).toBe('2020-08-31');
    expect(asOfFromAcademicYearName('2018-20_nonsense.csv')).toBeNull();
    expect(asOfFromAcademicYearName('england_census.csv')).toBeNull();
    expect(asOfFromYearName('schools-data_ks2_perf_2016.csv')).toBe('2016-08-31');
  });

  it('turns the schools-data "Academic Year" into the year it ends', () => {
    expect(academicYearEnding('2016', 'Academic Year')).toBe('2015/16');
    expect(() => academicYearEnding('16', 'Academic Year')).toThrow(/is not a year/);
  });
});
