// Home: hero, category tiles, the 12 newest products (frontends.md §2.1).
import Image from 'next/image';
import Link from 'next/link';
import { ErrorCard } from '@/components/ErrorCard';
import { ProductGrid } from '@/components/ProductCard';
import { ButtonLink, EmptyState } from '@/components/ui';
import { userMessage } from '@/lib/api/envelope';
import { server } from '@/lib/api/server';
import type { CategoryNode, Product } from '@/lib/api/types';
import { categoryLabel } from '@/lib/format';

export const dynamic = 'force-dynamic';

const CAR_ID = '0193ec82-749f-7ad6-b194-65eaf0de698f';
const TILE_IMAGES: Record<string, string> = { car: '/categories/car.svg', motor: '/categories/motor.svg' };

async function settle<T>(p: Promise<{ data: T }>): Promise<{ data: T | null; error: string | null }> {
  try {
    return { data: (await p).data, error: null };
  } catch (err) {
    return { data: null, error: userMessage(err) };
  }
}

export default async function Home() {
  const [tree, newest] = await Promise.all([settle<CategoryNode[]>(server.product.tree()), settle<Product[]>(server.product.search({ sort: '-created_at', limit: 12 }))]);
  return (
    <div className="space-y-12">
      <section className="grid items-center gap-8 overflow-hidden rounded-2xl bg-gray-900 p-8 text-white md:grid-cols-2">
        <div>
          <h1 className="text-4xl font-extrabold leading-tight">For your favourite car</h1>
          <p className="mt-3 text-lg text-gray-300">Explore our selected cars for your lifestyle</p>
          <Link prefetch={false} href={`/category/${CAR_ID}`} className="mt-6 inline-block rounded-md bg-white px-5 py-2.5 font-semibold text-gray-900 hover:bg-gray-200">
            Shop Now
          </Link>
        </div>
        <Image src="/hero.svg" alt="A red sports car" width={640} height={360} priority className="w-full" />
      </section>

      <section aria-labelledby="cat-heading">
        <h2 id="cat-heading" className="mb-4 text-2xl font-bold">
          Categories
        </h2>
        {tree.error ? (
          <ErrorCard message={tree.error} />
        ) : (
          <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
            {(tree.data ?? []).map((c) => (
              <Link prefetch={false} key={c.id} href={`/category/${c.id}`} className="group overflow-hidden rounded-lg border border-gray-200 hover:shadow-md">
                <Image src={TILE_IMAGES[c.name.toLowerCase()] ?? '/categories/fallback.svg'} alt={categoryLabel(c.name)} width={320} height={200} className="w-full bg-gray-100" loading="lazy" />
                <p className="p-3 text-center font-semibold group-hover:underline">{categoryLabel(c.name)}</p>
              </Link>
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="new-heading">
        <div className="mb-4 flex items-center justify-between">
          <h2 id="new-heading" className="text-2xl font-bold">
            New arrivals
          </h2>
          <Link prefetch={false} href="/products" className="text-sm font-medium hover:underline">
            View all products
          </Link>
        </div>
        {newest.error ? (
          <ErrorCard message={newest.error} />
        ) : newest.data && newest.data.length ? (
          <ProductGrid products={newest.data} />
        ) : (
          <EmptyState title="No products yet">
            <ButtonLink href="/products">View all products</ButtonLink>
          </EmptyState>
        )}
      </section>
    </div>
  );
}
