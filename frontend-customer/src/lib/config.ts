// Runtime configuration, read lazily on the server at request time (frontends.md §4). Never at build time.

export const SHOP_SERVICES = ['product', 'cart', 'auth', 'order', 'payment'] as const;
export type ServiceName = (typeof SHOP_SERVICES)[number];

const DEFAULT_PORTS: Record<ServiceName, number> = { product: 2001, cart: 2002, auth: 2003, order: 2004, payment: 2006 };
const ENV_NAMES: Record<ServiceName, string> = {
  product: 'PRODUCT_SERVICE',
  cart: 'CART_SERVICE',
  auth: 'AUTH_SERVICE',
  order: 'ORDER_SERVICE',
  payment: 'PAYMENT_SERVICE',
};

export const LOCAL_SESSION_SECRET = 'local-eshop-customer-session-secret-change-me';

type Env = Record<string, string | undefined>;

const stripSlash = (u: string) => u.replace(/\/+$/, '');

export function serviceUrl(name: ServiceName, env: Env = process.env): string {
  const v = env[ENV_NAMES[name]];
  return stripSlash(v && v.trim() ? v.trim() : `http://localhost:${DEFAULT_PORTS[name]}`);
}

function intEnv(env: Env, name: string, fallback: number): number {
  const n = Number.parseInt(env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function appOrigin(env: Env = process.env): string {
  return stripSlash(env.APP_ORIGIN?.trim() || 'http://localhost:3000');
}

export const upstreamTimeoutMs = (env: Env = process.env) => intEnv(env, 'UPSTREAM_TIMEOUT_MS', 10_000);
export const sessionMaxAgeS = (env: Env = process.env) => intEnv(env, 'SESSION_MAX_AGE_S', 2_592_000);
export const paymentMaxUploadBytes = (env: Env = process.env) => intEnv(env, 'PAYMENT_MAX_UPLOAD_BYTES', 5_242_880);
export const cookieSecure = (env: Env = process.env) => env.COOKIE_SECURE?.trim().toLowerCase() === 'true';

/**
 * The session signing secret. Refused (throws) when cookies are secure or NODE_ENV is production and the
 * secret is unset, the local default, or shorter than 32 bytes (frontends.md §4).
 */
export function sessionSecret(env: Env = process.env): string {
  const secret = env.SESSION_SECRET ?? '';
  const strict = cookieSecure(env) || env.NODE_ENV === 'production';
  const weak = !secret || secret === LOCAL_SESSION_SECRET || Buffer.byteLength(secret, 'utf8') < 32;
  if (weak) {
    if (strict) {
      throw new Error(
        'SESSION_SECRET must be set to a value of at least 32 bytes (not the local default) when COOKIE_SECURE=true or NODE_ENV=production',
      );
    }
    if (!secret) warnOnce('SESSION_SECRET is unset: using the local development default');
    return secret || LOCAL_SESSION_SECRET;
  }
  return secret;
}

let warned = false;
function warnOnce(msg: string) {
  if (!warned) {
    warned = true;
    console.warn(`[frontend-customer] ${msg}`);
  }
}
