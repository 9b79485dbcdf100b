// POST /api/session/login {username, password} (frontends.md §1.3). Customers are refused without a cookie
// and without a logout call (a global sign-out would end their shop session).
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError, displayMessage } from '@/lib/api/envelope';
import { login } from '@/lib/session/upstream';
import { clientIp, csrfRefusal, errorJson, withCookies } from '@/lib/session/respond';
import { loginSchema } from '@/lib/validation/schemas';

export const dynamic = 'force-dynamic';

const NO_ACCESS = 'This account has no access to the admin console';

export async function POST(req: NextRequest) {
  const refused = csrfRefusal(req);
  if (refused) return refused;
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return errorJson(400, 'Invalid request body');
  }
  const parsed = loginSchema.safeParse(body);
  if (!parsed.success) return errorJson(400, 'Enter your username or email and your password');
  try {
    const { user, cookies } = await login(parsed.data.username.trim(), parsed.data.password, clientIp(req));
    if (user.role === 'customer') return errorJson(403, NO_ACCESS, { reason: 'customer' });
    const res = NextResponse.json({ user: { username: user.username, name: user.name, role: user.role } });
    return withCookies(res, cookies);
  } catch (err) {
    if (err instanceof ApiError) {
      if (err.status === 401) return errorJson(401, 'Wrong username or password');
      if (err.status === 403) return errorJson(403, 'This account is not confirmed yet', { reason: 'unconfirmed' });
      if (err.status === 429) {
        const headers: Record<string, string> = err.retryAfter ? { 'retry-after': String(err.retryAfter) } : {};
        return errorJson(429, err.message || 'Too many login attempts', {}, headers);
      }
      if (err.status < 500) return errorJson(err.status, err.message);
      return errorJson(502, displayMessage(err));
    }
    throw err;
  }
}
