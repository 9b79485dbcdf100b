// Profile: name, phone, address; change password; delete account (frontends.md §2.1).
import type { Metadata } from 'next';
import { AccountView } from '@/components/AccountView';
import { ErrorCard } from '@/components/ErrorCard';
import { server } from '@/lib/api/server';
import { settle } from '@/lib/settle';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const me = await settle(server.auth.me());
  const body = me.ok ? <AccountView initial={me.value.data} /> : <ErrorCard message={me.error} />;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">Your account</h1>
      {body}
    </div>
  );
}
