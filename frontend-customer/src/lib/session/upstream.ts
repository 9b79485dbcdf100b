// Server-only calls to auth for login, refresh, me and logout (never proxied; tokens stay on the server).
import { serviceUrl, sessionMaxAgeS, upstreamTimeoutMs } from '../config';
import { ApiError, readJson, unwrap } from '../api/envelope';
import type { LoginData, User } from '../api/types';
import { ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE, type CookieSpec } from './cookies';
import { accessClaims, signSession, type SessionUser } from './token';

async function authCall<T>(method: string, path: string, opts: { token?: string; json?: unknown; ip?: string | null }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': crypto.randomUUID() };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.ip) headers['x-forwarded-for'] = opts.ip;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(serviceUrl('auth') + path, {
      method,
      headers,
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
      cache: 'no-store',
      signal: AbortSignal.timeout(upstreamTimeoutMs()),
    });
  } catch {
    throw new ApiError(502, 'auth service is unavailable', [], headers['x-request-id']);
  }
  return unwrap<T>(res.status, await readJson(res), res.headers.get('x-request-id') ?? headers['x-request-id'], {
    retryAfter: res.headers.get('retry-after'),
  }).data;
}

export const authLogin = (username: string, password: string, ip: string | null) =>
  authCall<LoginData>('POST', '/v1/auth/login', { json: { username, password }, ip });

export const authMe = (token: string, ip: string | null) => authCall<User>('GET', '/v1/auth/me', { token, ip });

export const authRefresh = (refreshToken: string, ip: string | null) =>
  authCall<{ access_token: string; expires_in: number; refresh_token?: string }>('POST', '/v1/auth/refresh', { json: { refresh_token: refreshToken }, ip });

export const authLogout = (token: string, ip: string | null) => authCall<null>('POST', '/v1/auth/logout', { token, ip });

/** The three cookies of a session. */
export async function sessionCookies(access: string, expiresIn: number, refresh: string, user: User): Promise<{ cookies: CookieSpec[]; user: SessionUser }> {
  const maxAge = sessionMaxAgeS();
  const claims = accessClaims(access);
  const session: SessionUser = {
    user_id: user.user_id,
    username: user.username,
    name: user.name ?? '',
    email: user.email ?? '',
    role: claims?.role ?? 'customer',
    access_exp: claims?.exp || Math.floor(Date.now() / 1000) + expiresIn,
  };
  return {
    user: session,
    cookies: [
      { name: ACCESS_COOKIE, value: access, maxAge: Math.max(1, expiresIn) },
      { name: REFRESH_COOKIE, value: refresh, maxAge },
      { name: SESSION_COOKIE, value: await signSession(session, maxAge), maxAge },
    ],
  };
}

/**
 * Refresh (§1.3): new access token (keeping the old refresh token unless a new one comes), then /me.
 * Returns null when auth refuses the refresh token (401/400); throws ApiError for other failures.
 */
export async function refreshSession(refreshToken: string, ip: string | null) {
  let tokens;
  try {
    tokens = await authRefresh(refreshToken, ip);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 400)) return null;
    throw err;
  }
  const me = await authMe(tokens.access_token, ip);
  return sessionCookies(tokens.access_token, tokens.expires_in, tokens.refresh_token || refreshToken, me);
}

export const CLEARED_COOKIES: CookieSpec[] = [ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE].map((name) => ({ name, value: '', maxAge: 0 }));
