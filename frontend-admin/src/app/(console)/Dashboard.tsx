'use client';
// Dashboard cards (frontends.md §3.2): payments to review, orders to ship, low stock, sales of 30 days.
import Link from 'next/link';
import { useQuery } from '@/components/hooks';
import { SalesChart } from '@/components/SalesChart';
import { useSession } from '@/components/SessionProvider';
import { Badge, Card, ErrorCard, PageHeader, Skeleton } from '@/components/ui';
import { listOrders } from '@/lib/api/order';
import { listPayments } from '@/lib/api/payment';
import { salesSummary } from '@/lib/api/sales-report';
import { stockAlerts } from '@/lib/api/warehouse';
import { isoDay, money } from '@/lib/format';

function Big({ value, testId }: { value: string | number; testId?: string }) {
  return (
    <p className="text-3xl font-semibold" data-testid={testId}>
      {value}
    </p>
  );
}

export function Dashboard() {
  const user = useSession();
  const admin = user?.role === 'admin';
  const payments = useQuery('dash-payments', () => listPayments({ status: 'PENDING', limit: 500 }).then((r) => r.data.length), { enabled: admin });
  const toShip = useQuery('dash-ship', () => listOrders({ status: ['PAYMENT_ACCEPTED'], limit: 1 }).then((r) => r.count ?? r.data.length));
  const low = useQuery('dash-low', () => stockAlerts({ limit: 5 }));
  const today = new Date();
  const from = isoDay(new Date(today.getTime() - 29 * 86_400_000));
  const to = isoDay(today);
  const tz = typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
  const sales = useQuery(`dash-sales-${from}`, () => salesSummary({ from, to, tz }, 'day'), { enabled: admin });

  return (
    <div>
      <PageHeader title="Dashboard">
        <p className="text-sm text-slate-500">Welcome{user?.name ? `, ${user.name}` : ''}.</p>
      </PageHeader>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {admin && (
          <Card title="Payments to review" actions={<Link href="/payments" className="text-sm text-blue-700 underline">Review</Link>}>
            {payments.error ? (
              <ErrorCard message={payments.error} onRetry={payments.reload} />
            ) : payments.data === undefined ? (
              <Skeleton className="h-9 w-16" />
            ) : (
              <Big value={payments.data >= 500 ? '500+' : payments.data} testId="payments-to-review" />
            )}
          </Card>
        )}
        <Card title="Orders to ship" actions={<Link href="/shipping" className="text-sm text-blue-700 underline">Open</Link>}>
          {toShip.error ? (
            <ErrorCard message={toShip.error} onRetry={toShip.reload} />
          ) : toShip.data === undefined ? (
            <Skeleton className="h-9 w-16" />
          ) : (
            <Big value={toShip.data} testId="orders-to-ship" />
          )}
        </Card>
        <Card title="Low stock" actions={<Link href="/stock?low_stock=true" className="text-sm text-blue-700 underline">Stock</Link>}>
          {low.error ? (
            <ErrorCard message={low.error} onRetry={low.reload} />
          ) : !low.data ? (
            <Skeleton className="h-24" />
          ) : (
            <div data-testid="dashboard-low-stock">
              <Big value={low.data.count ?? low.data.data.length} />
              {low.data.data.length === 0 ? (
                <p className="text-sm text-slate-500">Every product is above its threshold.</p>
              ) : (
                <ul className="mt-2 space-y-1 text-sm">
                  {low.data.data.map((r) => (
                    <li key={r.id} className="flex justify-between gap-2">
                      <span className="truncate">
                        {r.product_name} <span className="text-slate-400">· {r.warehouse_name}</span>
                      </span>
                      <Badge tone="amber">{r.product_quantity}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </Card>
        {admin && (
          <Card title="Sales, last 30 days" className="md:col-span-2 xl:col-span-3" actions={<Link href="/sales" className="text-sm text-blue-700 underline">Report</Link>}>
            {sales.error ? (
              <ErrorCard message={sales.error} onRetry={sales.reload} />
            ) : !sales.data ? (
              <Skeleton className="h-40" />
            ) : (
              <div className="grid gap-4 md:grid-cols-[200px_1fr]">
                <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-1">
                  <div>
                    <dt className="text-slate-500">Revenue</dt>
                    <dd className="font-semibold">{money(sales.data.totals.revenue)}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-500">Margin</dt>
                    <dd className="font-semibold">{money(sales.data.totals.margin)}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-500">Units</dt>
                    <dd className="font-semibold">{sales.data.totals.quantity}</dd>
                  </div>
                  <div>
                    <dt className="text-slate-500">Orders</dt>
                    <dd className="font-semibold">{sales.data.totals.orders}</dd>
                  </div>
                </dl>
                <SalesChart buckets={sales.data.buckets} height={180} compact />
              </div>
            )}
          </Card>
        )}
      </div>
    </div>
  );
}
