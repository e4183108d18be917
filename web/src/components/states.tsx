import { type ReactNode, useEffect } from 'react';
import { ApiError } from '../api/client.ts';

/** Sets the tab title: "School name · Trellis". */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Trellis` : 'Trellis';
  }, [title]);
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({ error, onRetry, title }: { error: Error; onRetry?: () => void; title?: string }) {
  const heading = title ?? (error instanceof ApiError ? errorTitle(error) : 'Something went wrong');
  // One field's refusal ("goals: at most five…") reads as its sentence alone, not twice over.
  const single = error instanceof ApiError && error.fieldErrors.length === 1 && error.message.endsWith(error.fieldErrors[0]!.message) ? error.fieldErrors[0]! : null;
  const fieldList = error instanceof ApiError && !single ? error.fieldErrors : [];
  const message = single
    ? single.message.charAt(0).toUpperCase() + single.message.slice(1)
    : fieldList.length > 0 && error instanceof ApiError && error.code === 'TRELLIS_INVALID'
      ? 'Some answers need changing; each is marked beside its field:'
      : error.message;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{heading}</p>
      <p>{message}</p>
      {fieldList.length > 0 ? (
        <ul>
          {fieldList.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path ? <code>{e.path}</code> : null} {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

function errorTitle(error: ApiError): string {
  if (error.status === 404) return 'Not found';
  if (error.status === 0) return 'No connection';
  if (error.status >= 500) return 'The server could not answer';
  return error.title;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A label/value list that leaves out the facts we do not have. */
export function Facts({ items }: { items: [label: string, value: ReactNode][] }) {
  const present = items.filter(([, value]) => value !== null && value !== undefined && value !== '' && value !== false);
  if (present.length === 0) return null;
  return (
    <dl className="facts">
      {present.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
