// payment service calls (frontends.md §2.4; api/payment.md). The upload itself goes through XHR (progress).
import type { Call } from './envelope';
import type { Payment } from './types';

export const paymentApi = (call: Call) => ({
  forOrder: (orderId: string) => call<Payment[]>('payment', 'GET', `/v1/payments?orderId=${encodeURIComponent(orderId)}`, { listy: true }),
});

export const PROOF_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export const PROOF_UPLOAD_PATH = '/api/svc/payment/v1/payments';
