import Link from 'next/link';
import { currentUser } from '@/lib/session/server';

export const dynamic = 'force-dynamic';

// Rendered by the route guard (a rewrite) for a page the role may not open (frontends.md §3.1).
export default async function Forbidden() {
  const user = await currentUser();
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center" data-testid="forbidden">
      <p className="text-sm font-semibold text-red-600">403</p>
      <h1 className="mt-1 text-xl font-semibold">Your role ({user?.role ?? 'unknown'}) cannot open this page</h1>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
