import { Suspense } from 'react';
import { StockView } from './StockView';

export const dynamic = 'force-dynamic';

export default function StockPage() {
  return (
    <Suspense>
      <StockView />
    </Suspense>
  );
}
