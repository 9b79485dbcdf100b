'use client';
import { categoryTree } from '@/lib/api/product';
import { flattenCategories } from '@/lib/format';
import { useQuery } from './hooks';

/** The category tree, flattened with paths, shared by forms and filters. */
export function useCategories() {
  const q = useQuery('categories', () => categoryTree().then((t) => flattenCategories(t)));
  return { ...q, list: q.data ?? [], pathOf: (id: string) => q.data?.find((c) => c.id === id)?.path ?? '' };
}
