'use client';
// Order cards with filter tabs All / Awaiting payment / In progress / Completed / Cancelled.
import Link from 'next/link';
import { useState } from 'react';
import type { Order } from '@/lib/api/types';
import { formatMoney, shortId } from '@/lib/format';
import { LocalDate } from './LocalDate';
import { ProductImage } from './ProductCard';
import { ButtonLink, EmptyState, StatusBadge } from './ui';

const TABS: { label: string; test: (o: Order) => boolean }[] = [
  { label: 'All', test: () => true },
  { label: 'Awaiting payment', test: (o) => o.status === 'PENDING' },
  { label: 'In progress', test: (o) => o.status === 'PAYMENT_ACCEPTED' || o.status === 'ON_DELIVERY' },
  { label: 'Completed', test: (o) => o.status === 'DELIVERED' },
  { label: 'Cancelled', test: (o) => ['CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED'].includes(o.status) },
];

export function OrdersList({ orders }: { orders: Order[] }) {
  const [tab, setTab] = useState(0);
  if (!orders.length) {
    return (
      <EmptyState title="No orders yet">
        <ButtonLink href="/products">Browse products</ButtonLink>
      </EmptyState>
    );
  }
  const shown = orders.filter(TABS[tab].test);
  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Filter orders" className="flex flex-wrap gap-2">
        {TABS.map((t, i) => (
          <button key={t.label} role="tab" type="button" aria-selected={i === tab} onClick={() => setTab(i)} className={`rounded-full px-3 py-1 text-sm ${i === tab ? 'bg-gray-900 text-white' : 'border border-gray-300'}`}>
            {t.label}
          </button>
        ))}
      </div>
      {shown.length ? (
        <ul className="space-y-3">
          {shown.map((o) => (
            <li key={o.id} data-testid="order-card" data-order-id={o.id} className="flex flex-wrap items-center gap-4 rounded-lg border border-gray-200 p-4">
              {o.items[0] ? <ProductImage src={o.items[0].image_url} alt={o.items[0].product_name} size={96} className="h-16 w-20 rounded" /> : null}
              <div className="min-w-0 flex-1">
                <p className="font-medium">
                  Order <span title={o.id}>{shortId(o.id)}</span> · <LocalDate iso={o.created_at} />
                </p>
                <p className="text-sm text-gray-600">
                  {o.items[0]?.product_name}
                  {o.items.length > 1 ? ` and ${o.items.length - 1} more` : ''}
                </p>
                <div className="mt-1 flex flex-wrap gap-2">
                  <StatusBadge status={o.status} testId="order-status" />
                  {o.payment_status ? <StatusBadge status={o.payment_status} testId="payment-status" /> : null}
                </div>
              </div>
              <p className="font-semibold">{formatMoney(o.total_price)}</p>
              <Link prefetch={false} href={`/order/${o.id}`} className="rounded-md border border-gray-300 px-3 py-1.5 text-sm font-medium hover:bg-gray-50">
                View order
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No orders in this list" />
      )}
    </div>
  );
}
