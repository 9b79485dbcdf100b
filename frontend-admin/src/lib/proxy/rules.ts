// Rules of the same-origin service proxy (frontends.md §1.2): which service paths the admin app may reach,
// the browser IP it forwards, which headers pass each way, and the CSRF check.
import type { ServiceName } from '@/lib/config';

/** Path prefixes per service (whole segments). Auth: only the routes of §1.2, never login/refresh/logout. */
export const ALLOW: Record<ServiceName, readonly string[]> = {
  product: ['/v1/products', '/v1/categories'],
  order: ['/v1/orders'],
  payment: ['/v1/payments'],
  warehouse: ['/v1/warehouse', '/v1/warehouse-products', '/v1/stock-movements', '/v1/stock-alerts', '/v1/reservations'],
  'sales-report': ['/v1/sales'],
  auth: ['/v1/auth/forgot-password', '/v1/auth/reset-password', '/v1/auth/change-password', '/v1/auth/me', '/v1/auth/users'],
};

/** Auth routes a guest may call through the proxy (the forgot-password page). */
export const GUEST_PATHS: readonly string[] = ['/v1/auth/forgot-password', '/v1/auth/reset-password'];

const matchesPrefix = (path: string, prefix: string) => path === prefix || path.startsWith(prefix + '/');

/**
 * Builds the upstream path from the catch-all segments, or null when it is not allowed: unknown service,
 * a dot segment, an empty segment, or a path outside the allow-list.
 */
export function allowedPath(service: string, segments: readonly string[]): string | null {
  if (!Object.prototype.hasOwnProperty.call(ALLOW, service)) return null;
  if (segments.length === 0) return null;
  for (const s of segments) {
    if (!s || s === '.' || s === '..' || s.includes('/') || s.includes('\\')) return null;
  }
  const path = '/' + segments.map((s) => encodeURIComponent(s)).join('/');
  const prefixes = ALLOW[service as ServiceName];
  return prefixes.some((p) => matchesPrefix(path, p)) ? path : null;
}

export function isGuestPath(service: string, path: string): boolean {
  return service === 'auth' && GUEST_PATHS.some((p) => matchesPrefix(path, p));
}

/** The browser IP: the right-most address of the incoming X-Forwarded-For (the hop auth trusts). */
export function forwardedFor(header: string | null | undefined): string | null {
  if (!header) return null;
  const parts = header.split(',').map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : null;
}

/** Request headers passed to the service (cookie and host never are; Authorization is added from the cookie). */
export const FORWARD_REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key', 'x-request-id'] as const;
/** Response headers passed back to the browser (never a service `set-cookie`). */
export const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'content-length', 'retry-after', 'x-request-id'] as const;

/**
 * CSRF rule for every non-GET request to the proxy and the session routes: the fetch wrapper's header
 * must be present and Origin, when sent, must be the app's own.
 */
export function csrfOk(method: string, headers: Headers, origin: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
  if (headers.get('x-eshop-client') !== '1') return false;
  const o = headers.get('origin');
  return o === null || o === origin;
}

/** Upstream timeout: long for uploads and report downloads, the default otherwise. */
export function timeoutFor(method: string, path: string, contentType: string | null, defaultMs: number): number {
  if (/^multipart\/form-data/i.test(contentType ?? '')) return 120_000;
  if (method.toUpperCase() === 'GET' && /^\/v1\/sales\/(csv|pdf|xlsx)-report\/?$/.test(path)) return 120_000;
  return defaultMs;
}
