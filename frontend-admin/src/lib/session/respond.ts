// Helpers of the session route handlers.
import { NextResponse, type NextRequest } from 'next/server';
import { appOrigin } from '@/lib/config';
import { csrfOk, forwardedFor } from '@/lib/proxy/rules';
import { cookieOptions, type CookieSpec } from './cookies';

export function errorJson(status: number, message: string, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  return NextResponse.json({ code: status, error: { message, causes: null }, ...extra }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function withCookies(res: NextResponse, cookies: CookieSpec[]): NextResponse {
  for (const c of cookies) res.cookies.set(c.name, c.value, cookieOptions(c.maxAge));
  res.headers.set('cache-control', 'no-store');
  return res;
}

/** 403 unless the CSRF rule holds (frontends.md §1.2). */
export function csrfRefusal(req: NextRequest): NextResponse | null {
  return csrfOk(req.method, req.headers, appOrigin()) ? null : errorJson(403, 'Cross-site request refused');
}

export const clientIp = (req: NextRequest) => forwardedFor(req.headers.get('x-forwarded-for'));
