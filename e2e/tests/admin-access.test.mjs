// Scenario 13 (frontends.md §5): a customer cannot open the admin console.
import assert from 'node:assert/strict';
import { api, config, scenario, shop } from '../lib/index.mjs';

scenario('13. a customer cannot open the admin app', async (run) => {
  const user = await api.createCustomer({ kind: 'noadm' });
  const c = await run.actor('customer', config.shopUrl);
  await shop.login(c, user);

  // same browser context: the shop session is there, the admin app still shows its login
  const page = await run.extraPage(c);
  await page.goto(`${config.adminUrl}/`);
  await page.waitForURL((u) => u.pathname === '/auth/login');
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('This account has no access to the admin console').waitFor();
  const names = (await c.context.cookies(config.adminUrl)).map((k) => k.name);
  assert.deepEqual(names.filter((n) => n.startsWith('eshop_a_')), [], 'no admin cookie is set');

  await page.goto(`${config.adminUrl}/orders`);
  await page.waitForURL((u) => u.pathname === '/auth/login' && u.searchParams.get('next') === '/orders');
  const res = await c.context.request.get(`${config.adminUrl}/api/svc/order/v1/orders`);
  assert.equal(res.status(), 401);
  await run.screenshot(page, 'admin-login-refused');

  // no logout call was made: the shop session survives
  await c.page.reload();
  await c.page.getByRole('button', { name: /account menu/i }).waitFor();
});
