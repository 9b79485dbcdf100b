import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedPath, csrfOk, forwardedFor, isGuestPath, timeoutFor } from '../src/lib/proxy/rules';
import { safeNext } from '../src/lib/next-param';
import { rewriteCookieHeader } from '../src/lib/session/cookies';

test('the admin allow-list: its services and prefixes only', () => {
  assert.equal(allowedPath('product', ['v1', 'products']), '/v1/products');
  assert.equal(allowedPath('order', ['v1', 'orders', 'abc', 'status']), '/v1/orders/abc/status');
  assert.equal(allowedPath('warehouse', ['v1', 'stock-movements', 'movein']), '/v1/stock-movements/movein');
  assert.equal(allowedPath('sales-report', ['v1', 'sales', 'csv-report']), '/v1/sales/csv-report');
  assert.equal(allowedPath('auth', ['v1', 'auth', 'users', 'u1', 'role']), '/v1/auth/users/u1/role');
  assert.equal(allowedPath('auth', ['v1', 'auth', 'me']), '/v1/auth/me');
  assert.equal(allowedPath('cart', ['v1', 'carts']), null, 'no cart in the admin app');
  assert.equal(allowedPath('nope', ['v1', 'x']), null);
  assert.equal(allowedPath('product', ['internal', 'products', 'lookup']), null);
  assert.equal(allowedPath('product', ['metrics']), null);
  assert.equal(allowedPath('product', ['v1', 'productsX']), null, 'whole segments only');
  assert.equal(allowedPath('order', ['v1', 'orders', '..', '..', 'internal']), null);
  assert.equal(allowedPath('order', ['v1', 'orders', 'a/b']), null);
});

test('login, refresh and logout are never proxied', () => {
  for (const p of ['login', 'refresh', 'logout', 'signup', 'confirm']) assert.equal(allowedPath('auth', ['v1', 'auth', p]), null, p);
});

test('guests may reach only the password-reset routes', () => {
  assert.ok(isGuestPath('auth', '/v1/auth/forgot-password'));
  assert.ok(isGuestPath('auth', '/v1/auth/reset-password'));
  assert.ok(!isGuestPath('auth', '/v1/auth/users'));
  assert.ok(!isGuestPath('order', '/v1/orders'));
});

test('X-Forwarded-For: the right-most address is the browser', () => {
  assert.equal(forwardedFor('203.0.113.9, 10.0.0.1, 198.51.100.7'), '198.51.100.7');
  assert.equal(forwardedFor(' 127.0.0.1 '), '127.0.0.1');
  assert.equal(forwardedFor(null), null);
  assert.equal(forwardedFor(''), null);
});

test('CSRF: non-GET needs the client header and a same or absent Origin', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const origin = 'http://localhost:3001';
  assert.ok(csrfOk('GET', h({}), origin));
  assert.ok(csrfOk('POST', h({ 'x-eshop-client': '1' }), origin));
  assert.ok(csrfOk('PATCH', h({ 'x-eshop-client': '1', origin }), origin));
  assert.ok(!csrfOk('POST', h({}), origin));
  assert.ok(!csrfOk('DELETE', h({ 'x-eshop-client': '1', origin: 'http://evil.example' }), origin));
});

test('uploads and report downloads get the long timeout', () => {
  assert.equal(timeoutFor('POST', '/v1/products', 'multipart/form-data; boundary=x', 10_000), 120_000);
  assert.equal(timeoutFor('GET', '/v1/sales/pdf-report', null, 10_000), 120_000);
  assert.equal(timeoutFor('GET', '/v1/sales', null, 10_000), 10_000);
});

test('next must be a same-site path', () => {
  assert.equal(safeNext('/orders?status=PENDING'), '/orders?status=PENDING');
  assert.equal(safeNext('//evil.example'), '/');
  assert.equal(safeNext('/\\evil.example'), '/');
  assert.equal(safeNext('https://evil.example'), '/');
  assert.equal(safeNext(null), '/');
  assert.equal(safeNext('/auth/login?next=/x'), '/');
});

test('the forwarded Cookie header carries the refreshed tokens', () => {
  const out = rewriteCookieHeader('a=1; eshop_a_access=old; b=2', { eshop_a_access: 'new', eshop_a_session: null });
  assert.equal(out, 'a=1; b=2; eshop_a_access=new');
});
