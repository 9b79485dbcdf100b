'use client';
import { listWarehouses } from '@/lib/api/warehouse';
import { useQuery } from './hooks';

const NIL = '00000000-0000-0000-0000-000000000000';

/** Live warehouses and a name lookup (ids of deleted or unknown warehouses show shortened). */
export function useWarehouses() {
  const q = useQuery('warehouses', () => listWarehouses());
  const list = q.data ?? [];
  const nameOf = (id: string | null | undefined) => {
    if (!id || id === NIL) return '';
    return list.find((w) => w.id === id)?.name ?? id.slice(0, 8);
  };
  return { ...q, list, nameOf };
}

export const isNil = (id: string | null | undefined) => !id || id === NIL;
