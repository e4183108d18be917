import { useId, useMemo, useState } from 'react';
import type { SchoolNode } from '../../api/network.ts';

const MAX_MATCHES = 8;

/**
 * Finds a school on the map by name or URN: the keyboard's way to the schools the canvas draws.
 * Matches show as a list of buttons under the box (names that start with the text first).
 */
export function SchoolFinder({ schools, onChoose }: { schools: readonly SchoolNode[]; onChoose: (id: number) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const names = useMemo(() => schools.map((s) => s.name.toLowerCase()), [schools]);
  const needle = text.trim().toLowerCase();
  const matches = useMemo(() => {
    if (needle.length < 2) return [];
    const starts: number[] = [];
    const contains: number[] = [];
    for (let i = 0; i < names.length && starts.length < MAX_MATCHES; i++) {
      const name = names[i]!;
      if (name.startsWith(needle) || String(schools[i]!.urn) === needle) starts.push(i);
      else if (contains.length < MAX_MATCHES && name.includes(needle)) contains.push(i);
    }
    return [...starts, ...contains].slice(0, MAX_MATCHES);
  }, [needle, names, schools]);
  return (
    <div className="school-finder-box">
      <label htmlFor={`${id}-find`}>Find a school on the map</label>
      <input
        id={`${id}-find`}
        type="search"
        value={text}
        placeholder="Name or URN"
        autoComplete="off"
        aria-describedby={`${id}-count`}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches[0] !== undefined) {
            e.preventDefault();
            onChoose(schools[matches[0]]!.id);
            setText('');
          }
        }}
      />
      <span id={`${id}-count`} className="visually-hidden" aria-live="polite">
        {needle.length >= 2 ? `${matches.length === MAX_MATCHES ? 'At least ' : ''}${matches.length} matching schools` : ''}
      </span>
      {matches.length > 0 ? (
        <ul className="finder-matches" aria-label="Matching schools">
          {matches.map((i) => (
            <li key={schools[i]!.id}>
              <button
                type="button"
                className="chip"
                onClick={() => {
                  onChoose(schools[i]!.id);
                  setText('');
                }}
              >
                {schools[i]!.name}
                <span className="sub">URN {schools[i]!.urn}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {needle.length >= 2 && matches.length === 0 ? <p className="small muted">No school here matches “{text.trim()}”.</p> : null}
    </div>
  );
}
