// Display helpers (frontends.md §1.5).

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const formatMoney = (n: number | string | null | undefined) => money.format(Number(n ?? 0));

export function formatDate(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone }).format(d);
}

export const shortId = (id: string) => id.slice(0, 8);

/** `sport-car` → "Sport Car"; other names unchanged. */
export function categoryLabel(name: string): string {
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) return name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
  return name;
}

/** Countdown text: mm:ss, or hh:mm:ss from an hour on; never negative. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${p(h)}:${p(m)}:${p(sec)}` : `${p(m)}:${p(sec)}`;
}

/** `next` parameters must be same-site paths (§1.3): "/…" but not "//…" or "/\…". */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || typeof next !== 'string') return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  return next;
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** "In stock: N"; under 10 also "Only N left" (scenario 8 expects "In stock: 5" for 5 units, §2.1 "Only N left"). */
export const stockText = (q: number) => (q <= 0 ? 'Out of stock' : q < 10 ? `In stock: ${q} · Only ${q} left` : `In stock: ${q}`);
