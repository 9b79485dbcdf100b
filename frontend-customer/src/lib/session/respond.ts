// Helpers of the session route handlers.
import { NextResponse } from 'next/server';
import { appOrigin } from '../config';
import { csrfOk } from '../proxy/rules';
import { type CookieSpec, cookieOptions } from './cookies';

export function errorJson(status: number, message: string, headers?: Record<string, string>) {
  return NextResponse.json({ code: status, error: { message, causes: null } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function applyCookies(res: NextResponse, cookies: CookieSpec[]) {
  for (const c of cookies) res.cookies.set(c.name, c.value, cookieOptions(c.maxAge));
  return res;
}

/** 403 unless the CSRF rule holds (§1.2). */
export function csrfRejection(req: Request): NextResponse | null {
  return csrfOk(req.method, req.headers, appOrigin()) ? null : errorJson(403, 'cross-site request refused');
}
