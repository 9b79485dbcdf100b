'use client';
// Inline error with Retry (frontends.md §1.5); without a handler Retry re-renders the server page.
import { useRouter } from 'next/navigation';

export function ErrorCard({ message, requestId, onRetry }: { message: string; requestId?: string | null; onRetry?: () => void }) {
  const router = useRouter();
  const retry = onRetry ?? (() => router.refresh());
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-red-800">
      <p className="font-medium">{message}</p>
      {requestId ? <p className="mt-1 text-sm">Reference: {requestId}</p> : null}
      {(
        <button type="button" onClick={retry} className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-red-100">
          Retry
        </button>
      )}
    </div>
  );
}
