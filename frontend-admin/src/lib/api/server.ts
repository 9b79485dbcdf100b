// Server-side calls to the services (route handlers, the route guard): bearer from the cookie, a timeout,
// a fresh x-request-id, the browser IP, no caching (frontends.md §1.2).
import { serviceUrl, upstreamTimeoutMs, type ServiceName } from '@/lib/config';
import { ApiError, unwrap, type Unwrapped } from './envelope';

export type ServerCall = {
  method?: string;
  json?: unknown;
  token?: string | null;
  ip?: string | null;
  timeoutMs?: number;
};

export async function callService<T>(service: ServiceName, path: string, opts: ServerCall = {}): Promise<Unwrapped<T>> {
  const requestId = crypto.randomUUID();
  const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': requestId, 'accept-encoding': 'identity' };
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.ip) headers['x-forwarded-for'] = opts.ip;
  let res: Response;
  try {
    res = await fetch(serviceUrl(service) + path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
      cache: 'no-store',
      signal: AbortSignal.timeout(opts.timeoutMs ?? upstreamTimeoutMs()),
    });
  } catch {
    throw new ApiError(502, `${service} service is unavailable`, null, requestId);
  }
  let body: unknown = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  const upstreamId = res.headers.get('x-request-id') ?? requestId;
  try {
    return unwrap<T>(res.status, body, upstreamId);
  } catch (e) {
    if (e instanceof ApiError) {
      const ra = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
      throw new ApiError(e.status, e.message, e.causes, e.requestId, Number.isFinite(ra) ? ra : null);
    }
    throw e;
  }
}
