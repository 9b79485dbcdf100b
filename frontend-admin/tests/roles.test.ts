import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { areaOfPath, can, roleFromGroups } from '../src/lib/roles';
import { effectiveRole, needsRefresh, peekAccessToken, type SessionUser } from '../src/lib/session/token';
import { legalActions } from '../src/lib/order-rules';

test('the role is the highest known group; none is customer; custom roles never count', () => {
  assert.equal(roleFromGroups(undefined), 'customer');
  assert.equal(roleFromGroups([]), 'customer');
  assert.equal(roleFromGroups(['warehouse_staff']), 'warehouse_staff');
  assert.equal(roleFromGroups(['warehouse_staff', 'admin']), 'admin');
  assert.equal(roleFromGroups(['Admin', 'vip']), 'customer');
});

test('the role matrix of frontends.md §3.1', () => {
  const staffOnly = ['dashboard', 'products', 'shipping', 'warehouses', 'stock', 'movements'] as const;
  for (const a of staffOnly) assert.ok(can('warehouse_staff', a), a);
  for (const a of ['products.write', 'shipping.ship', 'warehouses.write', 'stock.manage', 'categories', 'orders', 'payments', 'sales', 'users'] as const) {
    assert.ok(!can('warehouse_staff', a), a);
  }
  for (const a of ['products.write', 'shipping.ship', 'warehouses.write', 'stock.manage'] as const) assert.ok(can('warehouse_manager', a), a);
  for (const a of ['categories', 'orders', 'payments', 'sales', 'users'] as const) {
    assert.ok(!can('warehouse_manager', a), a);
    assert.ok(can('admin', a), a);
  }
  assert.ok(!can('customer', 'dashboard'));
});

test('pages map onto areas', () => {
  assert.equal(areaOfPath('/'), 'dashboard');
  assert.equal(areaOfPath('/products'), 'products');
  assert.equal(areaOfPath('/products/abc'), 'products');
  assert.equal(areaOfPath('/products/new'), 'products.write');
  assert.equal(areaOfPath('/products/abc/edit'), 'products.write');
  assert.equal(areaOfPath('/payments/'), 'payments');
  assert.equal(areaOfPath('/orders/123'), 'orders');
  assert.equal(areaOfPath('/forbidden'), null);
});

const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('any key: the guard does not verify'));

const session: SessionUser = { user_id: 'u', username: 'ann', name: 'Ann', email: 'a@x', role: 'warehouse_staff', access_exp: 0 };

test("the guard takes the access token's groups when they disagree with the session cookie", async () => {
  const promoted = await token({ 'cognito:groups': ['warehouse_manager'], exp: 2_000_000_000 });
  assert.equal(effectiveRole(session, promoted), 'warehouse_manager');
  assert.deepEqual(peekAccessToken(promoted), { role: 'warehouse_manager', exp: 2_000_000_000 });
  const demoted = await token({ exp: 2_000_000_000 });
  assert.equal(effectiveRole(session, demoted), 'customer');
  assert.equal(effectiveRole(session, 'garbage'), 'warehouse_staff');
  assert.equal(effectiveRole(session, undefined), 'warehouse_staff');
});

test('refresh when the access token ends within 60 s or is gone while a refresh token remains', () => {
  const now = 1_000_000;
  assert.equal(needsRefresh({ ...session, access_exp: now + 600 }, true, true, now), false);
  assert.equal(needsRefresh({ ...session, access_exp: now + 30 }, true, true, now), true);
  assert.equal(needsRefresh({ ...session, access_exp: now + 600 }, false, true, now), true);
  assert.equal(needsRefresh(null, false, true, now), true);
  assert.equal(needsRefresh({ ...session, access_exp: now - 5 }, true, false, now), false);
});

test('order actions follow the legal transitions', () => {
  assert.deepEqual(legalActions({ status: 'PENDING', payment_status: '', refund_status: '' }), ['cancelPending']);
  assert.deepEqual(legalActions({ status: 'PENDING', payment_status: 'PENDING', refund_status: '' }), []);
  assert.deepEqual(legalActions({ status: 'PENDING', payment_status: 'REJECTED', refund_status: '' }), ['cancelPending']);
  assert.deepEqual(legalActions({ status: 'PAYMENT_ACCEPTED', payment_status: 'APPROVED', refund_status: '' }), ['ship', 'cancelPaid']);
  assert.deepEqual(legalActions({ status: 'ON_DELIVERY', payment_status: 'APPROVED', refund_status: '' }), ['deliver', 'fail']);
  assert.deepEqual(legalActions({ status: 'DELIVERED', payment_status: 'APPROVED', refund_status: '' }), []);
  assert.deepEqual(legalActions({ status: 'CANCELLED', payment_status: 'APPROVED', refund_status: 'DUE' }), ['refund']);
  assert.deepEqual(legalActions({ status: 'CANCELLED', payment_status: 'APPROVED', refund_status: 'REFUNDED' }), []);
});
