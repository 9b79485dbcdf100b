// Route guard (Next 16 "proxy"; frontends.md §1.3, §3.1): refreshes the access token before it runs out and
// hands the new cookies to this very render, sends guests to the login page, signed-in people away from it,
// and renders the 403 page for a page the role may not open.
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError } from '@/lib/api/envelope';
import { forwardedFor } from '@/lib/proxy/rules';
import { areaOfPath, can } from '@/lib/roles';
import { ACCESS_COOKIE, CLEARED_COOKIES, REFRESH_COOKIE, SESSION_COOKIE, type CookieSpec, cookieOptions, rewriteCookieHeader } from '@/lib/session/cookies';
import { effectiveRole, needsRefresh, readSession } from '@/lib/session/token';
import { refreshSession } from '@/lib/session/upstream';

const AUTH_PAGES = /^\/auth\/(login|forgot)\/?$/;
const GUEST_API = /^\/api\/svc\/auth\/v1\/auth\/(forgot-password|reset-password)\/?$/;

export async function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const isApi = pathname.startsWith('/api/');
  let access = req.cookies.get(ACCESS_COOKIE)?.value;
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  let session = await readSession(req.cookies.get(SESSION_COOKIE)?.value);

  let newCookies: CookieSpec[] | null = null;
  if (needsRefresh(session, Boolean(access), Boolean(refresh))) {
    try {
      const result = await refreshSession(refresh!, forwardedFor(req.headers.get('x-forwarded-for')), session);
      if (result && result.user.role !== 'customer') {
        newCookies = result.cookies;
        session = result.user;
        access = result.cookies.find((c) => c.name === ACCESS_COOKIE)?.value;
      } else {
        newCookies = CLEARED_COOKIES;
        session = null;
      }
    } catch (err) {
      // auth unreachable: keep the cookies; a service answers 401 if the token really ran out
      if (!(err instanceof ApiError)) throw err;
    }
  } else if (session && !access && !refresh) {
    newCookies = CLEARED_COOKIES;
    session = null;
  }
  if (session) {
    const role = effectiveRole(session, access);
    if (role === 'customer') {
      newCookies = CLEARED_COOKIES;
      session = null;
    } else {
      session = { ...session, role };
    }
  }

  const forwardHeaders = () => {
    const headers = new Headers(req.headers);
    if (newCookies) {
      const set = Object.fromEntries(newCookies.map((c) => [c.name, c.maxAge > 0 ? c.value : null]));
      headers.set('cookie', rewriteCookieHeader(req.headers.get('cookie'), set));
    }
    return headers;
  };

  let res: NextResponse;
  if (isApi) {
    if (!session && !GUEST_API.test(pathname)) {
      res = NextResponse.json({ code: 401, error: { message: 'Your session has expired, please sign in again', causes: null } }, { status: 401 });
    } else {
      res = NextResponse.next({ request: { headers: forwardHeaders() } });
    }
  } else if (AUTH_PAGES.test(pathname)) {
    if (session && pathname.startsWith('/auth/login')) {
      const url = req.nextUrl.clone();
      url.pathname = '/';
      url.search = '';
      res = NextResponse.redirect(url);
    } else {
      res = NextResponse.next({ request: { headers: forwardHeaders() } });
    }
  } else if (!session) {
    const url = req.nextUrl.clone();
    url.pathname = '/auth/login';
    url.search = `?next=${encodeURIComponent(pathname + req.nextUrl.search)}`;
    res = NextResponse.redirect(url);
  } else {
    const area = areaOfPath(pathname);
    if (area && !can(session.role, area)) {
      const url = req.nextUrl.clone();
      url.pathname = '/forbidden';
      url.search = '';
      res = NextResponse.rewrite(url, { request: { headers: forwardHeaders() } });
    } else {
      res = NextResponse.next({ request: { headers: forwardHeaders() } });
    }
  }
  if (newCookies) for (const c of newCookies) res.cookies.set(c.name, c.value, cookieOptions(c.maxAge));
  res.headers.set('cache-control', 'no-store');
  return res;
}

export const config = {
  // pages and the service proxy; not static files, the health probe or the session routes
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/session|.*\\.(?:svg|png|jpg|jpeg|webp|gif|ico|css|js)$).*)'],
};
