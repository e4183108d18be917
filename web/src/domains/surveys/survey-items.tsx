import type { Answers, FormDimension, FormItem, SurveyForm } from '../../api/surveys.ts';

type Scale = SurveyForm['instrument']['scale'];

/**
 * The items of an instrument as a form: endorse items as tick boxes ("true of my school now";
 * blank = untrue or unclear), scale items as radio options, text items as text areas. Each item
 * carries its stage as the round shows it: a letter (A = lowest) when the round hides stage
 * labels, the stage's name otherwise. Used by the respondent's page and by paper entry, so a
 * keyed-in form looks like the one handed out.
 */
export function SurveyItems({
  dimensions,
  scale,
  answers,
  onChange,
  idPrefix,
  disabled,
}: {
  dimensions: FormDimension[];
  scale: Scale;
  answers: Answers;
  onChange: (code: string, value: boolean | number | string | null) => void;
  idPrefix: string;
  disabled?: boolean;
}) {
  const many = dimensions.length > 1;
  return (
    <div className="survey-items">
      {dimensions.map((d) => (
        <section key={d.code} className="survey-dimension" aria-label={many ? d.label : undefined}>
          {many ? <h2 className="survey-dimension-title">{d.label}</h2> : null}
          {d.strands.map((s) => (
            <fieldset key={s.code} className="survey-strand" data-strand={s.code}>
              <legend>{s.label}</legend>
              {s.description ? <p className="hint">{s.description}</p> : null}
              <ul className="survey-item-list">
                {s.items.map((it) => (
                  <li key={it.code} className={`survey-item survey-item-${it.format}`}>
                    <ItemControl item={it} scale={scale} value={answers[it.code]} onChange={onChange} id={`${idPrefix}-${slug(it.code)}`} disabled={disabled} />
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </section>
      ))}
    </div>
  );
}

/** "JPD A1" → "jpd-a1", for element ids. */
const slug = (code: string) => code.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** The stage as the round shows it: the letter alone when labels are hidden, else the stage's name. */
function StageTag({ item }: { item: FormItem }) {
  if (item.stage === null) return null;
  const text = item.stageLabel ?? item.stage;
  return (
    <span className="stage-tag" title={item.stageLabel ? `Stage: ${item.stageLabel}` : `Stage ${item.stage}`}>
      {text}
    </span>
  );
}

function ItemControl({
  item,
  scale,
  value,
  onChange,
  id,
  disabled,
}: {
  item: FormItem;
  scale: Scale;
  value: boolean | number | string | undefined;
  onChange: (code: string, value: boolean | number | string | null) => void;
  id: string;
  disabled: boolean | undefined;
}) {
  switch (item.format) {
    case 'endorse':
      return (
        <label className="checkbox endorse-item" htmlFor={id}>
          <input id={id} type="checkbox" checked={value === true} disabled={disabled} onChange={(e) => onChange(item.code, e.target.checked ? true : null)} />
          <StageTag item={item} />
          <span className="item-text">{item.text}</span>
          {item.help ? <span className="hint item-help">{item.help}</span> : null}
        </label>
      );
    case 'scale':
      return (
        <fieldset className="scale-item">
          <legend>
            <StageTag item={item} /> <span className="item-text">{item.text}</span>
          </legend>
          {item.help ? <p className="hint">{item.help}</p> : null}
          <div className="scale-options">
            {(scale ?? []).map((o) => (
              <label key={o.value} className="scale-option">
                <input type="radio" name={id} value={o.value} checked={value === o.value} disabled={disabled} onChange={() => onChange(item.code, o.value)} />
                {o.label}
              </label>
            ))}
            {typeof value === 'number' ? (
              <button type="button" className="link-button" onClick={() => onChange(item.code, null)} disabled={disabled}>
                Clear
              </button>
            ) : null}
          </div>
        </fieldset>
      );
    case 'text':
      return (
        <div className="field">
          <label htmlFor={id}>
            <StageTag item={item} /> {item.text}
          </label>
          {item.help ? <span className="hint">{item.help}</span> : null}
          <textarea id={id} rows={3} maxLength={2000} value={typeof value === 'string' ? value : ''} disabled={disabled} onChange={(e) => onChange(item.code, e.target.value === '' ? null : e.target.value)} />
        </div>
      );
    default: {
      const unknown: never = item.format;
      return <p className="muted">This item’s format ({String(unknown)}) cannot be shown.</p>;
    }
  }
}

/** Sets or clears one answer (null clears: a blank is "untrue or unclear", sent as nothing). */
export function withAnswer(answers: Answers, code: string, value: boolean | number | string | null): Answers {
  const next = { ...answers };
  if (value === null) delete next[code];
  else next[code] = value;
  return next;
}

/** How many items carry an answer, for the line above the submit button. */
export const answeredCount = (answers: Answers): number => Object.keys(answers).length;
