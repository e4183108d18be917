import { useRef, useState } from 'react';
import { RespondentRole } from '../../../../common/instruments.ts';
import type { IssuedInvitation } from '../../api/surveys.ts';
import { labelOf } from '../../components/format.ts';

/** "Teacher" for a role code; "any role" for an invitation that leaves it to the respondent. */
export const roleLabel = (role: string | null): string => (role === null ? 'any role' : labelOf(RespondentRole.labels, role));

/** Copies text, falling back to selecting it for Ctrl+C where the clipboard API is not offered (plain http). */
function useCopy(): [string | null, (text: string, select?: () => void) => void] {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (text: string, select?: () => void) => {
    select?.();
    const byHand = () => setCopied('Select it and copy it by hand (Ctrl+C or ⌘C).');
    // The clipboard API exists only on secure pages (https or localhost).
    if (window.isSecureContext && navigator.clipboard) navigator.clipboard.writeText(text).then(() => setCopied('Copied.'), byHand);
    else byHand();
  };
  return [copied, copy];
}

/**
 * Links and codes just issued, each with a copy button and all together as text to paste into
 * an email or a mail merge. Shown once: Trellis keeps only a fingerprint of each, so they are
 * gone when the page is left (a reminder issues fresh ones).
 */
export function IssuedList({ items, title, testId }: { items: IssuedInvitation[]; title: string; testId: string }) {
  const [copied, copy] = useCopy();
  const all = useRef<HTMLTextAreaElement>(null);
  const withSecret = items.filter((i) => i.link !== null);
  const line = (i: IssuedInvitation) =>
    [i.label ?? (i.kind === 'code' ? `Code ${i.code}` : 'Paper forms'), i.school?.name ?? 'any school', roleLabel(i.role), i.link ?? ''].filter(Boolean).join(' — ');
  return (
    <div className="notice notice-success issued" role="status" data-testid={testId}>
      <p className="notice-title">{title}</p>
      {withSecret.length > 0 ? (
        <p className="small">Copy them now: Trellis keeps only a fingerprint of each, so they cannot be shown again. A reminder issues fresh ones.</p>
      ) : null}
      <ul className="issued-list">
        {items.map((i) => (
          <li key={`${i.invitationId}:${i.link ?? ''}`} className="issued-item" data-kind={i.kind} data-label={i.label ?? ''} data-school={i.school?.name ?? ''}>
            <span className="issued-who">
              <strong>{i.label ?? (i.kind === 'code' ? 'Shared code' : 'Paper forms')}</strong>
              <span className="sub">
                {i.school?.name ?? 'Any school of the round'} · {roleLabel(i.role)}
              </span>
            </span>
            <span className="issued-secret">
              {i.code ? (
                <span className="issued-code">
                  Code <code data-testid="issued-code">{i.code}</code> <span className="sub">to type at {window.location.origin}/survey, or to open with this link:</span>
                </span>
              ) : null}
              {i.link ? (
                <span className="copy-row">
                  <input type="text" readOnly value={i.link} aria-label={`Link for ${i.label ?? i.code ?? 'the code'}`} data-testid="issued-link" onFocus={(e) => e.target.select()} />
                  <button type="button" className="button button-secondary button-small" onClick={() => copy(i.link ?? '')}>
                    Copy
                  </button>
                </span>
              ) : (
                <span className="muted small">Recorded: key the returned forms in under “Key in a paper form”.</span>
              )}
            </span>
          </li>
        ))}
      </ul>
      {withSecret.length > 1 ? (
        <div className="field">
          <label htmlFor={`${testId}-all`}>All of them, one a line</label>
          <textarea id={`${testId}-all`} ref={all} readOnly rows={Math.min(8, withSecret.length + 1)} value={withSecret.map(line).join('\n')} />
          <button type="button" className="button button-secondary button-small copy-all" onClick={() => copy(withSecret.map(line).join('\n'), () => all.current?.select())}>
            Copy all
          </button>
        </div>
      ) : null}
      <p className="small" aria-live="polite">
        {copied ?? ''}
      </p>
    </div>
  );
}
