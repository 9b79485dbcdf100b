// POST /api/session/refresh: the client wrapper's one retry after a 401 (frontends.md §1.3).
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError } from '@/lib/api/envelope';
import { forwardedFor } from '@/lib/proxy/rules';
import { REFRESH_COOKIE } from '@/lib/session/cookies';
import { CLEARED_COOKIES, refreshSession } from '@/lib/session/upstream';
import { applyCookies, csrfRejection, errorJson } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest) {
  const refused = csrfRejection(req);
  if (refused) return refused;
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  if (!refresh) return applyCookies(errorJson(401, 'not signed in'), CLEARED_COOKIES);
  try {
    const result = await refreshSession(refresh, forwardedFor(req.headers.get('x-forwarded-for')));
    if (!result) return applyCookies(errorJson(401, 'Your session has expired, please sign in again'), CLEARED_COOKIES);
    const res = NextResponse.json({ code: 200, data: { user: { username: result.user.username, name: result.user.name, role: result.user.role } }, message: 'success update' });
    return applyCookies(res, result.cookies);
  } catch (err) {
    return errorJson(502, err instanceof ApiError ? err.message : 'auth service is unavailable');
  }
}
