import { type FormEvent, useEffect, useState } from 'react';
import { ActivityCategory } from '../../../../common/activities.ts';
import { type Activity, type ActivityQuery, activities } from '../../api/activities.ts';
import { usePaged } from '../../api/use-paged.ts';
import { SelectField, TextField } from '../../components/fields.tsx';
import { isIsoDate } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { ActivityCard } from './activity-view.tsx';
import { type Place, useCatalogue, useMyPlaces, usePlaceName } from './my-places.ts';

const filterNames = ['networkId', 'schoolId', 'type', 'category', 'from', 'to', 'focus'] as const;
type Filters = Record<(typeof filterNames)[number], string>;

const readFilters = (search: URLSearchParams): Filters => Object.fromEntries(filterNames.map((n) => [n, search.get(n)?.trim() ?? ''])) as Filters;
const idOf = (text: string) => (/^[1-9]\d{0,11}$/.test(text) ? Number(text) : null);

/** Only values the API accepts, so an edited address cannot cause a 400. */
function toQuery(f: Filters): ActivityQuery {
  return {
    networkId: idOf(f.networkId) ?? undefined,
    schoolId: idOf(f.schoolId) ?? undefined,
    type: /^[a-z][a-z0-9_]{1,47}$/.test(f.type) ? f.type : undefined,
    category: ActivityCategory.codes.find((c) => c === f.category),
    from: isIsoDate(f.from) ? f.from : undefined,
    to: isIsoDate(f.to) ? f.to : undefined,
    focus: f.focus.slice(0, 100) || undefined,
    limit: 25,
  };
}

/**
 * /activities: the activities the reader may see (a school's records by its consent), newest
 * first, filtered by network, school, type, dates and focus; "Load more" pages through them.
 * Schools the reader may not see are shown as such, without their details.
 */
export function ActivityLogPage() {
  const location = useLocation();
  const me = useMe();
  const filters = readFilters(location.searchParams);
  const query = toQuery(filters);
  const key = JSON.stringify(query);
  const list = usePaged<Activity>(key, (cursor, signal) => activities.list({ ...query, cursor }, signal));
  const [draft, setDraft] = useState<Filters>(filters);
  const catalogue = useCatalogue();
  const places = useMyPlaces(me);
  const networkName = usePlaceName('network', query.networkId ?? null, places.networks);
  const schoolName = usePlaceName('school', query.schoolId ?? null, places.schools);
  useDocumentTitle(networkName ? `Activity log · ${networkName}` : schoolName ? `Activity log · ${schoolName}` : 'Activity log');

  useEffect(() => {
    setDraft(readFilters(new URLSearchParams(location.search)));
  }, [location.search]);

  const apply = (next: Filters) => navigate(withQuery('/activities', { ...next, focus: next.focus.trim() }), { keepScroll: true });
  const choose = (name: keyof Filters) => (value: string) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    apply(next);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(draft);
  };
  const withCurrent = (options: Place[], id: number | undefined, name: string | null) =>
    id !== undefined && !options.some((p) => p.id === id) ? [...options, { id, name: name ?? `#${id}` }] : options;
  const networkOptions = withCurrent(places.networks, query.networkId, networkName);
  const schoolOptions = withCurrent(places.schools, query.schoolId, schoolName);
  const active = filterNames.filter((n) => filters[n]).length;
  const newLink = withQuery('/activities/new', { networkId: query.networkId, schoolId: query.schoolId });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Activity log</h1>
          <p className="lede">What schools do together: the activities you may see{networkName ? ` in ${networkName}` : ''}{schoolName ? ` involving ${schoolName}` : ''}, newest first.</p>
        </div>
        <div className="page-head-side">
          <Link to={newLink} className="button">
            Record an activity
          </Link>
          <Link to="/activities/import" className="button button-secondary">
            Upload a CSV file
          </Link>
        </div>
      </div>
      <search aria-label="Filter activities">
        <form onSubmit={submit}>
          <fieldset className="filters activity-filters">
          <legend>Filters{active > 0 ? ` (${active} on)` : ''}</legend>
          <SelectField
            id="filter-network"
            label="Network"
            value={draft.networkId}
            onChange={choose('networkId')}
            options={[{ value: '', label: 'Any network' }, ...networkOptions.map((n) => ({ value: String(n.id), label: n.name }))]}
          />
          <SelectField
            id="filter-school"
            label="School"
            value={draft.schoolId}
            onChange={choose('schoolId')}
            options={[{ value: '', label: 'Any school' }, ...schoolOptions.map((s) => ({ value: String(s.id), label: s.name }))]}
          />
          <SelectField
            id="filter-type"
            label="Type"
            value={draft.type}
            onChange={choose('type')}
            options={[{ value: '', label: 'Any type' }]}
            groups={(catalogue.data?.categories ?? []).map((c) => ({ label: c.label, options: c.types.map((t) => ({ value: t.code, label: t.label })) }))}
          />
          <SelectField
            id="filter-category"
            label="Group"
            value={draft.category}
            onChange={choose('category')}
            options={[{ value: '', label: 'Any group' }, ...ActivityCategory.codes.map((c) => ({ value: c, label: ActivityCategory.labels[c] }))]}
          />
          <TextField id="filter-from" label="From" type="date" value={draft.from} onChange={choose('from')} />
          <TextField id="filter-to" label="To" type="date" value={draft.to} onChange={choose('to')} />
          <div className="field">
            <label htmlFor="filter-focus">Focus</label>
            <div className="search-row">
              <input id="filter-focus" type="search" value={draft.focus} onChange={(e) => setDraft({ ...draft, focus: e.target.value })} placeholder="e.g. writing" />
              <button type="submit" className="button button-secondary">
                Apply
              </button>
            </div>
          </div>
          {active > 0 ? (
            <Link to="/activities" className="clear-link">
              Clear filters
            </Link>
          ) : null}
          </fieldset>
        </form>
      </search>
      <section className="results activity-results" aria-label="Activities" aria-busy={list.state === 'loading'} data-testid="activity-log" data-key={key}>
        {list.state === 'loading' ? <Loading label="Loading activities…" /> : null}
        {list.state === 'error' && list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.items.length === 0 ? (
          <Empty title={active > 0 ? 'No activities match these filters.' : 'No activities you may see yet.'}>
            <p>
              You see the activities of your own school, and those of partner schools that share their activity records with a network you belong to or coordinate.
            </p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.items.length > 0 ? (
          <>
            <ol className="activity-list">
              {list.items.map((a) => (
                <li key={a.id}>
                  <ActivityCard activity={a} />
                </li>
              ))}
            </ol>
            <LoadMore list={list} noun={['activity', 'activities']} />
          </>
        ) : null}
      </section>
    </>
  );
}
