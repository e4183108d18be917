import { useResource } from '../../api/use-resource.ts';
import { formatDateTime } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { evaluation } from './evaluation.api.ts';
import { fixed } from './stats-format.ts';
import './evaluation.css';

/**
 * /evaluations: the evidence hub's front page: saved impact evaluations the reader may open
 * (those of networks whose aggregates they may read, or of their authorities), newest first,
 * and the ways in to new evidence.
 */
export function EvaluationsPage() {
  const list = useResource('evaluations', (signal) => evaluation.list(undefined, signal));
  useDocumentTitle('Evidence');
  return (
    <article className="evaluations-page" data-testid="evaluations" aria-busy={list.state === 'loading'}>
      <div className="page-head">
        <div>
          <h1>Evidence</h1>
          <p className="lede">Impact evaluations of networks against matched comparison schools, benchmarks against similar schools, and pupil-level results.</p>
        </div>
        <div className="page-head-side">
          <Link to="/evaluations/new" className="button button-small">
            Evaluate impact
          </Link>
          <Link to="/pupil-results" className="button button-secondary button-small">
            Upload pupil results
          </Link>
        </div>
      </div>
      <p className="hint">To benchmark a network against similar schools, open the network’s page and choose “Benchmark”.</p>
      <section className="panel" aria-labelledby="saved-heading">
        <h2 id="saved-heading">Saved evaluations</h2>
        {list.state === 'loading' ? <Loading label="Loading evaluations…" /> : null}
        {list.state === 'error' ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
        {list.state === 'ready' && list.data.items.length === 0 ? (
          <Empty title="No evaluations yet.">
            <p>
              <Link to="/evaluations/new">Evaluate a network’s impact</Link>: the report is kept here.
            </p>
          </Empty>
        ) : null}
        {list.state === 'ready' && list.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">Saved evaluations, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Evaluation</th>
                  <th scope="col">Network</th>
                  <th scope="col">Run</th>
                  <th scope="col" className="num">
                    Took
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      <Link to={`/evaluations/${e.id}`}>{e.title}</Link>
                    </th>
                    <td>{e.networkId !== null ? <Link to={`/networks/${e.networkId}`}>Network page</Link> : <span className="muted">several</span>}</td>
                    <td>{formatDateTime(e.createdAt)}</td>
                    <td className="num">{fixed(e.runMs / 1000, 1)} s</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </article>
  );
}
