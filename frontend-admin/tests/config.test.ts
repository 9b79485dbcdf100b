import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOCAL_SESSION_SECRET, appOrigin, serviceUrl, sessionMaxAgeS, sessionSecret } from '../src/lib/config';

test('service URLs default to the local ports and lose a trailing slash', () => {
  assert.equal(serviceUrl('sales-report', {}), 'http://localhost:2007');
  assert.equal(serviceUrl('auth', {}), 'http://localhost:2003');
  assert.equal(serviceUrl('order', { ORDER_SERVICE: 'http://order:2004/' }), 'http://order:2004');
  assert.equal(appOrigin({}), 'http://localhost:3001');
  assert.equal(sessionMaxAgeS({}), 28_800);
});

test('SESSION_SECRET: the local default in development, refused in production or with secure cookies', () => {
  assert.equal(sessionSecret({ NODE_ENV: 'development' }), LOCAL_SESSION_SECRET);
  assert.throws(() => sessionSecret({ NODE_ENV: 'production' }));
  assert.throws(() => sessionSecret({ NODE_ENV: 'production', SESSION_SECRET: LOCAL_SESSION_SECRET }));
  assert.throws(() => sessionSecret({ COOKIE_SECURE: 'true', SESSION_SECRET: 'short' }));
  const strong = 'x'.repeat(32);
  assert.equal(sessionSecret({ NODE_ENV: 'production', COOKIE_SECURE: 'true', SESSION_SECRET: strong }), strong);
});
