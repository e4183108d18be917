import { useEffect, useId, useState } from 'react';
import { Phase } from '../../../../common/vocabulary.ts';
import type { ActivityCatalogue } from '../../api/activities.ts';
import type { Resource } from '../../api/use-resource.ts';
import { isIsoDate, today } from '../../components/format.ts';
import type { AnalysisFilters, AnalysisScope } from './analysis-query.ts';

type Props = {
  scope: AnalysisScope;
  filters: AnalysisFilters;
  onChange: (next: AnalysisFilters) => void;
  catalogue: Resource<ActivityCatalogue>;
  /** Local authorities to suggest (those of the schools shown). */
  localAuthorities: readonly string[];
  /** Leave out the date (the "what changed" page has two of its own). */
  withoutDate?: boolean;
};

/**
 * The analysis filters. Every change applies at once (the address changes and the snapshot
 * reloads), except the local authority, which is typed and then applied.
 */
export function AnalysisFilterBar({ scope, filters, onChange, catalogue, localAuthorities, withoutDate }: Props) {
  const id = useId();
  const set = (patch: Partial<AnalysisFilters>) => onChange({ ...filters, ...patch });
  return (
    <fieldset className="filters analysis-filters" aria-label="Analysis filters">
      <legend>Filters</legend>
      {withoutDate ? null : (
        <div className="field">
          <label htmlFor={`${id}-at`}>Snapshot on</label>
          <input
            id={`${id}-at`}
            type="date"
            value={filters.at ?? today()}
            min="1990-01-01"
            max="2100-12-31"
            onChange={(e) => {
              if (isIsoDate(e.target.value)) set({ at: e.target.value === today() ? null : e.target.value });
            }}
          />
        </div>
      )}
      {scope.kind === 'area' ? (
        <div className="field">
          <label htmlFor={`${id}-basis`}>Schools linked by</label>
          <select id={`${id}-basis`} value={filters.basis} onChange={(e) => set({ basis: e.target.value === 'membership' ? 'membership' : 'activity' })}>
            <option value="activity">Recorded collaboration</option>
            <option value="membership">Shared trusts, federations and clusters</option>
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-phase`}>Phase</label>
        <select id={`${id}-phase`} value={filters.phase ?? ''} onChange={(e) => set({ phase: e.target.value || null })}>
          <option value="">All phases</option>
          {Object.entries(Phase.labels).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {scope.kind === 'area' ? <LocalAuthorityField value={filters.la} suggestions={localAuthorities} onApply={(la) => set({ la })} /> : null}
      <label className="switch directed-switch">
        <input type="checkbox" checked={filters.directed} onChange={(e) => set({ directed: e.target.checked })} />
        Directed (who gives to whom)
      </label>
      {filters.basis === 'activity' ? <ActivityTypePicker catalogue={catalogue} chosen={filters.types} onChange={(types) => set({ types })} /> : null}
    </fieldset>
  );
}

function LocalAuthorityField({ value, suggestions, onApply }: { value: string | null; suggestions: readonly string[]; onApply: (la: string | null) => void }) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <form
      className="field la-field"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(text.trim() || null);
      }}
    >
      <label htmlFor={`${id}-la`}>Local authority</label>
      <div className="inline-row">
        <input id={`${id}-la`} type="search" value={text} list={`${id}-las`} placeholder="All" onChange={(e) => setText(e.target.value)} autoComplete="off" />
        <button type="submit" className="button button-secondary button-small">
          Apply
        </button>
      </div>
      <datalist id={`${id}-las`}>
        {suggestions.map((la) => (
          <option key={la} value={la} />
        ))}
      </datalist>
    </form>
  );
}

/**
 * The activity types to count, as a disclosure of checkboxes by category: none ticked means
 * every type. Types retired from the catalogue stay, since older ties come from them.
 */
function ActivityTypePicker({ catalogue, chosen, onChange }: { catalogue: Resource<ActivityCatalogue>; chosen: string[]; onChange: (types: string[]) => void }) {
  const id = useId();
  const labels = new Map(catalogue.data?.categories.flatMap((c) => c.types.map((t) => [t.code, t.label] as const)) ?? []);
  const summary = chosen.length === 0 ? 'All activity types' : chosen.length === 1 ? (labels.get(chosen[0]!) ?? chosen[0]!) : `${chosen.length} activity types`;
  const toggle = (code: string, on: boolean) => onChange(on ? [...chosen, code].sort() : chosen.filter((c) => c !== code));
  return (
    <details className="type-picker" data-testid="type-picker">
      <summary>
        <span className="type-picker-label">Activity types:</span> {summary}
      </summary>
      <div className="type-picker-body">
        {catalogue.state === 'loading' ? <p className="muted small">Loading the activity types…</p> : null}
        {catalogue.state === 'error' ? <p className="field-error">The activity types could not be loaded: {catalogue.error.message}</p> : null}
        {catalogue.data?.categories.map((category) => (
          <fieldset key={category.code} className="type-group">
            <legend>{category.label}</legend>
            {category.types.map((t) => (
              <label key={t.code} className="checkbox" htmlFor={`${id}-${t.code}`}>
                <input id={`${id}-${t.code}`} type="checkbox" checked={chosen.includes(t.code)} onChange={(e) => toggle(t.code, e.target.checked)} />
                {t.label}
                {t.retiredOn ? <span className="muted small"> (retired)</span> : null}
              </label>
            ))}
          </fieldset>
        ))}
        {chosen.length > 0 ? (
          <button type="button" className="button button-secondary button-small" onClick={() => onChange([])}>
            Count every type
          </button>
        ) : null}
      </div>
    </details>
  );
}
