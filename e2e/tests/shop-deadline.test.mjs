// Scenario 17: the payment deadline passes on an open page (ORDER_PAYMENT_TIMEOUT_SECONDS=120 in the e2e fleet).
import assert from 'node:assert/strict';
import { api, eventually, flows, poll, scenario, shop } from '../lib/index.mjs';

scenario('17. payment deadline', async (run) => {
  const product = await flows.stockedProduct(4, 'deadline');
  const user = await api.createCustomer({ kind: 'd' });
  const c = await run.actor('customer');
  await shop.login(c, user);
  const orderId = await flows.orderThroughUi(c, product, 1);
  await c.goto(`/order/${orderId}`);
  const left = await shop.countdownSeconds(c.page);
  assert.ok(left <= 180, `the e2e fleet's deadline is short (got ${left} s)`);
  await c.page.getByText('Payment time is over').waitFor({ timeout: (left + 10) * 1000 });
  // No reload: the page polls until the sweeper has expired the order.
  await poll(async () => assert.equal(await shop.orderStatus(c.page), 'EXPIRED'), { timeout: 60_000 });
  await c.page.getByText('Payment time ran out; the order was cancelled automatically').waitFor();
  await run.screenshot(c.page, 'shop-order-expired');
  await c.goto(`/product/${product.id}`);
  await eventually(c.page, async () => assert.equal(await shop.stockLevel(c.page), 4));
}, { timeout: 300_000 });
