'use client';
// sales-report service (api/sales-report.md): rows, summary, downloads.
import { call, download, type Query } from './client';
import type { SaleRow, SalesSummary } from './types';

export type SalesFilter = { from: string; to: string; product_id?: string; warehouse_id?: string; tz: string };

export const listSales = (f: SalesFilter, skip: number, limit: number) => call<SaleRow[]>('sales-report', '/v1/sales', { query: { ...f, skip, limit } as Query, list: true });
export const salesSummary = (f: SalesFilter, interval: 'day' | 'week' | 'month') =>
  call<SalesSummary>('sales-report', '/v1/sales/summary', { query: { ...f, interval } as Query }).then((r) => r.data);
export const REPORT_PATHS = { csv: '/v1/sales/csv-report', pdf: '/v1/sales/pdf-report', xlsx: '/v1/sales/xlsx-report' } as const;
export const downloadReport = (kind: keyof typeof REPORT_PATHS, f: SalesFilter) =>
  download('sales-report', REPORT_PATHS[kind], f as Query, `sales-report-${f.from}-${f.to}.${kind}`);
