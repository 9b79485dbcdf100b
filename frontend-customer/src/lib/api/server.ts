// Server transport: server components and route handlers call the services directly (frontends.md §1.2).
import { cookies, headers } from 'next/headers';
import { serviceUrl, upstreamTimeoutMs } from '../config';
import { forwardedFor } from '../proxy/rules';
import { ACCESS_COOKIE, SESSION_COOKIE } from '../session/cookies';
import { readSession, type SessionUser } from '../session/token';
import { ApiError, type Call, readJson, unwrap } from './envelope';
import { authApi } from './auth';
import { cartApi } from './cart';
import { orderApi } from './order';
import { paymentApi } from './payment';
import { productApi } from './product';

export const serverCall: Call = async (service, method, path, opts = {}) => {
  const jar = await cookies();
  const h = await headers();
  const token = jar.get(ACCESS_COOKIE)?.value;
  const requestId = crypto.randomUUID();
  const out: Record<string, string> = { accept: 'application/json', 'x-request-id': requestId, ...opts.headers };
  const ip = forwardedFor(h.get('x-forwarded-for'));
  if (ip) out['x-forwarded-for'] = ip;
  if (token && service !== 'product') out.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    out['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res: Response;
  try {
    res = await fetch(serviceUrl(service) + path, {
      method,
      headers: out,
      body,
      cache: 'no-store',
      signal: AbortSignal.timeout(opts.timeoutMs ?? upstreamTimeoutMs()),
    });
  } catch {
    throw new ApiError(502, `${service} service is unavailable`, [], requestId);
  }
  return unwrap(res.status, await readJson(res), res.headers.get('x-request-id') ?? requestId, {
    listy: opts.listy,
    retryAfter: res.headers.get('retry-after'),
  });
};

export const server = {
  product: productApi(serverCall),
  cart: cartApi(serverCall),
  order: orderApi(serverCall),
  payment: paymentApi(serverCall),
  auth: authApi(serverCall),
};

/** The signed-in user from the session cookie, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const jar = await cookies();
  return readSession(jar.get(SESSION_COOKIE)?.value);
}
