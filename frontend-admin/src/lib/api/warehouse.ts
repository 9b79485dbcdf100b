'use client';
// warehouse service (api/warehouse.md): warehouses, stock rows, alerts, movements.
import { call, type Query } from './client';
import type { Movement, StockRow, Warehouse } from './types';

export type WarehouseInput = { name: string; street: string; city: string; state: string; zip_code: string };

export const listWarehouses = () => call<Warehouse[]>('warehouse', '/v1/warehouse', { list: true }).then((r) => r.data);
export const createWarehouse = (w: WarehouseInput) => call<Warehouse>('warehouse', '/v1/warehouse', { method: 'POST', json: w }).then((r) => r.data);
export const updateWarehouse = (id: string, w: Partial<WarehouseInput>) =>
  call<Warehouse>('warehouse', `/v1/warehouse/${encodeURIComponent(id)}`, { method: 'PATCH', json: w }).then((r) => r.data);
export const makeMainWarehouse = (id: string) => call<Warehouse>('warehouse', `/v1/warehouse/${encodeURIComponent(id)}/main`, { method: 'POST' });
export const deleteWarehouse = (id: string) => call<null>('warehouse', `/v1/warehouse/${encodeURIComponent(id)}`, { method: 'DELETE' });

export type StockQuery = { warehouse_id?: string; product_id?: string; q?: string; low_stock?: boolean; skip?: number; limit?: number };
export const listStock = (q: StockQuery) => call<StockRow[]>('warehouse', '/v1/warehouse-products', { query: { skip: 0, limit: 20, ...q } as Query, list: true });
export const stockOfProduct = (productId: string) =>
  call<StockRow[]>('warehouse', `/v1/warehouse-products/product/${encodeURIComponent(productId)}`, { list: true }).then((r) => r.data);
export const setThreshold = (rowId: string, low_stock_threshold: number | null) =>
  call<StockRow>('warehouse', `/v1/warehouse-products/${encodeURIComponent(rowId)}`, { method: 'PATCH', json: { low_stock_threshold } });
export const stockAlerts = (q: { limit?: number; skip?: number } = {}) =>
  call<StockRow[]>('warehouse', '/v1/stock-alerts', { query: { skip: 0, limit: 5, ...q }, list: true });

export type MovementQuery = { product_id?: string; warehouse_id?: string; type?: string; since?: string; until?: string; skip?: number; limit?: number };
export const listMovements = (q: MovementQuery) => call<Movement[]>('warehouse', '/v1/stock-movements', { query: { skip: 0, limit: 20, ...q } as Query, list: true });
export type MoveInput = { product_id: string; product_name: string; quantity: number; from_warehouse_id: string; to_warehouse_id: string; note: string };
// an empty note is left out: the service takes `note` as optional but refuses ""
export const moveStock = (m: MoveInput) =>
  call<Movement>('warehouse', '/v1/stock-movements/movein', { method: 'POST', json: { ...m, note: m.note || undefined } }).then((r) => r.data);
export const adjustStock = (a: { warehouse_id: string; product_id: string; delta: number; note: string }) =>
  call<Movement>('warehouse', '/v1/stock-movements/adjust', { method: 'POST', json: a }).then((r) => r.data);
