import { Suspense } from 'react';
import { PaymentsView } from './PaymentsView';

export const dynamic = 'force-dynamic';

export default function PaymentsPage() {
  return (
    <Suspense>
      <PaymentsView />
    </Suspense>
  );
}
