import { Suspense } from 'react';
import { OrdersView } from './OrdersView';

export const dynamic = 'force-dynamic';

export default function OrdersPage() {
  return (
    <Suspense>
      <OrdersView />
    </Suspense>
  );
}
