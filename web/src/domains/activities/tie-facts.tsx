import { StaffLevel, TieClass } from '../../../../common/activities.ts';
import { tieRule } from '../../../../analytics/ties/tie-rule.ts';
import type { TieMeasures } from '../../api/activities.ts';
import { formatDate, labelOf, plural } from '../../components/format.ts';

export function TieBadge({ tieClass }: { tieClass: TieMeasures['class'] }) {
  return <span className={`badge tie-badge tie-${tieClass}`}>{tieClass === 'dormant' ? 'Dormant' : labelOf(TieClass.labels, tieClass)}</span>;
}

/** The 0–1 strength score as a short bar (it orders ties; the class is the rule). */
export function StrengthMeter({ strength }: { strength: number }) {
  const pct = Math.round(strength * 100);
  return (
    <span className="strength" title={`Strength score ${strength.toFixed(2)} of 1`}>
      <span className="strength-bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="visually-hidden">Strength score {strength.toFixed(2)} of 1</span>
    </span>
  );
}

/**
 * Why a tie is strong, weak or dormant: the server's rule (analytics/ties/tie-rule.ts) checked
 * against the last twelve months, one line per condition, so a reader sees what is missing.
 */
export function TieRuleCheck({ tie }: { tie: TieMeasures }) {
  if (tie.class === 'dormant') return <p className="small muted">No contact in the last 12 months, so the tie is dormant.</p>;
  const r = tie.recent;
  const checks: [ok: boolean, text: string][] = [
    [r.contacts >= tieRule.strongContacts, `${plural(r.contacts, 'contact')} in the last 12 months (strong needs ${tieRule.strongContacts})`],
    [r.types >= tieRule.strongTypes, `${plural(r.types, 'kind')} of activity (strong needs ${tieRule.strongTypes})`],
    [r.levels.length >= tieRule.strongLevels, `${plural(r.levels.length, 'level')} of people (strong needs ${tieRule.strongLevels})`],
    [r.gave > 0 && r.received > 0, r.gave > 0 && r.received > 0 ? 'help went both ways' : r.gave + r.received === 0 ? 'no help given either way (side-by-side work only)' : 'help went one way only (strong needs both)'],
  ];
  return (
    <ul className="rule-check" aria-label={`Why this tie is ${tie.class}`}>
      {checks.map(([ok, text]) => (
        <li key={text} className={ok ? 'is-met' : 'is-unmet'}>
          <span aria-hidden="true">{ok ? '✓' : '✗'}</span> <span className="visually-hidden">{ok ? 'Met: ' : 'Not met: '}</span>
          {text}
        </li>
      ))}
    </ul>
  );
}

/** The facts behind a tie: frequency, recency, multiplexity, levels of people, longevity, direction. */
export function TieFacts({ tie, side = 'this school' }: { tie: TieMeasures; side?: string }) {
  return (
    <dl className="tie-facts">
      <div>
        <dt>Frequency</dt>
        <dd>
          {plural(tie.recent.contacts, 'contact')} in 12 months; {plural(tie.contacts, 'contact')} in all ({plural(tie.activities, 'activity', 'activities')},{' '}
          {tie.hours.toLocaleString('en-GB', { maximumFractionDigits: 1 })} h)
        </dd>
      </div>
      <div>
        <dt>Recency</dt>
        <dd>
          last {formatDate(tie.lastContact)} ({tie.daysSinceLastContact === 0 ? 'today' : `${plural(tie.daysSinceLastContact, 'day')} ago`})
        </dd>
      </div>
      <div>
        <dt>Multiplexity</dt>
        <dd>{plural(tie.types, 'kind')} of activity</dd>
      </div>
      <div>
        <dt>People</dt>
        <dd>{tie.levels.length === 0 ? 'not recorded' : tie.levels.map((l) => StaffLevel.labels[l].toLowerCase()).join(', ')}</dd>
      </div>
      <div>
        <dt>Longevity</dt>
        <dd>
          since {formatDate(tie.firstContact)}
          {tie.longStanding ? <span className="badge badge-kind">Long-standing</span> : null}
        </dd>
      </div>
      <div>
        <dt>Giving and receiving</dt>
        <dd>
          {side} gave {tie.gave}, received {tie.received}
          {tie.reciprocity !== null ? ` (reciprocity ${tie.reciprocity.toFixed(2)})` : ''}
        </dd>
      </div>
    </dl>
  );
}

/** Giving against receiving as one bar: the giving share on the left. */
export function BalanceBar({ gave, received }: { gave: number; received: number }) {
  const total = gave + received;
  if (total === 0) return <p className="muted">No help given or received in either direction yet: the school has only worked side by side with its partners.</p>;
  const pct = Math.round((gave / total) * 100);
  const verdict = pct >= 65 ? 'mostly gives' : pct <= 35 ? 'mostly receives' : 'gives and receives in roughly equal measure';
  return (
    <div className="balance" data-testid="balance">
      <p>
        Across its ties the school <strong>{verdict}</strong>: it gave in {plural(gave, 'contact')} and received in {plural(received, 'contact')}.
      </p>
      <div className="balance-bar" aria-hidden="true">
        {pct > 0 ? (
          <span className="balance-give" style={{ width: `${pct}%` }}>
            {pct >= 12 ? `Gives ${pct}%` : ''}
          </span>
        ) : null}
        {pct < 100 ? (
          <span className="balance-receive" style={{ width: `${100 - pct}%` }}>
            {100 - pct >= 12 ? `Receives ${100 - pct}%` : ''}
          </span>
        ) : null}
      </div>
    </div>
  );
}
