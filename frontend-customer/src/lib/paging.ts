// Paging of the product grids (frontends.md §2.1: 12 per page, server paging).
export const PAGE_SIZE = 12;

export function pageOf(raw: string | string[] | undefined): number {
  const n = Number.parseInt(Array.isArray(raw) ? raw[0] : (raw ?? '1'), 10);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

export function one(raw: string | string[] | undefined): string {
  return (Array.isArray(raw) ? raw[0] : raw) ?? '';
}

export function hrefWith(base: string, params: Record<string, string>, page: number): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}
