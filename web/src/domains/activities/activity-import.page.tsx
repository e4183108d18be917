import { type FormEvent, useRef, useState } from 'react';
import { type CsvProblem, csvProblems, type ImportSummary, importActivities } from '../../api/activities.ts';
import { ApiError } from '../../api/client.ts';
import { formatNumber, plural } from '../../components/format.ts';
import { ErrorNotice, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';

const template = [
  'type,title,schools,start_on,end_on,recurrence,occurrences,hours_per_occurrence,network,staff,focus,outcome_notes,evidence',
  'peer_observation,Year 5 writing observations,100001:giving;100002:receiving,2025-09-15,,weekly,6,1.5,,100001:teachers=2;100002:teachers=3,Writing,,https://example.org/notes',
  "Heads' group meeting,Termly heads' meeting,100001:mutual;100002:mutual,2025-09-08,,termly,3,2,,100001:heads=1;100002:heads=1,Leadership,,",
].join('\n');

const columns: [name: string, what: string][] = [
  ['type', 'a code or label from the activity catalogue, e.g. peer_observation or “Peer observation”'],
  ['title', 'a short title'],
  ['schools', 'two or more schools as URN:direction, separated by “;” (direction: giving, receiving or mutual)'],
  ['start_on', 'the first day, yyyy-mm-dd or dd-mm-yyyy'],
  ['end_on', 'optional: the last day of a one-off activity over several days'],
  ['recurrence', 'optional: once (the default), weekly, fortnightly, monthly, half_termly, termly or yearly'],
  ['occurrences', 'optional: how many times a series happened'],
  ['hours_per_occurrence', 'optional: hours each time, e.g. 1.5'],
  ['network', 'optional: the id of the network it was done in (the number in the network’s address)'],
  ['staff', 'optional: people per school as URN:level=count,level=count, separated by “;”'],
  ['focus, outcome_notes', 'optional: the subject or aspect, and what came of it'],
  ['evidence', 'optional: web addresses separated by spaces'],
];

type Outcome = { kind: 'done'; summary: ImportSummary } | { kind: 'refused'; file: string; error: ApiError; problems: CsvProblem[] } | { kind: 'failed'; error: Error };

/**
 * /activities/import: many activities at once from a CSV file, all or nothing. A refused file
 * lists each problem by row and column with how to fix it; nothing is written then.
 */
export function ActivityImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const result = useRef<HTMLDivElement>(null);
  useDocumentTitle('Upload activities');

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'done', summary: await importActivities(file) });
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) setOutcome({ kind: 'refused', file: file.name, error, problems: csvProblems(error) });
      else setOutcome({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      setBusy(false);
      requestAnimationFrame(() => result.current?.focus());
    }
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/activities">Activity log</Link> <span aria-hidden="true">›</span> <span aria-current="page">Upload activities</span>
      </nav>
      <h1>Upload activities</h1>
      <p className="lede">
        A CSV file with one activity a row. Trellis checks every row first: if any has a problem, nothing is recorded and each problem is listed by row and column.
      </p>
      <form className="import-form panel" onSubmit={submit} aria-label="Upload activities">
        <div className="field">
          <label htmlFor="activities-file">CSV file</label>
          <span className="hint" id="activities-file-hint">
            UTF-8 or Windows encoding, with a header row; at most 10,000 activities.
          </span>
          <input
            ref={input}
            id="activities-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="activities-file-hint"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setOutcome(null);
            }}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={!file || busy} aria-busy={busy}>
            {busy ? 'Checking and recording…' : 'Upload'}
          </button>
          <a className="button button-secondary" download="activities-template.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`}>
            Download a template
          </a>
        </div>
      </form>
      <div ref={result} tabIndex={-1} data-testid="activities-import-result" aria-live="polite">
        {outcome?.kind === 'done' ? (
          <section className="panel" aria-labelledby="import-done-heading">
            <div className="notice notice-success">
              <h2 id="import-done-heading" className="notice-title">
                Recorded {plural(outcome.summary.activitiesCreated, 'activity', 'activities')} from {outcome.summary.file}
              </h2>
              <p>
                {formatNumber(outcome.summary.rowsRead)} rows read; the ties of {plural(outcome.summary.tiesRecomputed, 'pair')} of schools were worked out again.
              </p>
            </div>
            <Link to="/activities">See them in the activity log</Link>
          </section>
        ) : null}
        {outcome?.kind === 'refused' ? (
          <section className="panel" aria-labelledby="import-refused-heading">
            <div className="notice notice-error">
              <h2 id="import-refused-heading" className="notice-title">
                Nothing was recorded
              </h2>
              <p>
                {outcome.error.status === 403
                  ? 'You may not record some of the rows: record activities your own school took part in, or ones among the members of a network you coordinate.'
                  : `${outcome.file} has ${plural(outcome.problems.length, 'problem')} to fix first.`}
              </p>
            </div>
            <div className="table-wrap">
              <table className="data-table problems-table" data-testid="csv-problems">
                <caption>Problems in {outcome.file}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Row
                    </th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                    <th scope="col">How to fix it</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.problems.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id; the list never reorders
                    <tr key={i}>
                      <td className="num">{p.row === null ? '—' : p.row === 0 ? 'Header' : p.row}</td>
                      <td>{p.column ? <code>{p.column}</code> : '—'}</td>
                      <td>{p.message}</td>
                      <td>{p.fix ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ) : null}
        {outcome?.kind === 'failed' ? <ErrorNotice error={outcome.error} title="The file was not uploaded" /> : null}
      </div>
      <section className="panel" aria-labelledby="format-heading">
        <h2 id="format-heading">The columns</h2>
        <p className="muted">Required: type, title, schools, start_on. Rows are numbered from the first under the header.</p>
        <dl className="facts">
          {columns.map(([name, what]) => (
            <div key={name} className="fact">
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
