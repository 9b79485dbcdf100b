import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { LOCAL_SESSION_SECRET, serviceUrl, sessionSecret } from '../src/lib/config';
import { rewriteCookieHeader } from '../src/lib/session/cookies';
import { accessClaims, effectiveRole, needsRefresh, readSession, roleFromGroups, signSession, type SessionUser } from '../src/lib/session/token';

const strong = 'x'.repeat(40);

test('SESSION_SECRET: refused in production or with secure cookies when unset, default or short', () => {
  assert.throws(() => sessionSecret({ NODE_ENV: 'production' }));
  assert.throws(() => sessionSecret({ NODE_ENV: 'production', SESSION_SECRET: LOCAL_SESSION_SECRET }));
  assert.throws(() => sessionSecret({ COOKIE_SECURE: 'true', SESSION_SECRET: 'short' }));
  assert.equal(sessionSecret({ NODE_ENV: 'production', SESSION_SECRET: strong }), strong);
  assert.equal(sessionSecret({ NODE_ENV: 'development' }), LOCAL_SESSION_SECRET);
});

test('service URLs default to the local ports and lose a trailing slash', () => {
  assert.equal(serviceUrl('payment', {}), 'http://localhost:2006');
  assert.equal(serviceUrl('cart', { CART_SERVICE: 'http://cart:2002/' }), 'http://cart:2002');
});

const user: SessionUser = { user_id: 'u1', username: 'alice', name: 'Alice', email: 'a@x', role: 'customer', access_exp: 2_000_000_000 };

test('the session cookie round-trips and refuses another key', async () => {
  const token = await signSession(user, 3600, strong);
  assert.deepEqual(await readSession(token, strong), user);
  assert.equal(await readSession(token, 'y'.repeat(40)), null);
  assert.equal(await readSession('garbage', strong), null);
  assert.equal(await readSession(undefined, strong), null);
});

const fakeAccess = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('whatever-key-for-tests-only-32b!'));

test('role from cognito:groups: the highest known group, else customer', () => {
  assert.equal(roleFromGroups(undefined), 'customer');
  assert.equal(roleFromGroups(['warehouse_staff', 'admin']), 'admin');
  assert.equal(roleFromGroups(['Admin', 'vip']), 'customer');
});

test('the guard prefers the token role when it disagrees with the session', async () => {
  const token = await fakeAccess({ 'cognito:groups': ['warehouse_manager'], exp: 2_000_000_000 });
  assert.deepEqual(accessClaims(token), { role: 'warehouse_manager', exp: 2_000_000_000 });
  assert.equal(effectiveRole(user, token), 'warehouse_manager');
  assert.equal(effectiveRole(user, await fakeAccess({ exp: 1 })), 'customer');
  assert.equal(effectiveRole(user, undefined), 'customer');
  assert.equal(effectiveRole(null, token), null);
});

test('refresh is due under 60 s, or when the access cookie is gone but a refresh token exists', () => {
  const now = 1_000_000;
  assert.equal(needsRefresh({ ...user, access_exp: now + 600 }, true, true, now), false);
  assert.equal(needsRefresh({ ...user, access_exp: now + 30 }, true, true, now), true);
  assert.equal(needsRefresh({ ...user, access_exp: now + 600 }, false, true, now), true);
  assert.equal(needsRefresh(null, false, true, now), true);
  assert.equal(needsRefresh(null, false, false, now), false);
});

test('forwarded cookie header gets the new values and drops cleared ones', () => {
  const out = rewriteCookieHeader('a=1; eshop_c_access=old; eshop_c_session=s', { eshop_c_access: 'new', eshop_c_session: null });
  assert.equal(out, 'a=1; eshop_c_access=new');
});
