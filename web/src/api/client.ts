/**
 * The typed fetch client. Every non-2xx answer from the API is RFC 9457 problem+json; it becomes
 * an ApiError carrying the detail (shown to people) and the field errors (shown beside fields).
 */

export type FieldError = { path: string; message: string };

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly title: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
    this.title = problem.title ?? 'Request failed';
    this.fieldErrors = (problem.errors ?? []).map((e) => ({ path: normalisePath(e.path), message: e.message }));
  }

  /** The message for one field, by dotted path (`muijs.goals`), or undefined. */
  fieldError(path: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  }
}

/**
 * `body.muijs.goals.1`, `/muijs/goals` and `muijs[goals]` all become `muijs.goals…`: dotted,
 * without the request part (body, querystring, params) the server's validator puts first.
 */
function normalisePath(path: unknown): string {
  const text = Array.isArray(path) ? path.join('.') : String(path ?? '');
  return text
    .replace(/\[(\w+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\.+/, '')
    .replace(/^(body|querystring|query|params|headers)(\.|$)/, '');
}

export type QueryValue = string | number | boolean | null | undefined;

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `?${qs}` : '';
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null;
}

/** Reads a failed response into an ApiError, whatever the server sent. */
export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isProblem(body)) return new ApiError(response.status, body);
  } catch {
    // not JSON: a proxy page or a crash; fall through to a plain message
  }
  return new ApiError(response.status, {
    title: response.statusText || 'Request failed',
    detail: response.status === 404 ? 'Not found.' : `The server answered ${response.status} ${response.statusText}.`,
  });
}

export async function request<T>(method: string, path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'No connection', detail: 'Trellis could not reach its server. Check your connection and try again.' });
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal) =>
  request<T>('GET', `${path}${queryString(params)}`, signal ? { signal } : {});

export const put = <T>(path: string, body: unknown, signal?: AbortSignal) => request<T>('PUT', path, signal ? { body, signal } : { body });
