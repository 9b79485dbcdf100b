import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, query, unwrap, userMessage } from '../src/lib/api/envelope';

test('a 2xx answer gives data and count', () => {
  const r = unwrap<number[]>(200, { code: 200, data: [1, 2], count: 7, message: 'success get' }, null);
  assert.deepEqual(r.data, [1, 2]);
  assert.equal(r.count, 7);
});

test('an old-style null list becomes an empty array only for list calls', () => {
  assert.deepEqual(unwrap(200, { code: 200, data: null }, null, { listy: true }).data, []);
  assert.equal(unwrap(200, { code: 200, data: null }, null).data, null);
});

test('a non-2xx answer throws ApiError with message, causes, request id and retry-after', () => {
  try {
    unwrap(409, { code: 409, error: { message: 'not enough stock: 1 available', causes: [{ field: 'product_quantity', message: 'too many' }] } }, 'req-1', { retryAfter: '12' });
    assert.fail('should throw');
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 409);
    assert.equal(err.message, 'not enough stock: 1 available');
    assert.deepEqual(err.causes, [{ field: 'product_quantity', message: 'too many' }]);
    assert.equal(err.requestId, 'req-1');
    assert.equal(err.retryAfter, 12);
  }
});

test('people see 4xx texts, and a reference for 5xx', () => {
  assert.equal(userMessage(new ApiError(415, 'unsupported file type')), 'Unsupported file type');
  assert.equal(userMessage(new ApiError(503, 'db down', [], 'abc')), 'Something went wrong (ref abc)');
  assert.equal(userMessage(new Error('x')), 'Something went wrong');
});

test('an unreadable error body still throws with the status', () => {
  assert.throws(() => unwrap(502, null, null), (e: unknown) => e instanceof ApiError && e.status === 502);
});

test('query strings skip empty values', () => {
  assert.equal(query({ q: 'bmw', category_id: '', skip: 0, limit: undefined }), '?q=bmw&skip=0');
  assert.equal(query({}), '');
});
