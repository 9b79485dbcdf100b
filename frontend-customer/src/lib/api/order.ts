// order service calls (frontends.md §2.4; api/order.md).
import type { Call } from './envelope';
import type { HistoryEntry, Order, Quote, Ttl } from './types';

export const orderApi = (call: Call) => ({
  mine: () => call<Order[]>('order', 'GET', '/v1/orders/user', { listy: true }),
  get: (id: string) => call<Order>('order', 'GET', `/v1/orders/${encodeURIComponent(id)}`),
  history: (id: string) => call<HistoryEntry[]>('order', 'GET', `/v1/orders/${encodeURIComponent(id)}/history`, { listy: true }),
  ttl: (id: string) => call<Ttl>('order', 'GET', `/v1/orders/${encodeURIComponent(id)}/ttl`),
  cancel: (id: string) => call<Order>('order', 'POST', `/v1/orders/${encodeURIComponent(id)}/cancel`, { json: {} }),
  quote: (items: { product_id: string; quantity: number }[], zipcode: string) =>
    call<Quote>('order', 'POST', '/v1/orders/quote', { json: { items, address: { zipcode } } }),
});
