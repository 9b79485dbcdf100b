import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adjustSchema,
  checkProductImage,
  fieldErrors,
  moveSchema,
  productCreateSchema,
  productSchema,
  reviewSchema,
  salesFilterSchema,
  statusNoteSchema,
  warehouseSchema,
} from '../src/lib/validation/schemas';
import { categoryLabel, intervalFor } from '../src/lib/format';

const errs = (r: { success: boolean; error?: unknown }) => (r.success ? {} : fieldErrors(r.error as never));

test('product: an empty form names every required field', () => {
  const e = errs(productCreateSchema.safeParse({ name: '', description: '', price: '', quantity: '', category_id: '' }));
  assert.deepEqual(Object.keys(e).sort(), ['category_id', 'description', 'name', 'price', 'quantity']);
});

test('product price: decimals > 0, at most 2 places, below 10 000 000 000', () => {
  const ok = { name: 'Car', description: 'Fast', category_id: 'c' };
  for (const p of ['abc', '0', '12.345', '-1', 'NaN', '10000000000']) assert.ok(!productSchema.safeParse({ ...ok, price: p }).success, p);
  for (const p of ['1', '19.99', '9999999999.99']) assert.ok(productSchema.safeParse({ ...ok, price: p }).success, p);
});

test('product quantity: integer 0..1 000 000 on create', () => {
  const ok = { name: 'Car', description: 'Fast', category_id: 'c', price: '5' };
  assert.ok(productCreateSchema.safeParse({ ...ok, quantity: '0' }).success);
  assert.ok(!productCreateSchema.safeParse({ ...ok, quantity: '1.5' }).success);
  assert.ok(!productCreateSchema.safeParse({ ...ok, quantity: '1000001' }).success);
});

test('product image: type and size, required on create only', () => {
  assert.ok(checkProductImage(null, 100, true));
  assert.equal(checkProductImage(null, 100, false), null);
  assert.ok(checkProductImage({ type: 'image/svg+xml', size: 10 }, 100, true));
  assert.ok(checkProductImage({ type: 'image/png', size: 101 }, 100, true));
  assert.equal(checkProductImage({ type: 'image/png', size: 100 }, 100, true), null);
});

test('warehouse zip code has 5 digits', () => {
  const w = { name: 'W', street: 'S', city: 'C', state: 'S' };
  assert.ok(warehouseSchema.safeParse({ ...w, zip_code: '12345' }).success);
  assert.ok(!warehouseSchema.safeParse({ ...w, zip_code: '1234' }).success);
  assert.ok(!warehouseSchema.safeParse({ ...w, zip_code: 'abcde' }).success);
});

test('move stock: destination differs from source; quantity within the available amount', () => {
  const base = { product_id: 'p', from_warehouse_id: 'a', to_warehouse_id: 'b', quantity: '2', note: '' };
  assert.ok(moveSchema(5).safeParse(base).success);
  assert.equal(errs(moveSchema(5).safeParse({ ...base, to_warehouse_id: 'a' })).to_warehouse_id, 'Destination must differ from the source');
  assert.ok(errs(moveSchema(1).safeParse(base)).quantity);
  assert.ok(errs(moveSchema(5).safeParse({ ...base, quantity: '0' })).quantity);
});

test('adjust: delta is a non-zero integer and the note is required', () => {
  assert.ok(adjustSchema.safeParse({ delta: '+20', note: 'restock' }).success);
  assert.ok(adjustSchema.safeParse({ delta: '-3', note: 'broken' }).success);
  assert.ok(!adjustSchema.safeParse({ delta: '0', note: 'x' }).success);
  assert.ok(!adjustSchema.safeParse({ delta: '5', note: '' }).success);
});

test('review: a rejection needs a note', () => {
  assert.ok(reviewSchema.safeParse({ decision: 'APPROVED', note: '' }).success);
  assert.equal(errs(reviewSchema.safeParse({ decision: 'REJECTED', note: '' })).note, 'A note is required to reject');
  assert.ok(errs(reviewSchema.safeParse({ decision: '', note: '' })).decision);
});

test('order notes: required for FAILED and admin cancel, else optional', () => {
  assert.ok(statusNoteSchema(false).safeParse({ note: '' }).success);
  assert.ok(!statusNoteSchema(true).safeParse({ note: ' ' }).success);
  assert.ok(!statusNoteSchema(false).safeParse({ note: 'x'.repeat(1001) }).success);
});

test('sales range: from ≤ to and at most 366 days', () => {
  assert.ok(salesFilterSchema.safeParse({ from: '2025-01-01', to: '2025-01-31' }).success);
  assert.ok(!salesFilterSchema.safeParse({ from: '2025-02-01', to: '2025-01-31' }).success);
  assert.ok(!salesFilterSchema.safeParse({ from: '2024-01-01', to: '2025-06-01' }).success);
  assert.equal(intervalFor('2025-01-01', '2025-01-31'), 'day');
  assert.equal(intervalFor('2025-01-01', '2025-10-01'), 'week');
});

test('lowercase-hyphenated category names display in title case', () => {
  assert.equal(categoryLabel('sport-car'), 'Sport Car');
  assert.equal(categoryLabel('Car'), 'Car');
});
