// Scenarios 3–7 and 12 of frontends.md §5, in order, sharing one order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { admin, api, config, eventually, fixtures, openRun, poll, sleep, shop, uniqueName } from '../lib/index.mjs';

describe('journey: cart, checkout, proof, approval, delivery, sales', { timeout: 600_000 }, () => {
  let run, customer, user, productA, productB, orderId, stockBefore, adminActor;

  before(async () => {
    run = await openRun('journey');
    const f = fixtures();
    productA = await api.createProduct({ name: uniqueName('journey-a'), price: '2500.00', quantity: 20, png: (await import('node:fs')).readFileSync(f.png) });
    productB = await api.createProduct({ name: uniqueName('journey-b'), price: '100.00', quantity: 20, png: (await import('node:fs')).readFileSync(f.png) });
    // stock.changed has to reach the catalogue before the shop shows stock.
    await poll(async () => assert.equal((await api.getProduct(productA.id)).quantity, 20));
    await poll(async () => assert.equal((await api.getProduct(productB.id)).quantity, 20));
    user = await api.createCustomer({ kind: 'j' });
    customer = await run.actor('customer');
    await shop.login(customer, user);
  });

  after(async () => run?.close());

  test('3. cart and checkout', () =>
    run.step('3-cart-checkout', async () => {
      const page = customer.page;
      await customer.goto(`/product/${productA.id}`);
      stockBefore = await shop.stockLevel(page);
      await shop.addToCart(customer, productA.id, 2);
      await page.getByText('Added to cart').waitFor();
      assert.equal(await shop.badgeCount(page), 2);
      await page.keyboard.press('Escape');
      await shop.addToCart(customer, productB.id, 1);
      await page.keyboard.press('Escape');

      await customer.goto('/cart');
      const lineA = page.getByRole('row').filter({ hasText: productA.name });
      await lineA.getByRole('button', { name: /increase quantity/i }).click();
      await poll(async () => {
        assert.equal((await lineA.getByTestId('line-quantity').textContent()).trim(), '3');
        assert.equal((await lineA.getByTestId('line-total').textContent()).trim(), '$7,500.00');
        assert.equal(await shop.badgeCount(page), 4);
      });
      const lineB = page.getByRole('row').filter({ hasText: productB.name });
      await lineB.getByRole('button', { name: /remove/i }).click();
      await poll(async () => {
        assert.equal(await lineB.count(), 0);
        assert.equal((await page.getByTestId('cart-subtotal').textContent()).trim(), '$7,500.00');
        assert.equal(await shop.badgeCount(page), 3);
      });
      await run.screenshot(page, 'shop-cart');
      // let the debounced PATCH land
      await sleep(800);
      await shop.fillAddress(page, { zipcode: '' });
      await page.getByRole('button', { name: 'Place order' }).click();
      await page.getByText('Enter 3 to 10 digits').waitFor();
      await page.getByLabel('Zipcode').fill('12345');
      await poll(async () => {
        assert.match(await page.getByTestId('quote-shipping').textContent(), /\$\d/);
        assert.match(await page.getByTestId('quote-total').textContent(), /\$\d/);
      });
      await run.screenshot(page, 'shop-checkout');
      orderId = await shop.placeOrder(customer);
      await shop.orderStatusBadge(page).filter({ hasText: 'PENDING' }).waitFor();
      const t1 = await shop.countdownSeconds(page);
      await sleep(1000);
      await sleep(1000);
      const t2 = await shop.countdownSeconds(page);
      assert.ok(t2 < t1, `countdown ${t1} → ${t2}`);
      assert.equal(await shop.badgeCount(page), 0);
      await run.screenshot(page, 'shop-order-pending');

      await customer.goto('/orders');
      const first = page.getByTestId('order-card').first();
      assert.equal(await first.getAttribute('data-order-id'), orderId);
      await run.screenshot(page, 'shop-orders');

      await customer.goto(`/product/${productA.id}`);
      await eventually(page, async () => assert.equal(await shop.stockLevel(page), stockBefore - 3));
    }));

  test('4. upload a proof', () =>
    run.step('4-upload-proof', async () => {
      assert.ok(orderId, 'no order from scenario 3');
      const page = customer.page;
      const f = fixtures();
      await customer.goto(`/order/${orderId}`);
      const input = page.getByLabel(/payment proof/i);
      await input.setInputFiles(f.big);
      await page.getByText(/larger than 5 MiB/).waitFor();
      assert.ok(await page.getByRole('button', { name: 'Upload' }).isDisabled());

      await input.setInputFiles(f.fakePng);
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.locator('[data-sonner-toast]').filter({ hasText: /JPEG, PNG, WebP or PDF|type|supported/i }).waitFor();

      await input.setInputFiles(f.png);
      // A 64×64 PNG goes up in one go: record whether `upload-progress` was shown at all.
      await page.evaluate(() => {
        window.__sawProgress = false;
        new MutationObserver(() => {
          if (document.querySelector('[data-testid="upload-progress"]')) window.__sawProgress = true;
        }).observe(document.body, { subtree: true, childList: true });
      });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.getByText('Payment proof uploaded').waitFor();
      assert.ok(await page.evaluate(() => window.__sawProgress), 'upload-progress was shown during the upload');
      await page.getByText('Proof received — waiting for review').waitFor();
      const check = async () => {
        assert.ok(await page.getByAltText('Your payment proof').evaluate((img) => img.complete && img.naturalWidth > 0));
        assert.equal(await page.getByTestId('countdown').count(), 0);
        assert.equal(await page.getByLabel(/payment proof/i).count(), 0);
        assert.equal(await page.getByRole('button', { name: 'Cancel order' }).count(), 0);
      };
      await poll(check, { timeout: 10_000 });
      await page.reload();
      await page.getByText('Proof received — waiting for review').waitFor();
      await poll(check, { timeout: 10_000 });
      await run.screenshot(page, 'shop-order-under-review');
    }));

  test('5. admin approves', () =>
    run.step('5-admin-approves', async () => {
      assert.ok(orderId, 'no order from scenario 3');
      adminActor = await run.actor('admin', config.adminUrl);
      await admin.login(adminActor, config.adminUsername, config.adminPassword);
      const page = adminActor.page;
      await page.getByText('Payments to review').first().waitFor();
      await poll(async () => assert.ok(Number((await page.getByTestId('payments-to-review').innerText()).replace(/\D/g, '')) >= 1));
      await run.screenshot(page, 'admin-dashboard-journey');
      const { row, dialog } = await admin.openReview(adminActor, orderId);
      await run.screenshot(page, 'admin-payment-review');
      await poll(async () => assert.ok(await dialog.getByRole('img', { name: 'Payment proof' }).evaluate((img) => img.naturalWidth > 0)));
      // Cancel in the dialog changes nothing.
      await dialog.getByRole('radio', { name: 'Approve' }).check();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.match(await row.getByTestId('payment-status').innerText(), /PENDING/);
      const pay = await api.call('payment', 'GET', `/v1/payments?orderId=${orderId}`, { token: await api.adminToken() });
      assert.equal(pay.data[0].status, 'PENDING');

      const { row: reviewed } = await admin.review(adminActor, orderId, { approve: true });
      await poll(async () => assert.match(await reviewed.getByTestId('payment-status').innerText(), /APPROVED/));
    }));

  test('6. the order shows PAYMENT_ACCEPTED', () =>
    run.step('6-payment-accepted', async () => {
      assert.ok(orderId, 'no order from scenario 3');
      const page = customer.page;
      await customer.goto(`/order/${orderId}`);
      await eventually(page, async () => assert.equal(await shop.orderStatus(page), 'PAYMENT_ACCEPTED'));
      await page.getByText('Payment accepted').first().waitFor();
      const step = page.getByTestId('order-timeline').locator('[data-step="Payment accepted"]');
      assert.match(await step.innerText(), /\d{4}, \d{2}:\d{2}/);
      await run.screenshot(page, 'shop-order-paid');
      await customer.goto('/orders');
      const card = page.getByRole('main').locator(`[data-order-id="${orderId}"]`).first();
      assert.equal((await card.getByTestId('order-status').textContent()).trim(), 'PAYMENT_ACCEPTED');
    }));

  test('7. ship and deliver with notes', () =>
    run.step('7-ship-deliver', async () => {
      assert.ok(orderId && adminActor, 'no order or admin from scenarios 3 and 5');
      const page = adminActor.page;
      await adminActor.goto('/orders?status=PAYMENT_ACCEPTED');
      await page.getByRole('row').filter({ hasText: orderId.slice(0, 8) }).waitFor();
      await adminActor.goto(`/orders/${orderId}`);
      await page.getByRole('button', { name: 'Mark shipped' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Mark delivered' }).count(), 0);
      await admin.orderAction(adminActor, orderId, 'Mark shipped', 'Sent with courier');
      await eventually(page, async () => assert.match(await page.getByTestId('order-status').first().innerText(), /ON_DELIVERY/));
      await admin.orderAction(adminActor, orderId, 'Mark delivered', 'Left at reception');
      await eventually(page, async () => assert.match(await page.getByTestId('order-status').first().innerText(), /DELIVERED/));
      assert.equal(await page.getByRole('button', { name: /^mark /i }).count(), 0);

      const c = customer.page;
      await customer.goto(`/order/${orderId}`);
      await eventually(c, async () => {
        const tl = c.getByTestId('order-timeline');
        assert.match(await tl.locator('[data-step="Shipped"]').innerText(), /Sent with courier/);
        assert.match(await tl.locator('[data-step="Delivered"]').innerText(), /Left at reception/);
      });
      await run.screenshot(c, 'shop-order-delivered');
    }));

  test('12. sales report', () =>
    run.step('12-sales', async () => {
      assert.ok(orderId && adminActor, 'no order or admin from scenarios 3 and 5');
      const page = adminActor.page;
      await adminActor.goto('/sales');
      const saleRow = () => page.getByRole('row').filter({ hasText: productA.name }).first();
      await eventually(page, async () => {
        const text = await saleRow().innerText();
        assert.match(text, /\$2,500\.00/); // unit price
        assert.match(text, /\t3\t|\b3\b/); // quantity
        assert.match(text, /\$7,500\.00/); // revenue
        assert.match(text, /-?\$[\d,]+\.\d{2}\s*$/); // margin, last money column
      });
      await run.screenshot(page, 'admin-sales-journey');
      // The product filter keeps the line; another product hides it.
      const pickProduct = async (p) => {
        await page.getByLabel('Search product').fill(p.name);
        const select = page.getByLabel('Product', { exact: true });
        await poll(async () => assert.ok((await select.locator(`option[value="${p.id}"]`).count()) > 0));
        await select.selectOption(p.id);
        await page.waitForURL(new RegExp(`product_id=${p.id}`));
      };
      await pickProduct(productA);
      await eventually(null, async () => assert.match(await saleRow().innerText(), /\$7,500\.00/), { reload: false });
      await pickProduct(productB);
      await eventually(null, async () => assert.equal(await page.getByRole('row').filter({ hasText: productA.name }).count(), 0), { reload: false });
      await adminActor.goto('/sales');
      await page.getByTestId('sales-chart').waitFor();
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /download csv/i }).click()]);
      const text = (await (await import('node:fs')).promises.readFile(await csv.path(), 'utf8'));
      assert.match(text, /^sold_at/);
      assert.ok(text.includes(orderId));
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /download pdf/i }).click()]);
      const head = (await (await import('node:fs')).promises.readFile(await pdf.path())).subarray(0, 4).toString();
      assert.equal(head, '%PDF');
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /xlsx/i }).click()]);
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    }));
});
