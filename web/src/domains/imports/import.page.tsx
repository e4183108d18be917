import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { type ImportJob, importJob, importKinds, uploadImport } from '../../api/imports.ts';
import { useResource } from '../../api/use-resource.ts';
import { formatNumber, humanise, isIsoDate, plural } from '../../components/format.ts';
import { ErrorNotice, Loading, useDocumentTitle } from '../../components/states.tsx';
import { ImportResult } from './import-result.tsx';

type Stage =
  | { step: 'idle' }
  | { step: 'uploading'; sent: number; total: number }
  | { step: 'processing'; job: ImportJob | null }
  | { step: 'finished'; job: ImportJob }
  | { step: 'error'; error: Error };

const POLL_MS = 400;
const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Stopped', 'AbortError'));
    });
  });

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export function ImportPage() {
  useDocumentTitle('Import');
  const kinds = useResource('import-kinds', (signal) => importKinds(signal));
  const [kind, setKind] = useState('');
  const [asOf, setAsOf] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [fileError, setFileError] = useState<string | null>(null);
  const abortUpload = useRef<(() => void) | null>(null);
  const polling = useRef<AbortController | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const outcome = useRef<HTMLDivElement>(null);

  useEffect(
    () => () => {
      abortUpload.current?.();
      polling.current?.abort();
    },
    [],
  );

  useEffect(() => {
    if (stage.step === 'finished' || stage.step === 'error') outcome.current?.focus();
  }, [stage.step]);

  const busy = stage.step === 'uploading' || stage.step === 'processing';
  const chosen = kinds.data?.items.find((k) => k.kind === kind);

  const start = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setFileError('Choose a CSV file to import.');
      fileInput.current?.focus();
      return;
    }
    setFileError(null);
    setStage({ step: 'uploading', sent: 0, total: file.size });
    const upload = uploadImport(file, { kind: kind || null, asOf: isIsoDate(asOf) ? asOf : null }, (sent, total) =>
      setStage({ step: 'uploading', sent, total }),
    );
    abortUpload.current = upload.abort;
    const controller = new AbortController();
    polling.current = controller;
    try {
      const { jobId } = await upload.done;
      abortUpload.current = null;
      setStage({ step: 'processing', job: null });
      for (;;) {
        const job = await importJob(jobId, controller.signal);
        if (job.status === 'done' || job.status === 'failed') {
          setStage({ step: 'finished', job });
          return;
        }
        setStage({ step: 'processing', job });
        await wait(POLL_MS, controller.signal);
      }
    } catch (error) {
      if (isAbort(error)) {
        setStage({ step: 'idle' });
        return;
      }
      setStage({ step: 'error', error: error instanceof Error ? error : new Error(String(error)) });
    }
  };

  const cancel = () => {
    abortUpload.current?.();
    polling.current?.abort();
  };

  const reset = () => {
    setStage({ step: 'idle' });
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
  };

  return (
    <>
      <h1>Import</h1>
      <p className="lede">
        Load a public data file (a register extract, federation or trust list…) into the registry. The whole file is
        checked before anything changes: either every row loads, or none does and you get the list of rows to fix.
      </p>
      <form className="panel import-form" onSubmit={start} noValidate aria-label="Import a file">
        <div className="field">
          <label htmlFor="import-kind">Kind of file</label>
          {kinds.state === 'loading' ? <Loading label="Loading the kinds of file…" /> : null}
          {kinds.state === 'error' ? <ErrorNotice error={kinds.error} onRetry={kinds.reload} /> : null}
          <select id="import-kind" value={kind} onChange={(e) => setKind(e.target.value)} disabled={busy} aria-describedby="import-kind-hint">
            <option value="">Detect from the header</option>
            {kinds.data?.items.map((k) => (
              <option key={k.kind} value={k.kind}>
                {humanise(k.kind)}: {k.title}
              </option>
            ))}
          </select>
          <span className="hint" id="import-kind-hint">
            {chosen ? (
              <>
                Needs the columns <code>{chosen.requiredColumns.join(', ')}</code>
              </>
            ) : (
              'Trellis picks the kind whose columns all appear in the first line of the file.'
            )}
          </span>
        </div>
        <div className={`field${fileError ? ' has-error' : ''}`}>
          <label htmlFor="import-file">File</label>
          {fileError ? (
            <span className="field-error" id="import-file-error">
              {fileError}
            </span>
          ) : null}
          <input
            ref={fileInput}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'import-file-error import-help' : 'import-help'}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
              if (stage.step === 'finished' || stage.step === 'error') setStage({ step: 'idle' });
            }}
          />
          <span className="hint" id="import-help">
            CSV, as published (UTF-8 or Windows-1252). {file ? `${file.name}, ${formatBytes(file.size)}.` : ''}
          </span>
        </div>
        <div className="field">
          <label htmlFor="import-as-of">Extract date (optional)</label>
          <input id="import-as-of" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} disabled={busy} aria-describedby="import-as-of-hint" />
          <span className="hint" id="import-as-of-hint">
            The date the file describes. Memberships it lists start or end on this date. Left blank, Trellis takes a date
            in the file name (such as 20161122), or else today.
          </span>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Importing…' : 'Upload and import'}
          </button>
          {busy ? (
            <button type="button" className="button button-secondary" onClick={cancel}>
              {stage.step === 'uploading' ? 'Cancel upload' : 'Stop watching'}
            </button>
          ) : null}
        </div>
      </form>

      <Progress stage={stage} />

      <div ref={outcome} tabIndex={-1} className="import-outcome">
        {stage.step === 'error' ? (
          <ErrorNotice error={stage.error} title={stage.error instanceof ApiError && stage.error.status === 415 ? 'Not a file Trellis can read' : 'The import did not run'} />
        ) : null}
        {stage.step === 'finished' ? <ImportResult job={stage.job} onAnother={reset} /> : null}
      </div>
    </>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function Progress({ stage }: { stage: Stage }) {
  if (stage.step === 'uploading') {
    const pct = stage.total > 0 ? Math.round((stage.sent / stage.total) * 100) : 0;
    return (
      <div className="panel progress-panel" data-testid="import-progress">
        <label htmlFor="upload-progress">Uploading: {pct}%</label>
        <progress id="upload-progress" max={stage.total || 1} value={stage.sent}>
          {pct}%
        </progress>
        <p className="muted" aria-live="polite">
          {formatBytes(stage.sent)} of {formatBytes(stage.total)} sent
        </p>
      </div>
    );
  }
  if (stage.step === 'processing') {
    const job = stage.job;
    const reading = job?.status === 'reading' && job.totalBytes > 0;
    const label =
      !job || job.status === 'queued'
        ? 'Uploaded; waiting to start…'
        : job.status === 'reading'
          ? `Reading and checking rows: ${formatNumber(job.rows)} so far`
          : `Loading ${plural(job.rows, 'row')} into the registry…`;
    return (
      <div className="panel progress-panel" data-testid="import-progress">
        <label htmlFor="job-progress">{label}</label>
        {reading ? <progress id="job-progress" max={job.totalBytes} value={job.bytesRead} /> : <progress id="job-progress" />}
        <p className="muted" aria-live="polite">
          {reading ? `${Math.round((job.bytesRead / job.totalBytes) * 100)}% of the file read` : job?.status === 'loading' ? 'Writing in one transaction' : ''}
        </p>
      </div>
    );
  }
  return null;
}
