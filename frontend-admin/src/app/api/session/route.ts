// GET /api/session: the signed-in user or 401 (frontends.md §1.3).
import { NextResponse, type NextRequest } from 'next/server';
import { ACCESS_COOKIE, SESSION_COOKIE } from '@/lib/session/cookies';
import { effectiveRole, readSession } from '@/lib/session/token';
import { errorJson } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function GET(req: NextRequest) {
  const session = await readSession(req.cookies.get(SESSION_COOKIE)?.value);
  if (!session) return errorJson(401, 'Not signed in');
  const role = effectiveRole(session, req.cookies.get(ACCESS_COOKIE)?.value);
  if (role === 'customer') return errorJson(401, 'Not signed in');
  return NextResponse.json({ user: { username: session.username, name: session.name, role } }, { headers: { 'cache-control': 'no-store' } });
}
