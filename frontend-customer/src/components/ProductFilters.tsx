'use client';
// Category (tree, indented) and sort selects of /products; changes go to the URL (frontends.md §2.1).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { CategoryNode } from '@/lib/api/types';
import { categoryLabel } from '@/lib/format';

const SORTS = [
  { value: '-created_at', label: 'Newest' },
  { value: 'price', label: 'Price: low to high' },
  { value: '-price', label: 'Price: high to low' },
  { value: 'name', label: 'Name' },
];

function flatten(nodes: CategoryNode[], depth = 0): { id: string; label: string }[] {
  return nodes.flatMap((n) => [{ id: n.id, label: `${'\u00a0\u00a0'.repeat(depth)}${categoryLabel(n.name)}` }, ...flatten(n.childs ?? [], depth + 1)]);
}

export function ProductFilters({ tree, showCategory = true }: { tree: CategoryNode[]; showCategory?: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    router.push(`${pathname}?${next.toString()}`);
  };
  return (
    <div className="flex flex-wrap items-end gap-4">
      {showCategory ? (
        <div>
          <label htmlFor="filter-category" className="block text-sm font-medium">
            Category
          </label>
          <select id="filter-category" value={params.get('category_id') ?? ''} onChange={(e) => set('category_id', e.target.value)} className="mt-1 rounded-md border border-gray-300 px-2 py-1.5 text-sm">
            <option value="">All categories</option>
            {flatten(tree).map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="filter-sort" className="block text-sm font-medium">
          Sort by
        </label>
        <select id="filter-sort" value={params.get('sort') ?? '-created_at'} onChange={(e) => set('sort', e.target.value)} className="mt-1 rounded-md border border-gray-300 px-2 py-1.5 text-sm">
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export const VALID_SORTS = new Set(SORTS.map((s) => s.value));
