// Cookie names and options of the shop session (frontends.md §1.3).
import { cookieSecure } from '../config';

export const COOKIE_PREFIX = 'eshop_c_';
export const ACCESS_COOKIE = `${COOKIE_PREFIX}access`;
export const REFRESH_COOKIE = `${COOKIE_PREFIX}refresh`;
export const SESSION_COOKIE = `${COOKIE_PREFIX}session`;

export type CookieSpec = { name: string; value: string; maxAge: number };

export const cookieOptions = (maxAge: number) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: cookieSecure(),
  maxAge,
});

/** A `Set-Cookie`-free cookie header value with some cookies replaced/removed (for forwarded requests). */
export function rewriteCookieHeader(header: string | null, set: Record<string, string | null>): string {
  const pairs = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    pairs.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  for (const [k, v] of Object.entries(set)) {
    if (v === null) pairs.delete(k);
    else pairs.set(k, v);
  }
  return [...pairs].map(([k, v]) => `${k}=${v}`).join('; ');
}
