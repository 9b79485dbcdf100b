import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div role="status" aria-label="Loading order" className="space-y-4">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-20 w-full" />
      <Skeleton className="h-40 w-full" />
    </div>
  );
}
