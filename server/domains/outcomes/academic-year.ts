import { RowProblem } from '../imports/import-error.ts';

/**
 * English academic years run from 1 September to 31 August and are written "2018/19".
 * Performance files without a year column take theirs from the import's as-of date.
 */
export function academicYearOf(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const start = month >= 9 ? year : year - 1;
  return `${start}/${String(start + 1).slice(2)}`;
}

/** The year ending in `endYear` ("Academic Year" 2016 in the schools-data files is 2015/16). */
export function academicYearEnding(raw: string | undefined, column: string): string {
  const text = (raw ?? '').trim();
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) {
    throw new RowProblem(column, `"${text}" is not a year`, 'give the calendar year the academic year ends in, e.g. 2016 for 2015/16');
  }
  return `${year - 1}/${String(year).slice(2)}`;
}

/**
 * The as-of date of a file named after its academic year ("2018-19_england_census.csv",
 * "pupil-premium-2019-2020.csv"): the last day of that year, 31 August. Null when the name has
 * no such year (the import then needs --as-of).
 */
export function asOfFromAcademicYearName(fileName: string): string | null {
  const m = fileName.match(/(20\d{2})[-_](?:20)?(\d{2})(?!\d)/);
  if (!m) return null;
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2])) return null;
  return `${start + 1}-08-31`;
}

/** The as-of date of a file named after the calendar year its results were published for ("ks2_perf_2016"). */
export function asOfFromYearName(fileName: string): string | null {
  const m = fileName.match(/_(20\d{2})\.csv$/i);
  return m ? `${m[1]}-08-31` : null;
}
