// Route guard (Next 16 "proxy"; frontends.md §1.3): refreshes the access token before it runs out, forwards
// the new cookies to this render, sends guests away from signed-in pages and signed-in people away from
// the guest pages.
import { NextResponse, type NextRequest } from 'next/server';
import { ApiError } from '@/lib/api/envelope';
import { forwardedFor } from '@/lib/proxy/rules';
import { ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE, type CookieSpec, cookieOptions, rewriteCookieHeader } from '@/lib/session/cookies';
import { needsRefresh, readSession } from '@/lib/session/token';
import { CLEARED_COOKIES, refreshSession } from '@/lib/session/upstream';

const SIGNED_IN_PAGES = [/^\/cart\/?$/, /^\/orders\/?$/, /^\/order\/[^/]+\/?$/, /^\/account\/?$/];
const GUEST_PAGES = /^\/auth\/(signup|verify|login|forgot)\/?$/;

export async function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const isApi = pathname.startsWith('/api/svc/');
  const access = req.cookies.get(ACCESS_COOKIE)?.value;
  const refresh = req.cookies.get(REFRESH_COOKIE)?.value;
  let session = await readSession(req.cookies.get(SESSION_COOKIE)?.value);

  let newCookies: CookieSpec[] | null = null;
  if (needsRefresh(session, Boolean(access), Boolean(refresh))) {
    try {
      const result = await refreshSession(refresh!, forwardedFor(req.headers.get('x-forwarded-for')));
      if (result) {
        newCookies = result.cookies;
        session = result.user;
      } else {
        newCookies = CLEARED_COOKIES;
        session = null;
      }
    } catch (err) {
      // auth unreachable: keep the cookies; the service answers 401 if the token really ran out.
      if (!(err instanceof ApiError)) throw err;
    }
  } else if (!refresh && session && !access) {
    newCookies = CLEARED_COOKIES;
    session = null;
  }

  const signedInPage = SIGNED_IN_PAGES.some((r) => r.test(pathname));
  let res: NextResponse;
  if (!session && signedInPage) {
    const url = req.nextUrl.clone();
    url.pathname = '/auth/login';
    url.search = `?next=${encodeURIComponent(pathname + req.nextUrl.search)}`;
    res = NextResponse.redirect(url);
  } else if (session && GUEST_PAGES.test(pathname)) {
    const url = req.nextUrl.clone();
    url.pathname = '/';
    url.search = '';
    res = NextResponse.redirect(url);
  } else if (!session && isApi && newCookies === CLEARED_COOKIES && !pathname.startsWith('/api/svc/product/')) {
    res = NextResponse.json({ code: 401, error: { message: 'Your session has expired, please sign in again', causes: null } }, { status: 401 });
  } else if (newCookies) {
    const headers = new Headers(req.headers);
    const set = Object.fromEntries(newCookies.map((c) => [c.name, c.maxAge > 0 ? c.value : null]));
    headers.set('cookie', rewriteCookieHeader(req.headers.get('cookie'), set));
    res = NextResponse.next({ request: { headers } });
  } else {
    res = NextResponse.next();
  }
  if (newCookies) for (const c of newCookies) res.cookies.set(c.name, c.value, cookieOptions(c.maxAge));
  if (session) res.headers.set('cache-control', 'no-store');
  return res;
}

export const config = {
  // Pages and the service proxy; not static files, the health probe or the session routes.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/health|api/session|.*\\.(?:svg|png|jpg|jpeg|webp|gif|ico)$).*)'],
};
