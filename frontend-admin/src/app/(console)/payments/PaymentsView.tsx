'use client';
// Payment proofs (admin; frontends.md §3.2): status filter (default PENDING), newest first, Previous/Next
// (the API gives no total: limit+1 rows tell whether a next page exists), Review dialog.
import Link from 'next/link';
import { useState } from 'react';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { Button, IdCell, PageHeader, Select, StatusBadge } from '@/components/ui';
import { Username } from '@/components/Username';
import { listPayments } from '@/lib/api/payment';
import type { Payment } from '@/lib/api/types';
import { formatDate, money } from '@/lib/format';
import { ReviewDialog } from './ReviewDialog';

export function PaymentsView() {
  const f = useUrlFilters();
  const raw = f.get('status', 'PENDING');
  const status = ['PENDING', 'APPROVED', 'REJECTED'].includes(raw) ? raw : '';
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const list = useQuery(`payments-${f.key}`, () => listPayments({ status: status || undefined, skip: (page - 1) * size, limit: size + 1 }));
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [updated, setUpdated] = useState<Record<string, Payment>>({});
  const fetched = list.data?.data ?? [];
  const rows = fetched.slice(0, size).map((p) => updated[p.id] ?? p);

  return (
    <div>
      <PageHeader title="Payments" />
      <div className="mb-3 flex items-center gap-2">
        <label htmlFor="pay-status" className="text-sm text-slate-600">
          Status
        </label>
        <Select id="pay-status" className="w-44" value={status || 'all'} onChange={(e) => f.set({ status: e.target.value === 'PENDING' ? null : e.target.value })}>
          <option value="PENDING">Pending review</option>
          <option value="APPROVED">Approved</option>
          <option value="REJECTED">Rejected</option>
          <option value="all">All</option>
        </Select>
      </div>
      <Table label="Payments" head={['Payment', 'Order', 'Customer', 'Amount', 'Status', 'Created', '']}>
        <TableState cols={7} loading={list.loading} error={list.error} empty={!rows.length} onRetry={list.reload} onClear={() => f.clear()} emptyText={status === 'PENDING' ? 'No proofs waiting for review' : 'No results'} />
        {!list.loading &&
          !list.error &&
          rows.map((p) => (
            <tr key={p.id} data-testid="payment-row" data-order-id={p.orderId}>
              <Td>
                <IdCell id={p.id} />
              </Td>
              <Td>
                <Link href={`/orders/${p.orderId}`} className="font-mono text-xs text-blue-700 underline" title={p.orderId}>
                  {p.orderId.slice(0, 8)}
                </Link>
              </Td>
              <Td>
                <Username id={p.userId} />
              </Td>
              <Td>{money(p.totalAmount)}</Td>
              <Td>
                <StatusBadge status={p.status} testId="payment-status" />
              </Td>
              <Td className="whitespace-nowrap">{formatDate(p.createdAt)}</Td>
              <Td>
                <Button size="sm" variant={p.status === 'PENDING' ? 'primary' : 'secondary'} onClick={() => setReviewing(p.id)}>
                  {p.status === 'PENDING' ? 'Review' : 'View'}
                </Button>
              </Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={null} shown={rows.length} hasNext={fetched.length > size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
      <ReviewDialog
        paymentId={reviewing}
        onClose={() => setReviewing(null)}
        onReviewed={(p) => {
          setUpdated((u) => ({ ...u, [p.id]: p }));
          setReviewing(null);
        }}
      />
    </div>
  );
}
