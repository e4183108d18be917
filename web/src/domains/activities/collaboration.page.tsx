import { type Activity, activities, type SchoolTie } from '../../api/activities.ts';
import { ApiError } from '../../api/client.ts';
import { registry } from '../../api/registry.ts';
import { usePaged } from '../../api/use-paged.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatNumber } from '../../components/format.ts';
import { LoadMore } from '../../components/load-more.tsx';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, withQuery } from '../../router.ts';
import { ActivityCard, hiddenSchool } from './activity-view.tsx';
import { ParticipationChart } from './participation-chart.tsx';
import { BalanceBar, StrengthMeter, TieBadge, TieFacts, TieRuleCheck } from './tie-facts.tsx';

const notShared = (e: Error) => e instanceof ApiError && e.status === 404;

/**
 * /schools/:id/collaboration: a school's collaboration profile: its partners with the strength
 * of each tie and the facts behind it, whether it mostly gives or receives, who takes part over
 * time, and a timeline of its activities. The school's activity records must be visible to the
 * reader (its own staff, or partners it shares them with); other schools are shown redacted.
 */
export function CollaborationPage({ schoolId }: { schoolId: number }) {
  const school = useResource(`school:${schoolId}`, (signal) => registry.school(schoolId, signal));
  const ties = useResource(`school-ties:${schoolId}`, (signal) => activities.schoolTies(schoolId, signal));
  const name = school.data?.name ?? ties.data?.school.name ?? null;
  useDocumentTitle(name ? `Collaboration · ${name}` : 'Collaboration');
  const hidden = ties.state === 'error' && notShared(ties.error);
  return (
    <article className="collaboration" data-testid="collaboration">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/schools">Schools</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/schools/${schoolId}`}>{name}</Link> : <span>School</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Collaboration</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Collaboration{name ? `: ${name}` : ''}</h1>
          <p className="lede">Which schools it works with, how strong each tie is and why, and who takes part.</p>
        </div>
        {!hidden ? (
          <div className="page-head-side">
            <Link to={withQuery('/activities/new', { schoolId })} className="button button-small">
              Record an activity
            </Link>
            <Link to={withQuery('/activities', { schoolId })} className="button button-secondary button-small">
              Its activity log
            </Link>
          </div>
        ) : null}
      </div>
      {ties.state === 'loading' ? <Loading label="Loading the school’s ties…" /> : null}
      {hidden ? (
        <Empty title="This school does not share its activity records with you.">
          <p>A school’s leaders decide, network by network, whether partners see its activity records.</p>
        </Empty>
      ) : null}
      {ties.state === 'error' && !hidden ? <ErrorNotice error={ties.error} onRetry={ties.reload} /> : null}
      {ties.state === 'ready' ? (
        <>
          <section aria-labelledby="ties-heading" className="panel" data-testid="ties" aria-busy="false">
            <h2 id="ties-heading">Partners</h2>
            <dl className="stat-tiles">
              {(
                [
                  ['Partners', ties.data.summary.partners],
                  ['Strong ties', ties.data.summary.strong],
                  ['Weak ties', ties.data.summary.weak],
                  ['Dormant', ties.data.summary.dormant],
                  ['Long-standing', ties.data.summary.longStanding],
                  ['Outside its networks', ties.data.summary.outsideNetworks],
                ] as const
              ).map(([label, n]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{formatNumber(n)}</dd>
                </div>
              ))}
            </dl>
            {ties.data.ties.length > 0 ? <BalanceBar gave={ties.data.summary.gave} received={ties.data.summary.received} /> : null}
            <p className="muted small">
              A tie is strong when, in the last 12 months, the two schools met often (six contacts or more), did more than one kind of thing together,
              involved people at more than one level, and each gave to the other. Otherwise it is weak, or dormant with no contact in the year. Measured on{' '}
              {formatDate(ties.data.on)}.
            </p>
            {ties.data.ties.length === 0 ? (
              <Empty title="No ties yet.">
                <p>Ties appear once an activity with another school is recorded.</p>
              </Empty>
            ) : (
              <ol className="tie-list">
                {ties.data.ties.map((t, i) => (
                  <TieItem key={t.partner?.id ?? `hidden-${i}`} tie={t} />
                ))}
              </ol>
            )}
          </section>
          <SchoolParticipation schoolId={schoolId} />
          <SchoolTimeline schoolId={schoolId} />
        </>
      ) : null}
    </article>
  );
}

