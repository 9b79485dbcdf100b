import { Suspense } from 'react';
import { ShippingView } from './ShippingView';

export const dynamic = 'force-dynamic';

export default function ShippingPage() {
  return (
    <Suspense>
      <ShippingView />
    </Suspense>
  );
}
