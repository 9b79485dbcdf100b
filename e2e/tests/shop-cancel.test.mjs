// Scenario 15: cancel a PENDING order (stock returns); two carts race for the last unit (frontends.md §5).
import assert from 'node:assert/strict';
import { api, eventually, flows, poll, scenario, shop } from '../lib/index.mjs';

scenario('15. cancel and conflicts', async (run) => {
  const product = await flows.stockedProduct(5, 'cancel');
  const user = await api.createCustomer({ kind: 'x' });
  const c = await run.actor('customer');
  await shop.login(c, user);
  const orderId = await flows.orderThroughUi(c, product, 2);
  await eventually(null, async () => assert.equal((await api.getProduct(product.id)).quantity, 3), { reload: false });
  await c.goto(`/order/${orderId}`);
  await c.page.getByRole('button', { name: 'Cancel order' }).click();
  await c.page.getByRole('dialog').getByRole('button', { name: 'Cancel order' }).click();
  await shop.orderStatusBadge(c.page).filter({ hasText: 'CANCELLED' }).waitFor();
  await c.page.getByText('This order was cancelled').waitFor();
  await c.goto(`/product/${product.id}`);
  await eventually(c.page, async () => assert.equal(await shop.stockLevel(c.page), 5));

  // Last unit in two carts: the first checkout wins, the second gets the stock toast and keeps its cart.
  const last = await flows.stockedProduct(1, 'last');
  const other = await api.createCustomer({ kind: 'y' });
  const d = await run.actor('second customer');
  await shop.login(d, other);
  await shop.addToCart(c, last.id, 1);
  await c.page.keyboard.press('Escape');
  await shop.addToCart(d, last.id, 1);
  await d.page.keyboard.press('Escape');
  await c.goto('/cart');
  await shop.fillAddress(c.page);
  await shop.placeOrder(c);
  await d.goto('/cart');
  await shop.fillAddress(d.page);
  await d.page.getByRole('button', { name: 'Place order' }).click();
  await d.page.locator('[data-sonner-toast]').filter({ hasText: /stock/i }).waitFor({ timeout: 40_000 });
  assert.match(d.page.url(), /\/cart$/);
  await poll(async () => assert.equal(await d.page.getByTestId('cart-line').count(), 1));
});
