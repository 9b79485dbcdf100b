'use client';
import { useQuery } from '@/components/hooks';
import { ProductForm } from '@/components/ProductForm';
import { ErrorCard, PageHeader, Skeleton } from '@/components/ui';
import { getProduct } from '@/lib/api/product';

export function EditProduct({ id }: { id: string }) {
  const q = useQuery(`product-${id}`, () => getProduct(id));
  return (
    <div>
      <PageHeader title={q.data ? `Edit “${q.data.name}”` : 'Edit product'} />
      {q.error ? <ErrorCard message={q.error} onRetry={q.reload} /> : !q.data ? <Skeleton className="h-80" /> : <ProductForm key={q.data.id} product={q.data} />}
    </div>
  );
}
