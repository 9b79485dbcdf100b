'use client';
// Browser transport: same-origin proxy /api/svc/{service}/{path} (frontends.md §1.2), with one refresh
// and retry on 401, and the expired-session redirect.
import { ApiError, type Call, readJson, unwrap } from './envelope';
import { authApi } from './auth';
import { cartApi } from './cart';
import { orderApi } from './order';
import { paymentApi } from './payment';
import { productApi } from './product';

export const CLIENT_HEADER = { 'x-eshop-client': '1' } as const;

let refreshing: Promise<boolean> | null = null;

/** POST /api/session/refresh once (shared by concurrent callers). */
export function refreshOnce(): Promise<boolean> {
  refreshing ??= fetch('/api/session/refresh', { method: 'POST', headers: CLIENT_HEADER })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = null), 1000);
    });
  return refreshing;
}

export function sessionExpired(): never {
  const here = window.location.pathname + window.location.search;
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, so the server layout re-reads the session cookie
  window.location.assign(`/auth/login?next=${encodeURIComponent(here)}&reason=expired`);
  throw new ApiError(401, 'Your session has expired, please sign in again');
}

export const clientCall: Call = async (service, method, path, opts = {}) => {
  const requestId = crypto.randomUUID();
  const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': requestId, ...CLIENT_HEADER, ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = opts.form;
  }
  const send = () => fetch(`/api/svc/${service}${path}`, { method, headers, body, cache: 'no-store' });
  let res: Response;
  try {
    res = await send();
    if (res.status === 401 && service !== 'product') {
      if (!(await refreshOnce())) sessionExpired();
      res = await send();
      if (res.status === 401) sessionExpired();
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, 'Network error, please try again', [], requestId);
  }
  return unwrap(res.status, await readJson(res), res.headers.get('x-request-id') ?? requestId, {
    listy: opts.listy,
    retryAfter: res.headers.get('retry-after'),
  });
};

export const api = {
  product: productApi(clientCall),
  cart: cartApi(clientCall),
  order: orderApi(clientCall),
  payment: paymentApi(clientCall),
  auth: authApi(clientCall),
};

/** Session routes (login/logout/refresh) with the CSRF header. */
export async function sessionPost<T>(path: string, json?: unknown): Promise<T> {
  const requestId = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(`/api/session/${path}`, {
      method: 'POST',
      headers: { ...CLIENT_HEADER, 'content-type': 'application/json', 'x-request-id': requestId },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  } catch {
    throw new ApiError(0, 'Network error, please try again', [], requestId);
  }
  return unwrap<T>(res.status, await readJson(res), res.headers.get('x-request-id') ?? requestId, { retryAfter: res.headers.get('retry-after') }).data;
}
