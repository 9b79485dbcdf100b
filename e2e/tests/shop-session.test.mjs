// Scenario 16: session refresh, logout revokes refresh, profile survives and prefills checkout (frontends.md §5).
import assert from 'node:assert/strict';
import { api, config, flows, scenario, shop } from '../lib/index.mjs';

scenario('16. session refresh and profile', async (run) => {
  const user = await api.createCustomer({ kind: 'r' });
  const c = await run.actor('customer');
  await shop.login(c, user);
  const before = await c.cookies();
  assert.ok(before.eshop_c_access && before.eshop_c_refresh && before.eshop_c_session);

  await c.context.clearCookies({ name: 'eshop_c_access' });
  await c.goto('/orders');
  await c.page.getByRole('heading', { name: 'Your orders' }).waitFor();
  const after = await c.cookies();
  assert.ok(after.eshop_c_access, 'a new access cookie is set');

  // Profile: phone and address survive a reload and prefill checkout.
  await c.goto('/account');
  await c.page.getByRole('button', { name: 'Edit' }).click();
  await c.page.getByLabel('Phone').fill('+15551234567');
  await c.page.getByLabel('Street').fill('42 Profile Road');
  await c.page.getByLabel('City').fill('Metropolis');
  await c.page.getByLabel('State').fill('NY');
  await c.page.getByLabel('Zipcode').fill('10001');
  await c.page.getByRole('button', { name: 'Save' }).click();
  await c.page.getByText('Profile saved').waitFor();
  await c.page.reload();
  await c.page.getByText('+15551234567').waitFor();
  await c.page.getByText(/42 Profile Road, Metropolis, NY 10001/).waitFor();
  await run.screenshot(c.page, 'shop-account');
  const product = await flows.stockedProduct(5, 'prof');
  await shop.addToCart(c, product.id, 1);
  await c.page.keyboard.press('Escape');
  await c.goto('/cart');
  assert.equal(await c.page.getByLabel('Street').inputValue(), '42 Profile Road');
  assert.equal(await c.page.getByLabel('Zipcode').inputValue(), '10001');

  // After logout, the old refresh cookie put back no longer opens /orders.
  const refresh = (await c.cookies()).eshop_c_refresh;
  await shop.logout(c);
  await c.context.addCookies([{ name: 'eshop_c_refresh', value: refresh, url: config.shopUrl, httpOnly: true, sameSite: 'Lax' }]);
  await c.goto('/orders');
  await c.page.waitForURL(/\/auth\/login\?next=%2Forders/);
});
