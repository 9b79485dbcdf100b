'use client';
// Products table (frontends.md §3.2): search over name or SKU (debounced), category filter, sort, server
// paging with `count`; filters live in the URL.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { CategorySelect } from '@/components/CategorySelect';
import { DeleteProductDialog } from '@/components/DeleteProduct';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { useSession } from '@/components/SessionProvider';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { Button, Input, PageHeader, ProductThumb, Select } from '@/components/ui';
import { useCategories } from '@/components/useCategories';
import { listProducts } from '@/lib/api/product';
import { money } from '@/lib/format';
import { can } from '@/lib/roles';

const SORTS = [
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['price', 'Price ↑'],
  ['-price', 'Price ↓'],
  ['-created_at', 'Newest'],
  ['created_at', 'Oldest'],
] as const;

export function ProductsView() {
  const user = useSession();
  const f = useUrlFilters();
  const q = f.get('q');
  const categoryId = f.get('category_id');
  const sort = f.get('sort', 'name');
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const [search, setSearch] = useState(q);
  const [toDelete, setToDelete] = useState<{ id: string; name: string } | null>(null);
  const cats = useCategories();

  const [lastQ, setLastQ] = useState(q);
  if (q !== lastQ) {
    // the URL changed (Back, Clear filters): show its query in the box
    setLastQ(q);
    setSearch(q);
  }
  const setFilters = f.set;
  useEffect(() => {
    if (search.trim() === q) return;
    const t = setTimeout(() => setFilters({ q: search.trim() }), 300);
    return () => clearTimeout(t);
  }, [search, q, setFilters]);

  const list = useQuery(`products-${f.key}`, () =>
    listProducts({ q: q || undefined, category_id: categoryId || undefined, sort, skip: (page - 1) * size, limit: size }),
  );
  const rows = list.data?.data ?? [];
  const canWrite = can(user?.role, 'products.write');

  return (
    <div>
      <PageHeader
        title="Products"
        actions={
          canWrite && (
            <Link href="/products/new" className="inline-flex h-10 items-center rounded-md bg-slate-900 px-4 text-sm font-medium text-white hover:bg-slate-700">
              Add product
            </Link>
          )
        }
      />
      <div className="mb-3 grid gap-2 md:grid-cols-[1fr_240px_160px]">
        <Input type="search" aria-label="Search products by name or SKU" placeholder="Search by name or SKU" value={search} onChange={(e) => setSearch(e.target.value)} />
        <CategorySelect aria-label="Category" categories={cats.list} emptyLabel="All categories" value={categoryId} onChange={(e) => f.set({ category_id: e.target.value })} />
        <Select aria-label="Sort" value={sort} onChange={(e) => f.set({ sort: e.target.value === 'name' ? null : e.target.value })}>
          {SORTS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </Select>
      </div>
      <Table label="Products" head={['Image', 'SKU', 'Name', 'Category', 'Price', 'Total stock', 'Actions']}>
        <TableState cols={7} loading={list.loading} error={list.error} empty={!rows.length} onRetry={list.reload} onClear={() => f.clear()} />
        {!list.loading &&
          !list.error &&
          rows.map((p) => (
            <tr key={p.id} data-testid="product-row">
              <Td>
                <ProductThumb src={p.image_url} name={p.name} />
              </Td>
              <Td className="font-mono text-xs">{p.sku}</Td>
              <Td>
                <Link href={`/products/${p.id}`} className="font-medium text-slate-900 hover:underline">
                  {p.name}
                </Link>
              </Td>
              <Td className="text-slate-600">{cats.pathOf(p.category_id) || p.category?.name || '—'}</Td>
              <Td>{money(p.price)}</Td>
              <Td>{p.quantity}</Td>
              <Td>
                <div className="flex gap-1">
                  <Link href={`/products/${p.id}`} className="rounded px-2 py-1 text-sm text-blue-700 hover:bg-slate-100">
                    View
                  </Link>
                  {canWrite && (
                    <>
                      <Link href={`/products/${p.id}/edit`} className="rounded px-2 py-1 text-sm text-blue-700 hover:bg-slate-100">
                        Edit
                      </Link>
                      <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setToDelete({ id: p.id, name: p.name })}>
                        Delete
                      </Button>
                    </>
                  )}
                </div>
              </Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={list.data?.count ?? null} shown={rows.length} hasNext={rows.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
      <DeleteProductDialog
        product={toDelete}
        onClose={() => setToDelete(null)}
        onDeleted={() => {
          setToDelete(null);
          list.reload();
        }}
      />
    </div>
  );
}
