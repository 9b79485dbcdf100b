'use client';
// Payment state texts (frontends.md §2.2).
import type { Order, Payment } from '@/lib/api/types';
import { StatusBadge } from '../ui';

export function PaymentPanel({ order, newest, underReview }: { order: Order; newest: Payment | undefined; underReview: boolean }) {
  const badge = order.payment_status ? <StatusBadge status={order.payment_status} testId="payment-status" /> : null;
  let text: React.ReactNode = null;
  if (order.status === 'PENDING') {
    if (underReview && newest) {
      text = (
        <div className="space-y-2">
          <p className="font-medium">Proof received — waiting for review</p>
          {newest.contentType === 'application/pdf' ? (
            <a href={newest.imageUrl} target="_blank" rel="noreferrer" className="text-sm underline">
              Open PDF
            </a>
          ) : (
            // eslint-disable-next-line @next/next/no-img-element -- presigned, short-lived URL from S3
            <img src={newest.imageUrl} alt="Your payment proof" width={200} height={150} loading="lazy" className="h-32 w-auto rounded border" />
          )}
        </div>
      );
    } else if (underReview) {
      text = <p className="font-medium">Proof received — waiting for review</p>;
    } else if (newest?.status === 'REJECTED' || order.payment_status === 'REJECTED') {
      const note = newest?.adminNote || order.payment_note;
      text = (
        <p role="alert" className="text-red-700">
          Your proof was rejected{note ? `: ${note}` : ''}. Please upload a new one.
        </p>
      );
    } else {
      text = <p>Upload a proof of your bank transfer to confirm the order.</p>;
    }
  } else if (['PAYMENT_ACCEPTED', 'ON_DELIVERY', 'DELIVERED'].includes(order.status)) {
    text = <p className="font-medium text-green-700">Payment accepted</p>;
  } else if (order.status === 'REJECTED') {
    text = (
      <p className="text-red-700">
        Payment rejected{order.payment_note ? `: ${order.payment_note}` : ''}
      </p>
    );
  } else if (order.status === 'EXPIRED') {
    text = <p className="text-red-700">Payment time ran out; the order was cancelled automatically</p>;
  } else if (order.status === 'CANCELLED') {
    text = <p className="text-red-700">This order was cancelled</p>;
  } else if (order.status === 'FAILED') {
    text = <p className="text-red-700">The delivery failed</p>;
  }
  return (
    <div className="space-y-2">
      {badge}
      {text}
      {order.refund_status === 'DUE' ? <p className="font-medium text-amber-700">A refund is on its way</p> : null}
      {order.refund_status === 'REFUNDED' ? <p className="font-medium text-green-700">Refunded</p> : null}
    </div>
  );
}
