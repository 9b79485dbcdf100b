// A category with its children as chips and the products of it and its descendants (frontends.md §2.1).
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ErrorCard } from '@/components/ErrorCard';
import { Pagination } from '@/components/Pagination';
import { ProductGrid } from '@/components/ProductCard';
import { ProductFilters } from '@/components/ProductFilters';
import { ButtonLink, EmptyState } from '@/components/ui';
import { ApiError } from '@/lib/api/envelope';
import type { ProductSort } from '@/lib/api/product';
import { server } from '@/lib/api/server';
import type { Category } from '@/lib/api/types';
import { categoryLabel, isUuid } from '@/lib/format';
import { settle } from '@/lib/settle';
import { PAGE_SIZE, hrefWith, one, pageOf } from '@/lib/paging';

export const dynamic = 'force-dynamic';

const SORTS = new Set(['-created_at', 'price', '-price', 'name']);

export default async function CategoryPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const sp = await searchParams;
  const sort = (SORTS.has(one(sp.sort)) ? one(sp.sort) : '-created_at') as ProductSort;
  const page = pageOf(sp.page);

  let category: Category;
  try {
    category = (await server.product.category(id)).data;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) notFound();
    throw err;
  }
  const children = await server.product.children(id).then((r) => r.data, () => [] as Category[]);

  const res = await settle(server.product.search({ category_id: id, sort, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  const body = !res.ok ? (
    <ErrorCard message={res.error} />
  ) : res.value.data.length ? (
    <>
      <ProductGrid products={res.value.data} />
      <Pagination page={page} pageSize={PAGE_SIZE} count={res.value.count ?? res.value.data.length} hrefFor={(p) => hrefWith(`/category/${id}`, { sort: sort === '-created_at' ? '' : sort }, p)} />
    </>
  ) : (
    <EmptyState title="No products in this category yet">
      <ButtonLink href="/products" variant="secondary">
        Browse all products
      </ButtonLink>
    </EmptyState>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-3xl font-bold">{categoryLabel(category.name)}</h1>
        <Suspense>
          <ProductFilters tree={[]} showCategory={false} />
        </Suspense>
      </div>
      {children.length ? (
        <ul aria-label="Subcategories" className="flex flex-wrap gap-2">
          {children.map((c) => (
            <li key={c.id}>
              <Link prefetch={false} href={`/category/${c.id}`} className="inline-block rounded-full border border-gray-300 px-3 py-1 text-sm hover:bg-gray-100">
                {categoryLabel(c.name)}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {body}
    </div>
  );
}
