import type { Metadata } from 'next';
import { VerifyForm } from '@/components/auth/VerifyForm';

export const metadata: Metadata = { title: 'Confirm your account' };

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const username = typeof sp.username === 'string' ? sp.username : '';
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-3xl font-bold">Confirm your account</h1>
      <p className="mb-6 text-gray-600">Enter the 6-digit code we sent to your email.</p>
      <VerifyForm username={username} />
    </div>
  );
}
