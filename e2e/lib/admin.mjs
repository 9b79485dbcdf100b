// Admin console steps used by the journey and the shop scenarios that need an admin (labels and test ids of
// frontend-admin/src: auth/login/LoginForm, payments/ReviewDialog, components/OrderActionDialog).
export async function login(actor, username, password) {
  const page = actor.page;
  await actor.goto('/auth/login');
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/auth/login'), { timeout: 20_000 });
}

/** Opens the review dialog of the payment of `orderId` on /payments and returns the row and dialog locators. */
export async function openReview(actor, orderId) {
  const page = actor.page;
  await actor.goto('/payments?status=PENDING');
  // PaymentsView: one `payment-row` per payment, carrying `data-order-id`; the button is "Review" while PENDING.
  const row = page.locator(`[data-testid="payment-row"][data-order-id="${orderId}"]`).first();
  await row.getByRole('button', { name: 'Review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review payment proof' });
  await dialog.waitFor();
  return { row, dialog };
}

/**
 * Approves (or rejects with a note) the pending proof of an order through the review dialog: the admin app's
 * ReviewDialog has the radios Approve/Reject, "Admin note", and Cancel/Confirm (no second confirmation).
 */
export async function review(actor, orderId, { approve = true, note = '', rejectOrder = false } = {}) {
  const page = actor.page;
  const { row, dialog } = await openReview(actor, orderId);
  // the proof is re-read on open; the decision radios appear once it is loaded
  await dialog.getByRole('radio', { name: approve ? 'Approve' : 'Reject' }).check();
  if (note) await dialog.getByLabel(/admin note/i).fill(note);
  if (!approve && rejectOrder) await dialog.getByLabel('Also reject the order (no new upload)').check();
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('[data-sonner-toast]').filter({ hasText: approve ? 'Payment approved' : 'Payment rejected' }).first().waitFor();
  await dialog.waitFor({ state: 'detached' });
  return { row };
}

/** Moves an order on /orders/{id} with a note: `action` is the button text ("Mark shipped", "Mark delivered"). */
export async function orderAction(actor, orderId, action, note) {
  const page = actor.page;
  await actor.goto(`/orders/${orderId}`);
  await page.getByRole('button', { name: action }).click();
  // OrderActionDialog: title = the action, a "Note" / "Note (optional)" textarea, Cancel / Confirm.
  const dialog = page.getByRole('dialog', { name: action });
  if (note) await dialog.getByLabel(/^note/i).fill(note);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Disables a user on /users (UsersView: filter by username in the URL, "Disable", confirm "Disable"). */
export async function disableUser(actor, username) {
  const page = actor.page;
  await actor.goto(`/users?username=${encodeURIComponent(username)}`);
  const row = page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  await row.getByRole('button', { name: 'Disable' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable user' });
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.getByText('Disabled').waitFor();
}
