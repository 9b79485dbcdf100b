import { Suspense } from 'react';
import { UsersView } from './UsersView';

export const dynamic = 'force-dynamic';

export default function UsersPage() {
  return (
    <Suspense>
      <UsersView />
    </Suspense>
  );
}
