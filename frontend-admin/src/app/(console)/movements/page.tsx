import { Suspense } from 'react';
import { MovementsView } from './MovementsView';

export const dynamic = 'force-dynamic';

export default function MovementsPage() {
  return (
    <Suspense>
      <MovementsView />
    </Suspense>
  );
}
