// The admin console's main pages render for an admin (frontends.md §3.2), with screenshots people can look
// at; categories are added, renamed and deleted; the sales page downloads its three files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { admin, config, scenario, uniqueName } from '../lib/index.mjs';

scenario('admin console pages', async (run) => {
  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  const page = a.page;

  await page.getByTestId('payments-to-review').waitFor();
  await page.getByTestId('orders-to-ship').waitFor();
  await page.getByTestId('dashboard-low-stock').waitFor();
  await page.getByTestId('sales-chart').waitFor();
  await page.getByTestId('low-stock-count').waitFor();
  await run.screenshot(page, 'admin-dashboard');

  const pages = [
    ['/orders', 'Orders', 'admin-orders'],
    ['/shipping', 'Orders to ship', 'admin-shipping'],
    ['/payments?status=all', 'Payments', 'admin-payments'],
    ['/warehouses', 'Warehouses', 'admin-warehouses-list'],
    ['/users', 'Users', 'admin-users-list'],
  ];
  for (const [path, heading, shot] of pages) {
    await a.goto(path);
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    if (path !== '/warehouses') await page.getByTestId('pagination').waitFor();
    await page.locator('tbody tr:not([aria-hidden])').first().waitFor();
    await run.screenshot(page, shot);
  }

  // an order's detail page with its timeline, when there is an order
  await a.goto('/orders');
  const first = page.getByTestId('order-row').first();
  if (await first.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
    await first.getByRole('link', { name: 'View' }).click();
    await page.getByTestId('order-timeline').waitFor();
    await run.screenshot(page, 'admin-order-detail');
  }

  // categories: add a child of Car, rename it, delete it
  await a.goto('/categories');
  const tree = page.getByRole('list', { name: 'Category tree' });
  await tree.waitFor();
  const name = uniqueName('cat');
  await page.getByRole('button', { name: 'Add a child of Car' }).click();
  await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Added “${name}”`).waitFor();
  await tree.locator(`[title="${name}"]`).waitFor(); // shown as "E2e …" (lowercase-hyphenated names are title-cased)
  await run.screenshot(page, 'admin-categories');
  await page.getByRole('button', { name: `Rename ${name}` }).click();
  await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill(`${name}-x`);
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await tree.locator(`[title="${name}-x"]`).waitFor();
  await page.getByRole('button', { name: `Delete ${name}-x` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('Category deleted').waitFor();
  // the tree re-reads after the toast; wait for it rather than race it
  await tree.locator(`[title="${name}-x"]`).waitFor({ state: 'detached', timeout: 30000 });

  // the sales report and its downloads (the journey checks the rows of its own order)
  await a.goto('/sales');
  await page.getByTestId('sales-chart').waitFor();
  await page.getByTestId('pagination').waitFor();
  await run.screenshot(page, 'admin-sales');
  const save = async (button) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return { name: file.suggestedFilename(), body: await fs.promises.readFile(await file.path()) };
  };
  const csv = await save('Download CSV');
  assert.match(csv.name, /^sales-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.match(csv.body.toString('utf8'), /^sold_at,order_id,/);
  const pdf = await save('Download PDF');
  assert.equal(pdf.body.subarray(0, 4).toString(), '%PDF');
  const xlsx = await save('XLSX');
  assert.match(xlsx.name, /\.xlsx$/);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
});
