import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div role="status" aria-label="Loading orders" className="space-y-4">
      <Skeleton className="h-8 w-48" />
      {Array.from({ length: 3 }, (_, i) => (
        <Skeleton key={i} className="h-28 w-full" />
      ))}
    </div>
  );
}
