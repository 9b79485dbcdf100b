// Events are asynchronous (frontends.md §5): retry a check, reloading the page between attempts.

/**
 * Runs `check` until it resolves without throwing, at most `timeout` ms. Between attempts waits `interval`
 * ms and, when a page is given and `reload` is true, reloads it. Rethrows the last error on timeout.
 */
export async function eventually(page, check, { timeout = 30_000, interval = 500, reload = true } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() + interval > deadline) break;
    await sleep(interval);
    if (page && reload) {
      await page.reload({ waitUntil: 'domcontentloaded' }).catch(() => {});
    }
  }
  const err = new Error(`eventually: not satisfied within ${timeout} ms: ${last?.message ?? last}`);
  err.cause = last;
  throw err;
}

/** Short waits only (§5: no fixed sleep over 1 s). */
export function sleep(ms) {
  if (ms > 1000) throw new Error('no fixed sleep over 1 s (frontends.md §5)');
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls without reloading (e.g. the order page updates itself). */
export function poll(check, opts = {}) {
  return eventually(null, check, { ...opts, reload: false });
}
