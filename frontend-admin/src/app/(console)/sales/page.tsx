import { Suspense } from 'react';
import { SalesView } from './SalesView';

export const dynamic = 'force-dynamic';

export default function SalesPage() {
  return (
    <Suspense>
      <SalesView />
    </Suspense>
  );
}
