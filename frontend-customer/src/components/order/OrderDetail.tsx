'use client';
// Order page body (frontends.md §2.2): header, timeline, items and totals as sent, payment panel by state,
// countdown with re-sync, polling after the deadline until the order leaves PENDING.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { api } from '@/lib/api/client';
import { userMessage } from '@/lib/api/envelope';
import type { HistoryEntry, Order, Payment } from '@/lib/api/types';
import { formatMoney } from '@/lib/format';
import { ConfirmDialog } from '../Dialog';
import { LocalDate } from '../LocalDate';
import { ProductImage } from '../ProductCard';
import { buttonClass, StatusBadge } from '../ui';
import { Countdown } from './Countdown';
import { OrderTimeline } from './OrderTimeline';
import { PaymentPanel } from './PaymentPanel';
import { ProofUpload } from './ProofUpload';

type State = { order: Order; history: HistoryEntry[]; payments: Payment[]; ttlSeconds: number | null };
const FINAL = new Set(['DELIVERED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED']);

export function OrderDetail({ initial }: { initial: State }) {
  const [state, setState] = useState(initial);
  const [deadline, setDeadline] = useState<number | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const { order, history, payments } = state;
  const id = order.id;
  const newest = payments[0];
  const underReview = order.payment_status === 'PENDING' || newest?.status === 'PENDING';
  const awaitingPayment = order.status === 'PENDING' && !underReview;

  const reload = useCallback(async () => {
    const [o, h, p] = await Promise.all([api.order.get(id), api.order.history(id).catch(() => null), api.payment.forOrder(id).catch(() => null)]);
    setState((s) => ({ ...s, order: o.data, history: h?.data ?? s.history, payments: p?.data ?? s.payments }));
    return o.data;
  }, [id]);

  const syncTtl = useCallback(async () => {
    try {
      const { data } = await api.order.ttl(id);
      setDeadline(Date.now() + data.ttl_seconds * 1000);
    } catch {
      /* keep the current deadline */
    }
  }, [id]);

  // Deadline from the server's ttl at first render; re-synced every 30 s and on focus while awaiting payment.
  const initialTtl = useRef(initial.ttlSeconds);
  useEffect(() => {
    if (!awaitingPayment) return;
    if (initialTtl.current !== null) {
      const ttl = initialTtl.current;
      initialTtl.current = null;
      setDeadline(Date.now() + ttl * 1000);
    } else {
      void syncTtl();
    }
    const t = window.setInterval(() => void syncTtl(), 30_000);
    const onFocus = () => void syncTtl();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(t);
      window.removeEventListener('focus', onFocus);
    };
  }, [awaitingPayment, syncTtl]);

  // Clock for "time is over".
  useEffect(() => {
    if (!awaitingPayment) return;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [awaitingPayment]);
  const overdue = awaitingPayment && deadline !== null && deadline <= now;

  // After the deadline: re-read every 3 s backing off to 10 s, while visible, until it leaves PENDING.
  useEffect(() => {
    if (!overdue) return;
    let delay = 3000;
    let timer: number;
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const o = await reload();
          if (o.status !== 'PENDING') return;
        } catch {
          /* try again */
        }
      }
      if (stopped) return;
      delay = Math.min(10_000, Math.round(delay * 1.5));
      timer = window.setTimeout(tick, delay);
    };
    timer = window.setTimeout(tick, delay);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [overdue, reload]);

  // Otherwise a slow refresh while the order can still change (review, shipping).
  useEffect(() => {
    if (FINAL.has(order.status) || overdue) return;
    const t = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload().catch(() => undefined);
    }, 10_000);
    return () => window.clearInterval(t);
  }, [order.status, overdue, reload]);

  const cancel = async () => {
    setCancelling(true);
    try {
      await api.order.cancel(id);
      toast.success('Order cancelled');
      setConfirmCancel(false);
      await reload();
    } catch (err) {
      toast.error(userMessage(err));
    } finally {
      setCancelling(false);
    }
  };

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">
            Order <span title={order.id}>{order.id.slice(0, 8)}</span>
            <button type="button" className="ml-2 rounded border border-gray-300 px-2 py-0.5 text-xs font-normal" aria-label="Copy order id" onClick={() => void navigator.clipboard?.writeText(order.id).then(() => toast.success('Order id copied'), () => undefined)}>
              Copy
            </button>
          </h1>
          <p className="text-sm text-gray-600">
            Placed <LocalDate iso={order.created_at} />
          </p>
        </div>
        <StatusBadge status={order.status} testId="order-status" />
      </div>

      <div className="grid gap-8 lg:grid-cols-[1fr_20rem]">
        <section aria-labelledby="pay-heading" className="space-y-4 rounded-lg border border-gray-200 p-4">
          <h2 id="pay-heading" className="text-lg font-semibold">
            Payment
          </h2>
          <PaymentPanel order={order} newest={newest} underReview={underReview} />
          {awaitingPayment ? (
            <>
              {deadline !== null ? <Countdown deadline={deadline} /> : null}
              {!overdue ? <ProofUpload orderId={id} onUploaded={async () => void (await reload())} /> : null}
              <button type="button" className={buttonClass.secondary} onClick={() => setConfirmCancel(true)}>
                Cancel order
              </button>
            </>
          ) : null}
        </section>
        <section aria-labelledby="timeline-heading" className="rounded-lg border border-gray-200 p-4">
          <h2 id="timeline-heading" className="mb-3 text-lg font-semibold">
            Progress
          </h2>
          <OrderTimeline order={order} history={history} payments={payments} />
        </section>
      </div>

      <section aria-labelledby="items-heading">
        <h2 id="items-heading" className="mb-3 text-lg font-semibold">
          Items
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-gray-200 text-gray-600">
              <tr>
                <th scope="col">
                  <span className="sr-only">Image</span>
                </th>
                <th scope="col">Product</th>
                <th scope="col">Quantity</th>
                <th scope="col">Unit price</th>
                <th scope="col">Subtotal</th>
                <th scope="col">Shipping</th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((it, i) => (
                <tr key={it.id ?? `${it.product_id}-${i}`} className="border-b border-gray-100">
                  <td className="py-2 pr-2">
                    <ProductImage src={it.image_url} alt={it.product_name} size={80} className="h-12 w-16 rounded" />
                  </td>
                  <td className="pr-2">
                    <Link prefetch={false} href={`/product/${it.product_id}`} className="font-medium hover:underline">
                      {it.product_name}
                    </Link>
                  </td>
                  <td className="pr-2">{it.quantity}</td>
                  <td className="pr-2">{formatMoney(it.price)}</td>
                  <td className="pr-2">{formatMoney(it.price * it.quantity)}</td>
                  <td>{formatMoney(it.shipping_cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="ml-auto mt-4 w-full max-w-xs space-y-1 text-sm">
          <div className="flex justify-between">
            <dt>Subtotal</dt>
            <dd>{formatMoney(order.subtotal)}</dd>
          </div>
          <div className="flex justify-between">
            <dt>Shipping</dt>
            <dd>{formatMoney(order.shipping_total)}</dd>
          </div>
          <div className="flex justify-between text-base font-semibold">
            <dt>Total</dt>
            <dd data-testid="order-total">{formatMoney(order.total_price)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="addr-heading">
        <h2 id="addr-heading" className="mb-2 text-lg font-semibold">
          Delivery address
        </h2>
        <address className="not-italic text-sm text-gray-800">
          {order.address.street}
          <br />
          {order.address.city}, {order.address.state} {order.address.zipcode}
        </address>
        {order.address.note ? <p className="mt-1 text-sm text-gray-600">Note: {order.address.note}</p> : null}
      </section>

      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this order?"
        body="The reserved items go back to the shop. This cannot be undone."
        confirmLabel="Cancel order"
        cancelLabel="Keep order"
        danger
        pending={cancelling}
        onConfirm={cancel}
        onClose={() => setConfirmCancel(false)}
      />
    </div>
  );
}
