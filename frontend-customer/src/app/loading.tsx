import { GridSkeleton, Skeleton } from '@/components/ui';

export default function Loading() {
  return (
    <div>
      <Skeleton className="mb-6 h-8 w-1/3" />
      <GridSkeleton />
    </div>
  );
}
