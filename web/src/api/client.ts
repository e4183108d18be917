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
  /** From a 429's Retry-After header: how long to wait before trying again. */
  retryAfterSeconds: number | null = null;

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
  const error = await problemFrom(response);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfterSeconds = retryAfter;
  return error;
}

async function problemFrom(response: Response): Promise<ApiError> {
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

// ---------------------------------------------------------------------------------------------
// The session: the cookie travels by itself (same origin); the CSRF token it pairs with is kept
// here and sent with every state-changing request.

let csrfToken: string | null = null;
let onSignInRequired: (() => void) | null = null;
let refreshToken: (() => Promise<string | null>) | null = null;

/** Called by the session provider whenever it learns the token (sign-in, /auth/me), or null on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The header a state-changing request must carry (for requests not made through `request`, such as uploads). */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});

/**
 * Wires the client to the session provider: `signInRequired` runs on any 401 (the session ended
 * or was never there); `refresh` fetches a new CSRF token when the server refuses the one sent.
 */
export function connectSession(handlers: { signInRequired: () => void; refresh: () => Promise<string | null> }): () => void {
  onSignInRequired = handlers.signInRequired;
  refreshToken = handlers.refresh;
  return () => {
    onSignInRequired = null;
    refreshToken = null;
  };
}

/** Reports a 401 to the session provider (for requests not made through `request`). */
export function signInRequired(): void {
  onSignInRequired?.();
}

export type RequestOptions = {
  body?: unknown;
  signal?: AbortSignal;
  /** The caller handles a 401 itself (signing in, probing the session): no redirect to sign-in. */
  own401?: boolean;
};

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!safeMethods.has(method)) Object.assign(headers, csrfHeaders());
  try {
    return await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'No connection', detail: 'Trellis could not reach its server. Check your connection and try again.' });
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  // A token from before a sign-in elsewhere in this browser: fetch the session's token, try once more.
  if (response.status === 403 && !safeMethods.has(method) && refreshToken && response.headers.get('content-type')?.includes('json')) {
    const error = await errorFrom(response.clone());
    if (error.code === 'TRELLIS_CSRF' && (await refreshToken().catch(() => null))) response = await send(method, path, options);
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.status === 401 && !options.own401) onSignInRequired?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal) =>
  request<T>('GET', `${path}${queryString(params)}`, signal ? { signal } : {});

export const put = <T>(path: string, body: unknown, signal?: AbortSignal) => request<T>('PUT', path, signal ? { body, signal } : { body });

export const post = <T>(path: string, body: unknown = {}, options: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...options, body });
