// Targets and names of one e2e run (frontends.md §5).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const strip = (u) => u.replace(/\/+$/, '');
const env = (name, fallback) => strip(process.env[name] || fallback);

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const config = {
  shopUrl: env('E2E_SHOP_URL', 'http://localhost:3000'),
  adminUrl: env('E2E_ADMIN_URL', 'http://localhost:3001'),
  services: {
    product: env('PRODUCT_SERVICE', 'http://localhost:2001'),
    cart: env('CART_SERVICE', 'http://localhost:2002'),
    auth: env('AUTH_SERVICE', 'http://localhost:2003'),
    order: env('ORDER_SERVICE', 'http://localhost:2004'),
    warehouse: env('WAREHOUSE_SERVICE', 'http://localhost:2005'),
    payment: env('PAYMENT_SERVICE', 'http://localhost:2006'),
    'sales-report': env('SALES_REPORT_SERVICE', 'http://localhost:2007'),
  },
  adminUsername: process.env.E2E_ADMIN_USERNAME || 'admin',
  adminPassword: process.env.E2E_ADMIN_PASSWORD || 'Admin1234',
  chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // Lowercase base-36, short: usernames are 3–32 chars and auth lower-cases them.
  runId: (process.env.E2E_RUN_ID || Date.now().toString(36).slice(-6) + Math.random().toString(36).slice(2, 4)).toLowerCase(),
  artifactsDir: path.join(E2E_DIR, 'artifacts'),
  screenshotsDir: path.join(E2E_DIR, 'screenshots'),
  /** Seeded root categories (product.md §4.2). */
  categories: {
    car: '0193ec82-749f-7ad6-b194-65eaf0de698f',
    motor: '0193ec82-892a-7ebd-89e9-5500bfb5a634',
  },
  /** A password that meets the pool policy. */
  password: 'Passw0rd!e2e',
};

let counter = 0;
/** `e2e-<run id>-<kind>-<n>`, unique per run and valid as a username. */
export function uniqueName(kind = 'x') {
  counter += 1;
  return `e2e-${config.runId}-${kind}${counter}`.toLowerCase().slice(0, 32);
}
