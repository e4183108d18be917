import { useEffect, useState } from 'react';
import { useResource } from '../../api/use-resource.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { evaluation } from './evaluation.api.ts';
import { EvaluationReportView, ReportLede } from './evaluation-report.tsx';
import './evaluation.css';

/** /evaluations/:id: a saved evaluation's report, with its downloads. */
export function EvaluationPage({ id }: { id: number }) {
  const report = useResource(`evaluation:${id}`, (signal) => evaluation.report(id, signal));
  const r = report.data ?? null;
  useDocumentTitle(r ? r.title : 'Evaluation');
  return (
    <article className="evaluation-page" data-testid="evaluation" aria-busy={report.state === 'loading'}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/evaluations">Evidence</Link> <span aria-hidden="true">›</span> <span aria-current="page">{r?.title ?? 'Evaluation'}</span>
      </nav>
      <div className="page-head">
        <div>
          <p className="report-kicker">Impact evaluation</p>
          <h1>{r?.title ?? 'Evaluation'}</h1>
          {r ? <ReportLede report={r} /> : null}
        </div>
        {r ? (
          <div className="page-head-side">
            <Link className="button button-secondary button-small" to={`/evaluations/${id}/print`}>
              Printable report
            </Link>
          </div>
        ) : null}
      </div>
      {report.state === 'loading' ? <Loading label="Loading the report…" /> : null}
      {report.state === 'error' ? <ErrorNotice error={report.error} onRetry={report.reload} /> : null}
      {r ? <EvaluationReportView report={r} /> : null}
    </article>
  );
}

/**
 * /evaluations/:id/print: the report laid out for paper. The server's PDF route renders this page
 * in headless Chromium (server/http/page-pdf.ts) and waits for `data-ready` to turn from "false"
 * to "true" (drawn) or "error" (nothing to print), as the survey report does.
 */
export function EvaluationPrintPage({ id }: { id: number }) {
  const report = useResource(`evaluation:${id}`, (signal) => evaluation.report(id, signal));
  const r = report.data ?? null;
  useDocumentTitle(r ? `Report · ${r.title}` : 'Evaluation report');
  const [drawn, setDrawn] = useState(false);
  // Set after the report has been committed to the page, so a reader of the attribute sees it drawn.
  useEffect(() => {
    setDrawn(report.state === 'ready');
  }, [report.state]);
  const ready = report.state === 'error' ? 'error' : drawn ? 'true' : 'false';
  return (
    <article className="evaluation-report" data-testid="evaluation-report" data-ready={ready}>
      <div className="report-actions no-print">
        <Link to={`/evaluations/${id}`}>Back to the report</Link>
        <button type="button" className="button button-small" onClick={() => window.print()} disabled={!r}>
          Print
        </button>
      </div>
      {report.state === 'loading' ? <Loading label="Preparing the report…" /> : null}
      {report.state === 'error' ? <ErrorNotice error={report.error} onRetry={report.reload} /> : null}
      {r ? (
        <>
          <header className="report-head">
            <p className="report-kicker">Trellis · impact evaluation</p>
            <h1>{r.title}</h1>
            <ReportLede report={r} />
          </header>
          <EvaluationReportView report={r} print />
          <p className="report-foot small muted">
            Produced by Trellis from the published school performance tables and the register of schools. A matched comparison of schools, not a trial: read the caveats with the
            figures.
          </p>
        </>
      ) : null}
    </article>
  );
}
