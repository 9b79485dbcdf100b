'use client';
// Product details, stock per warehouse and recent movements (frontends.md §3.2).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DeleteProductDialog } from '@/components/DeleteProduct';
import { useQuery } from '@/components/hooks';
import { MovementsTable } from '@/components/MovementsTable';
import { useSession } from '@/components/SessionProvider';
import { Table, TableState, Td } from '@/components/Table';
import { Badge, Button, Card, ErrorCard, IdCell, PageHeader, ProductThumb, Skeleton } from '@/components/ui';
import { useCategories } from '@/components/useCategories';
import { ApiError } from '@/lib/api/envelope';
import { getProduct } from '@/lib/api/product';
import { listMovements, stockOfProduct } from '@/lib/api/warehouse';
import { formatDate, money } from '@/lib/format';
import { can } from '@/lib/roles';

export function ProductDetail({ id }: { id: string }) {
  const user = useSession();
  const router = useRouter();
  const cats = useCategories();
  const product = useQuery(`product-${id}`, () => getProduct(id));
  const stock = useQuery(`product-stock-${id}`, () => stockOfProduct(id));
  const moves = useQuery(`product-moves-${id}`, () => listMovements({ product_id: id, limit: 10 }));
  const [del, setDel] = useState(false);

  if (product.errorObj instanceof ApiError && product.errorObj.status === 404) {
    return <ErrorCard message="This product does not exist or was deleted." />;
  }
  if (product.error) return <ErrorCard message={product.error} onRetry={product.reload} />;
  const p = product.data;
  if (!p) return <Skeleton className="h-80" />;
  const canWrite = can(user?.role, 'products.write');

  return (
    <div className="space-y-4">
      <PageHeader
        title={p.name}
        actions={
          canWrite && (
            <>
              <Link href={`/products/${p.id}/edit`} className="inline-flex h-10 items-center rounded-md border border-slate-300 bg-white px-4 text-sm font-medium hover:bg-slate-100">
                Edit
              </Link>
              <Button variant="danger" onClick={() => setDel(true)}>
                Delete
              </Button>
            </>
          )
        }
      />
      <Card>
        <div className="flex flex-col gap-4 sm:flex-row">
          <ProductThumb src={p.image_url} name={p.name} size={160} />
          <dl className="grid flex-1 grid-cols-[120px_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-500">Id</dt>
            <dd>
              <IdCell id={p.id} />
            </dd>
            <dt className="text-slate-500">SKU</dt>
            <dd className="font-mono text-xs">{p.sku}</dd>
            <dt className="text-slate-500">Category</dt>
            <dd>{cats.pathOf(p.category_id) || p.category?.name || '—'}</dd>
            <dt className="text-slate-500">Price</dt>
            <dd>{money(p.price)}</dd>
            <dt className="text-slate-500">Total stock</dt>
            <dd>{p.quantity}</dd>
            <dt className="text-slate-500">Updated</dt>
            <dd>{formatDate(p.updated_at)}</dd>
            <dt className="text-slate-500">Description</dt>
            <dd className="whitespace-pre-line">{p.description}</dd>
          </dl>
        </div>
      </Card>
      <Card title="Stock per warehouse">
        <Table label="Stock per warehouse" head={['Warehouse', 'Available', 'Reserved', 'On hand', '']}>
          <TableState cols={5} loading={stock.loading} error={stock.error} empty={!(stock.data ?? []).length} onRetry={stock.reload} emptyText="No stock rows yet" rows={2} />
          {(stock.data ?? []).map((r) => (
            <tr key={r.id}>
              <Td>{r.warehouse_name}</Td>
              <Td>{r.product_quantity}</Td>
              <Td>{r.reserved_quantity}</Td>
              <Td>{r.on_hand_quantity}</Td>
              <Td>{r.low_stock && <Badge tone="amber">Low stock</Badge>}</Td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title="Recent movements" actions={<Link href={`/movements?product_id=${p.id}`} className="text-sm text-blue-700 underline">All movements</Link>}>
        <MovementsTable rows={moves.data?.data ?? []} loading={moves.loading} error={moves.error} onRetry={moves.reload} />
      </Card>
      <DeleteProductDialog product={del ? p : null} onClose={() => setDel(false)} onDeleted={() => router.push('/products')} />
    </div>
  );
}
