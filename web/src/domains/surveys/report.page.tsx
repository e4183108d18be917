import { useEffect, useState } from 'react';
import { surveys } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDate } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { ResultsView } from './results-view.tsx';
import './surveys.css';

/**
 * /survey-rounds/:id/report: the results laid out for paper — every table open, no controls,
 * page breaks between strands. Printed from the browser, or rendered to PDF by the server's
 * headless Chromium (server/domains/surveys/report-pdf.ts), which waits for `data-ready` to turn
 * from "false" to "true" (drawn) or "error" (nothing to print).
 */
export function SurveyReportPage({ waveId }: { waveId: number }) {
  const results = useResource(`survey-results:${waveId}`, (signal) => surveys.results(waveId, undefined, signal));
  const r = results.data ?? null;
  useDocumentTitle(r ? `Report · ${r.wave.title}` : 'Survey report');
  const [drawn, setDrawn] = useState(false);
  // Set after the results have been committed to the page, so a reader of the attribute sees them drawn.
  useEffect(() => {
    setDrawn(results.state === 'ready');
  }, [results.state]);
  const ready = results.state === 'error' ? 'error' : drawn ? 'true' : 'false';
  return (
    <article className="survey-report" data-testid="survey-report" data-ready={ready}>
      <div className="report-actions no-print">
        <Link to={`/survey-rounds/${waveId}/results`}>Back to the results</Link>
        <button type="button" className="button button-small" onClick={() => window.print()} disabled={!r}>
          Print
        </button>
      </div>
      {results.state === 'loading' ? <Loading label="Preparing the report…" /> : null}
      {results.state === 'error' ? <ErrorNotice error={results.error} onRetry={results.reload} /> : null}
      {r ? (
        <>
          <header className="report-head">
            <p className="report-kicker">{r.wave.networkName} · staff survey report</p>
            <h1>{r.wave.title}</h1>
            <p className="lede">
              {r.wave.instrument.title} (version {r.wave.instrument.version}) · closed {formatDate(r.wave.closedOn)} · groups with fewer than {r.wave.minCell} respondents are not
              shown
            </p>
          </header>
          <ResultsView results={r} print />
          <p className="report-foot small muted">Produced by Trellis. Figures are counts of respondents beside percentages; hidden groups are never shown as numbers.</p>
        </>
      ) : null}
    </article>
  );
}
