'use client';
// Browser calls through the same-origin proxy (frontends.md §1.2, §1.3): sets the CSRF header and a request
// id, unwraps the envelope, and on a 401 refreshes the session once and retries once; a refused refresh
// sends the person to the login page with a toast.
import { toast } from 'sonner';
import { ApiError, unwrap, type Unwrapped } from './envelope';

export type Query = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export type CallOptions = {
  method?: string;
  query?: Query;
  json?: unknown;
  form?: FormData;
  list?: boolean;
  headers?: Record<string, string>;
};

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const svcUrl = (service: string, path: string, query?: Query) => `/api/svc/${service}${path}${buildQuery(query)}`;

let refreshing: Promise<boolean> | null = null;

/** POST /api/session/refresh once for all concurrent callers. */
export function refreshOnce(): Promise<boolean> {
  if (!refreshing) {
    refreshing = fetch('/api/session/refresh', { method: 'POST', headers: { 'x-eshop-client': '1' } })
      .then((r) => r.ok)
      .catch(() => false)
      .finally(() => {
        setTimeout(() => (refreshing = null), 1000);
      });
  }
  return refreshing;
}

let expiredShown = false;
export function sessionExpired(): never {
  if (typeof window !== 'undefined' && !expiredShown) {
    expiredShown = true;
    toast.error('Your session has expired, please sign in again');
    const next = window.location.pathname + window.location.search;
    setTimeout(() => window.location.assign(new URL(`/auth/login?next=${encodeURIComponent(next)}`, window.location.origin).href), 600);
  }
  throw new ApiError(401, 'Your session has expired, please sign in again');
}

async function send(url: string, opts: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-eshop-client': '1', 'x-request-id': crypto.randomUUID(), ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) body = opts.form;
  try {
    return await fetch(url, { method: opts.method ?? 'GET', headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(502, 'The service is unavailable, check your connection');
  }
}

async function parse<T>(res: Response, list: boolean | undefined): Promise<Unwrapped<T>> {
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  return unwrap<T>(res.status, body, res.headers.get('x-request-id'), { list });
}

/** Calls `{service}{path}` through the proxy and returns `{data, count}`. */
export async function call<T>(service: string, path: string, opts: CallOptions = {}): Promise<Unwrapped<T>> {
  const url = svcUrl(service, path, opts.query);
  let res = await send(url, opts);
  if (res.status === 401) {
    if (!(await refreshOnce())) sessionExpired();
    res = await send(url, opts);
    if (res.status === 401) sessionExpired();
  }
  return parse<T>(res, opts.list);
}

/**
 * Multipart upload with progress (XHR `upload.onprogress` through the proxy). Retries once after a
 * refresh, re-sending the kept form (and so the kept File).
 */
export async function upload<T>(service: string, path: string, method: string, form: FormData, onProgress: (pct: number) => void): Promise<T> {
  const once = () =>
    new Promise<{ status: number; text: string; requestId: string | null }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, svcUrl(service, path));
      xhr.setRequestHeader('x-eshop-client', '1');
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-request-id', crypto.randomUUID());
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, requestId: xhr.getResponseHeader('x-request-id') });
      xhr.onerror = () => reject(new ApiError(502, 'The upload failed, check your connection'));
      xhr.send(form);
    });
  let r = await once();
  if (r.status === 401) {
    if (!(await refreshOnce())) sessionExpired();
    onProgress(0);
    r = await once();
    if (r.status === 401) sessionExpired();
  }
  let body: unknown = null;
  try {
    body = r.text ? JSON.parse(r.text) : null;
  } catch {
    body = null;
  }
  onProgress(100);
  return unwrap<T>(r.status, body, r.requestId).data;
}

/** Downloads a file through the proxy and saves it under `filename`. */
export async function download(service: string, path: string, query: Query, filename: string): Promise<void> {
  const url = svcUrl(service, path, query);
  const get = () => fetch(url, { headers: { 'x-eshop-client': '1', 'x-request-id': crypto.randomUUID() }, cache: 'no-store' });
  let res = await get().catch(() => null);
  if (res && res.status === 401) {
    if (!(await refreshOnce())) sessionExpired();
    res = await get().catch(() => null);
  }
  if (!res) throw new ApiError(502, 'The service is unavailable');
  if (!res.ok) await parse(res, false);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
