// Proxy allow-list, browser IP and CSRF rule (frontends.md §1.2). Pure functions, unit-tested.
import type { ServiceName } from '../config';

const AUTH_PROXIED = new Set(['signup', 'confirm', 'resend-code', 'forgot-password', 'reset-password', 'change-password', 'me']);

const PREFIXES: Record<Exclude<ServiceName, 'auth'>, string[]> = {
  product: ['products', 'categories'],
  cart: ['carts'],
  order: ['orders'],
  payment: ['payments'],
};

/** Whether the shop proxy forwards `method` to `service` at `/{segments}`. */
export function isAllowed(service: string, method: string, segments: string[]): service is ServiceName {
  if (segments.length < 2 || segments[0] !== 'v1') return false;
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\'))) return false;
  const m = method.toUpperCase();
  switch (service) {
    case 'product':
      return (m === 'GET' || m === 'HEAD') && PREFIXES.product.includes(segments[1]);
    case 'cart':
    case 'order':
    case 'payment':
      return PREFIXES[service].includes(segments[1]);
    case 'auth':
      return segments[1] === 'auth' && segments.length === 3 && AUTH_PROXIED.has(segments[2]);
    default:
      return false;
  }
}

/**
 * The browser's IP: the right-most address of the incoming X-Forwarded-For (the ingress, or Next itself,
 * appended the real peer). Null when there is none.
 */
export function browserIp(xff: string | null | undefined): string | null {
  if (!xff) return null;
  const parts = xff.split(',').map((s) => s.trim()).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : null;
}

/** X-Forwarded-For to send upstream: the browser IP appended (the only hop auth trusts). */
export function forwardedFor(incoming: string | null | undefined): string | null {
  return browserIp(incoming);
}

/** CSRF: non-GET requests need `x-eshop-client: 1` and, when present, an Origin equal to APP_ORIGIN. */
export function csrfOk(method: string, headers: Headers, appOrigin: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
  if (headers.get('x-eshop-client') !== '1') return false;
  const origin = headers.get('origin');
  return origin === null || origin === appOrigin;
}

/** Upstream timeout for a proxied call (§1.2): checkout 35 s, multipart uploads 120 s, JSON the default. */
export function proxyTimeoutMs(service: string, method: string, segments: string[], contentType: string | null, jsonDefault: number): number {
  if (contentType?.toLowerCase().startsWith('multipart/')) return 120_000;
  if (service === 'cart' && method.toUpperCase() === 'POST' && segments.join('/') === 'v1/carts/checkout') return 35_000;
  return jsonDefault;
}

export const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key', 'x-request-id', 'content-length'];
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'content-length', 'retry-after', 'x-request-id'];
