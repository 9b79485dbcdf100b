'use client';
// Movement history, newest first (frontends.md §3.2): filters product, warehouse, type, since/until.
import { useQuery, useUrlFilters } from '@/components/hooks';
import { MOVEMENT_LABELS, MovementsTable } from '@/components/MovementsTable';
import { ProductPicker } from '@/components/ProductPicker';
import { Pagination } from '@/components/Table';
import { Input, PageHeader, Select } from '@/components/ui';
import { useWarehouses } from '@/components/useWarehouses';
import { listMovements } from '@/lib/api/warehouse';

/** A `YYYY-MM-DD` date as the start or end of that day in the browser's zone, RFC 3339. */
const dayBound = (d: string, end: boolean) => (d ? new Date(`${d}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);

export function MovementsView() {
  const f = useUrlFilters();
  const wh = useWarehouses();
  const productId = f.get('product_id');
  const warehouseId = f.get('warehouse_id');
  const type = f.get('type');
  const since = f.get('since');
  const until = f.get('until');
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const badRange = !!since && !!until && since > until;
  const list = useQuery(
    `movements-${f.key}`,
    () =>
      listMovements({
        product_id: productId || undefined,
        warehouse_id: warehouseId || undefined,
        type: type || undefined,
        since: dayBound(since, false),
        until: dayBound(until, true),
        skip: (page - 1) * size,
        limit: size,
      }),
    { enabled: !badRange },
  );
  const rows = list.data?.data ?? [];
  return (
    <div>
      <PageHeader title="Movements" />
      <div className="mb-3 flex flex-wrap items-end gap-2">
        <ProductPicker value={productId} onChange={(id) => f.set({ product_id: id })} />
        <Select aria-label="Warehouse" className="w-48" value={warehouseId} onChange={(e) => f.set({ warehouse_id: e.target.value })}>
          <option value="">All warehouses</option>
          {wh.list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        <Select aria-label="Type" className="w-40" value={type} onChange={(e) => f.set({ type: e.target.value })}>
          <option value="">All types</option>
          {Object.entries(MOVEMENT_LABELS).map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </Select>
        <label className="text-sm">
          <span className="block text-slate-600">Since</span>
          <Input type="date" className="w-40" value={since} onChange={(e) => f.set({ since: e.target.value })} />
        </label>
        <label className="text-sm">
          <span className="block text-slate-600">Until</span>
          <Input type="date" className="w-40" value={until} onChange={(e) => f.set({ until: e.target.value })} aria-invalid={badRange || undefined} />
        </label>
        {badRange && <p className="text-xs text-red-600">“Until” must not be before “Since”</p>}
      </div>
      <MovementsTable rows={rows} loading={list.loading && !badRange} error={list.error} onRetry={list.reload} onClear={() => f.clear()} />
      <Pagination page={page} pageSize={size} count={list.data?.count ?? null} shown={rows.length} hasNext={rows.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
    </div>
  );
}
