'use client';
// order service (api/order.md): admin lists, detail, history, status changes, refunds.
import { call, type Query } from './client';
import type { HistoryEntry, Order, OrderStatus } from './types';

export type OrderQuery = { status?: readonly string[]; created_from?: string; created_to?: string; skip?: number; limit?: number };

export const listOrders = (q: OrderQuery) => call<Order[]>('order', '/v1/orders', { query: q as Query, list: true });
export const getOrder = (id: string) => call<Order>('order', `/v1/orders/${encodeURIComponent(id)}`).then((r) => r.data);
export const orderHistory = (id: string) => call<HistoryEntry[]>('order', `/v1/orders/${encodeURIComponent(id)}/history`, { list: true }).then((r) => r.data);
export const setOrderStatus = (id: string, status: OrderStatus, note: string, restock?: boolean) =>
  call<Order>('order', `/v1/orders/${encodeURIComponent(id)}/status`, { method: 'PATCH', json: { status, note, ...(restock !== undefined ? { restock } : {}) } }).then((r) => r.data);
export const recordRefund = (id: string, note: string) =>
  call<Order>('order', `/v1/orders/${encodeURIComponent(id)}/refund`, { method: 'POST', json: { note } }).then((r) => r.data);
