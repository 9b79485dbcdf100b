// POST /api/session/logout → auth global sign-out; cookies cleared whatever the answer (frontends.md §1.3).
import { NextResponse, type NextRequest } from 'next/server';
import { forwardedFor } from '@/lib/proxy/rules';
import { ACCESS_COOKIE } from '@/lib/session/cookies';
import { CLEARED_COOKIES, authLogout } from '@/lib/session/upstream';
import { applyCookies, csrfRejection } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest) {
  const refused = csrfRejection(req);
  if (refused) return refused;
  const token = req.cookies.get(ACCESS_COOKIE)?.value;
  if (token) await authLogout(token, forwardedFor(req.headers.get('x-forwarded-for'))).catch(() => null);
  const res = NextResponse.json({ code: 200, data: { redirect: '/' }, message: 'success delete' }, { headers: { 'cache-control': 'no-store' } });
  return applyCookies(res, CLEARED_COOKIES);
}
