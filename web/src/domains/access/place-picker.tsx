import { useEffect, useRef, useState } from 'react';
import { Role, type RoleScope, roleScope } from '../../../../common/access.ts';
import { NetworkKind } from '../../../../common/vocabulary.ts';
import type { Place } from '../../api/access.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { labelOf, plural } from '../../components/format.ts';
import { ErrorNotice } from '../../components/states.tsx';

export const roleOptions = Object.entries(Role).map(([value, label]) => ({ value, label }));

export const scopeOf = (role: string): RoleScope => roleScope[role as Role] ?? 'platform';

/** The place fields a post of this scope carries (the server refuses the others). */
export function placeFor(scope: RoleScope, place: Place): Place {
  if (scope === 'school') return { schoolId: place.schoolId ?? null };
  if (scope === 'network') return { networkId: place.networkId ?? null };
  if (scope === 'local_authority') return { laName: place.laName?.trim() || null };
  return {};
}

/** What is missing before a post of this scope can be granted, or null. */
export function placeProblem(scope: RoleScope, place: Place): string | null {
  if (scope === 'school' && !place.schoolId) return 'Find and choose the school.';
  if (scope === 'network' && !place.networkId) return 'Find and choose the network.';
  if (scope === 'local_authority' && !place.laName?.trim()) return 'Enter the local authority.';
  return null;
}

/**
 * Where a post is held, as its role needs: a school or a network (searched in the registry and
 * chosen from a list), a local authority (by name), or nowhere (platform posts).
 */
export function PlacePicker({ id, scope, place, onChange, error }: { id: string; scope: RoleScope; place: Place; onChange: (place: Place) => void; error?: string | null | undefined }) {
  if (scope === 'platform') return null;
  if (scope === 'local_authority') {
    return (
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-la`}>Local authority</label>
        <span className="hint" id={`${id}-la-hint`}>
          As the register names it, such as Devon or Plymouth.
        </span>
        {error ? (
          <span className="field-error" id={`${id}-la-error`}>
            {error}
          </span>
        ) : null}
        <input
          id={`${id}-la`}
          type="text"
          value={place.laName ?? ''}
          onChange={(e) => onChange({ laName: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-la-hint ${id}-la-error` : `${id}-la-hint`}
        />
      </div>
    );
  }
  return <RegistryPicker key={scope} id={id} kind={scope} place={place} onChange={onChange} error={error} />;
}

type Choice = { id: number; label: string };

function RegistryPicker({ id, kind, place, onChange, error }: { id: string; kind: 'school' | 'network'; place: Place; onChange: (place: Place) => void; error?: string | null | undefined }) {
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const found = useResource<Choice[]>(debounced ? `pick:${kind}:${debounced}` : null, async (signal) =>
    kind === 'school'
      ? (await registry.schools({ q: debounced, limit: 20 }, signal)).items.map((s) => ({
          id: s.id,
          label: `${s.name} (${[s.urn ? `URN ${s.urn}` : null, s.laName, s.status === 'open' ? null : s.status.replace(/_/g, ' ')].filter(Boolean).join(', ')})`,
        }))
      : (await registry.networks({ q: debounced, limit: 20 }, signal)).items.map((n) => ({
          id: n.id,
          label: `${n.name} (${labelOf(NetworkKind.labels, n.kind)}, ${plural(n.memberCount, 'member')})`,
        })),
  );
  const choices = debounced && found.state === 'ready' ? found.data : [];
  const chosen = kind === 'school' ? place.schoolId : place.networkId;
  const pick = (value: number | null) => onChange(kind === 'school' ? { schoolId: value } : { networkId: value });

  // A new list of matches: keep the choice if it is still there, else take the first match.
  const pickRef = useRef(pick);
  pickRef.current = pick;
  useEffect(() => {
    if (found.state !== 'ready' || !debounced) return;
    if (!found.data.some((c) => c.id === chosen)) pickRef.current(found.data[0]?.id ?? null);
  }, [found.state, found.data, debounced, chosen]);

  const noun = kind === 'school' ? 'school' : 'network';
  const status = !debounced
    ? `Type part of the ${noun}’s name${kind === 'school' ? ' or its URN' : ''}.`
    : found.state === 'loading'
      ? 'Searching…'
      : found.state === 'ready'
        ? found.data.length === 0
          ? `No ${noun} matches “${debounced}”.`
          : `${plural(found.data.length, 'match', 'matches')}${found.data.length === 20 ? ' (the first 20)' : ''}.`
        : '';
  return (
    <fieldset className={`field place-picker${error ? ' has-error' : ''}`}>
      <legend className="picker-legend">{kind === 'school' ? 'School' : 'Network'}</legend>
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
      <label htmlFor={`${id}-find`} className="sub-label">
        Find the {noun}
      </label>
      <input id={`${id}-find`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" aria-describedby={`${id}-status`} />
      <span className="hint" id={`${id}-status`} role="status">
        {status}
      </span>
      {found.state === 'error' ? <ErrorNotice error={found.error} onRetry={found.reload} /> : null}
      <label htmlFor={`${id}-choice`} className="sub-label">
        Chosen {noun}
      </label>
      <select
        id={`${id}-choice`}
        value={chosen ?? ''}
        onChange={(e) => pick(e.target.value ? Number(e.target.value) : null)}
        disabled={choices.length === 0}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {choices.length === 0 ? <option value="">None yet</option> : null}
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
