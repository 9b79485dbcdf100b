// The services' envelope (design §2): `{code, data, message}` on success, `{code, error:{message, causes}}`
// on failure. Shared by the browser wrapper and the server calls.

export type Cause = { field?: string; message?: string; [k: string]: unknown };

export class ApiError extends Error {
  readonly status: number;
  readonly causes: Cause[] | null;
  readonly requestId: string | null;
  readonly retryAfter: number | null;

  constructor(status: number, message: string, causes: Cause[] | null = null, requestId: string | null = null, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.causes = causes;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** What a person should read: the service's text for a 4xx, a reference for a 5xx. */
  get display(): string {
    return displayMessage(this);
  }
}

export function displayMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status >= 500) return `Something went wrong (ref ${err.requestId ?? 'unknown'})`;
    if (err.status === 403) return err.message && err.message !== 'forbidden' ? err.message : 'Your role does not allow this';
    return err.message || `Request failed (${err.status})`;
  }
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong';
}

export type Unwrapped<T> = { data: T; count: number | null; message: string };

function asCauses(v: unknown): Cause[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter((c): c is Cause => typeof c === 'object' && c !== null);
}

/**
 * Turns a parsed body and status into data or an ApiError. An old-style `null` list becomes `[]` when the
 * caller says a list is expected.
 */
export function unwrap<T>(status: number, body: unknown, requestId: string | null = null, opts: { list?: boolean } = {}): Unwrapped<T> {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  if (status >= 200 && status < 300) {
    let data = obj && 'data' in obj ? obj.data : body;
    if (opts.list && (data === null || data === undefined)) data = [];
    const count = obj && typeof obj.count === 'number' ? obj.count : null;
    const message = obj && typeof obj.message === 'string' ? obj.message : '';
    return { data: data as T, count, message };
  }
  const error = obj && typeof obj.error === 'object' && obj.error !== null ? (obj.error as Record<string, unknown>) : null;
  const message =
    (error && typeof error.message === 'string' && error.message) ||
    (obj && typeof obj.message === 'string' && obj.message) ||
    defaultMessage(status);
  throw new ApiError(status, message, asCauses(error?.causes), requestId);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Your session has expired, please sign in again';
  if (status === 403) return 'Your role does not allow this';
  if (status === 404) return 'Not found';
  if (status === 502 || status === 503 || status === 504) return 'The service is unavailable';
  return `Request failed (${status})`;
}

/** Field errors from `causes` (`[{field, message}]`), keyed by field name. */
export function causesByField(causes: Cause[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of causes ?? []) {
    if (typeof c.field === 'string' && c.field && !out[c.field]) out[c.field] = typeof c.message === 'string' ? c.message : 'Invalid value';
  }
  return out;
}
