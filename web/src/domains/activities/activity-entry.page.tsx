import { useState } from 'react';
import { type Activity, activities } from '../../api/activities.ts';
import { useResource } from '../../api/use-resource.ts';
import { FormError, useSubmission } from '../../components/form-state.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, navigate, useLocation, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { ActivityForm, activityBody, draftOfActivity, emptyActivity } from './activity-form.tsx';
import { ActivityCard } from './activity-view.tsx';
import { type Place, useCatalogue, useMyPlaces, usePlaceName } from './my-places.ts';

/** The person's networks, with one more (named) that the page is about. */
const including = (networks: Place[], extra: Place | null) => (extra && !networks.some((n) => n.id === extra.id) ? [...networks, extra] : networks);

const idParam = (text: string | null) => (text && /^[1-9]\d{0,11}$/.test(text) ? Number(text) : null);

/** /activities/new: quick entry of one activity; `?networkId=` chooses the network, `?schoolId=` adds a school. */
export function NewActivityPage() {
  const location = useLocation();
  const me = useMe();
  const networkId = idParam(location.searchParams.get('networkId'));
  const schoolId = idParam(location.searchParams.get('schoolId'));
  const catalogue = useCatalogue();
  const places = useMyPlaces(me);
  const [saved, setSaved] = useState<Activity | null>(null);
  const [round, setRound] = useState(0);
  const networkName = usePlaceName('network', networkId, places.networks);
  const networks = including(places.networks, networkId !== null && networkName ? { id: networkId, name: networkName } : null);
  useDocumentTitle('Record an activity');
  const own = places.schools.find((s) => s.id === schoolId);
  const initial = { ...emptyActivity(networkId), schools: own ? [{ schoolId: own.id, name: own.name, direction: 'mutual' as const, staff: {} }] : [] };
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/activities">Activity log</Link> <span aria-hidden="true">›</span> <span aria-current="page">Record an activity</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Record an activity</h1>
          <p className="lede">
            Something schools did together. You may record activities your own school took part in, or, as a network’s coordinator, activities among
            its members. Many at once? <Link to="/activities/import">Upload a CSV file</Link>.
          </p>
        </div>
      </div>
      {saved ? (
        <section className="panel" aria-labelledby="saved-heading" data-testid="activity-saved">
          <div className="notice notice-success" role="status">
            <h2 id="saved-heading" className="notice-title">
              Activity recorded
            </h2>
            <p>The ties between its schools have been worked out again.</p>
          </div>
          <ActivityCard activity={saved} />
          <div className="form-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                setSaved(null);
                setRound((n) => n + 1);
              }}
            >
              Record another
            </button>
            <Link to={withQuery('/activities', { networkId: saved.network?.id })} className="button button-secondary">
              Activity log
            </Link>
          </div>
        </section>
      ) : null}
      {catalogue.state === 'loading' ? <Loading label="Loading the activity catalogue…" /> : null}
      {catalogue.state === 'error' ? <ErrorNotice error={catalogue.error} onRetry={catalogue.reload} /> : null}
      {catalogue.state === 'ready' && !saved ? (
        <section className="panel">
          <ActivityForm
            key={`${round}:${places.schools.length}`}
            initial={initial}
            catalogue={catalogue.data}
            networks={networks}
            ownSchools={places.schools}
            submitLabel="Record the activity"
            send={(draft) => activities.record(activityBody(draft))}
            onSaved={(a) => {
              setSaved(a);
              window.scrollTo(0, 0);
            }}
          />
        </section>
      ) : null}
    </>
  );
}

