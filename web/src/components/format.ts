/** Display formats: British English dates and numbers, vocabulary codes as their labels. */

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('en-GB');

/** `2016-09-01` → `1 Sept 2016`; anything unparseable is shown as it came. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export const formatNumber = (n: number | null | undefined): string => (n === null || n === undefined ? '' : numberFormat.format(n));

export function formatPercent(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return `${n.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
}

/** `school_improvement` → `School improvement`, for codes without a label of their own. */
export function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a vocabulary code, falling back to the humanised code. */
export function labelOf(labels: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return labels[code] ?? humanise(code);
}

/** Today as yyyy-mm-dd in the user's own calendar (not UTC: late evening is still today). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const isIsoDate = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

export const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A moment (ISO timestamp) in the reader's own time zone: `3 Mar 2026, 14:05`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
