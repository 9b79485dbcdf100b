import { Suspense } from 'react';
import { ProductsView } from './ProductsView';

export const dynamic = 'force-dynamic';

export default function ProductsPage() {
  return (
    <Suspense>
      <ProductsView />
    </Suspense>
  );
}