/** /activities/:id: one activity, with changing and withdrawing it for those who may record it. */
export function ActivityPage({ id }: { id: number }) {
  const activity = useResource(`activity:${id}`, (signal) => activities.get(id, signal));
  const [confirming, setConfirming] = useState(false);
  const withdrawal = useSubmission();
  useDocumentTitle(activity.data?.title ?? 'Activity');
  const withdraw = async () => {
    const done = await withdrawal.run(async () => {
      await activities.withdraw(id);
      return true;
    });
    if (done) navigate('/activities');
  };
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/activities">Activity log</Link> <span aria-hidden="true">›</span> <span aria-current="page">{activity.data?.title ?? 'Activity'}</span>
      </nav>
      {activity.state === 'loading' ? (
        <>
          <h1 className="placeholder-heading">Activity</h1>
          <Loading label="Loading the activity…" />
        </>
      ) : null}
      {activity.state === 'error' ? (
        <>
          <h1>Activity</h1>
          <ErrorNotice error={activity.error} onRetry={activity.reload} />
        </>
      ) : null}
      {activity.state === 'ready' ? (
        <>
          <h1 className="visually-hidden">{activity.data.title}</h1>
          <section className="panel">
            <ActivityCard activity={activity.data} headingLevel={2} link={false} />
            <FormError submission={withdrawal} title="The activity was not withdrawn" />
            <div className="form-actions">
              <Link to={`/activities/${id}/edit`} className="button button-secondary">
                Change
              </Link>
              {confirming ? (
                <>
                  <button type="button" className="button button-danger" disabled={withdrawal.busy} onClick={() => withdraw().catch(() => undefined)}>
                    {withdrawal.busy ? 'Withdrawing…' : 'Yes, withdraw it'}
                  </button>
                  <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                    Keep it
                  </button>
                </>
              ) : (
                <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
                  Withdraw
                </button>
              )}
            </div>
            {confirming ? <p className="muted small">A withdrawn activity leaves the log and the ties; it is kept for the audit trail.</p> : null}
          </section>
        </>
      ) : null}
    </>
  );
}

/** /activities/:id/edit: the same form, changing the activity (its ties are worked out again). */
export function EditActivityPage({ id }: { id: number }) {
  const me = useMe();
  const activity = useResource(`activity:${id}`, (signal) => activities.get(id, signal));
  const catalogue = useCatalogue();
  const places = useMyPlaces(me);
  useDocumentTitle(activity.data ? `Change: ${activity.data.title}` : 'Change an activity');
  const draft = activity.data ? draftOfActivity(activity.data) : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/activities">Activity log</Link> <span aria-hidden="true">›</span>{' '}
        {activity.data ? <Link to={`/activities/${id}`}>{activity.data.title}</Link> : <span>Activity</span>} <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">Change</span>
      </nav>
      <h1>Change an activity</h1>
      {activity.state === 'loading' || catalogue.state === 'loading' ? <Loading label="Loading the activity…" /> : null}
      {activity.state === 'error' ? <ErrorNotice error={activity.error} onRetry={activity.reload} /> : null}
      {catalogue.state === 'error' ? <ErrorNotice error={catalogue.error} onRetry={catalogue.reload} /> : null}
      {activity.state === 'ready' && !draft ? (
        <Empty title="You cannot change this activity here.">
          <p>It involves a school whose activity records you may not see; one of that school’s staff, or the network’s coordinator, can change it.</p>
        </Empty>
      ) : null}
      {draft && catalogue.state === 'ready' ? (
        <section className="panel">
          <ActivityForm
            initial={draft}
            catalogue={catalogue.data}
            networks={including(places.networks, activity.data?.network ?? null)}
            ownSchools={places.schools}
            submitLabel="Save the changes"
            send={(d) => {
              const body = activityBody(d);
              return activities.change(id, {
                ...body,
                endOn: body.endOn ?? null,
                hoursPerOccurrence: body.hoursPerOccurrence ?? null,
                focus: body.focus ?? null,
                outcomeNotes: body.outcomeNotes ?? null,
              });
            }}
            onSaved={() => navigate(`/activities/${id}`)}
            onCancel={() => navigate(`/activities/${id}`)}
          />
        </section>
      ) : null}
    </>
  );
}
