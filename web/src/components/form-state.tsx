import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type FieldError } from '../api/client.ts';
import { ErrorNotice } from './states.tsx';

/** A form's request in flight and its refusal, with the server's message for each field. */
export type Submission = {
  busy: boolean;
  error: Error | null;
  /** The server's message for a field, by dotted path (`baseline.value`), or undefined. */
  fieldError: (path: string) => string | undefined;
  /** The server's message for exactly this path (not for the fields inside it). */
  exactError: (path: string) => string | undefined;
  /** Runs the request; a refusal is kept (and shown by <FormError>), never thrown. */
  run: <T>(send: () => Promise<T>) => Promise<T | undefined>;
  /** Refuses the form before sending it (a blank number, say), shown as the server's refusals are. */
  refuse: (errors: FieldError[]) => void;
  clear: () => void;
};

export function useSubmission(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = useCallback(async <T,>(send: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await send();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const fieldError = useCallback((path: string) => (error instanceof ApiError ? error.fieldError(path) : undefined), [error]);
  const exactError = useCallback((path: string) => (error instanceof ApiError ? error.fieldErrors.find((e) => e.path === path)?.message : undefined), [error]);
  const clear = useCallback(() => setError(null), []);
  const refuse = useCallback((errors: FieldError[]) => {
    setError(new ApiError(400, { title: 'Invalid request', code: 'TRELLIS_INVALID', detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors }));
  }, []);
  return { busy, error, fieldError, exactError, run, refuse, clear };
}

/** The refusal of a form, above it, focused when it appears so it is read first. */
export function FormError({ submission, title }: { submission: Submission; title: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (submission.error) ref.current?.focus();
  }, [submission.error]);
  if (!submission.error) return null;
  return (
    <div tabIndex={-1} ref={ref} data-testid="form-error">
      <ErrorNotice error={submission.error} title={title} />
    </div>
  );
}

/** The fields left blank among those required: `[path, value, message]` → refusals. */
export function blanks(checks: [path: string, value: string, message: string][]): FieldError[] {
  return checks.filter(([, value]) => value.trim() === '').map(([path, , message]) => ({ path, message }));
}

/** "1,234.50" or "1234.5" pounds → pence; null when blank or not a sum of money. */
export function poundsToPence(text: string): number | null {
  const t = text.replace(/[£,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/** Pence → the pounds a money field shows: 150000 → "1500", 12345 → "123.45". */
export const penceToPounds = (pence: number): string => (pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2));

/** A number field's text → a number, or NaN (sent as is, so the server names the field). */
export function numberOf(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

/** Lines of a text area, trimmed, blanks dropped. */
export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
