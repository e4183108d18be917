import type { ImportJob } from '../../api/imports.ts';
import { formatDate, formatNumber, humanise, plural } from '../../components/format.ts';

/** The outcome of a finished import: the counts, or the rows to fix. */
export function ImportResult({ job, onAnother }: { job: ImportJob; onAnother: () => void }) {
  if (job.status === 'failed') {
    const problems = job.problems ?? [];
    return (
      <section className="panel" aria-labelledby="import-failed-heading" data-testid="import-result">
        <div className="notice notice-error">
          <h2 id="import-failed-heading" className="notice-title">
            Nothing was imported
          </h2>
          <p>
            {problems.length > 0
              ? `The file has ${plural(problems.length, 'problem')} to fix first${problems.length >= 50 ? ' (the first 50 are listed; checking stopped there)' : ''}. The registry is unchanged.`
              : (job.error ?? 'The import failed. The registry is unchanged.')}
          </p>
        </div>
        {problems.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table problems-table">
              <caption>Problems in {problems[0]?.file ?? 'the file'}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Row
                  </th>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                  <th scope="col">How to fix it</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id; the list never reorders
                  <tr key={i}>
                    <td className="num">{p.row ?? '—'}</td>
                    <td className="num">{p.line ?? '—'}</td>
                    <td>{p.column ? <code>{p.column}</code> : '—'}</td>
                    <td>{p.message}</td>
                    <td>{p.fix ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <button type="button" className="button button-secondary" onClick={onAnother}>
          Import another file
        </button>
      </section>
    );
  }
  const r = job.result;
  if (!r) return null;
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
  const skippedTotal = skipped.reduce((sum, [, n]) => sum + n, 0);
  return (
    <section className="panel" aria-labelledby="import-done-heading" data-testid="import-result">
      <div className="notice notice-success">
        <h2 id="import-done-heading" className="notice-title">
          Imported {r.file}
        </h2>
        <p>
          {humanise(r.kind)}: {plural(r.rowsLoaded, 'row')} loaded of {formatNumber(r.rowsRead)} read
          {skippedTotal > 0 ? `; ${formatNumber(skippedTotal)} left out on purpose` : ''}.
        </p>
        {r.asOf || r.encoding ? (
          <p className="muted small">
            {[r.asOf ? `Extract date ${formatDate(r.asOf)}` : null, r.encoding ? `read as ${r.encoding}` : null].filter(Boolean).join(' · ')}
          </p>
        ) : null}
      </div>
      <dl className="stat-tiles">
        <div>
          <dt>Rows read</dt>
          <dd>{formatNumber(r.rowsRead)}</dd>
        </div>
        <div>
          <dt>Rows loaded</dt>
          <dd>{formatNumber(r.rowsLoaded)}</dd>
        </div>
        {Object.entries(r.summary).map(([key, n]) => (
          <div key={key}>
            <dt>{humanise(key)}</dt>
            <dd>{formatNumber(n)}</dd>
          </div>
        ))}
      </dl>
      {skipped.length > 0 ? (
        <table className="data-table compact-table">
          <caption>Rows left out, by reason</caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col" className="num">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {skipped.map(([reason, n]) => (
              <tr key={reason}>
                <td>{reason}</td>
                <td className="num">{formatNumber(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" className="button button-secondary" onClick={onAnother}>
        Import another file
      </button>
    </section>
  );
}
