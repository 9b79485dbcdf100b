// Product page (frontends.md §2.1): breadcrumb, image, price, live stock, quantity, Add to cart.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ProductDetail } from '@/components/ProductDetail';
import { ApiError } from '@/lib/api/envelope';
import { server } from '@/lib/api/server';
import type { Category, Product } from '@/lib/api/types';
import { categoryLabel, isUuid } from '@/lib/format';

export const dynamic = 'force-dynamic';

async function load(id: string): Promise<Product> {
  if (!isUuid(id)) notFound();
  try {
    return (await server.product.get(id)).data;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  if (!isUuid(id)) return { title: 'Product' };
  try {
    return { title: (await server.product.get(id)).data.name };
  } catch {
    return { title: 'Product' };
  }
}

async function trail(categoryId: string): Promise<Category[]> {
  const out: Category[] = [];
  let id = categoryId;
  for (let i = 0; i < 5 && id; i++) {
    try {
      const c = (await server.product.category(id)).data;
      out.unshift(c);
      id = c.parent_id;
    } catch {
      break;
    }
  }
  return out;
}

export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const product = await load(id);
  const crumbs = await trail(product.category_id);
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-gray-600">
        <ol className="flex flex-wrap items-center gap-1">
          <li>
            <Link prefetch={false} href="/products" className="hover:underline">
              All Products
            </Link>
          </li>
          {crumbs.map((c) => (
            <li key={c.id} className="flex items-center gap-1">
              <span aria-hidden>›</span>
              <Link prefetch={false} href={`/category/${c.id}`} className="hover:underline">
                {categoryLabel(c.name)}
              </Link>
            </li>
          ))}
          <li className="flex items-center gap-1">
            <span aria-hidden>›</span>
            <span aria-current="page" className="text-gray-900">
              {product.name}
            </span>
          </li>
        </ol>
      </nav>
      <ProductDetail initial={product} />
    </div>
  );
}
