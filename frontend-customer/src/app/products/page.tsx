// All products / search results (frontends.md §2.1).
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ErrorCard } from '@/components/ErrorCard';
import { Pagination } from '@/components/Pagination';
import { ProductGrid } from '@/components/ProductCard';
import { ProductFilters } from '@/components/ProductFilters';
import { ButtonLink, EmptyState } from '@/components/ui';
import type { ProductSort } from '@/lib/api/product';
import { server } from '@/lib/api/server';
import type { CategoryNode } from '@/lib/api/types';
import { isUuid } from '@/lib/format';
import { settle } from '@/lib/settle';
import { PAGE_SIZE, hrefWith, one, pageOf } from '@/lib/paging';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Products' };

const SORTS = new Set(['-created_at', 'price', '-price', 'name']);

export default async function ProductsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = one(sp.q).trim().slice(0, 100);
  const categoryId = isUuid(one(sp.category_id)) ? one(sp.category_id) : '';
  const sort = (SORTS.has(one(sp.sort)) ? one(sp.sort) : '-created_at') as ProductSort;
  const page = pageOf(sp.page);

  const treeRes = await settle(server.product.tree());
  const tree: CategoryNode[] = treeRes.ok ? treeRes.value.data : [];

  const res = await settle(server.product.search({ q: q || undefined, category_id: categoryId || undefined, sort, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  const count = res.ok ? (res.value.count ?? res.value.data.length) : 0;
  const body = !res.ok ? (
    <ErrorCard message={res.error} />
  ) : res.value.data.length ? (
    <>
      <ProductGrid products={res.value.data} />
      <Pagination page={page} pageSize={PAGE_SIZE} count={count} hrefFor={(p) => hrefWith('/products', { q, category_id: categoryId, sort: sort === '-created_at' ? '' : sort }, p)} />
    </>
  ) : (
    <EmptyState title={q ? `No products match “${q}”` : 'No products found'}>
      <ButtonLink href="/products" variant="secondary">
        Clear search
      </ButtonLink>
    </EmptyState>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">{q ? `Results for “${q}”` : 'All Products'}</h1>
          <p className="mt-1 text-sm text-gray-600" aria-live="polite">
            {count} {count === 1 ? 'product' : 'products'}
          </p>
        </div>
        <Suspense>
          <ProductFilters tree={tree} />
        </Suspense>
      </div>
      {body}
    </div>
  );
}
