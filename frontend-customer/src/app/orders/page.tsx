// The customer's orders, newest first, with client-side filter tabs (frontends.md §2.1).
import type { Metadata } from 'next';
import { ErrorCard } from '@/components/ErrorCard';
import { OrdersList } from '@/components/OrdersList';
import { server } from '@/lib/api/server';
import { settle } from '@/lib/settle';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Orders' };

export default async function OrdersPage() {
  const orders = await settle(server.order.mine());
  const body = orders.ok ? <OrdersList orders={orders.value.data} /> : <ErrorCard message={orders.error} />;
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Your orders</h1>
      {body}
    </div>
  );
}
