'use client';
// Stock levels per warehouse and product (frontends.md §3.2): filters warehouse, product search, Low
// stock only; server paging with `count`; Move stock for every console role; Adjust and Threshold for
// admins and managers.
import { useEffect, useState } from 'react';
import { useQuery, useUrlFilters } from '@/components/hooks';
import { MoveStockDialog, type MovePreset } from '@/components/MoveStockDialog';
import { useSession } from '@/components/SessionProvider';
import { Pagination, Table, TableState, Td } from '@/components/Table';
import { Badge, Button, Input, PageHeader, Select } from '@/components/ui';
import { useWarehouses } from '@/components/useWarehouses';
import type { StockRow } from '@/lib/api/types';
import { listStock } from '@/lib/api/warehouse';
import { can } from '@/lib/roles';
import { AdjustDialog, ThresholdDialog } from './RowDialogs';

export function StockView() {
  const user = useSession();
  const f = useUrlFilters();
  const wh = useWarehouses();
  const warehouseId = f.get('warehouse_id');
  const q = f.get('q');
  const low = f.get('low_stock') === 'true';
  const page = Math.max(1, Number(f.get('page', '1')) || 1);
  const size = [20, 50, 100].includes(Number(f.get('size'))) ? Number(f.get('size')) : 20;
  const [search, setSearch] = useState(q);
  const setFilters = f.set;
  const [lastQ, setLastQ] = useState(q);
  if (q !== lastQ) {
    // the URL changed (Back, Clear filters): show its query in the box
    setLastQ(q);
    setSearch(q);
  }
  useEffect(() => {
    if (search.trim() === q) return;
    const t = setTimeout(() => setFilters({ q: search.trim() }), 300);
    return () => clearTimeout(t);
  }, [search, q, setFilters]);

  const list = useQuery(`stock-${f.key}`, () =>
    listStock({ warehouse_id: warehouseId || undefined, q: q || undefined, low_stock: low || undefined, skip: (page - 1) * size, limit: size }),
  );
  const rows = list.data?.data ?? [];
  const manage = can(user?.role, 'stock.manage');
  const [move, setMove] = useState<MovePreset | null | 'blank'>(null);
  const [adjust, setAdjust] = useState<StockRow | null>(null);
  const [threshold, setThresholdRow] = useState<StockRow | null>(null);

  return (
    <div>
      <PageHeader title="Stock" actions={<Button onClick={() => setMove('blank')}>Move stock</Button>} />
      <div className="mb-3 grid gap-2 md:grid-cols-[240px_1fr_auto]">
        <Select aria-label="Warehouse" value={warehouseId} onChange={(e) => f.set({ warehouse_id: e.target.value })}>
          <option value="">All warehouses</option>
          {wh.list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        <Input type="search" aria-label="Search product" placeholder="Search product name or SKU" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={low} onChange={(e) => f.set({ low_stock: e.target.checked ? 'true' : null })} />
          Low stock only
        </label>
      </div>
      <Table label="Stock levels" head={['Warehouse', 'Product', 'SKU', 'Available', 'Reserved', 'On hand', '', 'Actions']}>
        <TableState cols={8} loading={list.loading} error={list.error} empty={!rows.length} onRetry={list.reload} onClear={() => f.clear()} />
        {!list.loading &&
          !list.error &&
          rows.map((r) => (
            <tr key={r.id} data-testid="stock-row" data-product-id={r.product_id} data-warehouse-id={r.warehouse_id}>
              <Td>{r.warehouse_name}</Td>
              <Td className="font-medium">{r.product_name}</Td>
              <Td className="font-mono text-xs">{r.product_sku}</Td>
              <Td data-testid="available">{r.product_quantity}</Td>
              <Td>{r.reserved_quantity}</Td>
              <Td>{r.on_hand_quantity}</Td>
              <Td>
                {r.low_stock && (
                  <Badge tone="amber" testId="low-stock-badge" title={`Below ${r.low_stock_threshold}`}>
                    Low stock
                  </Badge>
                )}
              </Td>
              <Td>
                <div className="flex gap-1">
                  <Button size="sm" variant="ghost" onClick={() => setMove({ product_id: r.product_id, product_name: r.product_name, from_warehouse_id: r.warehouse_id })}>
                    Move
                  </Button>
                  {manage && (
                    <>
                      <Button size="sm" variant="ghost" onClick={() => setAdjust(r)}>
                        Adjust
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setThresholdRow(r)}>
                        Threshold
                      </Button>
                    </>
                  )}
                </div>
              </Td>
            </tr>
          ))}
      </Table>
      <Pagination page={page} pageSize={size} count={list.data?.count ?? null} shown={rows.length} hasNext={rows.length === size} onPage={(p) => f.set({ page: p }, { keepPage: true })} onPageSize={(s) => f.set({ size: s })} />
      {move !== null && (
        <MoveStockDialog
          open
          preset={move === 'blank' ? null : move}
          onClose={() => setMove(null)}
          onMoved={() => {
            setMove(null);
            list.reload();
          }}
        />
      )}
      <AdjustDialog
        row={adjust}
        onClose={() => setAdjust(null)}
        onDone={() => {
          setAdjust(null);
          list.reload();
        }}
      />
      <ThresholdDialog
        row={threshold}
        onClose={() => setThresholdRow(null)}
        onDone={() => {
          setThresholdRow(null);
          list.reload();
        }}
      />
    </div>
  );
}
