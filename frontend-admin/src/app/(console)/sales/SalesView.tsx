'use client';
// Sales report (frontends.md §3.3): date range (default last 30 days, ≤ 366 days), product, warehouse and
// the browser's zone apply to the cards, the chart, the table and the downloads; all in the URL.
import Link from 'next/link';
import { useState, useSyncExternalStore } from 'react';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { toastError } from '@/components/notify';
import { ProductPicker } from '@/components/ProductPicker';
import { SalesChart } from '@/components/SalesChart';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { Badge, Button, Card, ErrorCard, Input, PageHeader, Select, Skeleton } from '@/components/ui';
import { useWarehouses } from '@/components/useWarehouses';
import { ApiError } from '@/lib/api/envelope';
import { downloadReport, listSales, salesSummary, type SalesFilter } from '@/lib/api/sales-report';
import { formatDate, intervalFor, isoDay, money } from '@/lib/format';
import { salesFilterSchema } from '@/lib/validation/schemas';
import { toast } from 'sonner';

const subscribe = () => () => {};
/** True in the browser after hydration: the default dates and the zone are the person's, not the server's. */
const useMounted = () => useSyncExternalStore(subscribe, () => true, () => false);

export function SalesView() {
  const mounted = useMounted();
  const f = useUrlFilters();
  const today = new Date();
  const from = f.get('from', isoDay(new Date(today.getTime() - 29 * 86_400_000)));
  const to = f.get('to', isoDay(today));
  const productId = f.get('product_id');
  const warehouseId = f.get('warehouse_id');
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const tz = mounted ? Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' : 'UTC';
  const check = salesFilterSchema.safeParse({ from, to });
  const rangeError = check.success ? null : check.error.issues[0]?.message ?? 'Invalid range';
  const filter: SalesFilter = { from, to, tz, product_id: productId || undefined, warehouse_id: warehouseId || undefined };
  const key = `${f.key}|${from}|${to}|${tz}`;
  const ready = mounted && !rangeError;
  const interval = intervalFor(from, to);
  const wh = useWarehouses();

  const summary = useQuery(`sales-summary-${key}`, () => salesSummary(filter, interval), { enabled: ready });
  const rows = useQuery(`sales-rows-${key}`, () => listSales(filter, (page - 1) * size, size), { enabled: ready });
  const [busy, setBusy] = useState<string | null>(null);

  const dl = async (kind: 'csv' | 'pdf' | 'xlsx') => {
    setBusy(kind);
    try {
      await downloadReport(kind, filter);
      toast.success(`Downloaded sales-report-${from}-${to}.${kind}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) toast.error('Too many rows for one file, narrow the filters');
      else toastError(err);
    } finally {
      setBusy(null);
    }
  };

  const t = summary.data?.totals;
  const data = rows.data?.data ?? [];
  return (
    <div>
      <PageHeader
        title="Sales report"
        actions={
          <>
            <Button variant="secondary" onClick={() => dl('csv')} pending={busy === 'csv'} disabled={!ready || !!busy}>
              Download CSV
            </Button>
            <Button variant="secondary" onClick={() => dl('pdf')} pending={busy === 'pdf'} disabled={!ready || !!busy}>
              Download PDF
            </Button>
            <Button variant="secondary" onClick={() => dl('xlsx')} pending={busy === 'xlsx'} disabled={!ready || !!busy}>
              XLSX
            </Button>
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="block text-slate-600">From</span>
          <Input type="date" className="w-40" value={from} onChange={(e) => f.set({ from: e.target.value })} />
        </label>
        <label className="text-sm">
          <span className="block text-slate-600">To</span>
          <Input type="date" className="w-40" value={to} onChange={(e) => f.set({ to: e.target.value })} aria-invalid={rangeError ? true : undefined} aria-describedby={rangeError ? 'range-error' : undefined} />
        </label>
        <ProductPicker value={productId} onChange={(id) => f.set({ product_id: id })} />
        <Select aria-label="Warehouse" className="w-48" value={warehouseId} onChange={(e) => f.set({ warehouse_id: e.target.value })}>
          <option value="">All warehouses</option>
          {wh.list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        <span className="text-xs text-slate-500">Zone: {tz}</span>
        {rangeError && (
          <p id="range-error" className="w-full text-xs text-red-600">
            {rangeError}
          </p>
        )}
      </div>
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {[
          ['Revenue', t ? money(t.revenue) : null],
          ['Units', t ? String(t.quantity) : null],
          ['Margin', t ? `${money(t.margin)}${t.margin_rate !== null ? ` (${(t.margin_rate * 100).toFixed(1)}%)` : ''}` : null],
          ['Orders', t ? `${t.orders}${t.reversals ? ` (${t.reversals} reversed)` : ''}` : null],
        ].map(([label, value]) => (
          <Card key={label}>
            <p className="text-sm text-slate-500">{label}</p>
            {value === null ? <Skeleton className="mt-1 h-7 w-24" /> : <p className="text-2xl font-semibold">{value}</p>}
          </Card>
        ))}
      </div>
      <Card title={`Per ${interval}`} className="mb-4">
        {summary.error ? <ErrorCard message={summary.error} onRetry={summary.reload} /> : !summary.data ? <Skeleton className="h-64" /> : <SalesChart buckets={summary.data.buckets} />}
      </Card>
      <Table label="Sales" head={['Date', 'Order', 'Product', 'Warehouse', 'Unit price', 'Quantity', 'Revenue', 'Margin', '']}>
        <TableState cols={9} loading={!ready || rows.loading} error={rows.error} empty={!data.length} onRetry={rows.reload} onClear={() => f.clear()} emptyText="No sales in this range" />
        {ready &&
          !rows.loading &&
          !rows.error &&
          data.map((r) => (
            <tr key={r.id} data-testid="sale-row" data-order-id={r.order_id} className={r.kind === 'reversal' ? 'bg-red-50/50' : undefined}>
              <Td className="whitespace-nowrap">{formatDate(r.created_at)}</Td>
              <Td>
                <Link href={`/orders/${r.order_id}`} className="font-mono text-xs text-blue-700 underline" title={r.order_id}>
                  {r.order_id.slice(0, 8)}
                </Link>
              </Td>
              <Td>{r.product_name || r.product_id.slice(0, 8)}</Td>
              <Td>{wh.nameOf(r.warehouse_id)}</Td>
              <Td>{money(r.price)}</Td>
              <Td>{r.product_quantity}</Td>
              <Td>{money(r.revenue)}</Td>
              <Td>{money(r.margin_total)}</Td>
              <Td>{r.kind === 'reversal' && <Badge tone="red">Reversed</Badge>}</Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={rows.data?.count ?? null} shown={data.length} hasNext={data.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
    </div>
  );
}
