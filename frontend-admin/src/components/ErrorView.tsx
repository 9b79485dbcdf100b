'use client';
// The segment error boundary: "Something went wrong", the request id, Try again (frontends.md §1.4).
import { useEffect } from 'react';
import { Button } from './ui';

export function ErrorView({ error, reset }: { error: Error & { digest?: string; requestId?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const ref = error.requestId ?? error.digest;
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6 text-center">
      <h2 className="text-lg font-semibold">Something went wrong</h2>
      {ref && <p className="mt-1 text-sm text-slate-500">Reference: {ref}</p>}
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
