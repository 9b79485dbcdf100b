'use client';
// Table states (frontends.md §1.5, §3.2): skeleton rows while loading, an error row with Retry, an empty row
// with Clear filters, and the pager ("Showing a–b of n", or Previous/Next when no total is known).
import type { ReactNode, TdHTMLAttributes } from 'react';
import { Button, Select, Skeleton } from './ui';

export function Table({ head, children, label }: { head: ReactNode[]; children: ReactNode; label: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full min-w-max text-left text-sm" aria-label={label}>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export const Td = ({ children, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { 'data-testid'?: string }) => (
  <td className={`px-3 py-2 align-middle ${className ?? ''}`} {...rest}>
    {children}
  </td>
);

export function TableState({
  cols,
  loading,
  error,
  empty,
  onRetry,
  onClear,
  emptyText = 'No results',
  rows = 5,
}: {
  cols: number;
  loading: boolean;
  error: string | null;
  empty: boolean;
  onRetry: () => void;
  onClear?: () => void;
  emptyText?: string;
  rows?: number;
}) {
  if (error) {
    return (
      <tr>
        <td colSpan={cols} className="px-3 py-6 text-center text-sm text-red-700" role="alert">
          {error}{' '}
          <Button size="sm" variant="secondary" onClick={onRetry}>
            Retry
          </Button>
        </td>
      </tr>
    );
  }
  if (loading) {
    return (
      <>
        {Array.from({ length: rows }, (_, i) => (
          <tr key={i} aria-hidden>
            {Array.from({ length: cols }, (_, j) => (
              <td key={j} className="px-3 py-3">
                <Skeleton className="h-4 w-full" />
              </td>
            ))}
          </tr>
        ))}
      </>
    );
  }
  if (empty) {
    return (
      <tr>
        <td colSpan={cols} className="px-3 py-6 text-center text-sm text-slate-500">
          {emptyText}
          {onClear && (
            <>
              {' — '}
              <Button size="sm" variant="ghost" onClick={onClear}>
                Clear filters
              </Button>
            </>
          )}
        </td>
      </tr>
    );
  }
  return null;
}

export function Pagination({
  page,
  pageSize,
  count,
  shown,
  hasNext,
  onPage,
  onPageSize,
  sizes = [20, 50, 100],
}: {
  page: number;
  pageSize: number;
  count: number | null;
  shown: number;
  hasNext?: boolean;
  onPage: (p: number) => void;
  onPageSize?: (s: number) => void;
  sizes?: number[];
}) {
  const from = shown ? (page - 1) * pageSize + 1 : 0;
  const to = (page - 1) * pageSize + shown;
  const next = count !== null ? to < count : !!hasNext;
  return (
    <nav data-testid="pagination" aria-label="Pagination" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <span>{count !== null ? `Showing ${from}–${to} of ${count}` : shown ? `Showing ${from}–${to}` : 'No rows'}</span>
      <div className="flex items-center gap-2">
        {onPageSize && (
          <label className="flex items-center gap-1">
            <span>Rows</span>
            <Select aria-label="Rows per page" className="h-8 w-20" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
              {sizes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </label>
        )}
        <Button size="sm" variant="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </Button>
        <Button size="sm" variant="secondary" disabled={!next} onClick={() => onPage(page + 1)}>
          Next
        </Button>
      </div>
    </nav>
  );
}
