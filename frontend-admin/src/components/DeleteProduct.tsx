'use client';
// The product delete confirmation (frontends.md §3.2): Cancel focused, a red Delete, a toast.
import { useState } from 'react';
import { ConfirmDialog } from './Dialog';
import { toastError, toastOk } from './notify';
import { deleteProduct } from '@/lib/api/product';

export function DeleteProductDialog({ product, onClose, onDeleted }: { product: { id: string; name: string } | null; onClose: () => void; onDeleted: () => void }) {
  const [pending, setPending] = useState(false);
  return (
    <ConfirmDialog
      open={!!product}
      title="Delete product"
      message={`Delete “${product?.name ?? ''}”? It disappears from the shop and from carts.`}
      confirmLabel="Delete"
      danger
      pending={pending}
      onCancel={onClose}
      onConfirm={async () => {
        if (!product) return;
        setPending(true);
        try {
          await deleteProduct(product.id);
          toastOk(`Deleted “${product.name}”`);
          onDeleted();
        } catch (err) {
          toastError(err);
        } finally {
          setPending(false);
        }
      }}
    />
  );
}
