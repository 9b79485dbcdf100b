// Cookie names and options of the admin app (frontends.md §1.3). The `eshop_a_` prefix keeps them apart
// from the shop's cookies, since cookies on localhost are shared across ports.
import { cookieSecure } from '@/lib/config';

export const ACCESS_COOKIE = 'eshop_a_access';
export const REFRESH_COOKIE = 'eshop_a_refresh';
export const SESSION_COOKIE = 'eshop_a_session';
export const ALL_COOKIES = [ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE] as const;

/** One cookie to set; maxAge 0 clears it. */
export type CookieSpec = { name: string; value: string; maxAge: number };

export function cookieOptions(maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: cookieSecure(), maxAge };
}

export const CLEARED_COOKIES: CookieSpec[] = ALL_COOKIES.map((name) => ({ name, value: '', maxAge: 0 }));

/**
 * A Cookie request header with some values replaced (null removes the cookie), so the render that follows
 * a refresh in the route guard sees the new tokens.
 */
export function rewriteCookieHeader(header: string | null, set: Record<string, string | null>): string {
  const pairs = (header ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .filter((p) => !Object.prototype.hasOwnProperty.call(set, p.split('=')[0]));
  for (const [name, value] of Object.entries(set)) if (value !== null) pairs.push(`${name}=${value}`);
  return pairs.join('; ');
}
