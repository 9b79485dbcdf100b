// Scenario 1: guest browse and search (frontends.md §5).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { api, config, eventually, fixtures, imageLoaded, poll, scenario, shop, uniqueName } from '../lib/index.mjs';

scenario('1. guest browse and search', async (run) => {
  const kids = await api.childCategories(config.categories.car);
  const product = await api.createProduct({ name: uniqueName('browse'), price: '4321.00', quantity: 12, categoryId: kids[0]?.id, png: fs.readFileSync(fixtures().png) });
  await poll(async () => assert.equal((await api.getProduct(product.id)).quantity, 12));
  const guest = await run.actor('guest');
  const page = guest.page;

  await guest.goto('/');
  await page.getByRole('heading', { name: 'For your favourite car' }).waitFor();
  await page.getByText('Explore our selected cars for your lifestyle').waitFor();
  await page.getByRole('link', { name: 'Car', exact: true }).first().waitFor();
  await page.getByRole('link', { name: 'Motor', exact: true }).first().waitFor();
  const cards = page.getByTestId('product-card');
  await cards.first().waitFor();
  await cards.first().scrollIntoViewIfNeeded();
  await poll(async () => assert.ok(await imageLoaded(cards.first().locator('img'))));
  assert.match(await cards.first().innerText(), /\$[\d,]+\.\d{2}/);
  await run.screenshot(page, 'shop-home');

  // The Car menu (header) lists products of its child categories: the new product sits in a child of Car.
  await page.getByRole('banner').getByRole('link', { name: 'Car', exact: true }).first().click();
  await page.waitForURL(new RegExp(`/category/${config.categories.car}`));
  await page.getByRole('heading', { name: 'Car' }).waitFor();
  if (kids[0]) await eventually(page, async () => assert.ok(await page.getByTestId('product-card').filter({ hasText: product.name }).count() > 0));
  await run.screenshot(page, 'shop-category-car');

  // Search by part of a name, then nonsense.
  const part = product.name.slice(4, 20);
  await page.getByLabel('Search products').fill(part);
  await page.getByLabel('Search products').press('Enter');
  await page.waitForURL(/\/products\?q=/);
  await eventually(page, async () => assert.ok(await page.getByTestId('product-card').filter({ hasText: product.name }).count() > 0));
  await run.screenshot(page, 'shop-search');
  await guest.goto('/products?q=zzqx-nothing-matches-this');
  await page.getByText(/No products match/).waitFor();
  await page.getByRole('link', { name: 'Clear search' }).waitFor();

  // Product page, guest add → login with next → back to the product.
  await guest.goto(`/product/${product.id}`);
  await page.getByText('$4,321.00').first().waitFor();
  assert.match(await page.getByTestId('stock-level').innerText(), /In stock: 12/);
  await run.screenshot(page, 'shop-product');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(new RegExp(`/auth/login\\?next=${encodeURIComponent(`/product/${product.id}`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await guest.goto('/cart');
  await page.waitForURL(/\/auth\/login\?next=%2Fcart/);

  const user = await api.createCustomer({ kind: 'b' });
  await guest.goto(`/auth/login?next=${encodeURIComponent(`/product/${product.id}`)}`);
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(new RegExp(`/product/${product.id}$`));
  await page.getByRole('button', { name: /account menu/i }).waitFor();
  void shop;
});
