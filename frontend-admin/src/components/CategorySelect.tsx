'use client';
// A select over the category tree, indented by depth.
import { forwardRef, type SelectHTMLAttributes } from 'react';
import type { FlatCategory } from '@/lib/format';
import { Select } from './ui';

export const CategorySelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & { categories: FlatCategory[]; emptyLabel: string }>(
  function CategorySelect({ categories, emptyLabel, ...rest }, ref) {
    return (
      <Select ref={ref} {...rest}>
        <option value="">{emptyLabel}</option>
        {categories.map((c) => (
          <option key={c.id} value={c.id}>
            {'\u00a0\u00a0'.repeat(c.depth) + c.path.split(' › ').pop()}
          </option>
        ))}
      </Select>
    );
  },
);
