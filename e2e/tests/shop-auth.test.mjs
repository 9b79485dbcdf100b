// Scenario 2: sign up, confirm, log in, session, logout (frontends.md §5).
import assert from 'node:assert/strict';
import { config, scenario, shop, uniqueName } from '../lib/index.mjs';

scenario('2. sign up, confirm, log in', async (run) => {
  const guest = await run.actor('guest');
  const page = guest.page;
  const username = uniqueName('s');
  const email = `${username}@example.com`;
  const name = `Signup ${username.slice(-5)}`;

  await guest.goto('/auth/signup');
  const fill = async (v) => {
    await page.getByLabel('Email', { exact: true }).fill(v.email);
    await page.getByLabel('Username', { exact: true }).fill(v.username);
    await page.getByLabel('Name', { exact: true }).fill(v.name);
    await page.getByLabel('Password', { exact: true }).fill(v.password);
    await page.getByLabel('Confirm password').fill(v.confirm);
    await page.getByRole('button', { name: 'Sign up' }).click();
  };
  await fill({ email, username, name, password: config.password, confirm: 'Different1' });
  await page.getByText('Passwords do not match').waitFor();
  await fill({ email, username, name, password: 'weakpass', confirm: 'weakpass' });
  await page.getByText(/Needs an upper-case letter|Needs a digit/).first().waitFor();
  await fill({ email: 'not-an-email', username, name, password: config.password, confirm: config.password });
  await page.getByText('Enter a valid email address').waitFor();
  await run.screenshot(page, 'shop-signup-errors');

  await fill({ email, username, name, password: config.password, confirm: config.password });
  await page.waitForURL(/\/auth\/verify\?username=/);
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username);
  await page.getByLabel('Confirmation code').fill('123456');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/\/auth\/login/);
  await page.getByText('Account confirmed, please sign in').waitFor();

  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('Wrong-password1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong username or password').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(config.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /account menu/i }).filter({ hasText: name }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: /account menu/i }).filter({ hasText: name }).waitFor();
  const docCookie = await page.evaluate(() => document.cookie);
  assert.ok(!/eshop_c_|eyJ/.test(docCookie), `document.cookie leaks: ${docCookie}`);

  await shop.logout(guest);
  await guest.goto('/orders');
  await page.waitForURL(/\/auth\/login\?next=%2Forders/);
  await run.screenshot(page, 'shop-login');
});
