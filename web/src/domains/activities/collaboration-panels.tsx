import { useState } from 'react';
import { activities, type NetworkTie } from '../../api/activities.ts';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, formatNumber, formatPercent, plural } from '../../components/format.ts';
import { ErrorNotice, Loading } from '../../components/states.tsx';
import { Link, withQuery } from '../../router.ts';
import { hiddenSchool } from './activity-view.tsx';
import { ParticipationChart } from './participation-chart.tsx';
import { StrengthMeter, TieBadge } from './tie-facts.tsx';

const refused = (e: Error) => e instanceof ApiError && e.status === 404;

/**
 * The network page's "Collaboration" section: the ties among today's members (strong, weak,
 * dormant), who takes part over time, and the way to the partnership plan and the activity log.
 * A tie is shown when the reader may see the activity records of at least one of its schools.
 */
export function NetworkCollaboration({ networkId }: { networkId: number }) {
  const ties = useResource(`network-ties:${networkId}`, (signal) => activities.networkTies(networkId, signal));
  const [all, setAll] = useState(false);
  const list = ties.data?.ties ?? [];
  const count = (c: NetworkTie['class']) => list.filter((t) => t.class === c).length;
  const shown = all ? list : list.slice(0, 8);
  return (
    <section aria-labelledby="collaboration-heading" className="panel" data-testid="network-collaboration" aria-busy={ties.state === 'loading'}>
      <div className="panel-head">
        <h2 id="collaboration-heading">Collaboration</h2>
        <div className="button-row">
          <Link to={`/networks/${networkId}/plan`} className="button button-small">
            Partnership plan
          </Link>
          <Link to={withQuery('/activities', { networkId })} className="button button-secondary button-small">
            Activity log
          </Link>
          <Link to={withQuery('/activities/new', { networkId })} className="button button-secondary button-small">
            Record an activity
          </Link>
        </div>
      </div>
      {ties.state === 'loading' ? <Loading label="Loading the ties between members…" /> : null}
      {ties.state === 'error' ? <ErrorNotice error={ties.error} onRetry={ties.reload} /> : null}
      {ties.state === 'ready' ? (
        <>
          <dl className="stat-tiles" data-testid="tie-summary">
            {(
              [
                ['Strong ties', formatNumber(count('strong'))],
                ['Weak ties', formatNumber(count('weak'))],
                ['Dormant', formatNumber(count('dormant'))],
                ['Density', ties.data.density === null ? '—' : formatPercent(ties.data.density * 100)],
                ['Members with no tie', formatNumber(ties.data.isolated)],
              ] as const
            ).map(([label, value]) => (
              <div key={label} data-stat={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <p className="muted small">
            Ties among the {plural(ties.data.members, 'member')} on {formatDate(ties.data.on)}: {plural(list.length, 'tie')} of {formatNumber(ties.data.possiblePairs)} possible
            pairs, counting those where you may see at least one school’s activity records.
          </p>
          {list.length > 0 ? (
            <>
              <ol className="network-ties" data-testid="network-ties">
                {shown.map((t, i) => (
                  <li key={`${t.a?.id ?? `x${i}`}-${t.b?.id ?? `y${i}`}`} data-class={t.class}>
                    <span className="pair">
                      <SchoolName school={t.a} /> <span aria-hidden="true">↔</span>
                      <span className="visually-hidden">and</span> <SchoolName school={t.b} />
                    </span>
                    <TieBadge tieClass={t.class} />
                    <StrengthMeter strength={t.strength} />
                    <span className="sub">
                      {plural(t.recent.contacts, 'contact')} in 12 months · last {formatDate(t.lastContact)}
                      {t.longStanding ? ' · long-standing' : ''}
                    </span>
                  </li>
                ))}
              </ol>
              {list.length > 8 ? (
                <button type="button" className="button button-secondary button-small table-toggle" aria-expanded={all} onClick={() => setAll((v) => !v)}>
                  {all ? 'Show the strongest eight' : `Show all ${list.length} ties`}
                </button>
              ) : null}
            </>
          ) : (
            <p className="empty-title">No ties you may see among the members.</p>
          )}
        </>
      ) : null}
      <NetworkParticipation networkId={networkId} />
    </section>
  );
}

function SchoolName({ school }: { school: { id: number; name: string } | null }) {
  return school ? <Link to={`/schools/${school.id}/collaboration`}>{school.name}</Link> : <span className="hidden-school">{hiddenSchool}</span>;
}

function NetworkParticipation({ networkId }: { networkId: number }) {
  const data = useResource(`network-participation:${networkId}`, (signal) => activities.networkParticipation(networkId, { by: 'term' }, signal));
  return (
    <div className="network-participation" data-testid="network-participation" aria-busy={data.state === 'loading'}>
      <h3>Who takes part</h3>
      {data.state === 'loading' ? <Loading label="Loading participation…" /> : null}
      {data.state === 'error' ? (
        refused(data.error) ? (
          <p className="muted">Participation across the network is shown to its coordinators, brokers, researchers and trust officers, and to the staff of its member schools.</p>
        ) : (
          <ErrorNotice error={data.error} onRetry={data.reload} />
        )
      ) : null}
      {data.state === 'ready' && data.data.withheld ? (
        <p className="muted" data-testid="participation-withheld">
          Not shown: {data.data.sharingSchools === 1 ? 'one member school shares' : `${plural(data.data.sharingSchools, 'member school')} share`} its activity records with the network,
          fewer than the {data.data.minSchools} needed before Trellis shows figures across schools.
        </p>
      ) : null}
      {data.state === 'ready' && !data.data.withheld ? (
        data.data.periods.some((p) => p.total > 0) ? (
          <>
            <p className="muted small">People from the {plural(data.data.sharingSchools, 'member school')} that share their activity records, in the network’s activities, term by term.</p>
            <ParticipationChart periods={data.data.periods} caption={`Participation in ${data.data.network.name} by term`} />
          </>
        ) : (
          <p className="muted">No one is recorded as taking part in the last two years.</p>
        )
      ) : null}
    </div>
  );
}

/** The school page's short "Collaboration" section, leading to the full profile. */
export function SchoolCollaborationSummary({ schoolId }: { schoolId: number }) {
  const ties = useResource(`school-ties:${schoolId}`, (signal) => activities.schoolTies(schoolId, signal));
  return (
    <section aria-labelledby="school-collab-heading" className="panel" data-testid="school-collaboration" aria-busy={ties.state === 'loading'}>
      <div className="panel-head">
        <h2 id="school-collab-heading">Collaboration</h2>
        {ties.state === 'ready' ? (
          <Link to={`/schools/${schoolId}/collaboration`} className="button button-secondary button-small">
            Collaboration profile
          </Link>
        ) : null}
      </div>
      {ties.state === 'loading' ? <Loading label="Loading the school’s ties…" /> : null}
      {ties.state === 'error' ? (
        refused(ties.error) ? (
          <p className="empty-title">This school does not share its activity records with you.</p>
        ) : (
          <ErrorNotice error={ties.error} onRetry={ties.reload} />
        )
      ) : null}
      {ties.state === 'ready' ? (
        ties.data.ties.length === 0 ? (
          <p className="muted">No activities with other schools recorded yet.</p>
        ) : (
          <>
            <p>
              {plural(ties.data.summary.partners, 'partner school')}: {ties.data.summary.strong} strong, {ties.data.summary.weak} weak
              {ties.data.summary.dormant > 0 ? `, ${ties.data.summary.dormant} dormant` : ''}.
            </p>
            <ul className="link-list">
              {ties.data.ties.slice(0, 3).map((t, i) => (
                <li key={t.partner?.id ?? `hidden-${i}`}>
                  {t.partner ? <Link to={`/schools/${t.partner.id}/collaboration`}>{t.partner.name}</Link> : <span className="hidden-school">{hiddenSchool}</span>} <TieBadge tieClass={t.class} />
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </section>
  );
}
