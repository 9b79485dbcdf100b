// Top bar: logo, category menu, search, Orders, cart badge, account or Login (frontends.md §2.1).
import Link from 'next/link';
import { Suspense } from 'react';
import { server } from '@/lib/api/server';
import type { CategoryNode } from '@/lib/api/types';
import { categoryLabel } from '@/lib/format';
import { AccountMenu, CartBadge, SearchBox } from './HeaderClient';

async function loadTree(): Promise<CategoryNode[] | null> {
  try {
    return (await server.product.tree()).data;
  } catch {
    return null; // the menu degrades alone (§1.4)
  }
}

export async function Header() {
  const tree = await loadTree();
  return (
    <header className="sticky top-0 z-30 border-b border-gray-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
        <Link prefetch={false} href="/" className="text-2xl font-extrabold tracking-tight">
          Eshop
        </Link>
        <nav aria-label="Categories" className="flex items-center gap-1">
          {tree === null ? (
            <span className="text-sm text-gray-500">Categories unavailable</span>
          ) : (
            tree.map((root) => (
              <div key={root.id} className="group relative">
                <Link prefetch={false} href={`/category/${root.id}`} className="rounded px-2 py-1 text-sm font-medium hover:bg-gray-100">
                  {categoryLabel(root.name)}
                </Link>
                {root.childs?.length ? (
                  <ul className="invisible absolute left-0 top-full z-40 min-w-44 rounded-md border border-gray-200 bg-white py-1 shadow-lg group-focus-within:visible group-hover:visible">
                    {root.childs.map((c) => (
                      <li key={c.id}>
                        <Link prefetch={false} href={`/category/${c.id}`} className="block px-3 py-1.5 text-sm hover:bg-gray-100">
                          {categoryLabel(c.name)}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ))
          )}
        </nav>
        <Suspense fallback={<div className="flex-1" />}>
          <SearchBox />
        </Suspense>
        <div className="ml-auto flex items-center gap-3">
          <Link prefetch={false} href="/orders" className="text-sm font-medium hover:underline">
            Orders
          </Link>
          <CartBadge />
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}
