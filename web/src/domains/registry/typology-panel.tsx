import { type FormEvent, Fragment, useEffect, useRef, useState } from 'react';
import { ApiError, type FieldError } from '../../api/client.ts';
import { registry, type TypologyView } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { checkDeclared, describeValue, dimensionLabel, type Field, fieldGroups, typologyFields, valueAt, withValue } from './typology-fields.ts';

type Computed = TypologyView['computed'][string];

function computedFor(view: TypologyView, field: { path: string; key: string }): Computed | undefined {
  return view.computed[field.path] ?? view.computed[field.key];
}

function disagreementFor(view: TypologyView, field: { path: string; key: string }) {
  return view.disagreements.find((d) => d.dimension === field.path || d.dimension === field.key);
}

/**
 * Declared and computed classifications side by side (DOMAIN.md §2): what the network says it is,
 * and what its member data shows, with the rows where they disagree marked.
 */
export function TypologyPanel({ networkId, on }: { networkId: number; on: string }) {
  const typology = useResource(`typology:${networkId}:${on}`, (signal) => registry.typology(networkId, on, signal));
  const [saved, setSaved] = useState<TypologyView | null>(null);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const view = saved && saved.on === typology.data?.on ? saved : typology.data;

  return (
    <section aria-labelledby="typology-heading" className="panel" data-testid="typology">
      <div className="panel-head">
        <h2 id="typology-heading">Classification</h2>
        {view && !editing ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setEditing(true);
              setMessage(null);
            }}
          >
            Declare values
          </button>
        ) : null}
      </div>
      <p className="muted">
        What the network declares about itself beside what Trellis computes from its members on {formatDate(on)}. Rows
        marked <span className="disagree-key">Differs</span> disagree.
      </p>
      {message ? (
        <p className="notice notice-success" role="status">
          {message}
        </p>
      ) : null}
      {typology.state === 'loading' ? <Loading label="Loading the classification…" /> : null}
      {typology.state === 'error' ? <ErrorNotice error={typology.error} onRetry={typology.reload} /> : null}
      {view && editing ? (
        <TypologyForm
          networkId={networkId}
          view={view}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setSaved(next);
            setEditing(false);
            setMessage('Declared values saved.');
          }}
        />
      ) : null}
      {view && !editing ? <TypologyTable view={view} /> : null}
    </section>
  );
}

