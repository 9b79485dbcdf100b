'use client';
// Managers' per-row actions on /stock: Adjust (delta ≠ 0, required note) and Threshold.
import { useEffect } from 'react';
import { Dialog } from '@/components/Dialog';
import { useZodForm } from '@/components/hooks';
import { toastError, toastOk } from '@/components/notify';
import { Button, Field, Input, Textarea, errProps } from '@/components/ui';
import type { StockRow } from '@/lib/api/types';
import { adjustStock, setThreshold } from '@/lib/api/warehouse';
import { adjustSchema, thresholdSchema } from '@/lib/validation/schemas';

export function AdjustDialog({ row, onClose, onDone }: { row: StockRow | null; onClose: () => void; onDone: () => void }) {
  const form = useZodForm(adjustSchema, { delta: '', note: '' });
  const { reset } = form;
  useEffect(() => {
    if (row) reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset when another row opens
  }, [row]);
  const submit = () =>
    form
      .submit(async (v) => {
        if (!row) return;
        const delta = Number(v.delta);
        await adjustStock({ warehouse_id: row.warehouse_id, product_id: row.product_id, delta, note: v.note });
        toastOk(`Adjusted ${row.product_name} by ${delta > 0 ? '+' : ''}${delta}`);
        onDone();
      })
      .catch((err) => toastError(err));
  return (
    <Dialog
      open={!!row}
      title={`Adjust stock: ${row?.product_name ?? ''}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} pending={form.pending}>
            Adjust
          </Button>
        </>
      }
    >
      <p className="text-sm text-slate-600">
        {row?.warehouse_name}: {row?.product_quantity} available now.
      </p>
      <form
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field id="adj-delta" label="Change (e.g. 20 or -3)" error={form.errors.delta}>
          <Input inputMode="numeric" {...errProps('adj-delta', form.errors.delta)} {...form.bind('delta')} />
        </Field>
        <Field id="adj-note" label="Note" error={form.errors.note}>
          <Textarea rows={2} {...errProps('adj-note', form.errors.note)} {...form.bind('note')} />
        </Field>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

export function ThresholdDialog({ row, onClose, onDone }: { row: StockRow | null; onClose: () => void; onDone: () => void }) {
  const form = useZodForm(thresholdSchema, { threshold: '' });
  const { reset } = form;
  useEffect(() => {
    if (row) reset({ threshold: String(row.low_stock_threshold ?? '') });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset when another row opens
  }, [row]);
  const submit = () =>
    form
      .submit(async (v) => {
        if (!row) return;
        await setThreshold(row.id, v.threshold === '' ? null : Number(v.threshold));
        toastOk('Threshold saved');
        onDone();
      })
      .catch((err) => toastError(err));
  return (
    <Dialog
      open={!!row}
      title={`Low-stock threshold: ${row?.product_name ?? ''}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} pending={form.pending}>
            Save
          </Button>
        </>
      }
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field id="thr" label="Threshold" error={form.errors.threshold} hint="Empty = the default threshold">
          <Input inputMode="numeric" {...errProps('thr', form.errors.threshold)} {...form.bind('threshold')} />
        </Field>
      </form>
    </Dialog>
  );
}
