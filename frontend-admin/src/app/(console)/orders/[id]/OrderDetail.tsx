'use client';
// One order for the admin (frontends.md §3.2): items, address, totals, payment and proof link, refund,
// timeline with notes, and only the legal actions for its state.
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@/components/hooks';
import { ACTIONS, OrderActionDialog, type OrderAction } from '@/components/OrderActionDialog';
import { OrderTimeline } from '@/components/OrderTimeline';
import { Table, Td } from '@/components/Table';
import { Badge, Button, Card, ErrorCard, IdCell, PageHeader, ProductThumb, Skeleton, StatusBadge } from '@/components/ui';
import { Username } from '@/components/Username';
import { useWarehouses } from '@/components/useWarehouses';
import { ApiError } from '@/lib/api/envelope';
import { getOrder, orderHistory } from '@/lib/api/order';
import { proofLink } from '@/lib/api/payment';
import { legalActions } from '@/lib/order-rules';
import { formatDate, money } from '@/lib/format';

export function OrderDetail({ id }: { id: string }) {
  const order = useQuery(`order-${id}`, () => getOrder(id));
  const history = useQuery(`order-history-${id}`, () => orderHistory(id));
  const wh = useWarehouses();
  const [action, setAction] = useState<OrderAction | null>(null);

  if (order.errorObj instanceof ApiError && (order.errorObj.status === 404 || order.errorObj.status === 400)) return <ErrorCard message="Order not found" />;
  if (order.error) return <ErrorCard message={order.error} onRetry={order.reload} />;
  const o = order.data;
  if (!o) return <Skeleton className="h-96" />;
  const reload = () => {
    order.reload();
    history.reload();
  };

  return (
    <div className="space-y-4">
      <PageHeader
        title={`Order ${o.id.slice(0, 8)}`}
        actions={legalActions(o).map((k) => (
          <Button key={k} variant={k === 'ship' || k === 'deliver' ? 'primary' : k === 'refund' ? 'secondary' : 'danger'} onClick={() => setAction(ACTIONS[k])}>
            {ACTIONS[k].title}
          </Button>
        ))}
      >
        <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <IdCell id={o.id} />
          <span>· {formatDate(o.created_at)}</span>
          <StatusBadge status={o.status} testId="order-status" />
        </div>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-[1fr_340px]">
        <div className="space-y-4">
          <Card title="Items">
            <Table label="Items" head={['', 'Product', 'Qty', 'Unit price', 'Subtotal', 'Shipping', 'From']}>
              {o.items.map((it) => (
                <tr key={it.id ?? it.product_id}>
                  <Td>
                    <ProductThumb src={it.image_url} name={it.product_name} size={40} />
                  </Td>
                  <Td>
                    <Link href={`/products/${it.product_id}`} className="hover:underline">
                      {it.product_name}
                    </Link>
                  </Td>
                  <Td>{it.quantity}</Td>
                  <Td>{money(it.price)}</Td>
                  <Td>{money(it.price * it.quantity)}</Td>
                  <Td>{money(it.shipping_cost)}</Td>
                  <Td className="text-xs text-slate-600">{(it.allocations ?? []).map((a) => `${wh.nameOf(a.warehouse_id)} × ${a.quantity}`).join(', ') || '—'}</Td>
                </tr>
              ))}
            </Table>
            <dl className="mt-3 ml-auto grid max-w-xs grid-cols-2 gap-1 text-sm">
              <dt className="text-slate-500">Subtotal</dt>
              <dd className="text-right">{money(o.subtotal)}</dd>
              <dt className="text-slate-500">Shipping</dt>
              <dd className="text-right">{money(o.shipping_total)}</dd>
              <dt className="font-semibold">Total</dt>
              <dd className="text-right font-semibold">{money(o.total_price)}</dd>
            </dl>
          </Card>
          <Card title="Timeline">
            {history.error ? <ErrorCard message={history.error} onRetry={history.reload} /> : !history.data ? <Skeleton className="h-24" /> : <OrderTimeline entries={history.data} />}
          </Card>
        </div>
        <div className="space-y-4">
          <Card title="Customer and address">
            <p className="text-sm">
              <Username id={o.user_id} />
            </p>
            <address className="mt-1 text-sm not-italic text-slate-700">
              {o.address.street}
              <br />
              {o.address.city}, {o.address.state} {o.address.zipcode}
            </address>
            {o.address.note && <p className="mt-1 text-sm text-slate-500">Note: {o.address.note}</p>}
          </Card>
          <Card title="Payment">
            <div className="space-y-2 text-sm">
              <p className="flex items-center gap-2">
                Proof: <StatusBadge status={o.payment_status} testId="payment-status" />
              </p>
              {o.payment_id && (
                <a href={proofLink(o.payment_id)} target="_blank" rel="noreferrer" className="text-blue-700 underline">
                  Open payment proof
                </a>
              )}
              {o.payment_note && <p className="text-slate-600">Review note: {o.payment_note}</p>}
              {o.payment_deadline && <p className="text-slate-600">Pay by {formatDate(o.payment_deadline)}</p>}
              {o.refund_status && (
                <p className="flex items-center gap-2">
                  Refund: <Badge tone={o.refund_status === 'DUE' ? 'amber' : 'green'}>{o.refund_status === 'DUE' ? 'Due' : 'Refunded'}</Badge>
                  {o.refund_note && <span className="text-slate-600">({o.refund_note})</span>}
                </p>
              )}
              {o.status_note && <p className="text-slate-600">Last note: “{o.status_note}”</p>}
            </div>
          </Card>
        </div>
      </div>
      <OrderActionDialog
        orderId={o.id}
        action={action}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          reload();
        }}
      />
    </div>
  );
}
