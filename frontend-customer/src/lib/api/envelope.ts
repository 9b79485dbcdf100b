// The services' envelope (design.md §2) and the error the apps throw (frontends.md §1.2).

export type FieldCause = { field: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly causes: FieldCause[];
  readonly requestId: string | null;
  readonly retryAfter: number | null;

  constructor(status: number, message: string, causes: FieldCause[] = [], requestId: string | null = null, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.causes = causes;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** What people see: the 4xx text, or a generic line with the request id for a 5xx. */
  get userMessage(): string {
    return userMessage(this);
  }
}

export function userMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status >= 500 || err.status === 0) return `Something went wrong (ref ${err.requestId ?? 'unknown'})`;
    return capitalise(err.message || `Request failed (${err.status})`);
  }
  return 'Something went wrong';
}

const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

export type ApiResult<T> = { data: T; count?: number; message?: string };

function parseCauses(raw: unknown): FieldCause[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((c): c is { field?: unknown; message?: unknown } => typeof c === 'object' && c !== null)
    .map((c) => ({ field: String(c.field ?? ''), message: String(c.message ?? '') }));
}

/**
 * Unwraps a parsed body: 2xx → `{data, count}` (an old-style `null` list becomes `[]` when `listy`);
 * otherwise throws ApiError with the service's message and causes.
 */
export function unwrap<T>(status: number, body: unknown, requestId: string | null, opts: { listy?: boolean; retryAfter?: string | null } = {}): ApiResult<T> {
  const env = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status >= 200 && status < 300) {
    let data = env.data as T;
    if (opts.listy && (data === null || data === undefined)) data = [] as unknown as T;
    const count = typeof env.count === 'number' ? env.count : undefined;
    return { data, count, message: typeof env.message === 'string' ? env.message : undefined };
  }
  const error = (env.error ?? {}) as Record<string, unknown>;
  const message = typeof error.message === 'string' ? error.message : typeof env.message === 'string' ? env.message : `HTTP ${status}`;
  const ra = opts.retryAfter ? Number.parseInt(opts.retryAfter, 10) : NaN;
  throw new ApiError(status, message, parseCauses(error.causes), requestId, Number.isFinite(ra) ? ra : null);
}

/** Parses a response body as JSON when possible, else returns null. */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The transport every typed API module uses: server side (direct) or client side (proxy). */
export type CallOptions = {
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  listy?: boolean;
  timeoutMs?: number;
};

export type Call = <T>(service: 'product' | 'cart' | 'auth' | 'order' | 'payment', method: string, path: string, opts?: CallOptions) => Promise<ApiResult<T>>;

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
