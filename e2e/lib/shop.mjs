// Customer shop UI steps shared by the shop-* tests and the journey (labels of frontend-customer).
import assert from 'node:assert/strict';

/** Signs in through /auth/login; waits until the header shows the account menu. */
export async function login(actor, user, { next } = {}) {
  const page = actor.page;
  await actor.goto(next ? `/auth/login?next=${encodeURIComponent(next)}` : '/auth/login');
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /account menu/i }).waitFor();
}

export async function logout(actor) {
  const page = actor.page;
  await page.getByRole('button', { name: /account menu/i }).click();
  await page.getByRole('menuitem', { name: 'Logout' }).click();
  await page.getByRole('link', { name: 'Login' }).waitFor();
}

/** The cart badge's number, 0 when hidden. */
export async function badgeCount(page) {
  const badge = page.getByTestId('cart-badge');
  if (!(await badge.isVisible().catch(() => false))) return 0;
  return Number((await badge.textContent()).trim());
}

/** Adds a product from its page with the given quantity; waits for the drawer. */
export async function addToCart(actor, productId, quantity = 1) {
  const page = actor.page;
  await actor.goto(`/product/${productId}`);
  const qty = page.getByLabel('Quantity', { exact: true });
  await qty.fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('dialog', { name: 'Cart' }).waitFor();
}

/** The number in "In stock: N" / "Only N left" / 0 for "Out of stock". */
export async function stockLevel(page) {
  const text = (await page.getByTestId('stock-level').textContent()) ?? '';
  if (/out of stock/i.test(text)) return 0;
  const m = text.match(/(\d+)/);
  assert.ok(m, `stock-level text: ${text}`);
  return Number(m[1]);
}

/** Fills the checkout address form on /cart. */
export async function fillAddress(page, { street = '1 Main Street', city = 'Springfield', state = 'IL', zipcode = '12345', note } = {}) {
  await page.getByLabel('Street').fill(street);
  await page.getByLabel('City').fill(city);
  await page.getByLabel('State').fill(state);
  await page.getByLabel('Zipcode').fill(zipcode);
  if (note !== undefined) await page.getByLabel('Note for the delivery').fill(note);
}

/** Places the order on /cart; returns the order id from the URL. */
export async function placeOrder(actor) {
  const page = actor.page;
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/order\/[0-9a-f-]{36}/, { timeout: 40_000 });
  return page.url().match(/\/order\/([0-9a-f-]{36})/)[1];
}

/** Seconds shown by the countdown ("Pay within mm:ss" or hh:mm:ss). */
export async function countdownSeconds(page) {
  const text = (await page.getByTestId('countdown').textContent()) ?? '';
  const m = text.match(/(\d+):(\d{2})(?::(\d{2}))?/);
  assert.ok(m, `countdown text: ${text}`);
  return m[3] !== undefined ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number(m[1]) * 60 + Number(m[2]);
}

/** True when an <img> has loaded (naturalWidth > 0). */
export async function imageLoaded(locator) {
  return locator.evaluate((img) => img.complete && img.naturalWidth > 0);
}

/**
 * The order page's `order-status` badge. Scoped to <main>: while a streamed render is being swapped in, React
 * keeps a hidden copy of the segment at the end of <body>, so the bare test id can match twice for a moment.
 */
export function orderStatusBadge(page) {
  return page.getByRole('main').getByTestId('order-status').first();
}

/** The text of the order page's status badge. */
export async function orderStatus(page) {
  return ((await orderStatusBadge(page).textContent()) ?? '').trim();
}
