import { useState } from 'react';
import { FocusArea, IntroductionAnswer, IntroductionStatus, RequestStatus, SupportKind, SupportOutcome } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { ErrorNotice, Facts, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { AnswerForm } from './answer-form.tsx';
import { brokering, type Introduction, type RequestView } from './brokering.api.ts';
import { CaseworkMoves } from './casework-moves.tsx';
import { RankingPanel } from './ranking-panel.tsx';
import { BrokerCheckNotice, CaseworkStepper, partnershipPath, RequestStatusBadge, requestTitle } from './request-stage.tsx';
import { days } from './score-format.ts';
import { ShortlistPanel } from './shortlist-panel.tsx';
import './brokering.css';

/**
 * /support-requests/:id: one request's casework. Everyone who may see it reads where it stands,
 * the honest-broker check, the introductions and what happens next; the side an introduction
 * waits for answers it here; the request's brokers rank candidates (each score explained factor
 * by factor), shortlist, introduce and move the support on.
 */
export function RequestPage({ id }: { id: number }) {
  const me = useMe();
  const loaded = useResource(`support-request:${id}`, (signal) => brokering.request(id, signal));
  const vocabulary = useResource('brokering-vocabulary', () => brokering.vocabulary());
  const [changed, setChanged] = useState<RequestView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const view = changed ?? loaded.data ?? null;
  const brokers = view?.viewer.broker === true;
  const affiliations = useResource(brokers ? 'my-affiliations' : null, (signal) => brokering.affiliations(signal));
  useDocumentTitle(view ? requestTitle(view) : 'Support request');

  if (!view) {
    return (
      <>
        <h1 className="placeholder-heading">Support request</h1>
        {loaded.state === 'error' ? <ErrorNotice error={loaded.error} onRetry={loaded.reload} /> : <Loading label="Loading the request…" />}
      </>
    );
  }
  const isBroker = brokers && (view.broker === null || view.broker.personId === me.id || me.isAdmin);
  const undeclared = brokers && affiliations.state === 'ready' && affiliations.data.declaredOn === null;
  const show = (v: RequestView, message: string | null = null) => {
    setChanged(v);
    setNotice(message);
  };
  const partnership = partnershipPath(view);

  return (
    <article className="support-request" data-testid="support-request" data-status={view.status} data-request-id={view.id}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/support-requests">Support</Link> <span aria-hidden="true">›</span> <span aria-current="page">Request {view.id}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{requestTitle(view)}</h1>
          <p className="lede">
            <RequestStatusBadge status={view.status} /> {labelOf(SupportKind.labels, view.kind)} · {days(view.daysNeeded)} days a term for {view.terms} terms · raised{' '}
            {formatDate(view.createdOn)}
          </p>
        </div>
        <div className="page-head-side">
          <Link to={`/schools/${view.school.schoolId}/brokering`} className="button button-secondary button-small">
            Needs and strengths
          </Link>
        </div>
      </div>
      {notice ? (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      ) : null}

      <section className="panel" aria-labelledby="stage-heading" data-testid="request-stage">
        <h2 id="stage-heading">Where it stands</h2>
        <CaseworkStepper status={view.status} />
        <p>
          The request is <strong data-testid="request-status">{RequestStatus.labels[view.status]}</strong>.
        </p>
        {partnership ? (
          <p className="notice notice-success" data-testid="partnership-link">
            {view.supporter ? `${view.supporter.name} supports ${view.school.name}. ` : ''}
            <Link to={partnership}>{view.partnershipId !== null ? 'Open the support partnership' : 'Open the support network'}</Link>
            {view.partnershipId !== null ? ': its goals, and the draft agreement both schools sign before the support starts.' : ''}
          </p>
        ) : null}
        {view.viewer.nextSteps.length > 0 ? (
          <>
            <h3>Next</h3>
            <ul className="link-list" data-testid="next-steps">
              {view.viewer.nextSteps.map((s) => (
                <li key={s}>{s.charAt(0).toUpperCase() + s.slice(1)}.</li>
              ))}
            </ul>
          </>
        ) : null}
        <BrokerCheckNotice check={view.brokerCheck} isMe={brokers && (view.broker === null || view.broker.personId === me.id)} />
        {undeclared && view.brokerCheck.flag !== 'undeclared' ? (
          <p className="notice notice-warning" data-testid="declare-first">
            You have not declared your affiliations. <Link to="/brokers/me">Declare them</Link> (an empty list if you have none) before you shortlist or introduce.
          </p>
        ) : null}
      </section>

      <div className="two-col">
        <section className="panel" aria-labelledby="asked-heading">
          <h2 id="asked-heading">What is asked</h2>
          <Facts
            items={[
              ['School', <Link key="school" to={`/schools/${view.school.schoolId}`}>{view.school.name}</Link>],
              ['Focus area', labelOf(FocusArea.labels, view.focusArea)],
              ['Kind of support', labelOf(SupportKind.labels, view.kind)],
              ['Time', `${days(view.daysNeeded)} days a term, ${view.terms} terms`],
              ['Broker', view.broker?.name ?? 'None yet'],
              ['Supporter', view.supporter ? <Link key="supporter" to={`/schools/${view.supporter.schoolId}`}>{view.supporter.name}</Link> : null],
              ['Offer', view.offer?.person ? `${view.offer.person.name}’s offer` : view.offer ? 'The school’s offer' : null],
              ['Support started', view.startedOn ? formatDate(view.startedOn) : null],
            ]}
          />
          <p className="request-description">{view.description}</p>
          {view.conflicts.length > 0 ? (
            <>
              <h3>Not to be supported by</h3>
              <ul>
                {view.conflicts.map((c) => (
                  <li key={c.schoolId}>
                    {c.name}: {c.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="goals-heading">
          <h2 id="goals-heading">Goals</h2>
          {view.goals.length === 0 ? (
            <p className="muted">No goals of its own; the support partnership sets the days of support and, where Trellis has the data, a goal on the school’s results.</p>
          ) : (
            <ol className="request-goals">
              {view.goals.map((g) => (
                <li key={g.statement}>
                  <strong>{g.statement}</strong>
                  <span className="sub">
                    {g.measure}: {g.baseline.value}
                    {g.unit ? ` ${g.unit}` : ''} on {formatDate(g.baseline.on)} → {g.target.value}
                    {g.unit ? ` ${g.unit}` : ''} by {formatDate(g.target.on)}
                  </span>
                </li>
              ))}
            </ol>
          )}
          {view.review ? (
            <>
              <h3>Review</h3>
              <p>
                {formatDate(view.review.on)}
                {view.review.by ? `, ${view.review.by}` : ''}: {view.review.note}
              </p>
            </>
          ) : null}
          {view.outcome ? (
            <>
              <h3>Outcome</h3>
              <p>
                {labelOf(SupportOutcome.labels, view.outcome.outcome)} (closed {formatDate(view.outcome.closedOn)}){view.outcome.note ? `: ${view.outcome.note}` : ''}
              </p>
            </>
          ) : null}
          {view.withdrawnReason ? <p>Withdrawn: {view.withdrawnReason}</p> : null}
        </section>
      </div>

      {view.introductions.length > 0 ? (
        <section className="panel" aria-labelledby="intros-heading" data-testid="introductions">
          <h2 id="intros-heading">Introductions</h2>
          <ul className="introduction-list">
            {view.introductions.map((i) => (
              <IntroductionItem key={i.id} introduction={i} requester={view.school.name} onAnswered={(v, a) => show(v, a === 'accepted' ? 'Your acceptance is recorded.' : 'Your decline is recorded.')} />
            ))}
          </ul>
        </section>
      ) : null}

      {brokers && vocabulary.state === 'ready' ? (
        <>
          <ShortlistPanel view={view} vocabulary={vocabulary.data} canIntroduce={isBroker} onChanged={(v) => show(v, 'The introduction is sent: both schools answer it from their introductions.')} />
          {view.status === 'open' || view.status === 'shortlisted' ? (
            <RankingPanel view={view} vocabulary={vocabulary.data} canShortlist={isBroker} onShortlisted={(v) => show(v, `Shortlisted ${v.shortlist?.length ?? 0} candidates.`)} />
          ) : null}
        </>
      ) : null}
      {brokers && vocabulary.state === 'error' ? <ErrorNotice error={vocabulary.error} onRetry={vocabulary.reload} /> : null}
      <CaseworkMoves view={view} isBroker={isBroker} onMoved={(v) => show(v, 'Done.')} />
    </article>
  );
}

function IntroductionItem({ introduction: i, requester, onAnswered }: { introduction: Introduction; requester: string; onAnswered: Parameters<typeof AnswerForm>[0]['onAnswered'] }) {
  const answer = (label: string, a: Introduction['requester']) => (
    <li data-answer={a.answer}>
      {label}: <strong>{labelOf(IntroductionAnswer.labels, a.answer)}</strong>
      {a.by ? ` (${a.by}${a.on ? `, ${formatDate(a.on)}` : ''})` : ''}
      {a.note ? ` — “${a.note}”` : ''}
    </li>
  );
  return (
    <li className="introduction" data-testid="introduction" data-status={i.status}>
      <p>
        <strong>{i.supporter.name}</strong>
        {i.offer?.person ? ` (${i.offer.person.name})` : ''} introduced {formatDate(i.createdOn)} · {labelOf(IntroductionStatus.labels, i.status)}
      </p>
      {i.note ? <p className="muted">Broker’s note: {i.note}</p> : null}
      <ul>
        {answer(requester, i.requester)}
        {answer(i.supporter.name, i.supporterAnswer)}
      </ul>
      <AnswerForm introduction={i} onAnswered={onAnswered} />
    </li>
  );
}
