// Cart and checkout (frontends.md §2.1, §2.3). Signed-in only (route guard).
import type { Metadata } from 'next';
import { CartView } from '@/components/CartView';
import { server } from '@/lib/api/server';
import type { Address } from '@/lib/api/types';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Cart' };

export default async function CartPage() {
  let address: Address | null = null;
  try {
    address = (await server.auth.me()).data.address;
  } catch {
    address = null; // prefill is a convenience only
  }
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Your cart</h1>
      <CartView savedAddress={address} />
    </div>
  );
}
