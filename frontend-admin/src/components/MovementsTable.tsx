'use client';
// Movement rows: time, type, product, quantity, from and to (warehouse names; "customer" + order link for
// shipments), note (frontends.md §3.2).
import Link from 'next/link';
import type { Movement } from '@/lib/api/types';
import { formatDate } from '@/lib/format';
import { useSession } from './SessionProvider';
import { Table, TableState, Td } from './Table';
import { Badge } from './ui';
import { isNil, useWarehouses } from './useWarehouses';

export const MOVEMENT_LABELS: Record<string, string> = { INITIAL: 'Initial', TRANSFER: 'Transfer', SHIPMENT: 'Shipment', ADJUSTMENT: 'Adjustment' };

export function MovementsTable({ rows, loading, error, onRetry, onClear }: { rows: Movement[]; loading: boolean; error: string | null; onRetry: () => void; onClear?: () => void }) {
  const wh = useWarehouses();
  const user = useSession();
  const to = (m: Movement) => {
    if (m.type === 'SHIPMENT' || (isNil(m.to_warehouse_id) && !isNil(m.to_user_id))) {
      return (
        <span>
          customer
          {m.order_id &&
            (user?.role === 'admin' ? (
              <>
                {' · '}
                <Link href={`/orders/${m.order_id}`} className="text-blue-700 underline">
                  order {m.order_id.slice(0, 8)}
                </Link>
              </>
            ) : (
              <span className="text-slate-500"> · order {m.order_id.slice(0, 8)}</span>
            ))}
        </span>
      );
    }
    return wh.nameOf(m.to_warehouse_id) || '—';
  };
  return (
    <Table label="Stock movements" head={['Time', 'Type', 'Product', 'Quantity', 'From', 'To', 'Note']}>
      <TableState cols={7} loading={loading} error={error} empty={!rows.length} onRetry={onRetry} onClear={onClear} emptyText="No movements" />
      {!loading &&
        !error &&
        rows.map((m) => (
          <tr key={m.id} data-testid="movement-row">
            <Td className="whitespace-nowrap">{formatDate(m.created_at)}</Td>
            <Td>
              <Badge tone={m.type === 'TRANSFER' ? 'blue' : m.type === 'SHIPMENT' ? 'amber' : m.type === 'ADJUSTMENT' ? 'grey' : 'green'}>{MOVEMENT_LABELS[m.type] ?? m.type}</Badge>
            </Td>
            <Td>{m.product_name}</Td>
            <Td>{m.quantity}</Td>
            <Td>{wh.nameOf(m.from_warehouse_id) || '—'}</Td>
            <Td>{to(m)}</Td>
            <Td className="max-w-xs truncate text-slate-600">{m.note || ''}</Td>
          </tr>
        ))}
    </Table>
  );
}
