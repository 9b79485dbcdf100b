'use client';
// A product filter: type to search (name or SKU), pick from the matches. The chosen id stays listed.
import { useEffect, useState } from 'react';
import { getProduct, listProducts } from '@/lib/api/product';
import { useQuery } from './hooks';
import { Input, Select } from './ui';

export function ProductPicker({ value, onChange, label = 'Product' }: { value: string; onChange: (id: string) => void; label?: string }) {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const matches = useQuery(`picker-${debounced}`, () => listProducts({ q: debounced || undefined, limit: 20 }).then((r) => r.data));
  const chosen = useQuery(`picker-chosen-${value}`, () => getProduct(value).catch(() => ({ id: value, name: value.slice(0, 8) })), { enabled: !!value });
  const options = [...(matches.data ?? [])];
  if (value && chosen.data && !options.some((o) => o.id === value)) options.unshift(chosen.data as (typeof options)[number]);
  return (
    <div className="flex gap-1">
      <Input type="search" aria-label={`Search ${label.toLowerCase()}`} placeholder="Search product" value={search} onChange={(e) => setSearch(e.target.value)} className="w-40" />
      <Select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className="min-w-40">
        <option value="">All products</option>
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </Select>
    </div>
  );
}
