import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">This page does not exist or the item is no longer available.</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
