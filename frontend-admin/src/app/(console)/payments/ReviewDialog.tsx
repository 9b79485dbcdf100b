'use client';
// Review one proof (frontends.md §3.2): the payment is re-read on open (its presigned imageUrl expires),
// the proof shows as an image or a PDF, then a decision with a note (required to reject).
import { useEffect, useState } from 'react';
import { Dialog } from '@/components/Dialog';
import { useZodForm } from '@/components/hooks';
import { toastError, toastOk } from '@/components/notify';
import { Button, ErrorCard, Field, Skeleton, StatusBadge, Textarea, errProps } from '@/components/ui';
import { displayMessage } from '@/lib/api/envelope';
import { getPayment, proofLink, reviewPayment } from '@/lib/api/payment';
import type { Payment } from '@/lib/api/types';
import { formatDate, money } from '@/lib/format';
import { reviewSchema } from '@/lib/validation/schemas';

export function ReviewDialog({ paymentId, onClose, onReviewed }: { paymentId: string | null; onClose: () => void; onReviewed: (p: Payment) => void }) {
  const [loaded, setLoaded] = useState<{ id: string; payment: Payment | null; error: string | null } | null>(null);
  const payment = loaded && loaded.id === paymentId ? loaded.payment : null;
  const error = loaded && loaded.id === paymentId ? loaded.error : null;
  const [rejectOrder, setRejectOrder] = useState(false);
  const form = useZodForm(reviewSchema, { decision: '', note: '' });
  const { reset } = form;

  useEffect(() => {
    if (!paymentId) return;
    let alive = true;
    getPayment(paymentId).then(
      (p) => alive && setLoaded({ id: paymentId, payment: p, error: null }),
      (e) => alive && setLoaded({ id: paymentId, payment: null, error: displayMessage(e) }),
    );
    return () => {
      alive = false;
    };
  }, [paymentId]);

  const close = () => {
    reset();
    setRejectOrder(false);
    onClose();
  };
  const confirm = () =>
    form
      .submit(async (v) => {
        if (!payment) return;
        const updated = await reviewPayment(payment.id, v.decision, v.note, rejectOrder);
        toastOk(v.decision === 'APPROVED' ? 'Payment approved' : 'Payment rejected');
        reset();
        setRejectOrder(false);
        onReviewed(updated);
      })
      .catch((err) => toastError(err, 'The payment or its order changed meanwhile'));

  const pdf = payment?.contentType === 'application/pdf';
  return (
    <Dialog
      open={!!paymentId}
      title="Review payment proof"
      onClose={close}
      wide
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={form.pending}>
            Cancel
          </Button>
          <Button onClick={confirm} pending={form.pending} disabled={!payment || payment.status !== 'PENDING'}>
            {form.pending ? 'Saving…' : 'Confirm'}
          </Button>
        </>
      }
    >
      {error ? (
        <ErrorCard message={error} />
      ) : !payment ? (
        <Skeleton className="h-64" />
      ) : (
        <div className="grid gap-4 md:grid-cols-[1fr_260px]">
          <div className="min-h-64 rounded border border-slate-200 bg-slate-50 p-2" data-testid="proof">
            {pdf ? (
              <div className="space-y-2">
                <iframe src={payment.imageUrl} title="Payment proof (PDF)" className="h-80 w-full bg-white" />
                <a href={proofLink(payment.id)} target="_blank" rel="noreferrer" className="text-sm text-blue-700 underline">
                  Open PDF
                </a>
              </div>
            ) : (
              // eslint-disable-next-line @next/next/no-img-element -- presigned S3 URL, shown as it is
              <img src={payment.imageUrl} alt="Payment proof" width={480} height={360} className="mx-auto max-h-96 w-auto object-contain" />
            )}
          </div>
          <div className="space-y-3 text-sm">
            <dl className="grid grid-cols-[90px_1fr] gap-1">
              <dt className="text-slate-500">Order</dt>
              <dd className="font-mono text-xs">{payment.orderId.slice(0, 8)}</dd>
              <dt className="text-slate-500">Total</dt>
              <dd className="font-semibold">{money(payment.totalAmount)}</dd>
              <dt className="text-slate-500">Uploaded</dt>
              <dd>{formatDate(payment.createdAt)}</dd>
              <dt className="text-slate-500">Status</dt>
              <dd>
                <StatusBadge status={payment.status} />
              </dd>
            </dl>
            {payment.status === 'PENDING' ? (
              <>
                <fieldset aria-describedby={form.errors.decision ? 'decision-error' : undefined}>
                  <legend className="mb-1 font-medium text-slate-700">Decision</legend>
                  <label className="mr-4 inline-flex items-center gap-1">
                    <input type="radio" name="decision" value="APPROVED" checked={form.values.decision === 'APPROVED'} onChange={() => form.setValue('decision', 'APPROVED')} />
                    Approve
                  </label>
                  <label className="inline-flex items-center gap-1">
                    <input type="radio" name="decision" value="REJECTED" checked={form.values.decision === 'REJECTED'} onChange={() => form.setValue('decision', 'REJECTED')} />
                    Reject
                  </label>
                  {form.errors.decision && (
                    <p id="decision-error" className="text-xs text-red-600">
                      {form.errors.decision}
                    </p>
                  )}
                </fieldset>
                <Field id="admin-note" label={form.values.decision === 'REJECTED' ? 'Admin note' : 'Admin note (optional)'} error={form.errors.note}>
                  <Textarea rows={3} {...errProps('admin-note', form.errors.note)} {...form.bind('note')} />
                </Field>
                {form.values.decision === 'REJECTED' && (
                  <label className="flex items-start gap-2">
                    <input type="checkbox" className="mt-1" checked={rejectOrder} onChange={(e) => setRejectOrder(e.target.checked)} />
                    Also reject the order (no new upload)
                  </label>
                )}
              </>
            ) : (
              <p className="text-slate-600">Already reviewed{payment.adminNote ? `: ${payment.adminNote}` : ''}.</p>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}
