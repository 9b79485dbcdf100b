// Runtime configuration of the admin app, read lazily on the server at request time (frontends.md §4).
// Nothing here runs at build time, so `next build` needs no variable and no service.

export const ADMIN_SERVICES = ['product', 'auth', 'order', 'warehouse', 'payment', 'sales-report'] as const;
export type ServiceName = (typeof ADMIN_SERVICES)[number];

const DEFAULTS: Record<ServiceName, { env: string; port: number }> = {
  product: { env: 'PRODUCT_SERVICE', port: 2001 },
  auth: { env: 'AUTH_SERVICE', port: 2003 },
  order: { env: 'ORDER_SERVICE', port: 2004 },
  warehouse: { env: 'WAREHOUSE_SERVICE', port: 2005 },
  payment: { env: 'PAYMENT_SERVICE', port: 2006 },
  'sales-report': { env: 'SALES_REPORT_SERVICE', port: 2007 },
};

/** The local default of SESSION_SECRET: accepted only in development (logged as a warning). */
export const LOCAL_SESSION_SECRET = 'local-eshop-admin-session-secret-do-not-use';

export type Env = Record<string, string | undefined>;

const stripSlash = (u: string) => u.replace(/\/+$/, '');

export function isServiceName(name: string): name is ServiceName {
  return (ADMIN_SERVICES as readonly string[]).includes(name);
}

export function serviceUrl(name: ServiceName, env: Env = process.env): string {
  const v = env[DEFAULTS[name].env]?.trim();
  return stripSlash(v ? v : `http://localhost:${DEFAULTS[name].port}`);
}

function intEnv(env: Env, name: string, fallback: number): number {
  const n = Number.parseInt(env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export const appOrigin = (env: Env = process.env) => stripSlash(env.APP_ORIGIN?.trim() || 'http://localhost:3001');
export const upstreamTimeoutMs = (env: Env = process.env) => intEnv(env, 'UPSTREAM_TIMEOUT_MS', 10_000);
export const sessionMaxAgeS = (env: Env = process.env) => intEnv(env, 'SESSION_MAX_AGE_S', 28_800);
export const productImageMaxBytes = (env: Env = process.env) => intEnv(env, 'PRODUCT_IMAGE_MAX_BYTES', 5_242_880);
export const cookieSecure = (env: Env = process.env) => env.COOKIE_SECURE?.trim().toLowerCase() === 'true';

/**
 * The key that signs the session cookie. Throws when cookies are secure or NODE_ENV is production and the
 * secret is unset, the local default, or shorter than 32 bytes (frontends.md §4); the start-up hook
 * (`instrumentation.ts`) turns that into a refusal to start.
 */
export function sessionSecret(env: Env = process.env): string {
  const secret = env.SESSION_SECRET ?? '';
  const strict = cookieSecure(env) || env.NODE_ENV === 'production';
  const weak = !secret || secret === LOCAL_SESSION_SECRET || Buffer.byteLength(secret, 'utf8') < 32;
  if (!weak) return secret;
  if (strict) {
    throw new Error(
      'SESSION_SECRET must be at least 32 bytes and not the local default when COOKIE_SECURE=true or NODE_ENV=production',
    );
  }
  if (!warned) {
    warned = true;
    console.warn('[frontend-admin] SESSION_SECRET is weak or unset: using the local development default');
  }
  return secret || LOCAL_SESSION_SECRET;
}
let warned = false;
