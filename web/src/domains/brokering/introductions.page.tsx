import { useState } from 'react';
import { FocusArea, SupportKind } from '../../../../common/brokering.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, labelOf } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { AnswerForm } from './answer-form.tsx';
import { brokering, type MyIntroduction, type RequestView } from './brokering.api.ts';
import { partnershipPath, requestTitle } from './request-stage.tsx';
import { days } from './score-format.ts';
import './brokering.css';

type Answered = { view: RequestView; answer: 'accepted' | 'declined' };

/**
 * /introductions: the introductions waiting for the reader's answer: as a leader of the school
 * that asked, or of a school (or the person) a broker introduced to it. Each is accepted or
 * declined with a note; the second acceptance forms the support partnership.
 */
export function IntroductionsPage() {
  const list = useResource('my-introductions', (signal) => brokering.myIntroductions(signal));
  // Answers given on this page, by introduction: the card stays, saying what happened.
  const [answered, setAnswered] = useState<Map<number, Answered>>(new Map());
  useDocumentTitle('Introductions');
  return (
    <article className="introductions-page" data-testid="introductions-page" aria-busy={list.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/support-requests">Support</Link> <span aria-hidden="true">›</span> <span aria-current="page">Introductions</span>
      </nav>
      <h1>Introductions</h1>
      <p className="lede">A broker has introduced your school to another for support. Both schools accept before the support partnership is formed.</p>
      {list.state === 'loading' ? <Loading label="Loading your introductions…" /> : null}
      {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.state === 'ready' && list.data.items.length === 0 && answered.size === 0 ? (
        <Empty title="Nothing waits for your answer.">
          <p>
            Introductions appear here for the leaders of the two schools, or for the member of staff whose offer it is. <Link to="/support-requests">See the requests</Link>
          </p>
        </Empty>
      ) : null}
      {list.state === 'ready' ? (
        <ul className="introduction-cards">
          {list.data.items.map((i) => (
            <IntroductionCard key={i.id} introduction={i} answered={answered.get(i.id) ?? null} onAnswered={(a) => setAnswered((m) => new Map(m).set(i.id, a))} />
          ))}
        </ul>
      ) : null}
    </article>
  );
}

function IntroductionCard({ introduction: i, answered, onAnswered }: { introduction: MyIntroduction; answered: Answered | null; onAnswered: (a: Answered) => void }) {
  const r = i.request;
  const partnership = answered ? partnershipPath(answered.view) : null;
  return (
    <li className="panel introduction-card" data-testid="introduction-card" data-introduction-id={i.id} data-request-id={r.id} data-side={i.viewerAnswers ?? ''}>
      <h2>
        <Link to={`/support-requests/${r.id}`}>{requestTitle(r)}</Link>
      </h2>
      <p>
        {i.viewerAnswers === 'requester' ? (
          <>
            Introduced to <strong>{i.supporter.name}</strong>
            {i.offer?.person ? ` (${i.offer.person.name})` : ''}, who could support your school.
          </>
        ) : (
          <>
            <strong>{r.school.name}</strong> asks for {labelOf(SupportKind.labels, r.kind).toLowerCase()} in {labelOf(FocusArea.labels, r.focusArea).toLowerCase()}
            {i.offer?.person ? `, through ${i.offer.person.name}’s offer` : `, from ${i.supporter.name}`}.
          </>
        )}{' '}
        {days(r.daysNeeded)} days a term for {r.terms} terms. Introduced {formatDate(i.createdOn)}
        {r.broker ? ` by ${r.broker.name}` : ''}.
      </p>
      {i.note ? <p className="muted">Broker’s note: {i.note}</p> : null}
      {answered ? (
        <p className={`notice ${answered.answer === 'accepted' ? 'notice-success' : 'notice-info'}`} role="status" data-testid="answer-result">
          {answered.answer === 'declined'
            ? 'You declined. The broker is told and may introduce another candidate.'
            : answered.view.status === 'matched'
              ? 'You accepted, and so has the other school: the support partnership is formed. '
              : 'You accepted. The match is made when the other school accepts too.'}
          {partnership ? <Link to={partnership}>Open the support partnership</Link> : null}
        </p>
      ) : (
        <AnswerForm introduction={i} onAnswered={(view, answer) => onAnswered({ view, answer })} />
      )}
    </li>
  );
}
