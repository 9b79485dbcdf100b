// POST /api/session/refresh: the client wrapper's one retry after a service 401 (frontends.md §1.3).
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError } from '@/lib/api/envelope';
import { CLEARED_COOKIES, REFRESH_COOKIE, SESSION_COOKIE } from '@/lib/session/cookies';
import { readSession } from '@/lib/session/token';
import { refreshSession } from '@/lib/session/upstream';
import { clientIp, csrfRefusal, errorJson, withCookies } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest) {
  const refused = csrfRefusal(req);
  if (refused) return refused;
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  if (!refresh) return withCookies(errorJson(401, 'Your session has expired, please sign in again'), CLEARED_COOKIES);
  try {
    const result = await refreshSession(refresh, clientIp(req), await readSession(req.cookies.get(SESSION_COOKIE)?.value));
    if (!result || result.user.role === 'customer') {
      return withCookies(errorJson(401, 'Your session has expired, please sign in again'), CLEARED_COOKIES);
    }
    const { user } = result;
    return withCookies(NextResponse.json({ user: { username: user.username, name: user.name, role: user.role } }), result.cookies);
  } catch (err) {
    if (err instanceof ApiError) return errorJson(502, 'auth service is unavailable');
    throw err;
  }
}
