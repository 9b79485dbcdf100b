import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserIp, csrfOk, forwardedFor, isAllowed, proxyTimeoutMs } from '../src/lib/proxy/rules';

const seg = (p: string) => p.split('/');

test('product is read-only through the shop proxy', () => {
  assert.ok(isAllowed('product', 'GET', seg('v1/products')));
  assert.ok(isAllowed('product', 'GET', seg('v1/categories/parent/x')));
  assert.equal(isAllowed('product', 'POST', seg('v1/products')), false);
  assert.equal(isAllowed('product', 'DELETE', seg('v1/products/x')), false);
});

test('cart, order and payment pass their own prefixes only', () => {
  assert.ok(isAllowed('cart', 'POST', seg('v1/carts/checkout')));
  assert.ok(isAllowed('order', 'POST', seg('v1/orders/quote')));
  assert.ok(isAllowed('payment', 'POST', seg('v1/payments')));
  assert.equal(isAllowed('order', 'GET', seg('internal/orders/x/payment-eligibility')), false);
  assert.equal(isAllowed('cart', 'GET', seg('v1/orders')), false);
  assert.equal(isAllowed('warehouse', 'GET', seg('v1/warehouse')), false);
  assert.equal(isAllowed('sales-report', 'GET', seg('v1/sales')), false);
});

test('auth: only the listed paths; login, refresh, logout and admin routes never', () => {
  for (const p of ['signup', 'confirm', 'resend-code', 'forgot-password', 'reset-password', 'change-password', 'me']) {
    assert.ok(isAllowed('auth', 'POST', seg(`v1/auth/${p}`)), p);
  }
  for (const p of ['login', 'refresh', 'logout', 'users', 'some.jwt.token']) {
    assert.equal(isAllowed('auth', 'POST', seg(`v1/auth/${p}`)), false, p);
  }
  assert.equal(isAllowed('auth', 'GET', seg('v1/auth/users/abc')), false);
});

test('path tricks are refused', () => {
  assert.equal(isAllowed('cart', 'GET', ['v1', 'carts', '..', '..', 'internal']), false);
  assert.equal(isAllowed('cart', 'GET', ['v1', 'carts', 'a/b']), false);
  assert.equal(isAllowed('cart', 'GET', ['v1']), false);
});

test('browser IP is the right-most X-Forwarded-For address', () => {
  assert.equal(browserIp('1.1.1.1, 10.0.0.2, 203.0.113.7'), '203.0.113.7');
  assert.equal(browserIp(' 198.51.100.1 '), '198.51.100.1');
  assert.equal(browserIp(''), null);
  assert.equal(browserIp(null), null);
  assert.equal(forwardedFor('spoofed, 203.0.113.9'), '203.0.113.9');
});

test('CSRF: non-GET needs the client header and a same origin', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const origin = 'http://localhost:3000';
  assert.ok(csrfOk('GET', h({}), origin));
  assert.equal(csrfOk('POST', h({}), origin), false);
  assert.ok(csrfOk('POST', h({ 'x-eshop-client': '1' }), origin));
  assert.ok(csrfOk('DELETE', h({ 'x-eshop-client': '1', origin }), origin));
  assert.equal(csrfOk('POST', h({ 'x-eshop-client': '1', origin: 'http://evil.example' }), origin), false);
});

test('timeouts: checkout 35 s, uploads 120 s, JSON the default', () => {
  assert.equal(proxyTimeoutMs('cart', 'POST', seg('v1/carts/checkout'), 'application/json', 10_000), 35_000);
  assert.equal(proxyTimeoutMs('payment', 'POST', seg('v1/payments'), 'multipart/form-data; boundary=x', 10_000), 120_000);
  assert.equal(proxyTimeoutMs('order', 'GET', seg('v1/orders/user'), null, 10_000), 10_000);
});
