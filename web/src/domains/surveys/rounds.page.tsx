import { useState } from 'react';
import { registry } from '../../api/registry.ts';
import { surveys, type WaveStatus, type WaveSummary } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate, plural } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { useMe } from '../access/session.tsx';
import { NewRoundForm } from './new-round-form.tsx';
import './surveys.css';

const statusLabel: Record<WaveStatus, string> = { draft: 'Draft', open: 'Open', closed: 'Closed' };

export function RoundStatus({ status }: { status: WaveStatus }) {
  return (
    <span className={`badge round-status round-${status}`} data-status={status}>
      {statusLabel[status]}
    </span>
  );
}

/**
 * /networks/:id/surveys: a network's staff survey rounds, newest first. Its coordinators (and
 * administrators) set up new ones; others see the rounds whose results could include a school
 * they may see.
 */
export function SurveyRoundsPage({ networkId }: { networkId: number }) {
  const me = useMe();
  const network = useResource(`network:${networkId}`, (signal) => registry.network(networkId, signal));
  const waves = useResource(`survey-waves:${networkId}`, (signal) => surveys.waves(networkId, signal));
  const [creating, setCreating] = useState(false);
  const name = network.data?.name ?? null;
  useDocumentTitle(name ? `Surveys · ${name}` : 'Surveys');
  const coordinates = me.isAdmin || me.posts.some((p) => p.current && p.role === 'network_coordinator' && p.networkId === networkId);

  return (
    <article className="survey-rounds" data-testid="survey-rounds" aria-busy={waves.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/networks">Networks</Link> <span aria-hidden="true">›</span> {name ? <Link to={`/networks/${networkId}`}>{name}</Link> : <span>Network</span>}{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Surveys</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Staff surveys</h1>
          <p className="lede">{name ?? 'This network'}: rounds of a maturity survey, answered by the staff of its member schools.</p>
        </div>
        {coordinates && !creating ? (
          <div className="page-head-side">
            <button type="button" className="button button-small" onClick={() => setCreating(true)}>
              Set up a survey round
            </button>
          </div>
        ) : null}
      </div>
      {network.state === 'error' ? <ErrorNotice error={network.error} onRetry={network.reload} /> : null}
      {creating ? <NewRoundForm networkId={networkId} networkName={name} onCancel={() => setCreating(false)} /> : null}
      <section className="panel" aria-labelledby="rounds-heading">
        <h2 id="rounds-heading">Rounds</h2>
        {waves.state === 'loading' ? <Loading label="Loading the rounds…" /> : null}
        {waves.state === 'error' ? <ErrorNotice error={waves.error} onRetry={waves.reload} /> : null}
        {waves.state === 'ready' && waves.data.items.length === 0 ? (
          <Empty title="No survey rounds to show.">
            <p>
              {coordinates
                ? 'Set up a round: choose an instrument and the member schools taking part, then invite their staff by link, code or paper.'
                : 'Rounds appear here once the network’s coordinator has run one whose results you may see.'}
            </p>
          </Empty>
        ) : null}
        {waves.state === 'ready' && waves.data.items.length > 0 ? <RoundsTable items={waves.data.items} /> : null}
      </section>
    </article>
  );
}

function RoundsTable({ items }: { items: WaveSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="rounds-table">
        <caption className="visually-hidden">Survey rounds, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Round</th>
            <th scope="col">Instrument</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Schools
            </th>
            <th scope="col">Dates</th>
            <th scope="col">Results</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.id} data-round={w.title}>
              <th scope="row">
                <Link to={`/survey-rounds/${w.id}`} className="strong-link">
                  {w.title}
                </Link>
                <span className="sub">k = {w.minCell}</span>
              </th>
              <td>{w.instrument.title}</td>
              <td>
                <RoundStatus status={w.status} />
              </td>
              <td className="num">{w.schoolCount}</td>
              <td className="nowrap">
                {w.status === 'closed'
                  ? `closed ${formatDate(w.closedOn)}`
                  : w.status === 'open'
                    ? `open since ${formatDate(w.openedOn)}, until ${formatDate(w.closesOn)}`
                    : `deadline ${formatDate(w.closesOn)}`}
              </td>
              <td>
                {w.viewer.canReadResults ? (
                  <Link to={`/survey-rounds/${w.id}/results`}>Results</Link>
                ) : (
                  <span className="muted">{w.status === 'closed' ? 'not shared with you' : 'once closed'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">{plural(items.length, 'round')}.</p>
    </div>
  );
}
