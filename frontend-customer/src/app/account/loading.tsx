import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div role="status" aria-label="Loading account" className="mx-auto max-w-2xl space-y-4">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
