// Login and refresh against the auth service; builds the three session cookies (frontends.md §1.3).
import { callService } from '@/lib/api/server';
import { ApiError } from '@/lib/api/envelope';
import { sessionMaxAgeS } from '@/lib/config';
import { isRole, type Role } from '@/lib/roles';
import { ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE, type CookieSpec } from './cookies';
import { peekAccessToken, signSession, type SessionUser } from './token';

type LoginData = {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user_id: string;
  username: string;
  role: string;
};
type RefreshData = { access_token: string; refresh_token?: string | null; expires_in: number };
type MeData = { user_id: string; username: string; email: string; name: string | null; role: string };

export type Established = { user: SessionUser; cookies: CookieSpec[] };

async function establish(access: string, refresh: string, expiresIn: number, fallback: { user_id: string; username: string; role: string }, ip: string | null): Promise<Established> {
  let me: MeData | null = null;
  try {
    me = (await callService<MeData>('auth', '/v1/auth/me', { token: access, ip })).data;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
  }
  const peek = peekAccessToken(access);
  const role: Role = peek?.role ?? (isRole(fallback.role) ? fallback.role : 'customer');
  const expIn = Number.isFinite(expiresIn) && expiresIn > 0 ? Math.floor(expiresIn) : 900;
  const user: SessionUser = {
    user_id: me?.user_id ?? fallback.user_id,
    username: me?.username ?? fallback.username,
    name: me?.name ?? '',
    email: me?.email ?? '',
    role,
    access_exp: peek?.exp || Math.floor(Date.now() / 1000) + expIn,
  };
  const maxAge = sessionMaxAgeS();
  return {
    user,
    cookies: [
      { name: ACCESS_COOKIE, value: access, maxAge: expIn },
      { name: REFRESH_COOKIE, value: refresh, maxAge },
      { name: SESSION_COOKIE, value: await signSession(user, maxAge), maxAge },
    ],
  };
}

/** Signs in; throws ApiError with the auth service's status (401, 403, 422, 429, 502). */
export async function login(username: string, password: string, ip: string | null): Promise<Established> {
  const { data } = await callService<LoginData>('auth', '/v1/auth/login', { method: 'POST', json: { username, password }, ip });
  return establish(data.access_token, data.refresh_token, data.expires_in, data, ip);
}

/**
 * Exchanges the refresh token. Null when auth refuses it (the session is over); throws ApiError when auth
 * cannot be reached (the caller keeps the cookies).
 */
export async function refreshSession(refreshToken: string, ip: string | null, previous: SessionUser | null): Promise<Established | null> {
  let data: RefreshData;
  try {
    data = (await callService<RefreshData>('auth', '/v1/auth/refresh', { method: 'POST', json: { refresh_token: refreshToken }, ip })).data;
  } catch (err) {
    if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return null;
    throw err;
  }
  const fallback = { user_id: previous?.user_id ?? '', username: previous?.username ?? '', role: previous?.role ?? 'customer' };
  return establish(data.access_token, data.refresh_token || refreshToken, data.expires_in, fallback, ip);
}

export async function logoutUpstream(access: string | undefined, ip: string | null): Promise<void> {
  if (!access) return;
  try {
    await callService('auth', '/v1/auth/logout', { method: 'POST', token: access, ip });
  } catch {
    // cookies are cleared whatever the answer
  }
}
