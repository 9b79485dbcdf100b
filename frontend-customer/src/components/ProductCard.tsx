// Image card with name and price (frontends.md §2).
import Image from 'next/image';
import Link from 'next/link';
import type { Product } from '@/lib/api/types';
import { formatMoney } from '@/lib/format';

export function ProductImage({ src, alt, size, className = '', priority = false }: { src: string; alt: string; size: number; className?: string; priority?: boolean }) {
  return (
    <Image
      src={src || '/placeholder.svg'}
      alt={alt}
      width={size}
      height={Math.round(size * 0.75)}
      loading={priority ? 'eager' : 'lazy'}
      className={`object-cover ${className}`}
    />
  );
}

export function ProductCard({ product }: { product: Product }) {
  return (
    <Link prefetch={false} href={`/product/${product.id}`} data-testid="product-card" className="group block overflow-hidden rounded-lg border border-gray-200 bg-white hover:shadow-md">
      <ProductImage src={product.image_url} alt={product.name} size={400} className="aspect-[4/3] w-full bg-gray-100" />
      <div className="p-3">
        <p className="line-clamp-2 font-medium group-hover:underline">{product.name}</p>
        <p className="mt-1 font-semibold text-gray-900">{formatMoney(product.price)}</p>
      </div>
    </Link>
  );
}

export function ProductGrid({ products }: { products: Product[] }) {
  return (
    <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {products.map((p) => (
        <ProductCard key={p.id} product={p} />
      ))}
    </div>
  );
}
