import type { Metadata } from 'next';
import { LoginForm } from '@/components/auth/LoginForm';
import { safeNext } from '@/lib/format';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const str = (k: string) => (typeof sp[k] === 'string' ? (sp[k] as string) : '');
  const flash = str('confirmed') ? 'confirmed' : str('reset') ? 'reset' : str('reason') === 'expired' ? 'expired' : null;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-6 text-3xl font-bold">Sign in</h1>
      <LoginForm next={safeNext(str('next'))} username={str('username')} flash={flash} />
    </div>
  );
}
