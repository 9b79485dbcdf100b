import { Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div role="status" aria-label="Loading product" className="grid gap-8 md:grid-cols-2">
      <Skeleton className="aspect-[4/3] w-full" />
      <div className="space-y-4">
        <Skeleton className="h-8 w-3/4" />
        <Skeleton className="h-6 w-1/3" />
        <Skeleton className="h-10 w-1/2" />
        <Skeleton className="h-24 w-full" />
      </div>
    </div>
  );
}
