// cart service calls (frontends.md §2.4; api/cart.md).
import type { Call } from './envelope';
import type { Address, CartLine } from './types';

export const CHECKOUT_TIMEOUT_MS = 35_000;

export const cartApi = (call: Call) => ({
  lines: () => call<CartLine[]>('cart', 'GET', '/v1/carts/user', { listy: true }),
  add: (productId: string, quantity: number) =>
    call<CartLine>('cart', 'POST', '/v1/carts', { json: { product_id: productId, product_quantity: quantity, note: '' } }),
  setQuantity: (lineId: string, quantity: number) =>
    call<CartLine>('cart', 'PATCH', `/v1/carts/${lineId}`, { json: { cart_id: lineId, product_quantity: quantity, note: '' } }),
  remove: (lineId: string) => call<null>('cart', 'DELETE', `/v1/carts/${lineId}`),
  checkout: (cartIds: string[], address: Address & { note: string }, idempotencyKey: string) =>
    call<{ order_id: string; cart_ids: string[] }>('cart', 'POST', '/v1/carts/checkout', {
      json: { cart_ids: cartIds, address },
      headers: { 'idempotency-key': idempotencyKey },
      timeoutMs: CHECKOUT_TIMEOUT_MS,
    }),
});
