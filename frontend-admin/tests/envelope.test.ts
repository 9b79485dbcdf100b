import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, causesByField, displayMessage, unwrap } from '../src/lib/api/envelope';

test('a 2xx envelope gives its data, count and message', () => {
  const r = unwrap<number[]>(200, { code: 200, data: [1, 2], count: 7, message: 'success get' });
  assert.deepEqual(r, { data: [1, 2], count: 7, message: 'success get' });
});

test('an old-style null list becomes an empty array when a list is expected', () => {
  assert.deepEqual(unwrap(200, { code: 200, data: null, message: 'x' }, null, { list: true }).data, []);
  assert.equal(unwrap(200, { code: 200, data: null, message: 'x' }).data, null);
});

test('a non-2xx envelope throws ApiError with status, message, causes and request id', () => {
  assert.throws(
    () => unwrap(409, { code: 409, error: { message: 'not enough stock', causes: [{ field: 'quantity', message: 'only 2' }] } }, 'req-1'),
    (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 409);
      assert.equal(err.message, 'not enough stock');
      assert.equal(err.requestId, 'req-1');
      assert.deepEqual(causesByField(err.causes), { quantity: 'only 2' });
      return true;
    },
  );
});

test('a body that is not an envelope still gives a readable error', () => {
  assert.throws(() => unwrap(502, null), (err: unknown) => err instanceof ApiError && err.status === 502 && err.message.length > 0);
});

test('4xx messages are shown as they are, 5xx as a reference', () => {
  assert.equal(displayMessage(new ApiError(422, 'category is gone')), 'category is gone');
  assert.equal(displayMessage(new ApiError(500, 'db down', null, 'abc-123')), 'Something went wrong (ref abc-123)');
  assert.equal(displayMessage(new ApiError(403, 'forbidden')), 'Your role does not allow this');
});
