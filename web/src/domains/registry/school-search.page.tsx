import { type FormEvent, useEffect, useState } from 'react';
import { NetworkKind, Phase, SchoolStatus, SchoolType } from '../../../../common/vocabulary.ts';
import { exportSchoolsUrl, registry, type SchoolQuery, type SchoolSummary } from '../../api/registry.ts';
import { usePaged } from '../../api/use-paged.ts';
import { labelOf } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { StatusBadge } from './badges.tsx';

const filterNames = ['q', 'phase', 'type', 'status', 'la', 'networkKind'] as const;
type Filters = Record<(typeof filterNames)[number], string>;

function readFilters(search: URLSearchParams): Filters {
  return Object.fromEntries(filterNames.map((name) => [name, search.get(name)?.trim() ?? ''])) as Filters;
}

/** Keeps only values the API accepts, so a hand-edited URL cannot cause a 400. */
function toQuery(f: Filters): SchoolQuery {
  const pick = <T extends string>(codes: readonly T[], value: string): T | undefined => codes.find((c) => c === value);
  return {
    q: f.q || undefined,
    phase: pick(Phase.codes, f.phase),
    type: pick(SchoolType.codes, f.type),
    status: pick(SchoolStatus.codes, f.status),
    la: f.la || undefined,
    networkKind: pick(NetworkKind.codes, f.networkKind),
    limit: 50,
  };
}

export function SchoolSearchPage() {
  const location = useLocation();
  const filters = readFilters(location.searchParams);
  const query = toQuery(filters);
  const key = JSON.stringify(query);
  const list = usePaged<SchoolSummary>(key, (cursor, signal) => registry.schools({ ...query, cursor }, signal));
  const [draft, setDraft] = useState<Filters>(filters);
  const active = filterNames.filter((n) => n !== 'q' && filters[n]).length;
  useDocumentTitle(filters.q ? `Schools matching “${filters.q}”` : 'Schools');

  // Back and forward change the URL under the form: show what the URL says.
  useEffect(() => {
    setDraft(readFilters(new URLSearchParams(location.search)));
  }, [location.search]);

  const apply = (next: Filters) => navigate(withQuery('/schools', { ...next, q: next.q.trim(), la: next.la.trim() }), { keepScroll: true });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(draft);
  };
  const choose = (name: keyof Filters) => (value: string) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    apply(next);
  };

  return (
    <>
      <div className="page-head">
        <h1>Schools</h1>
        <a className="button button-secondary" href={exportSchoolsUrl} download>
          Download all as CSV
        </a>
      </div>
      <search aria-label="Schools">
        <form className="search-form" onSubmit={submit}>
        <div className="search-row">
          <label htmlFor="school-q" className="visually-hidden">
            School name or URN
          </label>
          <input
            id="school-q"
            name="q"
            type="search"
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
            placeholder="School name or URN, e.g. 100000"
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <fieldset className="filters">
          <legend>Filters{active > 0 ? ` (${active} on)` : ''}</legend>
          <SelectFilter name="phase" label="Phase" labels={Phase.labels} value={draft.phase} onChange={choose('phase')} />
          <SelectFilter name="type" label="Type" labels={SchoolType.labels} value={draft.type} onChange={choose('type')} />
          <SelectFilter name="status" label="Status" labels={SchoolStatus.labels} value={draft.status} onChange={choose('status')} />
          <div className="field">
            <label htmlFor="filter-la">Local authority</label>
            <input
              id="filter-la"
              name="la"
              value={draft.la}
              onChange={(e) => setDraft({ ...draft, la: e.target.value })} placeholder="e.g. Norfolk" aria-describedby="filter-la-hint" />
            <span id="filter-la-hint" className="hint">
              The full name; press Enter to apply
            </span>
          </div>
          <SelectFilter name="networkKind" label="In a network of kind" labels={NetworkKind.labels} value={draft.networkKind} onChange={choose('networkKind')} />
          {active > 0 || filters.q ? (
            <Link className="clear-link" to="/schools">
              Clear all
            </Link>
          ) : null}
        </fieldset>
      </form>
      </search>

      <section aria-labelledby="results-heading" className="results" aria-busy={list.state === 'loading'} data-q={filters.q}>
        <h2 id="results-heading" className="visually-hidden">
          Results
        </h2>
        {list.state === 'loading' ? <Loading label="Searching schools…" /> : null}
        {list.state === 'error' && list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.items.length === 0 ? (
          <Empty title={filters.q ? `No school matches “${filters.q}”.` : 'No school matches these filters.'}>
            <p>Check the spelling, search by part of the name or by the six-digit URN, or remove a filter.</p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.items.length > 0 ? (
          <>
            <div className="table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">Schools found</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">URN</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Type</th>
                    <th scope="col">Local authority</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/schools/${s.id}`} className="strong-link">
                          {s.name}
                        </Link>
                        {s.town || s.postcode ? <span className="sub">{[s.town, s.postcode].filter(Boolean).join(', ')}</span> : null}
                      </td>
                      <td className="num">{s.urn ?? '—'}</td>
                      <td>{labelOf(Phase.labels, s.phase) || '—'}</td>
                      <td>{labelOf(SchoolType.labels, s.schoolType) || '—'}</td>
                      <td>{s.laName ?? '—'}</td>
                      <td>
                        <StatusBadge status={s.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore list={list} noun={['school', 'schools']} />
          </>
        ) : null}
      </section>
    </>
  );
}

function SelectFilter({
  name,
  label,
  labels,
  value,
  onChange,
}: {
  name: string;
  label: string;
  labels: Record<string, string>;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {Object.entries(labels).map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
