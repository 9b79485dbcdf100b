// Scenario 18: a rejected proof, a new upload, approval (admin side through the admin app).
import assert from 'node:assert/strict';
import { admin, api, config, eventually, fixtures, flows, scenario, shop } from '../lib/index.mjs';

scenario('18. rejected proof, new upload', async (run) => {
  const product = await flows.stockedProduct(5, 'reject');
  const user = await api.createCustomer({ kind: 'rj' });
  const c = await run.actor('customer');
  await shop.login(c, user);
  const orderId = await flows.orderThroughUi(c, product, 1);
  const upload = async (file) => {
    await c.goto(`/order/${orderId}`);
    await c.page.getByLabel(/payment proof/i).setInputFiles(file);
    await c.page.getByRole('button', { name: 'Upload' }).click();
    await c.page.getByText('Proof received — waiting for review').waitFor();
  };
  await upload(fixtures().png);

  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  await admin.review(a, orderId, { approve: false, note: 'Amount does not match' });

  await c.goto(`/order/${orderId}`);
  await eventually(c.page, async () => assert.ok(await c.page.getByText(/Your proof was rejected: Amount does not match/).isVisible()));
  await c.page.getByTestId('countdown').waitFor();
  await c.page.getByLabel(/payment proof/i).waitFor();
  await run.screenshot(c.page, 'shop-order-rejected-proof');
  await upload(fixtures().png2);

  await admin.review(a, orderId, { approve: true });
  await c.goto(`/order/${orderId}`);
  await eventually(c.page, async () => assert.equal(await shop.orderStatus(c.page), 'PAYMENT_ACCEPTED'));
});
