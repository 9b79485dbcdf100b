import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountSchema, changePasswordSchema, checkoutSchema, fieldErrors, loginSchema, proofFileError, signupSchema, verifySchema } from '../src/lib/validation/schemas';

const good = { email: 'a@example.com', username: 'alice_1', name: 'Alice', password: 'Passw0rdX', confirm: 'Passw0rdX' };

test('sign-up accepts a valid form', () => {
  assert.ok(signupSchema.safeParse(good).success);
});

test('sign-up errors: mismatched passwords, weak password, bad email, bad username', () => {
  const errs = (v: object) => {
    const r = signupSchema.safeParse({ ...good, ...v });
    return r.success ? {} : fieldErrors(r.error);
  };
  assert.equal(errs({ confirm: 'other' }).confirm, 'Passwords do not match');
  assert.match(errs({ password: 'password', confirm: 'password' }).password, /upper-case/);
  assert.match(errs({ password: 'Sh0rt', confirm: 'Sh0rt' }).password, /8 characters/);
  assert.match(errs({ password: 'NoDigitsHere', confirm: 'NoDigitsHere' }).password, /digit/);
  assert.match(errs({ email: 'not-an-email' }).email, /valid email/);
  assert.ok(errs({ username: 'al' }).username);
  assert.ok(errs({ username: 'a@b' }).username);
});

test('verify needs six digits', () => {
  assert.ok(verifySchema.safeParse({ username: 'u', code: '123456' }).success);
  assert.equal(verifySchema.safeParse({ username: 'u', code: '12345' }).success, false);
  assert.equal(verifySchema.safeParse({ username: 'u', code: 'abcdef' }).success, false);
});

test('login needs both fields', () => {
  assert.equal(loginSchema.safeParse({ username: ' ', password: 'x' }).success, false);
  assert.ok(loginSchema.safeParse({ username: 'bob', password: 'x' }).success);
});

test('checkout: zipcode 3–10 digits, note ≤ 255', () => {
  const base = { street: '1 Main', city: 'Town', state: 'ST', zipcode: '12345', note: '' };
  assert.ok(checkoutSchema.safeParse(base).success);
  const r = checkoutSchema.safeParse({ ...base, zipcode: '' });
  assert.equal(r.success, false);
  assert.ok(!r.success && fieldErrors(r.error).zipcode);
  assert.equal(checkoutSchema.safeParse({ ...base, zipcode: '12a45' }).success, false);
  assert.equal(checkoutSchema.safeParse({ ...base, note: 'x'.repeat(256) }).success, false);
});

test('account: phone in E.164 or empty, address all or nothing', () => {
  const none = { name: 'A', phone: '', street: '', city: '', state: '', zipcode: '' };
  assert.ok(accountSchema.safeParse(none).success);
  assert.ok(accountSchema.safeParse({ ...none, phone: '+15551234567' }).success);
  assert.equal(accountSchema.safeParse({ ...none, phone: '0812' }).success, false);
  const partial = accountSchema.safeParse({ ...none, street: '1 Main' });
  assert.equal(partial.success, false);
  assert.ok(!partial.success && fieldErrors(partial.error).zipcode);
});

test('change password: confirm must match', () => {
  assert.equal(changePasswordSchema.safeParse({ current: 'x', password: 'Passw0rdX', confirm: 'nope' }).success, false);
  assert.ok(changePasswordSchema.safeParse({ current: 'x', password: 'Passw0rdX', confirm: 'Passw0rdX' }).success);
});

test('proof files: size and type checked before sending', () => {
  const max = 5 * 1024 * 1024;
  assert.equal(proofFileError({ size: 100, type: 'image/png' }, max), null);
  assert.equal(proofFileError({ size: 100, type: 'application/pdf' }, max), null);
  assert.match(proofFileError({ size: 6 * 1024 * 1024, type: 'image/png' }, max) ?? '', /larger than 5 MiB/);
  assert.ok(proofFileError({ size: 100, type: 'image/gif' }, max));
  assert.ok(proofFileError(null, max));
});
