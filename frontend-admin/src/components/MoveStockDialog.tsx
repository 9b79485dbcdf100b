'use client';
// Move stock between warehouses (frontends.md §3.2, §3.4): searchable product, source with its available
// amount, destination ≠ source, quantity 1..available; a 409 lands on the quantity field.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '@/lib/api/envelope';
import { listProducts } from '@/lib/api/product';
import type { Product } from '@/lib/api/types';
import { moveStock, stockOfProduct } from '@/lib/api/warehouse';
import { moveSchema } from '@/lib/validation/schemas';
import { Dialog } from './Dialog';
import { useQuery, useZodForm } from './hooks';
import { toastError, toastOk } from './notify';
import { Button, Field, Input, Select, Textarea, errProps } from './ui';
import { useWarehouses } from './useWarehouses';

export type MovePreset = { product_id: string; product_name: string; from_warehouse_id?: string };

export function MoveStockDialog({ open, preset, onClose, onMoved }: { open: boolean; preset: MovePreset | null; onClose: () => void; onMoved: () => void }) {
  const wh = useWarehouses();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(preset ? { id: preset.product_id, name: preset.product_name } : null);
  // the quantity bound depends on the chosen source; read at validation time (after the effect below)
  const availableRef = useRef<number | null>(null);
  // mounted per opening (the parent renders it only while open), so the preset is the initial state
  const form = useZodForm(() => moveSchema(availableRef.current), {
    product_id: preset?.product_id ?? '',
    from_warehouse_id: preset?.from_warehouse_id ?? '',
    to_warehouse_id: '',
    quantity: '',
    note: '',
  });
  const { reset, setValue } = form;

  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);

  const products = useQuery(`move-products-${debounced}`, () => listProducts({ q: debounced || undefined, limit: 20 }).then((r) => r.data), { enabled: open });
  const productId = form.values.product_id;
  const stock = useQuery(`move-stock-${productId}`, () => stockOfProduct(productId), { enabled: open && !!productId });
  const availableAt = (wid: string) => stock.data?.find((r) => r.warehouse_id === wid)?.product_quantity ?? 0;
  const available: number | null = form.values.from_warehouse_id && stock.data ? availableAt(form.values.from_warehouse_id) : null;
  useEffect(() => {
    availableRef.current = available;
  }, [available]);

  const options: Product[] | { id: string; name: string }[] = useMemo(() => {
    const list = products.data ?? [];
    return picked && !list.some((p) => p.id === picked.id) ? [picked, ...list] : list;
  }, [products.data, picked]);

  const close = () => {
    reset();
    onClose();
  };
  const submit = () =>
    form
      .submit(async (v) => {
        const name = options.find((p) => p.id === v.product_id)?.name ?? picked?.name ?? '';
        await moveStock({
          product_id: v.product_id,
          product_name: name,
          quantity: Number(v.quantity),
          from_warehouse_id: v.from_warehouse_id,
          to_warehouse_id: v.to_warehouse_id,
          note: v.note,
        });
        toastOk(`Moved ${v.quantity} × ${name}`);
        reset();
        onMoved();
      })
      .catch((err) => {
        if (err instanceof ApiError && err.status === 409) {
          form.setErrors((e) => ({ ...e, quantity: err.message || 'Not enough available at the source' }));
          stock.reload();
        } else toastError(err);
      });

  return (
    <Dialog
      open={open}
      title="Move stock"
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={form.pending}>
            Cancel
          </Button>
          <Button onClick={submit} pending={form.pending}>
            Move
          </Button>
        </>
      }
    >
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field id="mv-search" label="Find product">
          <Input id="mv-search" type="search" placeholder="Name or SKU" value={search} onChange={(e) => setSearch(e.target.value)} />
        </Field>
        <Field id="mv-product" label="Product" error={form.errors.product_id}>
          <Select
            {...errProps('mv-product', form.errors.product_id)}
            {...form.bind('product_id')}
            onChange={(e) => {
              const p = options.find((o) => o.id === e.target.value);
              setPicked(p ? { id: p.id, name: p.name } : null);
              setValue('product_id', e.target.value);
            }}
          >
            <option value="">Choose a product</option>
            {options.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="mv-from" label="From warehouse" error={form.errors.from_warehouse_id} hint={available !== null ? `${available} available there` : undefined}>
          <Select {...errProps('mv-from', form.errors.from_warehouse_id)} {...form.bind('from_warehouse_id')}>
            <option value="">Choose the source</option>
            {wh.list.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
                {productId && stock.data ? ` (${availableAt(w.id)} available)` : ''}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="mv-to" label="To warehouse" error={form.errors.to_warehouse_id}>
          <Select {...errProps('mv-to', form.errors.to_warehouse_id)} {...form.bind('to_warehouse_id')}>
            <option value="">Choose the destination</option>
            {wh.list.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="mv-quantity" label="Quantity" error={form.errors.quantity}>
          <Input inputMode="numeric" {...errProps('mv-quantity', form.errors.quantity)} {...form.bind('quantity')} />
        </Field>
        <Field id="mv-note" label="Note (optional)" error={form.errors.note}>
          <Textarea rows={2} {...errProps('mv-note', form.errors.note)} {...form.bind('note')} />
        </Field>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
