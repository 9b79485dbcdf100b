// POST /api/session/login {username, password} → auth login + me → three cookies (frontends.md §1.3).
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError } from '@/lib/api/envelope';
import { forwardedFor } from '@/lib/proxy/rules';
import { authLogin, authMe, sessionCookies } from '@/lib/session/upstream';
import { applyCookies, csrfRejection, errorJson } from '@/lib/session/respond';
import { loginSchema } from '@/lib/validation/schemas';

export const dynamic = 'force-dynamic';

export async function POST(req: NextRequest) {
  const refused = csrfRejection(req);
  if (refused) return refused;
  const parsed = loginSchema.safeParse(await req.json().catch(() => null));
  if (!parsed.success) return errorJson(400, 'username and password are required');
  const ip = forwardedFor(req.headers.get('x-forwarded-for'));
  try {
    const tokens = await authLogin(parsed.data.username.trim(), parsed.data.password, ip);
    const me = await authMe(tokens.access_token, ip);
    const { cookies, user } = await sessionCookies(tokens.access_token, tokens.expires_in, tokens.refresh_token, me);
    const res = NextResponse.json(
      { code: 200, data: { user: { username: user.username, name: user.name, role: user.role } }, message: 'success login' },
      { headers: { 'cache-control': 'no-store' } },
    );
    return applyCookies(res, cookies);
  } catch (err) {
    if (!(err instanceof ApiError)) return errorJson(500, 'Something went wrong');
    if (err.status === 401) return errorJson(401, 'Wrong username or password');
    if (err.status === 403) return errorJson(403, 'Your account is not confirmed yet');
    if (err.status === 429) {
      return errorJson(429, err.message, err.retryAfter ? { 'retry-after': String(err.retryAfter) } : undefined);
    }
    if (err.status < 500) return errorJson(err.status, err.message);
    return errorJson(502, 'auth service is unavailable', { 'x-request-id': err.requestId ?? '' });
  }
}
