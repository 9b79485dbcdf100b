// Small presentational pieces shared by the pages (frontends.md §1.5).
import Link from 'next/link';
import type { OrderStatus } from '@/lib/api/types';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span role="status" aria-label={label} className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent" />;
}

export function Skeleton({ className = '' }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded bg-gray-200 ${className}`} />;
}

export function GridSkeleton({ count = 8 }: { count?: number }) {
  return (
    <div role="status" aria-label="Loading products" className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="rounded-lg border border-gray-200 p-3">
          <Skeleton className="aspect-[4/3] w-full" />
          <Skeleton className="mt-3 h-4 w-3/4" />
          <Skeleton className="mt-2 h-4 w-1/3" />
        </div>
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-gray-300 p-10 text-center">
      <p className="text-lg font-medium">{title}</p>
      {children ? <div className="mt-3 text-gray-600">{children}</div> : null}
    </div>
  );
}

const ORDER_COLOURS: Record<string, string> = {
  PENDING: 'bg-gray-200 text-gray-800',
  PAYMENT_ACCEPTED: 'bg-blue-100 text-blue-800',
  ON_DELIVERY: 'bg-amber-100 text-amber-800',
  DELIVERED: 'bg-green-100 text-green-800',
  APPROVED: 'bg-green-100 text-green-800',
};

export function StatusBadge({ status, testId }: { status: OrderStatus | string; testId?: string }) {
  const colour = ORDER_COLOURS[status] ?? (status ? 'bg-red-100 text-red-800' : 'bg-gray-100 text-gray-600');
  return (
    <span data-testid={testId} className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${colour}`}>
      {status || 'NO PROOF'}
    </span>
  );
}

export function ButtonLink({ href, children, variant = 'primary' }: { href: string; children: React.ReactNode; variant?: 'primary' | 'secondary' }) {
  const cls = variant === 'primary' ? 'bg-gray-900 text-white hover:bg-gray-700' : 'border border-gray-300 bg-white hover:bg-gray-50';
  return (
    <Link prefetch={false} href={href} className={`inline-block rounded-md px-4 py-2 text-sm font-medium ${cls}`}>
      {children}
    </Link>
  );
}

export const buttonClass = {
  primary: 'inline-flex items-center justify-center gap-2 rounded-md bg-gray-900 px-4 py-2 text-sm font-medium text-white hover:bg-gray-700 disabled:cursor-not-allowed disabled:opacity-50',
  secondary: 'inline-flex items-center justify-center gap-2 rounded-md border border-gray-300 bg-white px-4 py-2 text-sm font-medium hover:bg-gray-50 disabled:cursor-not-allowed disabled:opacity-50',
  danger: 'inline-flex items-center justify-center gap-2 rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-50',
};
