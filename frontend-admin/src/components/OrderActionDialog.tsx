'use client';
// One dialog for every order action (frontends.md §3.2, §3.4): a note (required where the rules say so),
// the restock checkbox for FAILED, confirm; 409 → "The order changed meanwhile" and a reload.
import { useState } from 'react';
import { ApiError } from '@/lib/api/envelope';
import { recordRefund, setOrderStatus } from '@/lib/api/order';
import type { OrderStatus } from '@/lib/api/types';
import { refundSchema, statusNoteSchema } from '@/lib/validation/schemas';
import { Dialog } from './Dialog';
import { useZodForm } from './hooks';
import { toastError, toastOk } from './notify';
import { Button, Field, Textarea, errProps } from './ui';

export type OrderAction = {
  kind: 'status' | 'refund';
  status?: OrderStatus;
  title: string;
  confirmLabel: string;
  explain?: string;
  noteRequired: boolean;
  restockOption?: boolean;
  success: string;
  danger?: boolean;
};

export const ACTIONS = {
  ship: { kind: 'status', status: 'ON_DELIVERY', title: 'Mark shipped', confirmLabel: 'Mark shipped', noteRequired: false, success: 'Order marked shipped' },
  deliver: { kind: 'status', status: 'DELIVERED', title: 'Mark delivered', confirmLabel: 'Mark delivered', noteRequired: false, success: 'Order marked delivered' },
  fail: {
    kind: 'status',
    status: 'FAILED',
    title: 'Mark failed',
    confirmLabel: 'Mark failed',
    explain: 'The delivery failed; a refund becomes due.',
    noteRequired: true,
    restockOption: true,
    success: 'Order marked failed',
    danger: true,
  },
  cancelPending: { kind: 'status', status: 'CANCELLED', title: 'Cancel order', confirmLabel: 'Cancel order', explain: 'The reserved stock is released.', noteRequired: true, success: 'Order cancelled', danger: true },
  cancelPaid: {
    kind: 'status',
    status: 'CANCELLED',
    title: 'Cancel order',
    confirmLabel: 'Cancel order',
    explain: 'Stock returns, a refund becomes due.',
    noteRequired: true,
    success: 'Order cancelled',
    danger: true,
  },
  refund: { kind: 'refund', title: 'Record refund', confirmLabel: 'Record refund', explain: 'Enter the payment reference of the refund.', noteRequired: true, success: 'Refund recorded' },
} satisfies Record<string, OrderAction>;

export function OrderActionDialog({ orderId, action, onClose, onDone }: { orderId: string; action: OrderAction | null; onClose: () => void; onDone: () => void }) {
  const [restock, setRestock] = useState(false);
  const form = useZodForm(() => (action?.kind === 'refund' ? refundSchema : statusNoteSchema(!!action?.noteRequired)), { note: '' });
  const close = () => {
    form.reset();
    setRestock(false);
    onClose();
  };
  const confirm = () =>
    form
      .submit(async (v) => {
        if (!action) return;
        if (action.kind === 'refund') await recordRefund(orderId, v.note);
        else await setOrderStatus(orderId, action.status!, v.note, action.restockOption ? restock : undefined);
        toastOk(action.success);
        form.reset();
        setRestock(false);
        onDone();
      })
      .catch((err) => {
        toastError(err, 'The order changed meanwhile');
        if (err instanceof ApiError && err.status === 409) {
          form.reset();
          onDone();
        }
      });
  return (
    <Dialog
      open={!!action}
      title={action?.title ?? ''}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={form.pending}>
            Cancel
          </Button>
          <Button variant={action?.danger ? 'danger' : 'primary'} onClick={confirm} pending={form.pending}>
            Confirm
          </Button>
        </>
      }
    >
      {action?.explain && <p className="text-sm text-slate-700">{action.explain}</p>}
      <Field id="order-note" label={action?.noteRequired ? 'Note' : 'Note (optional)'} error={form.errors.note}>
        <Textarea rows={3} {...errProps('order-note', form.errors.note)} {...form.bind('note')} />
      </Field>
      {action?.restockOption && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} />
          Goods came back to stock
        </label>
      )}
    </Dialog>
  );
}
