// Multi-step customer flows shared by several scenarios.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as api from './api.mjs';
import { uniqueName } from './config.mjs';
import { poll } from './eventually.mjs';
import { fixtures } from './fixtures.mjs';
import * as shop from './shop.mjs';

/** A fresh product with `quantity` units whose stock the catalogue already shows. */
export async function stockedProduct(quantity = 10, kind = 'p') {
  const p = await api.createProduct({ name: uniqueName(kind), price: '999.00', quantity, png: fs.readFileSync(fixtures().png) });
  await poll(async () => assert.equal((await api.getProduct(p.id)).quantity, quantity));
  return p;
}

/** Signed-in customer actor with a PENDING order of `qty` units of `product`; returns the order id. */
export async function orderThroughUi(actor, product, qty = 1) {
  await shop.addToCart(actor, product.id, qty);
  await actor.page.keyboard.press('Escape');
  await actor.goto('/cart');
  await shop.fillAddress(actor.page);
  await poll(async () => assert.match(await actor.page.getByTestId('quote-total').textContent(), /\$/));
  return shop.placeOrder(actor);
}