function TieItem({ tie: t }: { tie: SchoolTie }) {
  return (
    <li className={`tie tie-item-${t.class}`} data-testid="tie" data-partner={t.partner?.name ?? ''} data-class={t.class}>
      <div className="tie-head">
        <p className="tie-partner">
          {t.partner ? (
            <Link to={`/schools/${t.partner.id}/collaboration`} className="strong-link">
              {t.partner.name}
            </Link>
          ) : (
            <span className="hidden-school">{hiddenSchool}</span>
          )}
        </p>
        <TieBadge tieClass={t.class} />
        <StrengthMeter strength={t.strength} />
      </div>
      <TieRuleCheck tie={t} />
      <TieFacts tie={t} />
      {t.sharedNetworks && t.sharedNetworks.length > 0 ? (
        <p className="small muted">
          Both in{' '}
          {t.sharedNetworks.map((n, i) => (
            <span key={n.id}>
              {i > 0 ? ', ' : ''}
              <Link to={`/networks/${n.id}`}>{n.name}</Link>
            </span>
          ))}
        </p>
      ) : t.sharedNetworks ? (
        <p className="small muted">A tie outside the school’s networks.</p>
      ) : null}
    </li>
  );
}

function SchoolParticipation({ schoolId }: { schoolId: number }) {
  const data = useResource(`school-participation:${schoolId}`, (signal) => activities.schoolParticipation(schoolId, { by: 'term' }, signal));
  const any = data.data?.periods.some((p) => p.total > 0) ?? false;
  return (
    <section aria-labelledby="participation-heading" className="panel" data-testid="school-participation" aria-busy={data.state === 'loading'}>
      <h2 id="participation-heading">Who takes part</h2>
      <p className="muted">The school’s own people in its activities with other schools, term by term over two years, by level.</p>
      {data.state === 'loading' ? <Loading label="Loading participation…" /> : null}
      {data.state === 'error' ? <ErrorNotice error={data.error} onRetry={data.reload} /> : null}
      {data.state === 'ready' && !any ? <p className="empty-title">No one from the school is recorded as taking part in these two years.</p> : null}
      {data.state === 'ready' && any ? <ParticipationChart periods={data.data.periods} caption={`Participation of ${data.data.school.name} by term`} /> : null}
    </section>
  );
}

/** The school's activities, newest first, grouped by month. */
function SchoolTimeline({ schoolId }: { schoolId: number }) {
  const list = usePaged<Activity>(`timeline:${schoolId}`, (cursor, signal) => activities.list({ schoolId, cursor, limit: 20 }, signal));
  const months: { key: string; label: string; items: Activity[] }[] = [];
  for (const a of list.items) {
    const key = a.startOn.slice(0, 7);
    let group = months.at(-1);
    if (group?.key !== key) {
      group = { key, label: new Date(`${key}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }), items: [] };
      months.push(group);
    }
    group.items.push(a);
  }
  return (
    <section aria-labelledby="timeline-heading" className="panel" data-testid="school-timeline" aria-busy={list.state === 'loading'}>
      <h2 id="timeline-heading">Timeline</h2>
      {list.state === 'loading' ? <Loading label="Loading activities…" /> : null}
      {list.state === 'error' && list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.state === 'ready' && list.items.length === 0 ? <p className="empty-title">No activities recorded.</p> : null}
      {months.length > 0 ? (
        <ol className="activity-timeline">
          {months.map((m) => (
            <li key={m.key}>
              <h3 className="timeline-month">{m.label}</h3>
              <ol className="activity-list">
                {m.items.map((a) => (
                  <li key={a.id}>
                    <ActivityCard activity={a} />
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      ) : null}
      {list.state === 'ready' && list.items.length > 0 ? <LoadMore list={list} noun={['activity', 'activities']} /> : null}
    </section>
  );
}
