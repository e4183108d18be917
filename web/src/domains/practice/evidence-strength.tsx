import { type EvidenceStrength, evidenceStrengthLabel, evidenceStrengthLevels, evidenceStrengthMeaning } from '../../../../common/practice.ts';

const isLevel = (n: number): n is EvidenceStrength => (evidenceStrengthLevels as readonly number[]).includes(n);

/** A rung of the evidence ladder (1 described … 5 ready to spread), drawn as five steps with the reached ones filled. */
export function StrengthBadge({ strength }: { strength: number | null | undefined }) {
  if (strength === null || strength === undefined) return <span className="muted">no evidence of impact yet</span>;
  const meaning = isLevel(strength) ? evidenceStrengthMeaning[strength] : '';
  return (
    <span className="strength-badge" data-strength={strength} title={meaning}>
      <span className="strength-steps" aria-hidden="true">
        {evidenceStrengthLevels.map((l) => (
          <span key={l} className={l <= strength ? 'is-reached' : undefined} />
        ))}
      </span>
      {strength}/5 · {evidenceStrengthLabel(strength)}
    </span>
  );
}

/** The ladder as radio buttons, each rung with what it means; a rung includes those below it. */
export function StrengthChoice({ name, value, onChange, error }: { name: string; value: number | null; onChange: (n: number) => void; error?: string | undefined }) {
  return (
    <fieldset className={`strength-choice${error ? ' has-error' : ''}`}>
      <legend>Strength of the evidence</legend>
      <span className="hint">Each step includes the ones below it (after Nesta’s Standards of Evidence).</span>
      {error ? <span className="field-error">{error}</span> : null}
      {evidenceStrengthLevels.map((l) => (
        <label key={l} className="checkbox strength-option">
          <input type="radio" name={name} value={l} checked={value === l} onChange={() => onChange(l)} />
          <span>
            <strong>
              {l}. {evidenceStrengthLabel(l)}
            </strong>{' '}
            <span className="muted">{evidenceStrengthMeaning[l]}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
