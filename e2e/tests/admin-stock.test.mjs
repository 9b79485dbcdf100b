// Scenarios 10 and 11 (frontends.md §5): moving stock between warehouses, and the low-stock alert.
import assert from 'node:assert/strict';
import { admin, api, config, eventually, flows, poll, scenario, shop, uniqueName } from '../lib/index.mjs';

/** The admin's view of the warehouses (id, name, main flag). */
async function warehouses() {
  const token = await api.adminToken();
  return (await api.call('warehouse', 'GET', '/v1/warehouse', { token })).data ?? [];
}

/** Available units on the /stock row of (product, warehouse), or null when there is no row. */
async function available(page, productId, warehouseId) {
  await page.getByTestId('stock-row').first().waitFor({ timeout: 5000 });
  const row = page.locator(`[data-testid="stock-row"][data-product-id="${productId}"][data-warehouse-id="${warehouseId}"]`);
  if (!(await row.count())) return null;
  return Number((await row.getByTestId('available').innerText()).trim());
}

scenario('10. move stock between warehouses', async (run) => {
  const product = await flows.stockedProduct(10, 'move');
  const main = (await warehouses()).find((w) => w.is_main_warehouse);
  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  const page = a.page;

  // a new warehouse
  const whName = uniqueName('wh');
  await a.goto('/warehouses');
  await page.getByRole('button', { name: 'Add warehouse' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Name', { exact: true }).fill(whName);
  await form.getByLabel('Street', { exact: true }).fill('1 Depot Road');
  await form.getByLabel('City', { exact: true }).fill('Springfield');
  await form.getByLabel('State', { exact: true }).fill('IL');
  await form.getByLabel('Zip code', { exact: true }).fill('12345');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Added “${whName}”`).waitFor();
  await page.getByTestId('warehouse-row').filter({ hasText: whName }).waitFor();
  const target = (await warehouses()).find((w) => w.name === whName);
  assert.ok(target, 'the new warehouse is listed by the service');
  await run.screenshot(page, 'admin-warehouses');

  // the stock page and its move dialog
  await a.goto(`/stock?q=${encodeURIComponent(product.name)}`);
  await eventually(page, async () => assert.equal(await available(page, product.id, main.id), 10));
  await page.getByRole('button', { name: 'Move stock' }).click();
  const dlg = page.getByRole('dialog', { name: 'Move stock' });
  await dlg.getByLabel('Find product').fill(product.name);
  await poll(async () => assert.ok((await dlg.getByLabel('Product', { exact: true }).locator('option').allInnerTexts()).includes(product.name)));
  await dlg.getByLabel('Product', { exact: true }).selectOption({ label: product.name });
  await dlg.getByLabel('From warehouse').selectOption(main.id);
  await dlg.getByText('10 available there').waitFor();
  await dlg.getByLabel('To warehouse').selectOption(main.id);
  await dlg.getByLabel('Quantity').fill('2');
  await dlg.getByRole('button', { name: 'Move' }).click();
  await dlg.getByText('Destination must differ from the source').waitFor();
  await dlg.getByLabel('To warehouse').selectOption(target.id);
  await dlg.getByLabel('Quantity').fill('11');
  await dlg.getByRole('button', { name: 'Move' }).click();
  await dlg.getByText('Only 10 available at the source').waitFor();
  await dlg.getByLabel('Quantity').fill('2');
  await dlg.getByRole('button', { name: 'Move' }).click();
  await page.getByText(`Moved 2 × ${product.name}`).waitFor();
  await eventually(page, async () => {
    assert.equal(await available(page, product.id, main.id), 8);
    assert.equal(await available(page, product.id, target.id), 2);
  });
  await run.screenshot(page, 'admin-stock');

  // the movement history
  await a.goto(`/movements?product_id=${product.id}`);
  const moved = page.getByTestId('movement-row').filter({ hasText: 'Transfer' });
  await moved.waitFor();
  const text = await moved.first().innerText();
  for (const part of [product.name, main.name, whName]) assert.ok(text.includes(part), `${part} in "${text}"`);
  assert.match(text, /\t2\t|\b2\b/);
  assert.match(text, /\d{4}, \d{2}:\d{2}/);
  await run.screenshot(page, 'admin-movements');

  // the shop's total is unchanged (a transfer moves stock, it does not sell it)
  const g = await run.actor('guest', config.shopUrl);
  await g.goto(`/product/${product.id}`);
  await poll(async () => assert.equal(await shop.stockLevel(g.page), 10));
});

scenario('11. low-stock alert', async (run) => {
  const product = await flows.stockedProduct(3, 'low');
  // a warehouse manager does the adjustment (promoted through the auth API: setup, not under test)
  const user = await api.createCustomer({ kind: 'mgr' });
  const token = await api.adminToken();
  const { user_id } = await api.login(user.username, user.password);
  await api.call('auth', 'PUT', `/v1/auth/users/${user_id}/role`, { token, json: { role: 'warehouse_manager' } });

  const m = await run.actor('manager', config.adminUrl);
  await admin.login(m, user.username, user.password);
  const page = m.page;
  const row = page.getByTestId('stock-row').filter({ hasText: product.name });

  await m.goto(`/stock?q=${encodeURIComponent(product.name)}`);
  await eventually(page, async () => row.first().getByTestId('low-stock-badge').waitFor({ timeout: 5000 }));
  await page.getByLabel('Low stock only').click();
  await page.waitForURL((u) => u.searchParams.get('low_stock') === 'true');
  await row.first().waitFor();

  await m.goto('/');
  const card = page.getByTestId('dashboard-low-stock');
  await card.waitFor();
  const listed = await card.locator('li').allInnerTexts();
  // the card shows the five lowest rows; the new product is among them unless five others are lower still
  if (listed.length < 5) assert.ok(listed.some((t) => t.includes(product.name)), `dashboard card lists ${product.name}`);
  const countBefore = Number((await page.getByTestId('low-stock-count').innerText()).trim());
  assert.ok(countBefore >= 1);
  await run.screenshot(page, 'admin-dashboard-manager');

  await m.goto(`/stock?q=${encodeURIComponent(product.name)}`);
  await row.first().getByRole('button', { name: 'Adjust' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Change (e.g. 20 or -3)').fill('20');
  await dlg.getByLabel('Note', { exact: true }).fill('Restocked by the e2e test');
  await dlg.getByRole('button', { name: 'Adjust' }).click();
  await page.getByText(`Adjusted ${product.name} by +20`).waitFor();
  await eventually(page, async () => {
    await row.first().waitFor({ timeout: 5000 });
    assert.equal(await row.first().getByTestId('low-stock-badge').count(), 0);
    await page.getByTestId('low-stock-count').waitFor({ timeout: 5000 });
    const n = Number((await page.getByTestId('low-stock-count').innerText()).trim());
    assert.ok(n < countBefore, `count ${n} < ${countBefore}`);
  });
});
