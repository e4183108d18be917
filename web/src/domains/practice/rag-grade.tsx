import { RagGrade, ragColour } from '../../../../common/practice.ts';

/**
 * A grade of the RAG wheel as a chip in its ring colour (common/practice.ts: red, amber, green,
 * purple), with the colour also named in words so it does not rest on colour alone.
 */
export function RagChip({ grade, prefix }: { grade: RagGrade | null | undefined; prefix?: string }) {
  if (!grade) return <span className="muted">not judged</span>;
  const colour = ragColour[grade];
  return (
    <span className={`rag-chip rag-${grade}`} data-grade={grade} style={{ background: colour.hex }} title={`${RagGrade.labels[grade]} (${colour.name} on the wheel)`}>
      {prefix ? `${prefix}: ` : ''}
      {RagGrade.labels[grade]}
    </span>
  );
}

/** Choosing a grade: four chips as radio buttons, lowest first as on the wheel, and "none" when optional. */
export function RagChoice({
  name,
  legend,
  value,
  onChange,
  optional,
  error,
}: {
  name: string;
  legend: string;
  value: RagGrade | null;
  onChange: (grade: RagGrade | null) => void;
  optional?: boolean;
  error?: string | undefined;
}) {
  return (
    <fieldset className={`rag-choice${error ? ' has-error' : ''}`} data-testid={`rag-choice-${name}`}>
      <legend>{legend}</legend>
      {error ? <span className="field-error">{error}</span> : null}
      <div className="rag-options">
        {optional ? (
          <label className="rag-option">
            <input type="radio" name={name} value="" checked={value === null} onChange={() => onChange(null)} />
            <span className="rag-none">No grade</span>
          </label>
        ) : null}
        {RagGrade.codes.map((g) => (
          <label key={g} className="rag-option">
            <input type="radio" name={name} value={g} checked={value === g} onChange={() => onChange(g)} />
            <RagChip grade={g} />
          </label>
        ))}
      </div>
    </fieldset>
  );
}
