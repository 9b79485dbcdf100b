// Display conventions (frontends.md §1.5): USD money, dates in the browser's zone, short ids, category names.

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const money = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) ? usd.format(n) : '—');

const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

export const shortId = (id: string | null | undefined) => (id ? id.slice(0, 8) : '—');

/** `sport-car` → "Sport Car"; other names are shown as they are. */
export function categoryLabel(name: string): string {
  if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) && name.includes('-')) {
    return name
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');
  }
  return name;
}

export const STATUS_LABELS: Record<string, string> = {
  PENDING: 'Pending',
  PAYMENT_ACCEPTED: 'Payment accepted',
  ON_DELIVERY: 'On delivery',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
  CANCELLED: 'Cancelled',
  APPROVED: 'Approved',
};

/** Badge colour class per order or payment status. */
export function statusTone(status: string): 'grey' | 'blue' | 'amber' | 'green' | 'red' {
  switch (status) {
    case 'PAYMENT_ACCEPTED':
      return 'blue';
    case 'ON_DELIVERY':
      return 'amber';
    case 'DELIVERED':
    case 'APPROVED':
      return 'green';
    case 'CANCELLED':
    case 'EXPIRED':
    case 'REJECTED':
    case 'FAILED':
      return 'red';
    default:
      return 'grey';
  }
}

/** `YYYY-MM-DD` of a date in the browser's zone. */
export function isoDay(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Summary interval for a range: days up to 3 months, weeks up to a year, months beyond. */
export function intervalFor(from: string, to: string): 'day' | 'week' | 'month' {
  const d = daysBetween(from, to);
  if (d <= 92) return 'day';
  if (d <= 366) return 'week';
  return 'month';
}

/** Flattens the category tree into (node, depth, path) rows, depth-first. */
export type FlatCategory = { id: string; name: string; parent_id: string; depth: number; path: string };
export function flattenCategories(nodes: { id: string; name: string; parent_id: string; childs?: unknown[] }[], depth = 0, prefix = ''): FlatCategory[] {
  const out: FlatCategory[] = [];
  for (const n of nodes) {
    const path = prefix ? `${prefix} › ${categoryLabel(n.name)}` : categoryLabel(n.name);
    out.push({ id: n.id, name: n.name, parent_id: n.parent_id, depth, path });
    if (Array.isArray(n.childs)) out.push(...flattenCategories(n.childs as typeof nodes, depth + 1, path));
  }
  return out;
}
