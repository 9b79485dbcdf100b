import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryLabel, formatCountdown, formatDate, formatMoney, isUuid, safeNext, stockText } from '../src/lib/format';

test('countdown: mm:ss under an hour, hh:mm:ss from an hour, never negative', () => {
  assert.equal(formatCountdown(0), '00:00');
  assert.equal(formatCountdown(-5), '00:00');
  assert.equal(formatCountdown(59.2), '01:00');
  assert.equal(formatCountdown(119), '01:59');
  assert.equal(formatCountdown(3599), '59:59');
  assert.equal(formatCountdown(3600), '01:00:00');
  assert.equal(formatCountdown(86399), '23:59:59');
});

test('next parameters must be same-site paths', () => {
  assert.equal(safeNext('/product/abc'), '/product/abc');
  assert.equal(safeNext('/orders?x=1'), '/orders?x=1');
  assert.equal(safeNext('//evil.example'), '/');
  assert.equal(safeNext('/\\evil.example'), '/');
  assert.equal(safeNext('https://evil.example'), '/');
  assert.equal(safeNext('javascript:alert(1)'), '/');
  assert.equal(safeNext(''), '/');
  assert.equal(safeNext(null), '/');
});

test('money in USD, categories in words, uuids, stock texts', () => {
  assert.equal(formatMoney(1234.5), '$1,234.50');
  assert.equal(formatMoney(70000), '$70,000.00');
  assert.equal(categoryLabel('sport-car'), 'Sport Car');
  assert.equal(categoryLabel('Car'), 'Car');
  assert.ok(isUuid('0193ec82-749f-7ad6-b194-65eaf0de698f'));
  assert.equal(isUuid('car'), false);
  assert.equal(stockText(0), 'Out of stock');
  assert.equal(stockText(12), 'In stock: 12');
  assert.match(stockText(5), /In stock: 5/);
  assert.match(stockText(5), /Only 5 left/);
});

test('dates in the given zone', () => {
  assert.equal(formatDate('2025-01-10T14:03:00Z', 'UTC'), 'Jan 10, 2025, 14:03');
  assert.equal(formatDate('garbage'), '');
});
