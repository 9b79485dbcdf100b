'use client';
// payment service (api/payment.md; camelCase bodies): proof list, re-read, review.
import { call, type Query } from './client';
import type { Payment, PaymentStatus } from './types';

export type PaymentQuery = { status?: string; orderId?: string; createdFrom?: string; createdTo?: string; skip?: number; limit?: number };

export const listPayments = (q: PaymentQuery) => call<Payment[]>('payment', '/v1/payments', { query: q as Query, list: true });
export const getPayment = (id: string) => call<Payment>('payment', `/v1/payments/${encodeURIComponent(id)}`).then((r) => r.data);
export const reviewPayment = (paymentId: string, status: Exclude<PaymentStatus, 'PENDING'>, adminNote: string, rejectOrder: boolean) =>
  call<Payment>('payment', '/v1/payments', {
    method: 'PATCH',
    json: { paymentId, status, adminNote: adminNote || undefined, ...(status === 'REJECTED' ? { rejectOrder } : {}) },
  }).then((r) => r.data);
/** The proof link through the proxy (a 302 to a fresh presigned URL). */
export const proofLink = (paymentId: string) => `/api/svc/payment/v1/payments/${encodeURIComponent(paymentId)}/proof`;
