// The signed session cookie (HS256 JWT with jose) and the unverified read of the access token's groups.
// The services verify access tokens; here the token only tells which role the route guard applies.
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { sessionSecret } from '@/lib/config';
import { isRole, roleFromGroups, type Role } from '@/lib/roles';

export type SessionUser = {
  user_id: string;
  username: string;
  name: string;
  email: string;
  role: Role;
  /** Expiry of the access token, unix seconds. */
  access_exp: number;
};

const key = () => new TextEncoder().encode(sessionSecret());

export async function signSession(user: SessionUser, maxAgeS: number): Promise<string> {
  return new SignJWT({ ...user })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAgeS)
    .sign(key());
}

export async function readSession(value: string | undefined | null): Promise<SessionUser | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtVerify(value, key(), { algorithms: ['HS256'] });
    if (typeof payload.user_id !== 'string' || typeof payload.username !== 'string' || !isRole(payload.role)) return null;
    return {
      user_id: payload.user_id,
      username: payload.username,
      name: typeof payload.name === 'string' ? payload.name : '',
      email: typeof payload.email === 'string' ? payload.email : '',
      role: payload.role,
      access_exp: typeof payload.access_exp === 'number' ? payload.access_exp : 0,
    };
  } catch {
    return null;
  }
}

/** Role and expiry read from an access token without checking its signature (the services check it). */
export function peekAccessToken(token: string | undefined | null): { role: Role; exp: number } | null {
  if (!token) return null;
  try {
    const claims = decodeJwt(token);
    return { role: roleFromGroups(claims['cognito:groups']), exp: typeof claims.exp === 'number' ? claims.exp : 0 };
  } catch {
    return null;
  }
}

/** The role the guard applies: the token's when it disagrees with the session cookie. */
export function effectiveRole(session: SessionUser, accessToken: string | undefined | null): Role {
  const peek = peekAccessToken(accessToken);
  return peek && peek.role !== session.role ? peek.role : session.role;
}

/** Refresh when the access token ends within 60 s, or is gone while a refresh token remains. */
export function needsRefresh(session: SessionUser | null, hasAccess: boolean, hasRefresh: boolean, nowS = Date.now() / 1000): boolean {
  if (!hasRefresh) return false;
  if (!hasAccess || !session) return true;
  return session.access_exp - nowS < 60;
}
