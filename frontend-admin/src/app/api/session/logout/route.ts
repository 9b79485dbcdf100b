// POST /api/session/logout: global sign-out at auth, cookies cleared whatever the answer.
import { NextResponse, type NextRequest } from 'next/server';
import { ACCESS_COOKIE, CLEARED_COOKIES } from '@/lib/session/cookies';
import { logoutUpstream } from '@/lib/session/upstream';
import { clientIp, csrfRefusal, withCookies } from '@/lib/session/respond';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest) {
  const refused = csrfRefusal(req);
  if (refused) return refused;
  await logoutUpstream(req.cookies.get(ACCESS_COOKIE)?.value, clientIp(req));
  return withCookies(NextResponse.json({ redirect: '/auth/login' }), CLEARED_COOKIES);
}
