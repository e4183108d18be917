import { type FormEvent, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatDateTime, formatNumber, plural } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { Link } from '../../router.ts';
import { evaluation, type PupilUploadSummary } from './evaluation.api.ts';
import './evaluation.css';

/** The columns a pupil results file has (server/domains/evaluation/pupil-import.ts). */
const required = ['pupil_ref', 'urn', 'academic_year', 'subject', 'score'];
const optional = ['sex', 'age_months', 'fsm', 'sen'];

/** A refusal's path as the server writes it (`row 3.score`, `row 0.colour`, `urn`) in words. */
function where(path: string): string {
  const m = /^row (\d+)(?:\.(.+))?$/.exec(path);
  if (!m) return path ? `column ${path}` : 'the file';
  const row = m[1] === '0' ? 'the header' : `row ${m[1]}`;
  return m[2] ? `${row}, column ${m[2]}` : row;
}

/**
 * /pupil-results: a school leader uploads their pupils' results (one pupil, year and subject a
 * row; pseudonymous references, never UPNs). All or nothing: a refusal lists every row and
 * column to fix, and nothing is kept. Earlier uploads can be withdrawn, deleting their rows.
 */
export function PupilUploadPage() {
  useDocumentTitle('Upload pupil results');
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<PupilUploadSummary | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const uploads = useResource('pupil-uploads', (signal) => evaluation.uploads(signal));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setError(new ApiError(400, { title: 'No file chosen', detail: 'Choose the CSV file of pupil results first.' }));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await evaluation.uploadPupils(file));
      uploads.reload();
      if (input.current) input.current.value = '';
      setFile(null);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (id: number, name: string) => {
    if (!window.confirm(`Withdraw ${name}? Its pupils' results are deleted from Trellis.`)) return;
    try {
      await evaluation.withdrawUpload(id);
      uploads.reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const problems = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <article className="pupil-upload-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/evaluations">Evidence</Link> <span aria-hidden="true">›</span> <span aria-current="page">Upload pupil results</span>
      </nav>
      <h1>Upload pupil results</h1>
      <p className="lede">Pupil-level results let an evaluation separate differences between schools from differences between pupils within them (two-level models).</p>
      <form className="panel narrow" onSubmit={submit} aria-label="Upload pupil results" aria-busy={busy}>
        <p>
          A CSV file, one row per pupil, year and subject, with the columns {required.map((c) => <code key={c}>{c} </code>)} and optionally{' '}
          {optional.map((c) => (
            <code key={c}>{c} </code>
          ))}
          . Use your own pseudonymous pupil references: a unique pupil number is refused. You may upload only your own school’s pupils; a pupil already held for the same school,
          year and subject is replaced.
        </p>
        <div className="field">
          <label htmlFor="pupil-file">CSV file</label>
          <input id="pupil-file" ref={input} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={busy} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
        </div>
        {busy ? <Loading label="Checking every row…" /> : null}
      </form>
      {done ? (
        <div className="notice notice-success" role="status" data-testid="upload-summary">
          <p className="notice-title">{done.file} was imported</p>
          <p>
            {plural(done.rows, 'result')} for {plural(done.schools, 'school')}
            {done.replaced > 0 ? `; ${formatNumber(done.replaced)} earlier results replaced` : ''}.
          </p>
        </div>
      ) : null}
      {error && problems.length === 0 ? <ErrorNotice error={error} title="The file was not imported" /> : null}
      {error && problems.length > 0 ? (
        <div className="notice notice-error" role="alert" data-testid="upload-problems">
          <p className="notice-title">The file was not imported</p>
          <p>{error.message.split('\n')[0]}</p>
          <div className="table-wrap">
            <table className="data-table compact-table problems-table">
              <caption>What to fix</caption>
              <thead>
                <tr>
                  <th scope="col">Where</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p) => (
                  <tr key={`${p.path}:${p.message}`}>
                    <th scope="row">{where(p.path)}</th>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="uploads-heading">
        <h2 id="uploads-heading">Your uploads</h2>
        {uploads.state === 'loading' ? <Loading label="Loading uploads…" /> : null}
        {uploads.state === 'error' ? <ErrorNotice error={uploads.error} onRetry={uploads.reload} /> : null}
        {uploads.state === 'ready' && uploads.data.items.length === 0 ? <p className="muted">None yet.</p> : null}
        {uploads.state === 'ready' && uploads.data.items.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table compact-table">
              <caption className="visually-hidden">Your uploads, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Uploaded</th>
                  <th scope="col" className="num">
                    Rows
                  </th>
                  <th scope="col" className="num">
                    Schools
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {uploads.data.items.map((u) => (
                  <tr key={u.id}>
                    <th scope="row">{u.file}</th>
                    <td>{formatDateTime(u.uploadedAt)}</td>
                    <td className="num">{formatNumber(u.rows)}</td>
                    <td className="num">{formatNumber(u.schools.length)}</td>
                    <td>
                      {u.withdrawn ? (
                        <span className="muted">withdrawn</span>
                      ) : (
                        <button type="button" className="button button-secondary button-small" onClick={() => void withdraw(u.id, u.file)}>
                          Withdraw
                        </button>
                      )}
                    </td>
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
