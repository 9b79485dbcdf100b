// Scenario 19: forgot password, change password, disabled account (frontends.md §5).
import assert from 'node:assert/strict';
import { admin, api, config, scenario, shop } from '../lib/index.mjs';

scenario('19. passwords', async (run) => {
  const user = await api.createCustomer({ kind: 'pw' });
  const c = await run.actor('customer');
  const page = c.page;

  await c.goto('/auth/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  // before hydration the link is a plain page load: wait for it, or the login form would get the email
  await page.waitForURL(/\/auth\/forgot/);
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await page.getByLabel('Username or email').fill(user.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  const fresh = 'Fresh1pass!';
  await page.getByLabel('Code').fill('123456');
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('Confirm new password').fill(fresh);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL(/\/auth\/login/);
  await page.getByText('Password changed, please sign in').waitFor();
  await shop.login(c, { ...user, password: fresh });

  await c.goto('/account');
  await page.getByRole('button', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  const newer = 'Newer2pass!';
  await dialog.getByLabel('Current password').fill('Not-the-one1');
  await dialog.getByLabel('New password', { exact: true }).fill(newer);
  await dialog.getByLabel('Confirm new password').fill(newer);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await dialog.getByText(/current password is incorrect/i).waitFor();
  await dialog.getByLabel('Current password').fill(fresh);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Password changed').first().waitFor();
  await shop.logout(c);
  await shop.login(c, { ...user, password: newer });
  await shop.logout(c);

  // The admin disables the customer on /users.
  const a = await run.actor('admin', config.adminUrl);
  await admin.login(a, config.adminUsername, config.adminPassword);
  await admin.disableUser(a, user.username);
  await c.goto('/auth/login');
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(newer);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password').waitFor();
  assert.equal((await c.cookies()).eshop_c_session, undefined);
});
