// The same-origin service proxy (frontends.md §1.2): the browser calls /api/svc/{service}/{path}; this adds
// the bearer token from the cookie and the browser IP, streams the body both ways and never shows a token.
import { NextResponse, type NextRequest } from 'next/server';
import { appOrigin, isServiceName, serviceUrl, upstreamTimeoutMs } from '@/lib/config';
import {
  FORWARD_REQUEST_HEADERS,
  FORWARD_RESPONSE_HEADERS,
  allowedPath,
  csrfOk,
  forwardedFor,
  isGuestPath,
  timeoutFor,
} from '@/lib/proxy/rules';
import { ACCESS_COOKIE, SESSION_COOKIE } from '@/lib/session/cookies';
import { readSession } from '@/lib/session/token';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ service: string; path: string[] }> };

const envelope = (status: number, message: string, requestId?: string) =>
  NextResponse.json(
    { code: status, error: { message, causes: null } },
    { status, headers: { 'cache-control': 'no-store', ...(requestId ? { 'x-request-id': requestId } : {}) } },
  );

async function handle(req: NextRequest, ctx: Ctx): Promise<Response> {
  const { service, path: segments } = await ctx.params;
  const path = isServiceName(service) ? allowedPath(service, segments ?? []) : null;
  if (!path || !isServiceName(service)) return envelope(404, 'Not found');
  if (!csrfOk(req.method, req.headers, appOrigin())) return envelope(403, 'Cross-site request refused');

  const access = req.cookies.get(ACCESS_COOKIE)?.value;
  const session = await readSession(req.cookies.get(SESSION_COOKIE)?.value);
  if ((!access || !session) && !isGuestPath(service, path)) {
    return envelope(401, 'Your session has expired, please sign in again');
  }

  const requestId = req.headers.get('x-request-id') || crypto.randomUUID();
  const headers = new Headers();
  for (const h of FORWARD_REQUEST_HEADERS) {
    const v = req.headers.get(h);
    if (v) headers.set(h, v);
  }
  headers.set('x-request-id', requestId);
  headers.set('accept-encoding', 'identity');
  if (access && session) headers.set('authorization', `Bearer ${access}`);
  const ip = forwardedFor(req.headers.get('x-forwarded-for'));
  if (ip) headers.set('x-forwarded-for', ip);

  const method = req.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.body !== null;
  const timeout = timeoutFor(method, path, req.headers.get('content-type'), upstreamTimeoutMs());
  let upstream: Response;
  try {
    upstream = await fetch(serviceUrl(service) + path + req.nextUrl.search, {
      method,
      headers,
      body: hasBody ? req.body : undefined,
      // a streamed request body needs half duplex (uploads are never buffered here)
      ...(hasBody ? { duplex: 'half' } : {}),
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeout),
    } as RequestInit);
  } catch {
    return envelope(502, `${service} service is unavailable`, requestId);
  }

  const out = new Headers({ 'cache-control': 'no-store' });
  for (const h of FORWARD_RESPONSE_HEADERS) {
    const v = upstream.headers.get(h);
    if (v) out.set(h, v);
  }
  // fetch decodes compressed bodies: the upstream length would then be wrong
  if (upstream.headers.get('content-encoding')) out.delete('content-length');
  if (!out.has('x-request-id')) out.set('x-request-id', requestId);
  if (upstream.status >= 300 && upstream.status < 400) {
    const loc = upstream.headers.get('location');
    if (loc) out.set('location', loc);
  }
  const bodyless = upstream.status === 204 || upstream.status === 304 || method === 'HEAD';
  return new Response(bodyless ? null : upstream.body, { status: upstream.status, headers: out });
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
