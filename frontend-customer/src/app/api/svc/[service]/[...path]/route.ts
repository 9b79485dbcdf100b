// Same-origin proxy to the services (frontends.md §1.2): allow-list, streamed bodies, bearer from the cookie,
// browser IP, CSRF check, status and body unchanged, manual redirects.
import type { NextRequest } from 'next/server';
import { appOrigin, serviceUrl, upstreamTimeoutMs } from '@/lib/config';
import { FORWARDED_REQUEST_HEADERS, FORWARDED_RESPONSE_HEADERS, csrfOk, forwardedFor, isAllowed, proxyTimeoutMs } from '@/lib/proxy/rules';
import { ACCESS_COOKIE } from '@/lib/session/cookies';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ service: string; path: string[] }> };

const envelope = (status: number, message: string, requestId?: string) =>
  Response.json({ code: status, error: { message, causes: null } }, { status, headers: { 'cache-control': 'no-store', ...(requestId ? { 'x-request-id': requestId } : {}) } });

async function handle(req: NextRequest, ctx: Ctx): Promise<Response> {
  const { service, path } = await ctx.params;
  const segments = path.map((s) => decodeURIComponent(s));
  if (!isAllowed(service, req.method, segments)) return envelope(404, 'not found');
  if (!csrfOk(req.method, req.headers, appOrigin())) return envelope(403, 'cross-site request refused');

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = req.headers.get(name);
    if (v) headers.set(name, v);
  }
  const requestId = headers.get('x-request-id') ?? crypto.randomUUID();
  headers.set('x-request-id', requestId);
  headers.set('accept-encoding', 'identity');
  const token = req.cookies.get(ACCESS_COOKIE)?.value;
  if (token && service !== 'product') headers.set('authorization', `Bearer ${token}`);
  const ip = forwardedFor(req.headers.get('x-forwarded-for'));
  if (ip) headers.set('x-forwarded-for', ip);

  const url = `${serviceUrl(service)}/${segments.map(encodeURIComponent).join('/')}${req.nextUrl.search}`;
  const hasBody = !['GET', 'HEAD'].includes(req.method);
  const timeout = proxyTimeoutMs(service, req.method, segments, req.headers.get('content-type'), upstreamTimeoutMs());
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      method: req.method,
      headers,
      body: hasBody ? req.body : undefined,
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeout),
      // Streams the upload instead of buffering it (Node fetch needs this for a stream body).
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return envelope(502, `${service} service is unavailable`, requestId);
  }

  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const v = upstream.headers.get(name);
    if (!v) continue;
    if (name === 'content-length' && upstream.headers.get('content-encoding')) continue;
    out.set(name, v);
  }
  if (upstream.status >= 300 && upstream.status < 400) {
    const location = upstream.headers.get('location');
    if (location) out.set('location', location);
  }
  out.set('cache-control', 'no-store');
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
