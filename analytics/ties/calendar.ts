/**
 * Dates as whole day numbers (days since 1970-01-01, UTC), so the tie kernel compares and
 * subtracts integers in typed arrays instead of handling Date objects.
 */

const msPerDay = 86_400_000;

/** 'yyyy-mm-dd' → day number. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / msPerDay;
}

/** Day number → 'yyyy-mm-dd'. */
export function isoDay(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/**
 * `months` calendar months after `day`, on the same day of the month or the month's last day
 * when it is shorter (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(day: number, months: number): number {
  if (months === 0) return day;
  const d = new Date(day * msPerDay);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last)) / msPerDay;
}

/**
 * The day of occurrence `k` (0-based) of a series starting on `first` and repeating every
 * `everyDays` days or, when that is 0, every `everyMonths` months. Monthly steps are counted from
 * the first date each time, so a series on the 31st does not drift to the 28th.
 */
export function occurrenceDay(first: number, everyDays: number, everyMonths: number, k: number): number {
  if (k === 0) return first;
  if (everyDays > 0) return first + k * everyDays;
  return addMonths(first, k * everyMonths);
}
