'use client';
// Segment error boundary (frontends.md §1.4): never a blank page.
import { buttonClass } from '@/components/ui';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-red-50 p-6 text-center">
      <h1 className="text-xl font-semibold text-red-800">Something went wrong</h1>
      <p className="mt-2 text-sm text-red-700">Reference: {error.digest ?? 'unknown'}</p>
      <button type="button" className={`${buttonClass.primary} mt-4`} onClick={() => reset()}>
        Try again
      </button>
    </div>
  );
}
