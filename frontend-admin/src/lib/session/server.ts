// The session as server components see it (after the route guard's refresh).
import { cookies } from 'next/headers';
import { ACCESS_COOKIE, SESSION_COOKIE } from './cookies';
import { effectiveRole, readSession, type SessionUser } from './token';

export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  const session = await readSession(jar.get(SESSION_COOKIE)?.value);
  if (!session) return null;
  const role = effectiveRole(session, jar.get(ACCESS_COOKIE)?.value);
  return role === 'customer' ? null : { ...session, role };
}
