// Which order actions the admin console offers for a state (order.md §3.7, frontends.md §3.2).
import type { Order } from './api/types';

export type ActionKey = 'ship' | 'deliver' | 'fail' | 'cancelPending' | 'cancelPaid' | 'refund';

export function legalActions(o: Pick<Order, 'status' | 'payment_status' | 'refund_status'>): ActionKey[] {
  const out: ActionKey[] = [];
  // an admin may cancel a PENDING order only while no proof is under review
  if (o.status === 'PENDING' && o.payment_status !== 'PENDING') out.push('cancelPending');
  if (o.status === 'PAYMENT_ACCEPTED') out.push('ship', 'cancelPaid');
  if (o.status === 'ON_DELIVERY') out.push('deliver', 'fail');
  if (o.refund_status === 'DUE') out.push('refund');
  return out;
}
