// First wait ≤ 120 s for every service /ready and both apps' /api/health (frontends.md §5).
import { config } from './config.mjs';

let ready;

async function ok(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

export function waitForFleet({ timeoutMs = 120_000, apps = [config.shopUrl, config.adminUrl] } = {}) {
  ready ??= (async () => {
    const urls = [
      ...Object.values(config.services).map((base) => `${base}/ready`),
      ...apps.map((base) => `${base}/api/health`),
    ];
    const deadline = Date.now() + timeoutMs;
    let pending = urls;
    while (pending.length) {
      const results = await Promise.all(pending.map(ok));
      pending = pending.filter((_, i) => !results[i]);
      if (!pending.length) break;
      if (Date.now() > deadline) throw new Error(`fleet not ready after ${timeoutMs / 1000} s: ${pending.join(', ')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return ready;
}
