import { ApiError, csrfHeaders, errorFrom, get, type Problem, queryString, signInRequired } from './client.ts';

/** The import endpoints. Uploads go through XMLHttpRequest: fetch cannot report upload progress. */

export type ImportKind = { kind: string; title: string; requiredColumns: string[] };

export type ImportProblem = {
  file?: string;
  row?: number;
  line?: number;
  column?: string;
  message: string;
  fix?: string;
};

export type ImportJobStatus = 'queued' | 'reading' | 'loading' | 'done' | 'failed';

export type ImportJob = {
  jobId: string;
  status: ImportJobStatus;
  bytesRead: number;
  totalBytes: number;
  rows: number;
  result?: {
    kind: string;
    file: string;
    rowsRead: number;
    rowsLoaded: number;
    skipped: Record<string, number>;
    summary: Record<string, number>;
    encoding?: string;
    asOf?: string;
  };
  problems?: ImportProblem[];
  /** A failure that is not about rows (the server may say why in a sentence). */
  error?: string;
};

export const importKinds = (signal?: AbortSignal) => get<{ items: ImportKind[] }>('/imports/kinds', {}, signal);

export const importJob = (jobId: string, signal?: AbortSignal) => get<ImportJob>(`/imports/${encodeURIComponent(jobId)}`, {}, signal);

export type Upload = { done: Promise<{ jobId: string }>; abort: () => void };

/** Sends the raw file as the request body; `onProgress` gets bytes sent and total. */
export function uploadImport(
  file: File,
  options: { kind: string | null; asOf: string | null },
  onProgress: (sent: number, total: number) => void,
): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ jobId: string }>((resolve, reject) => {
    // The body is the bare file, so its name travels in the query: the import log records it and
    // a date in it (…20161122.csv) is taken as the extract date unless asOf is given.
    xhr.open('POST', `/api/v1/imports${queryString({ kind: options.kind, file: file.name.slice(-200), asOf: options.asOf })}`);
    xhr.setRequestHeader('content-type', file.type === 'text/csv' ? 'text/csv' : 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, { title: 'Upload failed', detail: 'The connection was lost during the upload. Try again.' }));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const body: unknown = JSON.parse(xhr.responseText);
          if (typeof body === 'object' && body !== null && 'jobId' in body) {
            resolve({ jobId: String(body.jobId) });
            return;
          }
        } catch {
          // fall through
        }
        reject(new ApiError(xhr.status, { detail: 'The server accepted the file but did not return a job id.' } satisfies Problem));
        return;
      }
      if (xhr.status === 401) signInRequired();
      errorFrom(response).then(reject, reject);
    };
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
