// Scenarios 8 and 9 (frontends.md §5): the admin creates a product with an image, edits and deletes it;
// the shop (a guest context) follows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { admin, api, config, eventually, fixtures, imageLoaded, poll, scenario, uniqueName } from '../lib/index.mjs';

/** Product rows of the admin list after typing `name` into the search box. */
async function searchAdmin(page, name) {
  await page.getByLabel('Search products by name or SKU').fill(name);
  await page.waitForURL((u) => u.searchParams.get('q') === name);
  return page.getByTestId('product-row').filter({ hasText: name });
}

scenario('8. admin creates a product with an image', async (run) => {
  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  const page = a.page;

  await a.goto('/products');
  await page.getByRole('link', { name: 'Add product' }).click();
  await page.waitForURL(/\/products\/new$/);
  await page.getByRole('button', { name: 'Create product' }).click();
  for (const msg of ['Name is required', 'Description is required', 'Price is required', 'Choose a category', 'Choose an image']) {
    await page.getByText(msg).waitFor();
  }
  await page.getByLabel('Price (USD)', { exact: true }).fill('abc');
  await page.getByLabel('Price (USD)', { exact: true }).blur();
  await page.getByText(/Enter a price like 1234\.50/).waitFor();

  const name = uniqueName('adm-new');
  const child = (await api.childCategories())[0];
  assert.ok(child, 'the seed has a child category of Car');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description', { exact: true }).fill('Created by the admin e2e test');
  await page.getByLabel('Price (USD)', { exact: true }).fill('2500.50');
  await page.getByLabel('Initial quantity', { exact: true }).fill('5');
  await page.getByLabel('Category', { exact: true }).selectOption(child.id);
  await page.getByLabel('Image', { exact: true }).setInputFiles(fixtures().png);
  await page.getByAltText('Preview of the new image').waitFor();
  const progress = page.getByTestId('upload-progress').waitFor({ state: 'attached', timeout: 15_000 });
  await page.getByRole('button', { name: 'Create product' }).click();
  await progress;
  await page.waitForURL((u) => u.pathname === '/products');
  await page.getByText(`Created “${name}”`).waitFor();

  const row = await searchAdmin(page, name);
  await row.waitFor();
  await poll(async () => assert.ok(await imageLoaded(row.getByRole('img', { name }))));
  await run.screenshot(page, 'admin-products');

  const g = await run.actor('guest', config.shopUrl);
  await eventually(g.page, async () => {
    await g.goto(`/products?q=${encodeURIComponent(name)}`);
    const card = g.page.getByTestId('product-card').filter({ hasText: name });
    await card.waitFor({ timeout: 3000 });
    assert.ok(await imageLoaded(card.locator('img').first()));
  });
  const id = (await api.searchProducts(name)).data[0].id;
  await g.goto(`/product/${id}`);
  await eventually(g.page, async () => assert.match(await g.page.getByTestId('stock-level').innerText({ timeout: 5000 }), /In stock: 5/));
});

scenario('9. admin edits and deletes a product', async (run) => {
  const name = uniqueName('adm-edit');
  const product = await api.createProduct({ name, price: '1234.50', quantity: 4, png: fs.readFileSync(fixtures().png) });
  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  const page = a.page;

  await a.goto(`/products?q=${encodeURIComponent(name)}`);
  const row = page.getByTestId('product-row').filter({ hasText: name });
  await row.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.waitForURL(/\/edit$/);
  const price = page.getByLabel('Price (USD)', { exact: true });
  await eventually(null, async () => assert.equal(await price.inputValue(), '1234.5'), { reload: false, timeout: 10_000 });
  assert.equal(await page.getByLabel('Initial quantity', { exact: true }).count(), 0, 'quantity is never sent on edit');
  await price.fill('1111.11');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL((u) => u.pathname === '/products');
  await page.getByText(`Saved “${name}”`).waitFor();

  const g = await run.actor('guest', config.shopUrl);
  await g.goto(`/product/${product.id}`);
  await eventually(g.page, async () => g.page.getByText('$1,111.11').first().waitFor({ timeout: 3000 }));

  await a.goto(`/products?q=${encodeURIComponent(name)}`);
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByText(`Delete “${name}”? It disappears from the shop and from carts.`).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement), true, 'Cancel has the focus');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await a.page.reload();
  await row.waitFor();

  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText(`Deleted “${name}”`).waitFor();
  await eventually(page, async () => {
    await page.getByText(/Showing|No results/).first().waitFor({ timeout: 5000 });
    assert.equal(await page.getByTestId('product-row').filter({ hasText: name }).count(), 0);
  });

  await eventually(g.page, async () => {
    await g.goto(`/product/${product.id}`);
    await g.page.getByText('This product is not available').waitFor({ timeout: 3000 });
  });
});
