import { ApiError } from '../../api/client.ts';
import { reportPdfUrl, resultsCsvUrl, surveys } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate } from '../../components/format.ts';
import { Empty, ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { ResultsView } from './results-view.tsx';
import { RoundBreadcrumb } from './round-breadcrumb.tsx';
import './surveys.css';

/** /survey-rounds/:id/results: a closed round's results, with the CSV, the printable report and its PDF. */
export function SurveyResultsPage({ waveId }: { waveId: number }) {
  const wave = useResource(`survey-wave:${waveId}`, (signal) => surveys.wave(waveId, signal));
  const results = useResource(`survey-results:${waveId}`, (signal) => surveys.results(waveId, undefined, signal));
  const title = wave.data?.title ?? results.data?.wave.title ?? null;
  useDocumentTitle(title ? `Results · ${title}` : 'Survey results');
  // 409: the round is not closed yet; results exist only once it closes.
  const notClosed = results.state === 'error' && results.error instanceof ApiError && results.error.status === 409;
  return (
    <article className="survey-results-page" data-testid="survey-results" aria-busy={results.state === 'loading'}>
      <RoundBreadcrumb wave={wave.data ?? null} waveId={waveId} here="Results" />
      <div className="page-head">
        <div>
          <h1>Results{title ? `: ${title}` : ''}</h1>
          {results.data ? (
            <p className="lede">
              {results.data.wave.networkName} · {results.data.wave.instrument.title} (version {results.data.wave.instrument.version}) · closed {formatDate(results.data.wave.closedOn)} ·
              groups under {results.data.wave.minCell} not shown
            </p>
          ) : null}
        </div>
        {results.data ? (
          <div className="page-head-side">
            <a className="button button-secondary button-small" href={resultsCsvUrl(waveId)} download data-testid="results-csv">
              Download CSV
            </a>
            <Link className="button button-secondary button-small" to={`/survey-rounds/${waveId}/report`}>
              Printable report
            </Link>
            <a className="button button-secondary button-small" href={reportPdfUrl(waveId)} download data-testid="report-pdf">
              Download PDF
            </a>
          </div>
        ) : null}
      </div>
      {results.state === 'loading' ? <Loading label="Counting the answers…" /> : null}
      {notClosed ? (
        <Empty title="Results are shown once the round has closed.">
          <p>Reading results while answers still arrive would let one person’s answers be worked out from two readings. Close the round on its page when the deadline has passed.</p>
          <p>
            <Link to={`/survey-rounds/${waveId}`}>Back to the round</Link>
          </p>
        </Empty>
      ) : null}
      {results.state === 'error' && !notClosed ? <ErrorNotice error={results.error} onRetry={results.reload} /> : null}
      {results.data ? <ResultsView results={results.data} /> : null}
    </article>
  );
}
