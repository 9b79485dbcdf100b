'use client';
// Orders to ship (admin, managers, staff; frontends.md §3.2): Paid / Shipped tabs, address and items with
// their source warehouses; admins and managers mark paid orders shipped.
import { useState } from 'react';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { ACTIONS, OrderActionDialog, type OrderAction } from '@/components/OrderActionDialog';
import { useSession } from '@/components/SessionProvider';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { Button, IdCell, PageHeader, StatusBadge } from '@/components/ui';
import { useWarehouses } from '@/components/useWarehouses';
import { listOrders } from '@/lib/api/order';
import { formatDate } from '@/lib/format';
import { can } from '@/lib/roles';

const TABS = [
  ['PAYMENT_ACCEPTED', 'Paid'],
  ['ON_DELIVERY', 'Shipped'],
] as const;

export function ShippingView() {
  const user = useSession();
  const f = useUrlFilters();
  const status = f.get('status') === 'ON_DELIVERY' ? 'ON_DELIVERY' : 'PAYMENT_ACCEPTED';
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = 20;
  const list = useQuery(`shipping-${f.key}`, () => listOrders({ status: [status], skip: (page - 1) * size, limit: size }));
  const wh = useWarehouses();
  const [target, setTarget] = useState<{ id: string; action: OrderAction } | null>(null);
  const rows = list.data?.data ?? [];
  const canShip = can(user?.role, 'shipping.ship') && status === 'PAYMENT_ACCEPTED';

  return (
    <div>
      <PageHeader title="Orders to ship" />
      <div role="tablist" aria-label="Shipping state" className="mb-3 flex gap-1">
        {TABS.map(([s, label]) => (
          <button
            key={s}
            role="tab"
            type="button"
            aria-selected={status === s}
            onClick={() => f.set({ status: s === 'PAYMENT_ACCEPTED' ? null : s })}
            className={`rounded-md px-3 py-1.5 text-sm ${status === s ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-300'}`}
          >
            {label}
          </button>
        ))}
      </div>
      <Table label="Orders to ship" head={['Order', 'Created', 'Status', 'Address', 'Items (source)', '']}>
        <TableState cols={6} loading={list.loading} error={list.error} empty={!rows.length} onRetry={list.reload} emptyText={status === 'PAYMENT_ACCEPTED' ? 'Nothing to ship right now' : 'No orders on delivery'} />
        {!list.loading &&
          !list.error &&
          rows.map((o) => (
            <tr key={o.id} data-testid="shipping-row" data-order-id={o.id}>
              <Td>
                <IdCell id={o.id} />
              </Td>
              <Td className="whitespace-nowrap">{formatDate(o.created_at)}</Td>
              <Td>
                <StatusBadge status={o.status} testId="order-status" />
              </Td>
              <Td className="text-sm">
                {o.address.street}, {o.address.city}, {o.address.state} {o.address.zipcode}
              </Td>
              <Td>
                <ul className="text-sm">
                  {o.items.map((it) => (
                    <li key={it.id ?? it.product_id}>
                      {it.quantity} × {it.product_name}
                      <span className="text-xs text-slate-500"> ({(it.allocations ?? []).map((a) => `${wh.nameOf(a.warehouse_id)}: ${a.quantity}`).join(', ') || '—'})</span>
                    </li>
                  ))}
                </ul>
              </Td>
              <Td>
                {canShip && (
                  <Button size="sm" onClick={() => setTarget({ id: o.id, action: ACTIONS.ship })}>
                    Mark shipped
                  </Button>
                )}
              </Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={list.data?.count ?? null} shown={rows.length} hasNext={rows.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} />
      <OrderActionDialog
        orderId={target?.id ?? ''}
        action={target?.action ?? null}
        onClose={() => setTarget(null)}
        onDone={() => {
          setTarget(null);
          list.reload();
        }}
      />
    </div>
  );
}
