// Session cookie (HS256, jose) and the role read from the access token (frontends.md §1.3).
import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import { sessionSecret } from '../config';

export type Role = 'customer' | 'warehouse_staff' | 'warehouse_manager' | 'admin';

export type SessionUser = {
  user_id: string;
  username: string;
  name: string;
  email: string;
  role: Role;
  /** Unix seconds when the access token expires. */
  access_exp: number;
};

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signSession(user: SessionUser, maxAgeS: number, secret = sessionSecret()): Promise<string> {
  return new SignJWT({ ...user })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAgeS)
    .sign(key(secret));
}

export async function readSession(token: string | undefined, secret = sessionSecret()): Promise<SessionUser | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    if (typeof payload.user_id !== 'string' || typeof payload.username !== 'string') return null;
    return {
      user_id: payload.user_id,
      username: payload.username,
      name: typeof payload.name === 'string' ? payload.name : '',
      email: typeof payload.email === 'string' ? payload.email : '',
      role: normaliseRole(payload.role),
      access_exp: typeof payload.access_exp === 'number' ? payload.access_exp : 0,
    };
  } catch {
    return null;
  }
}

const RANK: Role[] = ['admin', 'warehouse_manager', 'warehouse_staff'];

export function normaliseRole(v: unknown): Role {
  return v === 'admin' || v === 'warehouse_manager' || v === 'warehouse_staff' ? v : 'customer';
}

/** Highest role of a `cognito:groups` list (auth.md §2.4); no known group → customer. */
export function roleFromGroups(groups: unknown): Role {
  if (!Array.isArray(groups)) return 'customer';
  return RANK.find((r) => groups.includes(r)) ?? 'customer';
}

/**
 * Role and expiry from an access token, without a signature check (the services verify it). Null when the
 * token is not a readable JWT.
 */
export function accessClaims(token: string | undefined): { role: Role; exp: number } | null {
  if (!token) return null;
  try {
    const claims = decodeJwt(token);
    return { role: roleFromGroups(claims['cognito:groups']), exp: typeof claims.exp === 'number' ? claims.exp : 0 };
  } catch {
    return null;
  }
}

/** The role the guard uses: the token's when it disagrees with the session's. */
export function effectiveRole(session: SessionUser | null, accessToken: string | undefined): Role | null {
  if (!session) return null;
  const claims = accessClaims(accessToken);
  return claims && claims.role !== session.role ? claims.role : session.role;
}

/** Whether the access token should be refreshed now (§1.3: < 60 s left, or gone while a refresh token exists). */
export function needsRefresh(session: SessionUser | null, hasAccess: boolean, hasRefresh: boolean, nowS = Date.now() / 1000): boolean {
  if (!hasRefresh) return false;
  if (!hasAccess || !session) return true;
  return session.access_exp - nowS < 60;
}
