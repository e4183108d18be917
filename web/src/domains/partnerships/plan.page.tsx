import { PartnershipStage } from '../../../../common/partnerships.ts';
import { ApiError } from '../../api/client.ts';
import { type PartnershipSummary, partnerships } from '../../api/partnerships.ts';
import { registry } from '../../api/registry.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, labelOf, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link, useLocation, withQuery } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { AgreementSection } from './plan-agreement.tsx';
import { EndingSection } from './plan-ending.tsx';
import { FormationSection, FormPartnership } from './plan-formation.tsx';
import { DataSharingSection, FundingSection } from './plan-funding.tsx';
import { GoalsSection } from './plan-goals.tsx';
import { MeetingsSection } from './plan-meetings.tsx';
import { ReviewsSection } from './plan-reviews.tsx';
import { HistorySection, StageSection } from './plan-stage.tsx';
import { useLivePlan } from './plan-state.ts';

/**
 * /networks/:id/plan: the network's partnership plan (docs/partnerships.md). Its coordinators
 * change it; everyone else who may read it (the network's brokers, researchers and trust
 * officers, and the staff of its member schools) sees it read-only. With `?partnership=ID` an
 * earlier partnership of the network is shown as the record it is.
 */
export function PlanPage({ networkId }: { networkId: number }) {
  const location = useLocation();
  const asked = Number(location.searchParams.get('partnership'));
  const partnershipId = Number.isInteger(asked) && asked > 0 ? asked : null;
  const me = useMe();
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const earlier = useResource(`partnerships:${networkId}`, (signal) => partnerships.list(networkId, signal));
  const live = useLivePlan(networkId, partnershipId);
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `Partnership plan · ${name}` : 'Partnership plan');
  const coordinates = me.isAdmin || me.posts.some((p) => p.current && p.role === 'network_coordinator' && p.networkId === networkId);

  const plan = live.plan;
  const editable = plan?.viewer.canEdit === true && plan.stage !== 'ended';
  // No current plan: the list says whether that is "none yet" (it answers) or "not for you" (404).
  const noPlan = live.state === 'error' && live.error instanceof ApiError && live.error.status === 404 && partnershipId === null;
  const refused = noPlan && earlier.state === 'error';

  return (
    <article className="plan" data-testid="plan" aria-busy={live.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Partnership plan</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Partnership plan</h1>
          <p className="lede">
            {name ?? 'This network'}
            {plan ? (
              <>
                {' '}
                · <StageBadge stage={plan.stage} /> · formed {formatDate(plan.formedOn)}
                {plan.endedOn ? ` · ended ${formatDate(plan.endedOn)}` : ''}
              </>
            ) : null}
          </p>
        </div>
        <div className="page-head-side">
          <Link to={withQuery('/activities', { networkId })} className="button button-secondary button-small">
            Activity log
          </Link>
        </div>
      </div>

      {live.state === 'loading' ? <Loading label="Loading the partnership plan…" /> : null}
      {refused ? (
        <Empty title="You cannot see this network’s partnership plan.">
          <p>It is open to the network’s coordinators, brokers, researchers and trust officers, and to the staff of its member schools.</p>
        </Empty>
      ) : null}
      {noPlan && !refused ? (
        coordinates ? (
          <FormPartnership networkId={networkId} networkName={name} onFormed={live.show} />
        ) : (
          <Empty title="This network has no current partnership plan.">
            <p>Its coordinator forms one: the shared purpose, a few goals and a written agreement the member schools sign up to.</p>
          </Empty>
        )
      ) : null}
      {live.state === 'error' && !noPlan && live.error ? <ErrorNotice error={live.error} onRetry={() => live.refresh()} /> : null}
      {live.refreshError ? <ErrorNotice error={live.refreshError} title="Saved, but the plan could not be reloaded" onRetry={() => live.refresh()} /> : null}

      {plan ? (
        <>
          {plan.stage === 'ended' ? (
            <div className="notice notice-warning" role="note">
              <p className="notice-title">This partnership ended{plan.endedOn ? ` on ${formatDate(plan.endedOn)}` : ''}.</p>
              <p>It is kept, unchanged, as the record of what the schools set out to do and what they kept.</p>
            </div>
          ) : !plan.viewer.canEdit ? (
            <p className="notice notice-info" role="note">
              You can read this plan. The network’s coordinators change it
              {plan.viewer.canSignFor.length > 0 ? '; as a leader of a member school you can agree to its written agreement.' : '.'}
            </p>
          ) : null}
          <nav aria-label="On this page" className="on-this-page">
            <ul>
              {[
                ['plan-purpose', 'Purpose'],
                ['plan-stage', 'Stage'],
                ['plan-goals', 'Goals'],
                ['plan-agreement', 'Agreement'],
                ['plan-sharing', 'Data sharing'],
                ['plan-funding', 'Funding'],
                ['plan-meetings', 'Meetings'],
                ['plan-reviews', 'Reviews'],
                ['plan-ending', 'Ending'],
                ['plan-history', 'History'],
              ].map(([id, label]) => (
                <li key={id}>
                  <a href={`#${id}`}>{label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <FormationSection plan={plan} editable={editable} onSaved={live.show} />
          <StageSection plan={plan} editable={editable} onMoved={live.show} />
          <GoalsSection plan={plan} editable={editable} onChanged={live.refresh} />
          <AgreementSection plan={plan} editable={editable} onChanged={live.refresh} />
          <DataSharingSection plan={plan} />
          <FundingSection plan={plan} />
          <MeetingsSection plan={plan} editable={editable} onChanged={live.refresh} />
          <ReviewsSection plan={plan} editable={editable} onChanged={live.refresh} />
          <EndingSection plan={plan} editable={editable} onChanged={live.refresh} />
          <HistorySection plan={plan} />
        </>
      ) : null}
      {earlier.state === 'ready' ? <EarlierPartnerships networkId={networkId} items={earlier.data.items} shownId={plan?.id ?? null} /> : null}
    </article>
  );
}

export function StageBadge({ stage }: { stage: PartnershipSummary['stage'] }) {
  return <span className={`badge stage-badge stage-${stage}`}>{labelOf(PartnershipStage.labels, stage)}</span>;
}

function EarlierPartnerships({ networkId, items, shownId }: { networkId: number; items: PartnershipSummary[]; shownId: number | null }) {
  const others = items.filter((p) => p.id !== shownId);
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="earlier-heading" className="panel" data-testid="plan-earlier">
      <h2 id="earlier-heading">Other partnerships of this network</h2>
      <ul className="link-list">
        {others.map((p) => (
          <li key={p.id}>
            <Link to={p.endedOn ? withQuery(`/networks/${networkId}/plan`, { partnership: p.id }) : `/networks/${networkId}/plan`}>{p.purpose}</Link>
            <span className="sub">
              <StageBadge stage={p.stage} /> formed {formatDate(p.formedOn)}
              {p.endedOn ? `, ended ${formatDate(p.endedOn)}` : ''} · {plural(p.activeGoals, 'goal')} in force
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
