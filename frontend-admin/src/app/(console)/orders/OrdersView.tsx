'use client';
// All orders (admin; frontends.md §3.2): status multi-select and date range in the URL, newest first,
// server paging with `count`.
import Link from 'next/link';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { IdCell, Input, PageHeader, StatusBadge } from '@/components/ui';
import { Username } from '@/components/Username';
import { listOrders } from '@/lib/api/order';
import { ORDER_STATUSES } from '@/lib/api/types';
import { STATUS_LABELS, formatDate, money } from '@/lib/format';

export function OrdersView() {
  const f = useUrlFilters();
  const statuses = f.get('status').split(',').filter((s) => (ORDER_STATUSES as string[]).includes(s));
  const from = f.get('created_from');
  const to = f.get('created_to');
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const badRange = !!from && !!to && from > to;

  const list = useQuery(
    `orders-${f.key}`,
    () => listOrders({ status: statuses, created_from: from || undefined, created_to: to || undefined, skip: (page - 1) * size, limit: size }),
    { enabled: !badRange },
  );
  const rows = list.data?.data ?? [];
  const toggle = (s: string) => {
    const next = statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s];
    f.set({ status: next.join(',') });
  };

  return (
    <div>
      <PageHeader title="Orders" />
      <div className="mb-3 space-y-2">
        <fieldset className="flex flex-wrap gap-2" aria-label="Status filter">
          <legend className="sr-only">Status</legend>
          {ORDER_STATUSES.map((s) => (
            <label key={s} className={`flex cursor-pointer items-center gap-1 rounded-full border px-3 py-1 text-xs ${statuses.includes(s) ? 'border-slate-900 bg-slate-900 text-white' : 'border-slate-300 bg-white'}`}>
              <input type="checkbox" className="sr-only" checked={statuses.includes(s)} onChange={() => toggle(s)} />
              {STATUS_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-end gap-2">
          <label className="text-sm">
            <span className="block text-slate-600">Created from</span>
            <Input type="date" value={from} onChange={(e) => f.set({ created_from: e.target.value })} className="w-44" />
          </label>
          <label className="text-sm">
            <span className="block text-slate-600">Created to</span>
            <Input type="date" value={to} onChange={(e) => f.set({ created_to: e.target.value })} className="w-44" aria-invalid={badRange || undefined} />
          </label>
          {badRange && <p className="text-xs text-red-600">The end date must not be before the start date</p>}
        </div>
      </div>
      <Table label="Orders" head={['Order', 'Customer', 'Created', 'Status', 'Payment', 'Total', '']}>
        <TableState cols={7} loading={list.loading && !badRange} error={list.error} empty={!rows.length} onRetry={list.reload} onClear={() => f.clear()} />
        {!list.loading &&
          !list.error &&
          rows.map((o) => (
            <tr key={o.id} data-testid="order-row" data-order-id={o.id}>
              <Td>
                <IdCell id={o.id} />
              </Td>
              <Td>
                <Username id={o.user_id} />
              </Td>
              <Td className="whitespace-nowrap">{formatDate(o.created_at)}</Td>
              <Td>
                <StatusBadge status={o.status} testId="order-status" />
              </Td>
              <Td>
                <StatusBadge status={o.payment_status} testId="payment-status" />
              </Td>
              <Td>{money(o.total_price)}</Td>
              <Td>
                <Link href={`/orders/${o.id}`} className="text-sm text-blue-700 underline">
                  View
                </Link>
              </Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={list.data?.count ?? null} shown={rows.length} hasNext={rows.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
    </div>
  );
}