function TypologyTable({ view }: { view: TypologyView }) {
  const [showAll, setShowAll] = useState(false);
  const known = new Set(typologyFields.flatMap((f) => [f.path, f.key]));
  const computedOnly = Object.entries(view.computed).filter(([key]) => !known.has(key));
  const hasValue = (field: Field) => valueAt(view.declared, field.path) !== undefined || computedFor(view, field) !== undefined;
  const hidden = typologyFields.filter((f) => !hasValue(f)).length;
  const groups = fieldGroups()
    .map((g) => ({ ...g, fields: showAll ? g.fields : g.fields.filter(hasValue) }))
    .filter((g) => g.fields.length > 0);
  return (
    <>
    <div className="table-wrap">
      <table className="data-table typology-table">
        <caption className="visually-hidden">Declared and computed values for each dimension</caption>
        <thead>
          <tr>
            <th scope="col">Dimension</th>
            <th scope="col">Declared</th>
            <th scope="col">Computed (basis)</th>
          </tr>
        </thead>
        <tbody>
          {computedOnly.length > 0 ? (
            <>
              <tr className="group-row">
                <th scope="colgroup" colSpan={3}>
                  From the member data
                </th>
              </tr>
              {computedOnly.map(([key, c]) => (
                <tr key={key}>
                  <th scope="row">{dimensionLabel(key)}</th>
                  <td className="muted">Computed only</td>
                  <td>
                    <ComputedCell path={key} computed={c} />
                  </td>
                </tr>
              ))}
            </>
          ) : null}
          {groups.map((group) => (
            <Fragment key={group.title}>
              <tr className="group-row">
                <th scope="colgroup" colSpan={3}>
                  {group.title}
                </th>
              </tr>
              {group.fields.map((field) => {
                const declared = describeValue(field.path, valueAt(view.declared, field.path));
                const computed = computedFor(view, field);
                const differs = disagreementFor(view, field);
                return (
                  <tr key={field.path} className={differs ? 'is-disagreement' : undefined} data-dimension={field.path}>
                    <th scope="row">
                      {field.label}
                      {differs ? <span className="disagree-key">Differs</span> : null}
                    </th>
                    <td>{declared || <span className="muted">Not declared</span>}</td>
                    <td>{computed ? <ComputedCell path={field.path} computed={computed} /> : <span className="muted">Not computable</span>}</td>
                  </tr>
                );
              })}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
    {hidden > 0 ? (
      <button type="button" className="button button-secondary button-small table-toggle" aria-expanded={showAll} onClick={() => setShowAll((v) => !v)}>
        {showAll ? 'Show only dimensions with a value' : `Show all dimensions (${hidden} with no value yet)`}
      </button>
    ) : null}
    </>
  );
}

function ComputedCell({ path, computed }: { path: string; computed: Computed }) {
  const value = describeValue(path, computed.value);
  return (
    <>
      <span className="computed-value">{value || '—'}</span>
      <span className="basis">{computed.basis}</span>
    </>
  );
}

function TypologyForm({
  networkId,
  view,
  onCancel,
  onSaved,
}: {
  networkId: number;
  view: TypologyView;
  onCancel: () => void;
  onSaved: (view: TypologyView) => void;
}) {
  const [draft, setDraft] = useState<Record<string, unknown>>(() => structuredClone(view.declared));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (errors.length > 0 || failure) summary.current?.focus();
  }, [errors, failure]);

  const errorFor = (path: string) => errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  const set = (path: string, value: string | string[] | undefined) => {
    setDraft((d) => withValue(d, path, value));
    setErrors((list) => list.filter((e) => !(e.path === path || e.path.startsWith(`${path}.`))));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    const checked = checkDeclared(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setSaving(true);
    try {
      onSaved(await registry.saveTypology(networkId, checked.value));
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setErrors(error.fieldErrors);
      } else {
        setFailure(error instanceof Error ? error : new Error(String(error)));
      }
    } finally {
      setSaving(false);
    }
  };

  const fieldId = (path: string) => `typology-${path.replace(/\./g, '-')}`;
  return (
    <form className="typology-form" onSubmit={submit} noValidate aria-label="Declare classification">
      {errors.length > 0 ? (
        <div className="notice notice-error" role="alert" tabIndex={-1} ref={summary}>
          <p className="notice-title">Some values cannot be saved</p>
          <ul>
            {errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <a href={`#${fieldId(fieldPathOf(e.path))}`}>{dimensionLabel(fieldPathOf(e.path)) || 'Form'}</a>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {failure ? (
        <div tabIndex={-1} ref={summary}>
          <ErrorNotice error={failure} title="The values were not saved" />
        </div>
      ) : null}
      {fieldGroups().map((group) => (
        <fieldset key={group.title} className="form-group">
          <legend>{group.title}</legend>
          <div className="form-grid">
            {group.fields.map((field) => (
              <DimensionInput key={field.path} id={fieldId(field.path)} field={field} value={valueAt(draft, field.path)} error={errorFor(field.path)} onChange={(v) => set(field.path, v)} />
            ))}
          </div>
        </fieldset>
      ))}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving} aria-busy={saving}>
          {saving ? 'Saving…' : 'Save declared values'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A server error path such as `muijs.goals.1` belongs to the field `muijs.goals`. */
function fieldPathOf(path: string): string {
  const field = typologyFields.find((f) => path === f.path || path.startsWith(`${f.path}.`));
  return field?.path ?? path;
}

function DimensionInput({
  id,
  field,
  value,
  error,
  onChange,
}: {
  id: string;
  field: Field;
  value: unknown;
  error: string | undefined;
  onChange: (value: string | string[] | undefined) => void;
}) {
  const errorId = `${id}-error`;
  if (field.multiple) {
    const chosen = Array.isArray(value) ? value.map(String) : [];
    return (
      <fieldset className={`field checkbox-field${error ? ' has-error' : ''}`} id={id} aria-describedby={error ? errorId : undefined}>
        <legend>{field.label}</legend>
        {error ? (
          <span className="field-error" id={errorId}>
            {error}
          </span>
        ) : null}
        {field.options.map((o) => (
          <label key={o.value} className="checkbox">
            <input
              type="checkbox"
              name={field.path}
              value={o.value}
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{field.label}</label>
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
      <select
        id={id}
        name={field.path}
        value={typeof value === 'string' ? value : ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">Not declared</option>
        {field.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
