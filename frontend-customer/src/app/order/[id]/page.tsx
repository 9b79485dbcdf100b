// Order page (frontends.md §2.2). Another customer's or an unknown order → "Order not found" (no leak).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OrderDetail } from '@/components/order/OrderDetail';
import { ApiError } from '@/lib/api/envelope';
import { server } from '@/lib/api/server';
import type { HistoryEntry, Order, Payment } from '@/lib/api/types';
import { isUuid } from '@/lib/format';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Order' };

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isUuid(id)) notFound();
  let order: Order;
  try {
    order = (await server.order.get(id)).data;
  } catch (err) {
    if (err instanceof ApiError && [400, 403, 404].includes(err.status)) notFound();
    throw err;
  }
  const [history, payments, ttl] = await Promise.all([
    server.order.history(id).then((r) => r.data, () => [] as HistoryEntry[]),
    server.payment.forOrder(id).then((r) => r.data, () => [] as Payment[]),
    server.order.ttl(id).then((r) => r.data.ttl_seconds, () => null),
  ]);
  return <OrderDetail initial={{ order, history, payments, ttlSeconds: ttl }} />;
}
